"""`pdf`, `ubl`, `export`, `invoice remind --out`, `init --emergency-sheet`: as a user runs them."""

import io
import json
import re
import stat
import subprocess

import facturx as facturx_lib
import pikepdf
import pytest
from lxml import etree
from support import PASSPHRASE, run_cli
from test_cli_invoicing import INVOICE, SELLER


def _text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def vault(tmp_path):
    """A vault with one issued invoice INV-2026-0001 (its draft id is 1)."""
    data_dir = tmp_path / "v"
    run = run_cli("--data-dir", str(data_dir), "init", "--kdf", "minimum", stdin=PASSPHRASE + "\n")
    assert run.returncode == 0, run.stderr
    for name, doc in (("s.json", SELLER), ("i.json", INVOICE)):
        (tmp_path / name).write_text(json.dumps(doc))
    assert cli(data_dir, "profile", "set", "--json", str(tmp_path / "s.json")).returncode == 0
    assert cli(data_dir, "invoice", "create", "--json", str(tmp_path / "i.json")).returncode == 0
    assert cli(data_dir, "invoice", "issue", "1").stdout.strip() == "INV-2026-0001"
    return data_dir


def cli(vault, *args, stdin=PASSPHRASE + "\n"):
    return run_cli("--data-dir", str(vault), *args, stdin=stdin)


def test_pdf_facturx_and_ubl_files(vault, tmp_path):
    out = tmp_path / "inv.pdf"
    run = cli(vault, "pdf", "INV-2026-0001", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "INV-2026-0001" in _text(out) and "Müller & Söhne GmbH" in _text(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    fx = tmp_path / "inv.facturx.pdf"
    assert (
        cli(vault, "pdf", "INV-2026-0001", "--out", str(fx), "--format", "facturx").returncode == 0
    )
    filename, xml = facturx_lib.get_facturx_xml_from_pdf(fx.read_bytes(), check_xsd=True)
    assert filename == "factur-x.xml" and b"INV-2026-0001" in xml

    xml_out = tmp_path / "inv.xml"
    assert cli(vault, "ubl", "INV-2026-0001", "--out", str(xml_out)).returncode == 0
    root = etree.parse(str(xml_out)).getroot()
    assert root.findtext("{*}ID") == "INV-2026-0001"
    assert root.findtext("{*}LegalMonetaryTotal/{*}PayableAmount") == "1494.40"


def test_pdf_password_is_asked_twice_never_taken_from_arguments(vault, tmp_path):
    out = tmp_path / "locked.pdf"
    run = cli(
        vault,
        "pdf",
        "INV-2026-0001",
        "--out",
        str(out),
        "--password",
        stdin=f"{PASSPHRASE}\nsend-me-by-phone\n",
    )
    assert run.returncode == 0, run.stderr
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out)
    pikepdf.open(io.BytesIO(out.read_bytes()), password="send-me-by-phone").close()
    run = cli(vault, "pdf", "INV-2026-0001", "--out", str(out), "--format", "facturx", "--password")
    assert run.returncode == 1 and "PDF/A forbids encryption" in run.stderr


def test_unknown_numbers_and_quotes_give_one_line(vault, tmp_path):
    run = cli(vault, "ubl", "NOPE-1", "--out", str(tmp_path / "x.xml"))
    assert run.returncode == 1
    assert run.stderr.strip() == "invoicevault: There is no document numbered 'NOPE-1'"
    assert not (tmp_path / "x.xml").exists()


def test_export_a_period_with_progress(vault, tmp_path):
    folder = tmp_path / "2026-11"
    folder.mkdir()
    run = cli(
        vault,
        "export",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--dir",
        str(folder),
        "--format",
        "pdf,ubl",
        "--progress",
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["INV-2026-0001.pdf", "INV-2026-0001.xml"]
    assert "1 of 1 documents" in run.stderr
    assert "2 files of 1 documents" in run.stdout
    bad = cli(vault, "export", "--from", "2026-11-30", "--to", "2026-11-01", "--dir", str(folder))
    assert bad.returncode == 1 and "ends before it starts" in bad.stderr


def test_remind_records_the_level_and_saves_the_pdf(vault, tmp_path):
    out = tmp_path / "reminder.pdf"
    run = cli(
        vault, "invoice", "remind", "1", "--fee", "5.00", "--date", "2027-01-10", "--out", str(out)
    )
    assert run.returncode == 0, run.stderr
    assert "Reminder 1 recorded for INV-2026-0001" in run.stdout
    assert "INV-2026-0001" in _text(out)


def test_init_saves_the_emergency_sheet_with_the_key_it_printed(tmp_path):
    sheet = tmp_path / "sheet.pdf"
    run = run_cli(
        "--data-dir",
        str(tmp_path / "v"),
        "init",
        "--kdf",
        "minimum",
        "--emergency-sheet",
        str(sheet),
        "--language",
        "de",
        stdin=PASSPHRASE + "\n",
    )
    assert run.returncode == 0, run.stderr
    (key,) = re.findall(r"AGE-SECRET-KEY-1[0-9A-Z]+", run.stdout)
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    text = re.sub(r"\s+", "", _text(sheet))
    assert key in text  # the groups on paper join to the key that was printed
    assert "age-d-i" in text  # how to open a backup without this application
