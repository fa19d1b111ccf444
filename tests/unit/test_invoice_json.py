"""The invoice JSON of DESIGN.md §4: strict parsing of untrusted bytes, and the round trip."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import invoice_json, totals
from app.domain.invoice_json import SellerProfile
from app.domain.model import (
    AllowanceCharge,
    Document,
    DocumentType,
    Line,
    Party,
    VatCategory,
)
from app.errors import ValidationError

D = Decimal

# DESIGN.md §4's example with its "..." filled in
DESIGN_EXAMPLE = """
{"type": "invoice", "currency": "EUR",
 "issue_date": "2026-11-01", "due_date": "2026-12-01",
 "buyer_reference": "BR-77", "order_reference": "PO-2026-118", "note": "Thank you",
 "payment_terms": "30 days net",
 "buyer": {"name": "Acme GmbH", "vat_id": "DE136695976", "street": "Hauptstr. 1",
           "city": "Berlin", "postcode": "10115", "country": "DE", "email": "ap@acme.example"},
 "lines": [{"description": "Widgets", "quantity": "1000", "unit": "C62",
            "net_price": "1.00", "gross_price": "1.10", "price_base_quantity": "1",
            "allowances": [{"amount": "100.00", "reason": "Volume discount"}],
            "charges":    [{"amount": "100.00", "reason": "Packing"}],
            "vat_category": "S", "vat_rate": "25", "exemption_reason": ""}],
 "allowances": [{"amount": "150.00", "reason": "Loyalty", "vat_category": "S", "vat_rate": "25"}],
 "charges":    [{"amount": "150.00", "reason": "Freight", "vat_category": "S", "vat_rate": "25"}],
 "prepaid": "0.00", "rounding_amount": "0.00"}
