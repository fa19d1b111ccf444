"""`profile set`, `invoice create/issue/show/list/pay/credit` through the real program."""

import json

import pytest
from support import PASSPHRASE, run_cli

SELLER = {
    "name": "Anna Schmidt Design",
    "street": "Lindenweg 3",
    "city": "Hamburg",
    "postcode": "20095",
    "country": "DE",
    "vat_id": "DE136695976",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "COBADEFFXXX",
}
INVOICE = {
    "type": "invoice",
    "currency": "EUR",
    "issue_date": "2026-11-01",
    "due_date": "2026-12-01",
    "buyer": {
        "name": "Müller & Söhne GmbH",
        "vat_id": "DE811907980",
        "street": "Hauptstraße 5",
        "city": "Berlin",
        "postcode": "10115",
        "country": "DE",
    },
    "lines": [
        {
            "description": "Consulting",
            "quantity": "10",
            "unit": "HUR",
            "net_price": "120.00",
            "vat_category": "S",
            "vat_rate": "19",
        },
        {
            "description": "Export crate",
            "quantity": "1",
            "unit": "C62",
            "net_price": "200.00",
            "vat_category": "S",
            "vat_rate": "7",
            "charges": [{"amount": "20.00", "reason": "Packing"}],
        },
    ],
    "allowances": [
        {"amount": "100.00", "reason": "Early booking", "vat_category": "S", "vat_rate": "19"}
    ],
    "prepaid": "50.00",
}


@pytest.fixture
def vault(tmp_path):
    data_dir = tmp_path / "v"
    assert (
        run_cli(
            "--data-dir", str(data_dir), "init", "--kdf", "minimum", stdin=PASSPHRASE + "\n"
        ).returncode
        == 0
    )
    return data_dir


def cli(vault, *args, stdin=PASSPHRASE + "\n"):
    return run_cli("--data-dir", str(vault), *args, stdin=stdin)


def write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return str(path)


def test_the_whole_journey(vault, tmp_path):
    assert cli(vault, "profile", "set", "--json", write(tmp_path, "s.json", SELLER)).returncode == 0
    created = cli(vault, "invoice", "create", "--json", write(tmp_path, "i.json", INVOICE))
    assert created.returncode == 0, created.stderr
    draft_id = created.stdout.strip()
    assert draft_id.isdigit()
    issued = cli(vault, "invoice", "issue", draft_id)
    assert issued.stdout.strip() == "INV-2026-0001", issued.stderr
    shown = json.loads(cli(vault, "invoice", "show", "INV-2026-0001", "--json").stdout)
    assert shown["number"] == "INV-2026-0001" and shown["status"] == "issued"
    # 1200 + 220 - 100 = 1320 net; VAT 19% of 1100 = 209.00, 7% of 220 = 15.40
    assert shown["totals"] == {
        "BT-106": "1420.00",
        "BT-107": "100.00",
        "BT-108": "0.00",
        "BT-109": "1320.00",
        "BT-110": "224.40",
        "BT-112": "1544.40",
        "BT-113": "50.00",
        "BT-114": "0.00",
        "BT-115": "1494.40",
    }
    assert shown["vat_breakdown"] == [
        {"category": "S", "rate": "19", "taxable": "1100.00", "tax": "209.00"},
        {"category": "S", "rate": "7", "taxable": "220.00", "tax": "15.40"},
    ]
    assert cli(vault, "invoice", "pay", draft_id, "--amount", "494.40").returncode == 0
    listed = json.loads(cli(vault, "invoice", "list", "--json").stdout)["invoices"]
    assert listed == [
        {
            "number": "INV-2026-0001",
            "id": int(draft_id),
            "type": "invoice",
            "status": "partially_paid",
            "issue_date": "2026-11-01",
            "due_date": "2026-12-01",
            "buyer": "Müller & Söhne GmbH",
            "currency": "EUR",
            "total": "1544.40",
            "due": "1000.00",
            "overdue": listed[0]["overdue"],
        }
    ]
    found = json.loads(cli(vault, "invoice", "list", "--search", "muller", "--json").stdout)
    assert [r["number"] for r in found["invoices"]] == ["INV-2026-0001"]
    credit = cli(vault, "invoice", "credit", draft_id)
    assert credit.returncode == 0
    assert cli(vault, "invoice", "issue", credit.stdout.strip()).stdout.strip() == "CN-2026-0001"
    verified = cli(vault, "audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        ({**INVOICE, "currency": "XXY"}, "currency"),
        ({**INVOICE, "lines": [{**INVOICE["lines"][0], "unit": "BANANA"}]}, "lines[0].unit"),
        ({**INVOICE, "lines": [{**INVOICE["lines"][0], "vat_category": "Z"}]}, "lines[0].vat_rate"),
        ({**INVOICE, "lines": [{**INVOICE["lines"][0], "quantity": 10}]}, "lines[0].quantity"),
        (
            {**INVOICE, "lines": [{**INVOICE["lines"][0], "net_price": "-5.00"}]},
            "lines[0].net_price",
        ),
        ({**INVOICE, "surprise": True}, "surprise"),
        ({**INVOICE, "lines": [INVOICE["lines"][0]] * 20_000}, "lines"),
        ({**INVOICE, "lines": [INVOICE["lines"][0]] * 100_000}, "too large"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(
    vault, tmp_path, document, message
):
    result = cli(vault, "invoice", "create", "--json", write(tmp_path, "bad.json", document))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    listed = json.loads(cli(vault, "invoice", "list", "--type", "all", "--json").stdout)
    assert listed == {"invoices": []}


def test_a_doubtful_vat_id_asks_for_confirmation(vault, tmp_path):
    doubtful = {**INVOICE, "buyer": {**INVOICE["buyer"], "vat_id": "DE811907981"}}
    path = write(tmp_path, "d.json", doubtful)
    asked = cli(vault, "invoice", "create", "--json", path)
    assert asked.returncode == 1 and "--accept-warnings" in asked.stderr
    accepted = cli(vault, "invoice", "create", "--json", path, "--accept-warnings")
    assert accepted.returncode == 0 and accepted.stdout.strip().isdigit()


def test_unknown_number_and_missing_file_are_clear(vault, tmp_path):
    missing = cli(vault, "invoice", "show", "INV-1999-0001", "--json")
    assert "no document numbered 'INV-1999-0001'" in missing.stderr
    nofile = cli(vault, "invoice", "create", "--json", str(tmp_path / "nope.json"))
    assert nofile.returncode == 1 and "cannot read" in nofile.stderr
