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
from datetime import date
from pathlib import Path
from typing import TextIO

from platformdirs import user_data_dir

from app import __version__, fileio, money
from app.documents.emergency_sheet import render_emergency_sheet
from app.documents.source import LANGUAGES
from app.domain import invoice_json
from app.domain.totals import as_bt_dict
from app.errors import InvoiceVaultError, KeyringUnavailable, NeedsConfirmation, ValidationError
from app.services import access, audit_log, backup, demo, exports, invoicing, reminders
from app.services.invoicing import DocumentView
from app.services.session import Session
from app.store.documents import ListQuery
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
        vault_id = session.vault_id
        access.lock(session)
        self.say(f"Vault created in {self.data_dir} (user {self.user}, role owner).")
        self.say()
        self.say("Your recovery key, shown only this once:")
        self.say()
        self.say(f"    {recovery_key}")
        self.say()
        self.say("Write it down or print it, and keep it away from this laptop. With it you can")
        self.say("set a new passphrase if you forget yours, and open your backups on a new laptop.")
        if self.args.emergency_sheet:
            sheet = Path(self.args.emergency_sheet)
            fileio.write_atomic(
                sheet,
                render_emergency_sheet(vault_id, recovery_key, date.today(), self.args.language),
            )
            self.say()
            self.say(f"The emergency sheet (with the recovery key) is in {sheet}: print it, keep")
            self.say("the paper somewhere safe, then delete the file.")
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

    # -- invoicing ------------------------------------------------------------------------

    def with_session(self, action: Callable[[Session], int]) -> int:
        session = self.session()
        try:
            return action(session)
        finally:
            access.lock(session)

    def profile_set(self) -> int:
        profile = invoice_json.parse_seller(read_input_file(self.args.json), field="seller")

        def run(session: Session) -> int:
            invoicing.set_seller_profile(
                session, profile, accept_warnings=self.args.accept_warnings
            )
            self.say(f"Company profile saved: {profile.party.name}.")
            return EXIT_OK

        return self.with_session(run)

    def invoice_create(self) -> int:
        document = invoice_json.parse_document(read_input_file(self.args.json))

        def run(session: Session) -> int:
            self.say(
                str(
                    invoicing.create_draft(
                        session, document, accept_warnings=self.args.accept_warnings
                    )
                )
            )
            return EXIT_OK

        return self.with_session(run)

    def invoice_issue(self) -> int:
        return self.with_session(lambda s: self.say(invoicing.issue(s, self.args.id)) or EXIT_OK)

    def invoice_show(self) -> int:
        def run(session: Session) -> int:
            view = invoicing.show(session, self.args.number)
            self.say(json.dumps(view_to_json(view), ensure_ascii=False, indent=2))
            return EXIT_OK

        return self.with_session(run)

    def invoice_list(self) -> int:
        query = ListQuery(
            doc_type=None if self.args.type == "all" else self.args.type,
            status=self.args.status,
            search=self.args.search or "",
            limit=self.args.limit,
        )

        def run(session: Session) -> int:
            rows, _next = invoicing.list_documents(session, query)
            listed = [
                {
                    "number": r.number,
                    "id": r.id,
                    "type": r.type,
                    "status": r.status,
                    "issue_date": r.issue_date,
                    "due_date": r.due_date,
                    "buyer": r.buyer,
                    "currency": r.currency,
                    "total": money.format_plain(
                        money.from_minor(r.total_minor, r.currency), r.currency
                    ),
                    "due": money.format_plain(
                        money.from_minor(r.outstanding_minor, r.currency), r.currency
                    ),
                    "overdue": r.overdue,
                }
                for r in rows
            ]
            self.say(json.dumps({"invoices": listed}, ensure_ascii=False, indent=2))
            return EXIT_OK

        return self.with_session(run)

    def invoice_pay(self) -> int:
        amount = money.parse_decimal(self.args.amount, "amount")

        def run(session: Session) -> int:
            status = invoicing.record_payment(
                session, self.args.id, amount, self.args.date, self.args.method, self.args.reference
            )
            self.say(f"Payment recorded; the invoice is now {status.replace('_', ' ')}.")
            return EXIT_OK

        return self.with_session(run)

    def invoice_credit(self) -> int:
        def run(session: Session) -> int:
            self.say(str(invoicing.create_credit_note(session, self.args.id)))
            return EXIT_OK

        return self.with_session(run)

    def progress(self, unit: str) -> "Progress":
        """A progress line on stderr: on a terminal, or when --progress asks for it."""
        return Progress(
            self.secrets.err,
            unit,
            self.secrets.stdin.isatty() or getattr(self.args, "progress", False),
        )

    def demo(self) -> int:
        def run(session: Session) -> int:
            with self.progress("documents") as progress:
                summary = demo.fill(session, self.args.invoices, progress=progress)
            self.say(
                "Demo data: "
                + ", ".join(
                    _count(n, what)
                    for n, what in (
                        (summary.invoices, "invoice"),
                        (summary.credit_notes, "credit note"),
                        (summary.quotes, "quote"),
                        (summary.payments, "payment"),
                        (summary.clients, "client"),
                        (summary.templates, "recurring template"),
                    )
                )
                + "."
            )
            return EXIT_OK

        return self.with_session(run)

    # -- documents as files ----------------------------------------------------------------

    def write_file(self, content: bytes, what: str) -> int:
        out = Path(self.args.out)
        fileio.write_atomic(out, content)
        self.say(f"{what} written to {out} ({len(content):,} bytes).")
        return EXIT_OK

    def pdf(self) -> int:
        def run(session: Session) -> int:
            if self.args.format == "facturx":
                if self.args.password:
                    raise ValidationError(
                        "password: a Factur-X file stays unencrypted (PDF/A forbids encryption)"
                    )
                content = exports.export_facturx(session, self.args.number)
                return self.write_file(content, f"Factur-X of {self.args.number}")
            password = None
            if self.args.password:
                password = self.secrets.ask("Password for the PDF: ", confirm=True)
            content = exports.export_pdf(session, self.args.number, password=password)
            return self.write_file(content, f"PDF of {self.args.number}")

        return self.with_session(run)

    def ubl(self) -> int:
        def run(session: Session) -> int:
            content = exports.export_ubl(session, self.args.number, peppol=self.args.peppol)
            return self.write_file(content, f"UBL of {self.args.number}")

        return self.with_session(run)

    def export(self) -> int:
        formats = tuple(f.strip() for f in self.args.format.split(",") if f.strip())

        def run(session: Session) -> int:
            with self.progress("documents") as progress:
                written = exports.export_period(
                    session,
                    self.args.start,
                    self.args.end,
                    Path(self.args.dir),
                    formats,
                    progress=progress,
                )
            numbers = len({w.number for w in written})
            self.say(f"{len(written):,} files of {numbers:,} documents written to {self.args.dir}.")
            return EXIT_OK

        return self.with_session(run)

    def invoice_remind(self) -> int:
        def run(session: Session) -> int:
            fee = money.parse_decimal(self.args.fee, "fee")
            level = reminders.send_reminder(session, self.args.id, fee, self.args.date)
            number = invoicing.show(session, self.args.id).number or ""
            self.say(f"Reminder {level} recorded for {number}.")
            if self.args.out:
                return self.write_file(
                    exports.export_reminder(session, number, level), "Reminder PDF"
                )
            return EXIT_OK

        return self.with_session(run)

    # -- backups --------------------------------------------------------------------------

    def backup_create(self) -> int:
        def run(session: Session) -> int:
            with self.progress("bytes") as progress:
                made = backup.create_backup(
                    session, Path(self.args.to), keep=self.args.keep, progress=progress
                )
            if made.warning:
                self.note(f"Warning: {made.warning}")
            self.say(f"Backup written and verified: {made.path} ({made.size:,} bytes).")
            return EXIT_OK

        return self.with_session(run)

    def backup_status(self) -> int:
        def run(session: Session) -> int:
            self.say(backup.backup_status(session).message)
            return EXIT_OK

        return self.with_session(run)

    def backup_key(self) -> tuple[str | None, str | None]:
        """(passphrase, recovery key): the one the user chose with --recovery-key."""
        if self.args.recovery_key:
            return None, self.secrets.ask("Recovery key (AGE-SECRET-KEY-1...): ")
        return self.secrets.ask(f"Passphrase for {self.user}: "), None

    def backup_verify(self) -> int:
        passphrase, recovery_key = self.backup_key()
        with self.progress("bytes") as progress:
            report = backup.verify_backup(
                Path(self.args.file), passphrase, self.user, recovery_key, progress=progress
            )
        files = "1 file" if len(report.entries) == 1 else f"{len(report.entries)} files"
        self.say(
            f"The backup is intact: vault {report.vault_id[:8]}, made {report.created}, "
            f"{files}, audit log up to entry {report.audit_seq}."
        )
        return EXIT_OK

    def backup_restore(self) -> int:
        passphrase, recovery_key = self.backup_key()
        with self.progress("bytes") as progress:
            restored = backup.restore_backup(
                Path(self.args.file),
                self.data_dir,
                passphrase,
                self.user,
                recovery_key,
                progress=progress,
            )
        self.say(f"Restored into {restored.data_dir}.")
        if restored.previous:
            self.say(f"The vault that was there is kept at {restored.previous}.")
        return EXIT_OK


