"""The command line: the same services as the GUI, for people and scripts.

Secrets are read from the terminal (without echo), or one line per secret from
standard input when it is not a terminal; never from arguments or the
environment. Exit status 0 on success; otherwise one line on stderr and a
non-zero status, without a traceback.
"""

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from platformdirs import user_data_dir

from app import __version__
from app.errors import InvoiceVaultError, KeyringUnavailable, ValidationError
from app.services import access, audit_log
from app.services.session import Session
from app.vault.kdf import FLOOR, KdfParams

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED, EXIT_BUG = 0, 1, 2, 130, 70


def default_data_dir() -> Path:
    return Path(user_data_dir("InvoiceVault", appauthor=False))


class Secrets:
    """Asks for secrets on the terminal, or reads them line by line from a pipe."""

    def __init__(self, stdin: TextIO, err: TextIO) -> None:
        self.stdin = stdin
        self.err = err

    def ask(self, prompt: str, *, confirm: bool = False) -> str:
        if not self.stdin.isatty():
            line = self.stdin.readline()
            if not line:
                raise ValidationError(f"{prompt.rstrip(': ')}: expected one line on standard input")
            return line.removesuffix("\n").removesuffix("\r")
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again, to be sure: ") != first:
            raise ValidationError("The two passphrases are not the same; nothing was changed")
        return first


