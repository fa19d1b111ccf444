"""`backup create / verify / restore` through the real program, secrets through pipes."""

import re

from support import OTHER_PASSPHRASE, PASSPHRASE, run_cli


def test_backup_to_another_folder_then_restore_on_a_fresh_laptop(tmp_path):
    vault, drive, laptop = tmp_path / "vault", tmp_path / "usb", tmp_path / "new-laptop"
    created = run_cli("--data-dir", str(vault), "init", "--kdf", "minimum", stdin=PASSPHRASE + "\n")
    recovery_key = re.search(r"AGE-SECRET-KEY-1\S+", created.stdout).group(0)
    drive.mkdir()
    made = run_cli(
        "--data-dir", str(vault), "backup", "create", "--to", str(drive), stdin=PASSPHRASE + "\n"
    )
    assert made.returncode == 0, made.stderr
    assert "same drive" in made.stderr  # tmp_path is one filesystem: the warning must show
    (backup,) = drive.glob("*.ivbak")
    verified = run_cli("backup", "verify", str(backup), stdin=PASSPHRASE + "\n")
    assert verified.returncode == 0 and "The backup is intact" in verified.stdout
    wrong = run_cli("backup", "verify", str(backup), stdin=OTHER_PASSPHRASE + "\n")
    assert wrong.returncode == 1 and "does not open this backup" in wrong.stderr
    restored = run_cli(
        "--data-dir",
        str(laptop),
        "backup",
        "restore",
        str(backup),
        "--recovery-key",
        stdin=recovery_key + "\n",
    )
    assert restored.returncode == 0, restored.stderr
    audit = run_cli("--data-dir", str(laptop), "audit", "verify", stdin=PASSPHRASE + "\n")
    assert audit.returncode == 0 and "intact: 2 entries" in audit.stdout  # + backup.restored


def test_a_damaged_backup_is_refused_in_one_line(tmp_path):
    vault = tmp_path / "vault"
    run_cli("--data-dir", str(vault), "init", "--kdf", "minimum", stdin=PASSPHRASE + "\n")
    run_cli(
        "--data-dir", str(vault), "backup", "create", "--to", str(tmp_path), stdin=PASSPHRASE + "\n"
    )
    (backup,) = tmp_path.glob("*.ivbak")
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    backup.write_bytes(bytes(data))
    result = run_cli("backup", "verify", str(backup), stdin=PASSPHRASE + "\n")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
