"""The real ``invoicevault`` program, driven through pipes like a script would."""

import json
import re

import pytest
from support import OTHER_PASSPHRASE, PASSPHRASE, run_cli

from app import __version__


def init(data_dir, *extra):
    return run_cli(
        "--data-dir", str(data_dir), "init", "--kdf", "minimum", *extra, stdin=PASSPHRASE + "\n"
    )


def assert_one_line_error(result, text):
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"InvoiceVault {__version__}"


def test_init_then_audit_verify_from_a_pipe(tmp_path):
    data_dir = tmp_path / "fresh"
    created = init(data_dir)
    assert created.returncode == 0, created.stderr
    keys = re.findall(r"AGE-SECRET-KEY-1[0-9A-Z]{58}", created.stdout)
    assert len(keys) == 1 and "shown only this once" in created.stdout
    assert (data_dir / "vault.json").exists()
    verified = run_cli("--data-dir", str(data_dir), "audit", "verify", stdin=PASSPHRASE + "\n")
    assert verified.returncode == 0, verified.stderr
    assert "intact: 1 entry" in verified.stdout


def test_wrong_passphrase_is_one_line_and_nothing_from_sqlcipher(tmp_path):
    init(tmp_path / "v")
    result = run_cli(
        "--data-dir", str(tmp_path / "v"), "audit", "verify", stdin=OTHER_PASSPHRASE + "\n"
    )
    assert_one_line_error(result, "invoicevault: Wrong passphrase for owner.")


def test_vault_json_of_another_vault_gives_a_typed_error_and_a_silent_sqlcipher(tmp_path):
    init(tmp_path / "a")
    init(tmp_path / "b")
    (tmp_path / "a" / "vault.json").write_bytes((tmp_path / "b" / "vault.json").read_bytes())
    result = run_cli("--data-dir", str(tmp_path / "a"), "audit", "verify", stdin=PASSPHRASE + "\n")
    assert_one_line_error(result, "could not be decrypted with this key")


def test_unknown_vault_version_is_one_clear_line(tmp_path):
    init(tmp_path / "v")
    path = tmp_path / "v" / "vault.json"
    doc = json.loads(path.read_text())
    doc["version"] = 3
    path.write_text(json.dumps(doc))
    result = run_cli("--data-dir", str(tmp_path / "v"), "audit", "verify", stdin=PASSPHRASE + "\n")
    assert_one_line_error(result, "format version 3")


def test_weak_passphrase_at_init_is_refused_with_a_reason(tmp_path):
    result = run_cli(
        "--data-dir", str(tmp_path / "v"), "init", "--kdf", "minimum", stdin="password123\n"
    )
    assert_one_line_error(result, "too weak")
    assert not (tmp_path / "v").exists()


def test_missing_secret_on_stdin_is_explained(tmp_path):
    result = run_cli("--data-dir", str(tmp_path / "v"), "init", "--kdf", "minimum", stdin="")
    assert_one_line_error(result, "expected one line on standard input")


def test_no_vault_says_how_to_make_one(tmp_path):
    result = run_cli("--data-dir", str(tmp_path / "none"), "audit", "verify", stdin="x\n")
    assert_one_line_error(result, "invoicevault init")


def test_there_is_no_way_to_pass_a_secret_as_an_argument(tmp_path):
    for flag in ("--passphrase", "--password", "--key"):
        result = run_cli("--data-dir", str(tmp_path), flag, "x", "init")
        assert result.returncode == 2


def test_passphrase_change_and_reset_with_the_recovery_key(tmp_path):
    data_dir = str(tmp_path / "v")
    created = init(tmp_path / "v")
    recovery_key = re.search(r"AGE-SECRET-KEY-1\S+", created.stdout).group(0)
    changed = run_cli(
        "--data-dir",
        data_dir,
        "passphrase",
        "change",
        stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n{OTHER_PASSPHRASE}\n",
    )
    assert changed.returncode == 0 and "Passphrase changed." in changed.stdout, changed.stderr
    reset = run_cli(
        "--data-dir", data_dir, "passphrase", "reset", stdin=f"{recovery_key}\n{PASSPHRASE}\n"
    )
    assert reset.returncode == 0, reset.stderr
    verified = run_cli("--data-dir", data_dir, "audit", "verify", stdin=PASSPHRASE + "\n")
    assert verified.returncode == 0 and "intact: 3 entries" in verified.stdout


def test_key_rotate(tmp_path):
    init(tmp_path / "v")
    rotated = run_cli(
        "--data-dir", str(tmp_path / "v"), "key", "rotate", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert rotated.returncode == 0, rotated.stderr
    verified = run_cli(
        "--data-dir", str(tmp_path / "v"), "audit", "verify", stdin=PASSPHRASE + "\n"
    )
    assert "intact: 2 entries" in verified.stdout


def test_keyring_commands_without_a_keyring_explain_and_change_nothing(tmp_path):
    init(tmp_path / "v")
    before = (tmp_path / "v" / "vault.json").read_bytes()
    remember = run_cli(
        "--data-dir", str(tmp_path / "v"), "keyring", "remember", stdin=PASSPHRASE + "\n"
    )
    assert_one_line_error(remember, "no OS keyring is available")
    assert (tmp_path / "v" / "vault.json").read_bytes() == before
    status = run_cli("--data-dir", str(tmp_path / "v"), "keyring", "status", "--json")
    assert json.loads(status.stdout) == {
        "user": "owner",
        "remembered_until": None,
        "backend": "fail.Keyring",
    }


@pytest.mark.usefixtures("secret_service")
def test_keyring_remember_status_forget_with_the_secret_service(tmp_path):
    real = {"PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}
    data_dir = str(tmp_path / "v")
    init(tmp_path / "v")
    remembered = run_cli(
        "--data-dir",
        data_dir,
        "keyring",
        "remember",
        "--days",
        "3",
        stdin=PASSPHRASE + "\n",
        env=real,
    )
    assert remembered.returncode == 0, remembered.stderr
    # no passphrase on stdin at all: the keyring opens the vault
    verified = run_cli("--data-dir", data_dir, "audit", "verify", stdin="", env=real)
    assert verified.returncode == 0 and "intact: 2 entries" in verified.stdout, verified.stderr
    status = json.loads(
        run_cli("--data-dir", data_dir, "keyring", "status", "--json", env=real).stdout
    )
    assert status["remembered_until"] and status["backend"] == "SecretService.Keyring"
    forgot = run_cli("--data-dir", data_dir, "keyring", "forget", env=real)
    assert forgot.stdout.strip() == "Forgotten on this laptop."
    again = run_cli("--data-dir", data_dir, "audit", "verify", stdin="", env=real)
    assert_one_line_error(again, "expected one line on standard input")