class Cli:
    def __init__(self, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> None:
        self.args = args
        self.secrets = secrets
        self.out = out
        self.data_dir: Path = args.data_dir or default_data_dir()
        self.user: str = args.user

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def note(self, text: str) -> None:
        print(text, file=self.secrets.err)

    def kdf(self) -> KdfParams | None:
        return FLOOR if getattr(self.args, "kdf", "calibrated") == "minimum" else None

    def session(self) -> Session:
        """Unlock: the keyring fast path when it is on, else (saying why) the passphrase."""
        if access.keyring_status(self.data_dir, self.user).remembered_until:
            try:
                return access.unlock_with_keyring(self.data_dir, self.user)
            except KeyringUnavailable as exc:
                self.note(f"Not unlocked from the OS keyring: {exc}.")
        passphrase = self.secrets.ask(f"Passphrase for {self.user}: ")
        return access.unlock(self.data_dir, self.user, passphrase)

    # -- commands ------------------------------------------------------------------------

    def init(self) -> int:
        passphrase = self.secrets.ask(f"New passphrase for {self.user}: ", confirm=True)
        session, recovery_key = access.create_vault(
            self.data_dir, self.user, passphrase, kdf=self.kdf()
        )
        access.lock(session)
        self.say(f"Vault created in {self.data_dir} (user {self.user}, role owner).")
        self.say()
        self.say("Your recovery key, shown only this once:")
        self.say()
        self.say(f"    {recovery_key}")
        self.say()
        self.say("Write it down or print it, and keep it away from this laptop. With it you can")
        self.say("set a new passphrase if you forget yours, and open your backups on a new laptop.")
        return EXIT_OK

    def audit_verify(self) -> int:
        session = self.session()
        try:
            report = audit_log.verify(session)
        finally:
            access.lock(session)
        if not report.intact:
            self.note(f"The audit log is broken at entry {report.first_broken}: {report.reason}.")
            return EXIT_ERROR
        entries = "1 entry" if report.entries == 1 else f"{report.entries} entries"
        self.say(f"The audit log is intact: {entries}, head {report.head[:16]}.")
        return EXIT_OK

    def keyring_remember(self) -> int:
        session = self.session()
        try:
            until = access.remember_on_this_laptop(session, self.args.days)
        finally:
            access.lock(session)
        self.say(f"Remembered on this laptop until {until} (UTC); after that the passphrase is")
        self.say("asked again. 'invoicevault keyring forget' turns it off now.")
        return EXIT_OK

    def keyring_forget(self) -> int:
        forgotten = access.forget_while_locked(self.data_dir, self.user)
        self.say("Forgotten on this laptop." if forgotten else "Nothing was remembered.")
        return EXIT_OK

    def keyring_status(self) -> int:
        status = access.keyring_status(self.data_dir, self.user)
        if self.args.json:
            self.say(
                json.dumps(
                    {
                        "user": status.user,
                        "remembered_until": status.remembered_until,
                        "backend": status.backend,
                    }
                )
            )
        elif status.remembered_until:
            self.say(
                f"{status.user}: remembered until {status.remembered_until} "
                f"(keyring: {status.backend})."
            )
        else:
            self.say(f"{status.user}: not remembered on this laptop (keyring: {status.backend}).")
        return EXIT_OK

    def passphrase_change(self) -> int:
        session = self.session()
        try:
            current = self.secrets.ask(f"Current passphrase for {self.user}: ")
            new = self.secrets.ask(f"New passphrase for {self.user}: ", confirm=True)
            remembered = access.change_passphrase(session, current, new)
        finally:
            access.lock(session)
        self.say(
            "Passphrase changed." + (" Still remembered on this laptop." if remembered else "")
        )
        return EXIT_OK

    def passphrase_reset(self) -> int:
        recovery_key = self.secrets.ask("Recovery key (AGE-SECRET-KEY-1...): ")
        new = self.secrets.ask(f"New passphrase for {self.user}: ", confirm=True)
        session = access.reset_passphrase(self.data_dir, recovery_key, self.user, new)
        access.lock(session)
        self.say(f"A new passphrase is set for {self.user}.")
        return EXIT_OK

    def key_rotate(self) -> int:
        session = self.session()
        try:
            confirm = self.secrets.ask(f"Passphrase for {self.user}, to confirm the rotation: ")
            access.rotate_database_key(session, confirm)
        finally:
            access.lock(session)
        self.say("The database key was rotated; every keyslot was rewrapped.")
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="invoicevault",
        description="Offline invoicing with an encrypted vault. Without a command, starts the GUI.",
    )
    parser.add_argument("--version", action="version", version=f"InvoiceVault {__version__}")
    parser.add_argument("--data-dir", type=Path, help="the vault's folder (default: per OS)")
    parser.add_argument("--user", default="owner", help="act as this user (default: owner)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        name: str,
        run: Callable[[Cli], int],
        help_text: str,
        parent: argparse._SubParsersAction = commands,
    ) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    init = command("init", Cli.init, "create a vault; prints the recovery key once")
    init.add_argument(
        "--kdf",
        choices=("calibrated", "minimum"),
        default="calibrated",
        help="Argon2id cost: calibrated to ~1 s and 256 MiB (default), or RFC 9106's minimum "
        "(64 MiB, 3 passes) for very slow machines",
    )

    audit = command("audit", None, "the tamper-evident audit log")  # type: ignore[arg-type]
    audit_cmds = audit.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    command(
        "verify", Cli.audit_verify, "check the hash chain; report the first broken link", audit_cmds
    )

    ring = command("keyring", None, "remember the key on this laptop (OS keyring)")  # type: ignore[arg-type]
    ring_cmds = ring.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    remember = command(
        "remember", Cli.keyring_remember, "unlock without a passphrase for a while", ring_cmds
    )
    remember.add_argument("--days", type=int, default=14, help="how long (1-90, default 14)")
    command("forget", Cli.keyring_forget, "ask for the passphrase again from now on", ring_cmds)
    status = command(
        "status", Cli.keyring_status, "is the key remembered here, until when", ring_cmds
    )
    status.add_argument("--json", action="store_true", help="print JSON")

    phrase = command("passphrase", None, "change or reset a passphrase")  # type: ignore[arg-type]
    phrase_cmds = phrase.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    command("change", Cli.passphrase_change, "change your passphrase", phrase_cmds)
    command(
        "reset",
        Cli.passphrase_reset,
        "forgotten passphrase: set a new one with the recovery key",
        phrase_cmds,
    )

    key = command("key", None, "the database key")  # type: ignore[arg-type]
    key_cmds = key.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    command("rotate", Cli.key_rotate, "re-encrypt the database under a new random key", key_cmds)
    return parser


GuiStarter = Callable[[Path, str], int]


def main(
    argv: Sequence[str] | None = None,
    *,
    start_gui: GuiStarter | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one command; without one, ``start_gui`` (given by ``ui.entry``: app never imports Qt)."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    if args.command is None:
        if start_gui is None:
            print("invoicevault: the GUI is not available here; see --help", file=stderr)
            return EXIT_USAGE
        return start_gui(args.data_dir or default_data_dir(), args.user)
    cli = Cli(args, Secrets(stdin, stderr), stdout)
    try:
        return args.run(cli)
    except InvoiceVaultError as exc:
        print(f"invoicevault: {exc}", file=stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_CANCELLED
    except Exception as exc:  # a bug: one line, no traceback that could carry data
        print(
            f"invoicevault: unexpected error ({type(exc).__name__}); please report it", file=stderr
        )
        return EXIT_BUG