class Progress:
    """``done of total`` rewritten in place on stderr; a context manager ends the line."""

    def __init__(self, err: TextIO, unit: str, shown: bool) -> None:
        self.err, self.unit, self.shown, self.started = err, unit, shown, False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.started:
            print(file=self.err)

    def __call__(self, done: int, total: int) -> None:
        if self.shown:
            self.started = True
            print(f"\r{done:,} of {total:,} {self.unit}", end="", file=self.err, flush=True)


def read_input_file(path: str) -> bytes:
    """A JSON input file, or standard input for "-"; size-capped before reading it all."""
    if path == "-":
        return sys.stdin.buffer.read(invoice_json.MAX_DOCUMENT_BYTES + 1)
    try:
        with open(path, "rb") as f:
            return f.read(invoice_json.MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise ValidationError(f"--json: cannot read {path}: {exc.strerror}") from None


def view_to_json(view: DocumentView) -> dict[str, object]:
    """The invoice JSON of DESIGN.md section 4 plus number, status, totals and VAT breakdown."""
    currency = view.document.currency
    return {
        **invoice_json.document_to_json(view.document),
        "id": view.id,
        "number": view.number,
        "status": view.status,
        "overdue": view.overdue,
        "outstanding": money.format_plain(view.outstanding, currency),
        "totals": as_bt_dict(view.totals),
        "vat_breakdown": [
            {
                "category": b.category.value,
                "rate": None if b.rate is None else str(b.rate),
                "taxable": money.format_plain(b.taxable, currency),
                "tax": money.format_plain(b.tax, currency),
                **({"exemption_reason": b.exemption_reason} if b.exemption_reason else {}),
            }
            for b in view.totals.vat_breakdown
        ],
    }


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
    init.add_argument(
        "--emergency-sheet",
        metavar="FILE",
        help="also save the recovery key and how to restore as a PDF to print",
    )
    init.add_argument("--language", choices=LANGUAGES, default="en", help="of the sheet")

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

    profile = command("profile", None, "your company profile")  # type: ignore[arg-type]
    profile_cmds = profile.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    profile_set = command(
        "set", Cli.profile_set, "set name, address, VAT ID, IBAN, logo", profile_cmds
    )
    profile_set.add_argument("--json", required=True, metavar="FILE", help="a JSON file, or -")
    profile_set.add_argument(
        "--accept-warnings",
        action="store_true",
        help="keep a VAT ID or IBAN whose check digits look wrong",
    )

    invoice = command("invoice", None, "quotes, invoices and credit notes")  # type: ignore[arg-type]
    invoice_cmds = invoice.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    create = command(
        "create", Cli.invoice_create, "a draft from invoice JSON; prints its id", invoice_cmds
    )
    create.add_argument("--json", required=True, metavar="FILE", help="a JSON file, or -")
    create.add_argument(
        "--accept-warnings",
        action="store_true",
        help="keep a buyer VAT ID whose check digits look wrong",
    )
    issue = command("issue", Cli.invoice_issue, "issue a draft; prints its number", invoice_cmds)
    issue.add_argument("id", type=int)
    show = command("show", Cli.invoice_show, "a document with its totals, as JSON", invoice_cmds)
    show.add_argument("number")
    show.add_argument("--json", action="store_true", help="print JSON (the only format)")
    listing = command("list", Cli.invoice_list, "a page of documents, newest first", invoice_cmds)
    listing.add_argument(
        "--type", default="invoice", choices=("invoice", "credit_note", "quote", "all")
    )
    listing.add_argument(
        "--status",
        choices=(
            "draft",
            "issued",
            "partially_paid",
            "paid",
            "cancelled",
            "converted",
            "open",
            "overdue",
        ),
    )
    listing.add_argument("--search", help="words in the number, buyer or lines")
    listing.add_argument("--limit", type=int, default=50, help="rows (1-1000, default 50)")
    listing.add_argument("--json", action="store_true", help="print JSON (the only format)")
    pay = command("pay", Cli.invoice_pay, "record a payment against an invoice", invoice_cmds)
    pay.add_argument("id", type=int)
    pay.add_argument("--amount", required=True, help="e.g. 250.00")
    pay.add_argument("--date", type=_date_argument, default=date.today(), help="YYYY-MM-DD")
    pay.add_argument("--method", default="bank_transfer", choices=invoicing.PAYMENT_METHODS)
    pay.add_argument("--reference", default="", help="e.g. the bank statement line")
    credit = command(
        "credit", Cli.invoice_credit, "a credit note draft for a whole invoice", invoice_cmds
    )
    credit.add_argument("id", type=int, help="the id of the issued invoice")
    remind = command(
        "remind", Cli.invoice_remind, "record the next payment reminder (1-3)", invoice_cmds
    )
    remind.add_argument("id", type=int, help="the id of the overdue invoice")
    remind.add_argument("--fee", default="0", help="a reminder fee, e.g. 5.00 (default none)")
    remind.add_argument("--date", type=_date_argument, default=date.today(), help="YYYY-MM-DD")
    remind.add_argument("--out", metavar="FILE", help="also save the reminder as PDF")

    fill = command("demo", Cli.demo, "fill an empty vault with realistic sample data")
    fill.add_argument("--invoices", type=int, default=500, help="how many (default 500)")
    fill.add_argument("--progress", action="store_true", help="show progress on stderr")

    backups = command("backup", None, "encrypted backups (age format)")  # type: ignore[arg-type]
    backup_cmds = backups.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    make = command(
        "create", Cli.backup_create, "write a verified backup into a folder", backup_cmds
    )
    make.add_argument("--to", required=True, metavar="DIR", help="best on another drive")
    make.add_argument(
        "--keep",
        type=int,
        default=10,
        help="how many backups of this vault to keep there (default 10)",
    )
    command("status", Cli.backup_status, "when the last verified backup was made", backup_cmds)
    check = command(
        "verify", Cli.backup_verify, "decrypt and check every part of a backup", backup_cmds
    )
    check.add_argument("file")
    check.add_argument(
        "--recovery-key",
        action="store_true",
        help="ask for the recovery key instead of a passphrase",
    )
    bring = command(
        "restore",
        Cli.backup_restore,
        "put a backup in place of the vault (the old one is kept aside)",
        backup_cmds,
    )
    bring.add_argument("file")
    bring.add_argument(
        "--recovery-key",
        action="store_true",
        help="ask for the recovery key instead of a passphrase",
    )

    for sub in (make, check, bring):
        sub.add_argument("--progress", action="store_true", help="show progress on stderr")

    pdf = command("pdf", Cli.pdf, "save an issued document as PDF or Factur-X")
    pdf.add_argument("number", help="the document number, e.g. INV-2026-0042")
    pdf.add_argument("--out", required=True, metavar="FILE")
    pdf.add_argument(
        "--format",
        choices=("pdf", "facturx"),
        default="pdf",
        help="pdf (as issued, default) or facturx (PDF/A-3 with the CII XML inside)",
    )
    pdf.add_argument(
        "--password",
        action="store_true",
        help="ask for a password and encrypt the PDF with it (AES-256), for e-mail",
    )
    ubl_cmd = command("ubl", Cli.ubl, "save an issued invoice or credit note as UBL 2.1 XML")
    ubl_cmd.add_argument("number")
    ubl_cmd.add_argument("--out", required=True, metavar="FILE")
    ubl_cmd.add_argument("--peppol", action="store_true", help="Peppol BIS Billing 3.0")
    batch = command("export", Cli.export, "save every invoice and credit note of a period")
    batch.add_argument("--from", dest="start", required=True, type=_date_argument)
    batch.add_argument("--to", dest="end", required=True, type=_date_argument)
    batch.add_argument("--dir", required=True, help="an existing folder")
    batch.add_argument(
        "--format", default="pdf", help="pdf, facturx, ubl, or several: pdf,ubl (default pdf)"
    )
    batch.add_argument("--progress", action="store_true", help="show progress on stderr")

    key = command("key", None, "the database key")  # type: ignore[arg-type]
    key_cmds = key.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    command("rotate", Cli.key_rotate, "re-encrypt the database under a new random key", key_cmds)
    return parser


def _count(n: int, thing: str) -> str:
    """``1 credit note``, ``2 credit notes``."""
    return f"{n:,} {thing}" if n == 1 else f"{n:,} {thing}s"


def _date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a date like 2026-11-25") from None


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
    except NeedsConfirmation as exc:
        print(f"invoicevault: {exc} (run again with --accept-warnings)", file=stderr)
        return EXIT_ERROR
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