"""


def example() -> dict:
    return json.loads(DESIGN_EXAMPLE)


def parse(data: object) -> Document:
    text = data if isinstance(data, str | bytes) else json.dumps(data)
    return invoice_json.parse_document(text)


def refusal(data: object) -> str:
    with pytest.raises(ValidationError) as caught:
        parse(data)
    return str(caught.value)


def test_design_example_parses():
    document = parse(DESIGN_EXAMPLE)
    assert document.type is DocumentType.INVOICE
    assert document.currency == "EUR"
    assert document.issue_date == date(2026, 11, 1)
    assert document.due_date == date(2026, 12, 1)
    assert document.buyer == Party(
        name="Acme GmbH",
        vat_id="DE136695976",
        street="Hauptstr. 1",
        city="Berlin",
        postcode="10115",
        country="DE",
        email="ap@acme.example",
    )
    (line,) = document.lines
    assert line.quantity == D(1000) and line.net_price == D("1.00")
    assert line.gross_price == D("1.10") and line.price_base_quantity == 1
    assert line.vat_category is VatCategory.STANDARD and line.vat_rate == 25
    assert line.allowances == (AllowanceCharge(amount=D("100.00"), reason="Volume discount"),)
    assert document.allowances[0].vat_category is VatCategory.STANDARD
    assert totals.as_bt_dict(totals.compute(document))["BT-115"] == "1250.00"


def test_bytes_with_a_bom_and_str_both_parse():
    assert (
        parse(DESIGN_EXAMPLE.encode())
        == parse("\ufeff" + DESIGN_EXAMPLE)
        == parse(b"\xef\xbb\xbf" + DESIGN_EXAMPLE.encode())
    )


def test_optional_fields_may_be_left_out_or_null():
    minimal = {
        "type": "invoice",
        "currency": "EUR",
        "issue_date": "2026-11-01",
        "due_date": None,
        "buyer": {"name": "A", "country": "FR", "email": None},
        "lines": [
            {
                "description": "x",
                "quantity": "1",
                "unit": "C62",
                "net_price": "5",
                "vat_category": "S",
                "vat_rate": "20",
                "gross_price": None,
            }
        ],
    }
    document = parse(minimal)
    assert document.due_date is None
    assert document.prepaid == 0 and str(document.prepaid) == "0.00"
    assert document.lines[0].price_base_quantity == 1
    assert document.lines[0].gross_price is None


# --------------------------------------------------------------------------- refusals


def with_change(path: tuple, value: object) -> dict:
    data = example()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()
#: An intra-community supply of goods with what BR-IC-11 and BR-IC-12 ask for.
K_SAMPLE = {
    "delivery_date": "2026-10-28",
    "deliver_to_country": "AT",
    "buyer": {"name": "Gruber Holzbau GmbH", "country": "AT", "vat_id": "ATU13585627"},
    "allowances": [],
    "charges": [],
    "lines": [
        {
            "description": "Art print A2, framed",
            "quantity": "4",
            "unit": "H87",
            "net_price": "145.00",
            "vat_category": "K",
            "vat_rate": "0",
            "exemption_reason": "Intra-community supply",
            "exemption_code": "VATEX-EU-IC",
        }
    ],
}
FOUR_LINES = {
    **example(),
    "lines": example()["lines"] * 3 + [{**example()["lines"][0], "vat": "7"}],
}

BAD = {
    # not JSON
    "not json": (b"invoice please", "not valid JSON: Expecting value (line 1, column 1)"),
    "empty": (b"", "not valid JSON: Expecting value"),
    "truncated": (DESIGN_EXAMPLE[:200], "not valid JSON: "),
    "not UTF-8": (b'{"type": "\xff"}', "not valid JSON: the bytes are not UTF-8 text (at byte 10)"),
    "UTF-16": (DESIGN_EXAMPLE.encode("utf-16"), "not valid JSON: the bytes are not UTF-8 text"),
    "NaN": ('{"prepaid": NaN}', "not valid JSON: NaN is not allowed"),
    "Infinity": ('{"prepaid": -Infinity}', "not valid JSON: -Infinity is not allowed"),
    "duplicate key": (
        '{"currency": "EUR", "currency": "USD"}',
        "not valid JSON: the field 'currency' appears twice in one object",
    ),
    "nested duplicate key": (
        '{"buyer": {"name": "a", "name": "b"}}',
        "not valid JSON: the field 'name' appears twice",
    ),
    "deeply nested": ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    "a list": ([], "document: must be a JSON object, not a list"),
    "a string": ('"invoice"', "document: must be a JSON object, not text"),
    "a number": ("12", "document: must be a JSON object, not a number"),
    # unknown fields
    "unknown top field": ({**example(), "vat": "7"}, "document: unknown field 'vat'"),
    "unknown line field": (FOUR_LINES, "lines[3]: unknown field 'vat'"),
    "unknown buyer field": (with_change(("buyer", "fax"), "1"), "buyer: unknown field 'fax'"),
    "unknown allowance field": (
        with_change(("lines", 0, "allowances", 0, "vat_category"), "S"),
        "lines[0].allowances[0]: unknown field 'vat_category'",
    ),
    "unknown document charge field": (
        with_change(("charges", 0, "percent"), "5"),
        "charges[0]: unknown field 'percent'",
    ),
    # required fields
    "no type": (with_change(("type",), DELETE), "type: is required"),
    "no currency": (with_change(("currency",), DELETE), "currency: is required"),
    "null issue date": (with_change(("issue_date",), None), "issue_date: is required"),
    "no lines": (with_change(("lines",), DELETE), "lines: is required"),
    "empty lines": (with_change(("lines",), []), "lines: a document needs at least one line"),
    "no buyer name": (with_change(("buyer", "name"), DELETE), "buyer.name: is required"),
    "no quantity": (
        with_change(("lines", 0, "quantity"), DELETE),
        "lines[0].quantity: is required",
    ),
    "no category": (
        with_change(("allowances", 0, "vat_category"), DELETE),
        "allowances[0].vat_category: is required",
    ),
    # wrong types
    "type": (with_change(("type",), "bill"), "type: must be 'invoice' or 'credit_note' or 'quote'"),
    "type number": (with_change(("type",), 380), "type: must be"),
    "quantity number": (
        with_change(("lines", 0, "quantity"), 12.5),
        'lines[0].quantity: must be a decimal number written as a string, like "12.50"',
    ),
    "quantity integer": (
        with_change(("lines", 0, "quantity"), 1000),
        "lines[0].quantity: must be a decimal number written as a string",
    ),
    "price bool": (
        with_change(("lines", 0, "net_price"), True),
        "lines[0].net_price: must be a decimal number written as a string",
    ),
    "amount number": (
        with_change(("allowances", 0, "amount"), 150),
        "allowances[0].amount: must be a decimal number written as a string",
    ),
    "rate number": (
        with_change(("lines", 0, "vat_rate"), 25),
        "lines[0].vat_rate: must be a decimal number written as a string",
    ),
    "quantity with comma": (
        with_change(("lines", 0, "quantity"), "1,5"),
        "lines[0].quantity: '1,5' is not a decimal number",
    ),
    "quantity with exponent": (
        with_change(("lines", 0, "quantity"), "1e3"),
        "lines[0].quantity: '1e3' is not a decimal number",
    ),
    "description number": (
        with_change(("lines", 0, "description"), 7),
        "lines[0].description: must be text, not a number",
    ),
    "note list": (with_change(("note",), ["a"]), "note: must be text, not a list"),
    "unit null": (with_change(("lines", 0, "unit"), None), "lines[0].unit: is required"),
    "unit number": (
        with_change(("lines", 0, "unit"), 62),
        "lines[0].unit: must be text, not a number",
    ),
    "lines object": (with_change(("lines",), {"0": {}}), "lines: must be a list, not an object"),
    "line string": (with_change(("lines", 0), "x"), "lines[0]: must be a JSON object, not text"),
    "buyer string": (with_change(("buyer",), "Acme"), "buyer: must be a JSON object, not text"),
    "allowances object": (
        with_change(("allowances",), {}),
        "allowances: must be a list, not an object",
    ),
    "category": (
        with_change(("lines", 0, "vat_category"), "X"),
        "lines[0].vat_category: must be one of the VAT categories S, Z, E, AE, K, G, O, L, M",
    ),
    "category lower case": (
        with_change(("lines", 0, "vat_category"), "s"),
        "lines[0].vat_category: must be one of the VAT categories",
    ),
    # dates
    "date format": (
        with_change(("issue_date",), "01.11.2026"),
        'issue_date: must be a date written as "YYYY-MM-DD", like "2026-11-01"',
    ),
    "date compact": (with_change(("issue_date",), "20261101"), "issue_date: must be a date"),
    "date week": (with_change(("issue_date",), "2026-W44-1"), "issue_date: must be a date"),
    "date with time": (
        with_change(("due_date",), "2026-12-01T00:00:00"),
        "due_date: must be a date written as",
    ),
    "date impossible": (
        with_change(("due_date",), "2026-02-30"),
        "due_date: '2026-02-30' is not a real date",
    ),
    "due before issue": (
        with_change(("due_date",), "2026-10-01"),
        "due_date: must not be before the issue date (2026-11-01)",
    ),
    # amounts
    "negative document allowance": (
        with_change(("allowances", 0, "amount"), "-150.00"),
        "allowances[0].amount: must be greater than 0",
    ),
    "negative prepaid": (with_change(("prepaid",), "-1.00"), "prepaid: must not be negative"),
    "negative quantity": (
        with_change(("lines", 0, "quantity"), "-1"),
        "lines[0].quantity: must be greater than 0",
    ),
    "negative price": (
        with_change(("lines", 0, "net_price"), "-1.00"),
        "lines[0].net_price: must be at least 0",
    ),
    "absurd quantity": (
        with_change(("lines", 0, "quantity"), "1" + "0" * 20),
        "lines[0].quantity: the number is too large (more than 15 digits)",
    ),
    "absurd amount": (
        with_change(("charges", 0, "amount"), "9" * 16 + ".00"),
        "charges[0].amount: the number is too large",
    ),
    "absurd string": (
        with_change(("prepaid",), "1" * 10_000),
        "prepaid: the number is too long (10000 characters)",
    ),
    "amount below the cent": (
        with_change(("lines", 0, "charges", 0, "amount"), "1.005"),
        "lines[0].charges[0].amount: at most 2 decimals are allowed, '1.005' has 3",
    ),
    "rate with three decimals": (
        with_change(("lines", 0, "vat_rate"), "25.125"),
        "lines[0].vat_rate: at most 2 decimals are allowed",
    ),
    # code lists and categories
    "unknown currency": (
        with_change(("currency",), "XYZ"),
        "currency: 'XYZ' is not an ISO 4217 currency",
    ),
    "currency number": (with_change(("currency",), 978), "currency: "),
    "unknown unit": (
        with_change(("lines", 0, "unit"), "hours"),
        "lines[0].unit: 'hours' is not a known unit code (UN/ECE Rec 20)",
    ),
    "unknown country": (
        with_change(("buyer", "country"), "Deutschland"),
        "buyer.country: 'Deutschland' is not an ISO 3166 country code",
    ),
    "rate contradicts category": (
        with_change(("lines", 0, "vat_category"), "Z"),
        "lines[0].vat_rate: must be 0 for category Z",
    ),
    "document rate contradicts category": (
        with_change(("charges", 0, "vat_category"), "E"),
        "charges[0].vat_rate: must be 0 for category E",
    ),
    "O with a rate": (
        with_change(("lines", 0, "vat_category"), "O"),
        "lines[0].vat_rate: must be empty for category O",
    ),
    "delivery date format": (
        with_change(("delivery_date",), "2026/11/01"),
        'delivery_date: must be a date written as "YYYY-MM-DD"',
    ),
    "period start impossible": (
        with_change(("period_start",), "2026-13-01"),
        "period_start: '2026-13-01' is not a real date",
    ),
    "period ends before it starts": (
        {**example(), "period_start": "2026-10-31", "period_end": "2026-10-01"},
        "period_end: must not be before the start of the period (2026-10-31) (EN 16931 BR-29)",
    ),
    "deliver-to country unknown": (
        with_change(("deliver_to_country",), "Germany"),
        "deliver_to_country: 'Germany' is not an ISO 3166 country code",
    ),
    "deliver-to country number": (
        with_change(("deliver_to_country",), 276),
        "deliver_to_country: must be text, not a number",
    ),
    "buyer legal id number": (
        with_change(("buyer", "legal_id"), 123),
        "buyer.legal_id: must be text, not a number",
    ),
    "K without delivery date": (
        {**example(), **K_SAMPLE, "delivery_date": None},
        "delivery_date: category K (intra-community supply) needs the delivery date or the "
        "invoicing period (EN 16931 BR-IC-11)",
    ),
    "K without deliver-to country": (
        {**example(), **K_SAMPLE, "deliver_to_country": ""},
        "deliver_to_country: category K (intra-community supply) needs the country the goods "
        "were delivered to (EN 16931 BR-IC-12)",
    ),
    "credit note without invoice": (
        with_change(("type",), "credit_note"),
        "preceding_invoice: a credit note must name the invoice it corrects",
    ),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_refused_naming_the_field(name):
    data, expected = BAD[name]
    message = refusal(data)
    assert message.startswith(expected), message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"\\ud800": 1}', "document: unknown field '\\ud800'"),
        ('{"a": 1, "a": 2}', "not valid JSON: the field 'a' appears twice in one object"),
        (
            json.dumps(with_change(("lines", 0, "unit"), "\udfff")),
            "lines[0].unit: '\\udfff' is not a known unit code",
        ),
    ],
)
def test_lone_surrogates_are_escaped_in_messages(text, expected):
    message = refusal(text)
    assert message.startswith(expected), message
    message.encode("utf-8")


def test_lone_surrogates_in_text_fields_are_refused():
    data = json.dumps(with_change(("lines", 0, "description"), "ok \ud800"))
    assert "\\ud800" in data
    assert (
        refusal(data) == "lines[0].description: contains a control character (U+D800) at position 4"
    )


def test_one_hundred_thousand_lines_are_refused_before_any_line_is_read():
    # each line is garbage: reading even one would report "lines[0]: unknown field"
    data = {**example(), "lines": [{"junk": 1}] * 100_000}
    message = refusal(data)
    assert message == "lines: at most 10000 lines are allowed per document (this one has 100000)"


def test_one_hundred_thousand_real_lines_are_refused_by_size():
    data = {**example(), "lines": example()["lines"] * 100_000}
    message = refusal(data)
    assert message.startswith("document: the JSON is too large (")


@pytest.mark.parametrize("kind", [bytes, str])
def test_ten_megabytes_are_refused_by_size_before_parsing(kind):
    # not JSON at all: had it been parsed, the message would say "not valid JSON"
    blob = "{" + " " * 10_000_000
    data = blob.encode() if kind is bytes else blob
    message = refusal(data)
    assert message == "document: the JSON is too large (more than 5,000,000 bytes)"


def test_size_counts_utf8_bytes_not_characters():
    # 100 characters, 200 bytes: refused at 150 bytes, accepted (as bad JSON) at 200
    with pytest.raises(ValidationError, match=r"too large \(more than 150 bytes\)"):
        invoice_json.parse_document("€" * 50 + " " * 50, max_bytes=150)
    with pytest.raises(ValidationError, match="not valid JSON"):
        invoice_json.parse_document("€" * 50 + " " * 50, max_bytes=200)


def test_parse_document_refuses_non_text():
    with pytest.raises(ValidationError, match=r"^document: must be JSON text"):
        invoice_json.parse_document(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- fuzz

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["", "0", "-1", "1.5", "EUR", "S", "O", "C62", "2026-11-01", "1e9", "NaN"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

PATHS = [
    ("type",),
    ("currency",),
    ("issue_date",),
    ("due_date",),
    ("note",),
    ("preceding_invoice",),
    ("delivery_date",),
    ("period_start",),
    ("period_end",),
    ("deliver_to_country",),
    ("buyer",),
    ("buyer", "legal_id"),
    ("buyer", "name"),
    ("buyer", "country"),
    ("buyer", "vat_id"),
    ("buyer", "email"),
    ("lines",),
    ("lines", 0),
    ("lines", 0, "description"),
    ("lines", 0, "quantity"),
    ("lines", 0, "unit"),
    ("lines", 0, "net_price"),
    ("lines", 0, "gross_price"),
    ("lines", 0, "price_base_quantity"),
    ("lines", 0, "allowances"),
    ("lines", 0, "allowances", 0),
    ("lines", 0, "allowances", 0, "amount"),
    ("lines", 0, "charges", 0, "reason"),
    ("lines", 0, "vat_category"),
    ("lines", 0, "vat_rate"),
    ("lines", 0, "exemption_code"),
    ("allowances",),
    ("allowances", 0, "amount"),
    ("allowances", 0, "vat_category"),
    ("allowances", 0, "vat_rate"),
    ("charges", 0),
    ("prepaid",),
    ("rounding_amount",),
    ("unknown",),
    ("lines", 0, "unknown"),
]


def _outcome(data: bytes | str) -> None:
    try:
        document = invoice_json.parse_document(data)
    except ValidationError as error:
        message = str(error)
        assert message and "\n" not in message
        message.encode("utf-8")  # printable on any terminal: no lone surrogates
    else:
        assert isinstance(document, Document)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=json_values)
def test_any_json_value_in_any_field_gives_a_document_or_a_validation_error(path, value):
    data = with_change(path, value)
    _outcome(json.dumps(data))


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_validation_error(data):
    _outcome(data)


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_validation_error(text):
    _outcome(text)


@settings(max_examples=200)
@given(data=st.data())
def test_mutated_example_text_gives_a_document_or_a_validation_error(data):
    text = json.dumps(example())
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.text(max_size=3))
    _outcome(text[:position] + replacement + text[position + 1 :])


# --------------------------------------------------------------------------- round trip


def _round_trip(document: Document) -> Document:
    return invoice_json.parse_document(json.dumps(invoice_json.document_to_json(document)))


def test_document_to_json_has_the_design_shape():
    document = parse(DESIGN_EXAMPLE)
    data = invoice_json.document_to_json(document)
    expected = example()
    expected["preceding_invoice"] = ""
    expected.update(delivery_date=None, period_start=None, period_end=None, deliver_to_country="")
    expected["buyer"].update(tax_id="", legal_id="", phone="")
    expected["lines"][0].update(exemption_code="", item_id="")
    for item in (*expected["lines"][0]["allowances"], *expected["lines"][0]["charges"]):
        item["reason_code"] = ""
    for item in (*expected["allowances"], *expected["charges"]):
        item["reason_code"] = ""
    assert data == expected
    assert _round_trip(document) == document


def test_document_to_json_writes_plain_decimals_and_currency_decimals():
    document = Document(
        type=DocumentType.INVOICE,
        currency="BHD",
        issue_date=date(2026, 1, 2),
        buyer=Party(name="B", country="BH"),
        lines=(
            Line(
                description="d",
                quantity=D("1E+2"),
                unit="KGM",
                net_price=D("0.0000005E+1"),
                vat_category=VatCategory.STANDARD,
                vat_rate=D("10"),
                charges=(AllowanceCharge(amount=D("1.5"), reason="r"),),
            ),
        ),
        prepaid=D("1"),
    )
    data = invoice_json.document_to_json(document)
    assert data["lines"][0]["quantity"] == "100"
    assert data["lines"][0]["net_price"] == "0.000005"
    assert data["lines"][0]["charges"][0]["amount"] == "1.500"
    assert data["prepaid"] == "1.000"
    assert data["rounding_amount"] == "0.000"
    assert data["due_date"] is None
    assert _round_trip(document) == document


SAMPLES = {
    # JPY has no minor unit: the amounts are whole yen (prices may still have decimals)
    "JPY": {**json.loads(DESIGN_EXAMPLE.replace(".00", "")), "currency": "JPY"},
    "credit note": {**example(), "type": "credit_note", "preceding_invoice": "INV-2026-0007"},
    "quote": {**example(), "type": "quote"},
    "K with a delivery date": {**example(), **K_SAMPLE},
    "K with an invoicing period": {
        **example(),
        **K_SAMPLE,
        "delivery_date": None,
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
    },
    "open-ended period and a buyer's legal id": {
        **example(),
        "period_start": "2026-10-01",
        "buyer": {**example()["buyer"], "legal_id": "HRB 86481"},
    },
    "O": {
        **example(),
        "buyer": {"name": "Private", "country": "SE"},
        "allowances": [],
        "charges": [],
        "lines": [
            {
                "description": "Lecture",
                "quantity": "2",
                "unit": "HUR",
                "net_price": "120",
                "vat_category": "O",
                "vat_rate": None,
                "exemption_reason": "Not subject to VAT",
                "exemption_code": "VATEX-EU-O",
            }
        ],
    },
}


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_of_samples(name):
    document = parse(SAMPLES[name])
    assert _round_trip(document) == document


@st.composite
def valid_documents(draw: st.DrawFn) -> Document:
    currency = draw(st.sampled_from(["EUR", "JPY", "BHD", "CHF"]))
    places = {"EUR": 2, "JPY": 0, "BHD": 3, "CHF": 2}[currency]
    amount = st.integers(1, 10**6).map(lambda n: D(n).scaleb(-places))
    key = st.sampled_from([("S", "19"), ("S", "7.5"), ("Z", "0"), ("L", "3")])
    text = st.text(
        st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
        max_size=30,
    )

    def a_line() -> st.SearchStrategy[Line]:
        return st.builds(
            lambda description, q, p, base, k, gross, items: Line(
                description=description,
                quantity=q,
                unit="C62",
                net_price=p,
                gross_price=None if gross is None else p + gross,
                price_base_quantity=base,
                vat_category=VatCategory(k[0]),
                vat_rate=D(k[1]),
                charges=tuple(AllowanceCharge(amount=a, reason="c") for a in items),
            ),
            text.filter(str.strip),
            st.decimals(min_value=D("0.001"), max_value=D(1000), places=3),
            st.decimals(min_value=D(0), max_value=D(10_000), places=4),
            st.sampled_from([D(1), D(100), D("0.5")]),
            key,
            st.none() | st.decimals(min_value=D(0), max_value=D(10), places=2),
            st.lists(amount, max_size=2),
        )

    dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
    start, end = draw(st.none() | dates), draw(st.none() | dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return Document(
        type=DocumentType.INVOICE,
        currency=currency,
        issue_date=draw(dates),
        delivery_date=draw(st.none() | dates),
        period_start=start,
        period_end=end,
        deliver_to_country=draw(st.sampled_from(["", "DE", "AT", "FR"])),
        buyer=Party(
            name=draw(text.filter(str.strip)),
            country="DE",
            city=draw(text),
            legal_id=draw(text.map(str.strip)),
        ),
        lines=tuple(draw(st.lists(a_line(), min_size=1, max_size=5))),
        charges=tuple(
            AllowanceCharge(
                amount=a, reason="freight", vat_category=VatCategory.STANDARD, vat_rate=D(19)
            )
            for a in draw(st.lists(amount, max_size=2))
        ),
        note=draw(text),
    )


@settings(max_examples=150, deadline=None)
@given(valid_documents())
def test_round_trip_property(document):
    assert _round_trip(document) == document


# --------------------------------------------------------------------------- seller profile

SELLER_JSON = {
    "name": "Jane Doe Design",
    "vat_id": "DE136695976",
    "tax_id": "12/345/67890",
    "legal_id": "HRA 4711",
    "street": "Lindenweg 3",
    "city": "Leipzig",
    "postcode": "04109",
    "country": "DE",
    "email": "jane@example.org",
    "phone": "+49 341 000000",
    "iban": "de89 3704 0044 0532 0130 00",
    "bic": "cobadeffxxx",
    "logo": "/home/jane/logo.png",
}


def test_seller_profile_parses():
    profile = invoice_json.parse_seller(json.dumps(SELLER_JSON))
    assert profile == SellerProfile(
        party=Party(
            name="Jane Doe Design",
            vat_id="DE136695976",
            tax_id="12/345/67890",
            legal_id="HRA 4711",
            street="Lindenweg 3",
            city="Leipzig",
            postcode="04109",
            country="DE",
            email="jane@example.org",
            phone="+49 341 000000",
        ),
        iban="DE89370400440532013000",
        bic="COBADEFFXXX",
        logo_path="/home/jane/logo.png",
    )
    assert invoice_json.parse_seller(json.dumps(invoice_json.seller_to_json(profile))) == profile


def test_seller_profile_minimal():
    profile = invoice_json.parse_seller('{"name": "Jane", "country": "AT"}')
    assert profile == SellerProfile(party=Party(name="Jane", country="AT"))


def test_a_wrong_iban_check_digit_is_only_a_warning():
    profile = invoice_json.parse_seller(
        json.dumps({**SELLER_JSON, "iban": "DE89370400440532013001"})
    )
    from app.domain import rules

    assert rules.check_iban(profile.iban) is not None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"website": "x"}, "seller: unknown field 'website'"),
        ({"iban": "12345"}, "seller.iban: '12345' is not an IBAN"),
        ({"iban": 12345}, "seller.iban: must be text, not a number"),
        ({"bic": "COBA"}, "seller.bic: 'COBA' is not a BIC"),
        ({"name": ""}, "seller.name: must not be empty"),
        ({"country": "XX"}, "seller.country: 'XX' is not an ISO 3166 country code"),
        ({"logo": "a\x00b"}, "seller.logo: contains a control character"),
        ({"vat_id": "136695976"}, "seller.vat_id: '136695976' is not a VAT ID"),
        ({"legal_id": ["HRA 4711"]}, "seller.legal_id: must be text, not a list"),
        ({"legal_id": "HRA\n4711"}, "seller.legal_id: contains a control character"),
    ],
)
def test_seller_profile_refusals(change, expected):
    with pytest.raises(ValidationError) as caught:
        invoice_json.parse_seller(json.dumps({**SELLER_JSON, **change}))
    assert str(caught.value).startswith(expected), str(caught.value)


def test_seller_profile_bad_json():
    with pytest.raises(ValidationError, match=r"^not valid JSON"):
        invoice_json.parse_seller(b"{")
    with pytest.raises(ValidationError, match=r"^seller: must be a JSON object"):
        invoice_json.parse_seller(b"[]")
    with pytest.raises(ValidationError, match=r"^seller: the JSON is too large"):
        invoice_json.parse_seller(b" " * 2_000_000)


def test_parse_party():
    party = invoice_json.parse_party({"name": "Acme", "country": "FR"}, "buyer")
    assert party == Party(name="Acme", country="FR")
    with pytest.raises(ValidationError, match=r"^buyer\.country: is required"):
        invoice_json.parse_party({"name": "Acme"}, "buyer")
    with pytest.raises(ValidationError, match=r"^buyer: unknown field 'iban'"):
        invoice_json.parse_party({"name": "Acme", "country": "FR", "iban": "x"}, "buyer")
