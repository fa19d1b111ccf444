"""The invoice, credit note and quote PDFs, read back with poppler and pikepdf.

Every expected figure is the engine's (app.domain.totals.compute) formatted by
Babel for the document's language: nothing here is a hand-written total.
"""

import io
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pikepdf
import pytest
import segno
from babel.numbers import format_currency
from pdf_support import (
    BASE_14,
    page_count,
    pdf_fonts,
    pdf_text,
    qr_modules,
    source,
    squash,
    word_boxes,
)
from PIL import Image
from segno import helpers
from support import BUYER, SELLER, invoice

from app.documents import epc, layout, pdf
from app.documents.formatting import LOCALES
from app.documents.logo import check_logo
from app.domain.model import AllowanceCharge, DocumentType, Line, Party, VatCategory
from app.domain.totals import NO_VAT

D = Decimal
S, AE = VatCategory.STANDARD, VatCategory.REVERSE_CHARGE


def money(amount: Decimal, language: str, currency: str = "EUR") -> str:
    return squash(format_currency(amount, currency, locale=LOCALES[language]))


def many_lines(count: int) -> tuple[Line, ...]:
    return tuple(
        Line(f"Hosting of site {n}", D(n % 3 + 1), "MON", D("19.99"), S, D(19))
        for n in range(1, count + 1)
    )


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_an_invoice_shows_its_number_buyer_and_the_engines_total_in_its_language(language):
    src = source(invoice(), language=language)
    text = pdf_text(pdf.render(src))
    assert "INV-2026-0042" in text
    assert "Müller & Söhne GmbH" in text
    assert money(src.totals.with_vat, language) in text
    assert money(src.totals.without_vat, language) in text
    assert {"en": "Invoice", "de": "Rechnung", "fr": "Facture"}[language] in text
    assert {"en": "2 November 2026", "de": "2. November 2026", "fr": "2 novembre 2026"}[
        language
    ] in text


def test_greek_cyrillic_and_accented_names_come_back_as_text():
    buyer = Party("Αθηνά Παπαδοπούλου", "GR", "Οδός Ερμού 12", "Αθήνα", "10563")
    lines = (Line("Перевод документов — Łódź, Ærøskøbing", D(1), "LS", D("300.00"), S, D(19)),)
    text = pdf_text(pdf.render(source(invoice(buyer=buyer, lines=lines))))
    for expected in ("Αθηνά Παπαδοπούλου", "Οδός Ερμού 12", "Перевод документов", "Łódź"):
        assert expected in text


def test_every_font_is_embedded_and_subset_and_none_is_base_14():
    data = pdf.render(source(invoice(buyer=replace(BUYER, name="Ωμέγα Жук"))))
    rows = pdf_fonts(data)
    assert {row.name.split("+", 1)[1] for row in rows} == {"NotoSans-Regular", "NotoSans-Bold"}
    for row in rows:
        assert row.embedded and row.subset and row.unicode, row
        assert not any(base in row.name for base in BASE_14), row


def test_a_long_invoice_breaks_across_pages_with_the_header_on_every_page():
    data = pdf.render(source(invoice(lines=many_lines(90))))
    pages = page_count(data)
    assert pages == 3
    for page in range(1, pages + 1):
        text = pdf_text(data, first=page, last=page)
        assert f"Page {page} of {pages}" in text
        assert "Description" in text and "Unit price" in text
    assert "Hosting of site 90" in pdf_text(data, first=pages, last=pages)


def test_five_hundred_lines_render_every_line_and_the_total():
    src = source(invoice(lines=many_lines(500)))
    data = pdf.render(src)
    text = pdf_text(data)
    assert page_count(data) > 10
    assert "Hosting of site 1 " in text and "Hosting of site 500" in text
    assert money(src.totals.with_vat, "en") in text


def test_a_long_description_is_wrapped_not_cut():
    words = " ".join(f"word{n}" for n in range(80))
    url = "https://example.com/" + "x" * 150
    text = pdf_text(
        pdf.render(
            source(invoice(lines=(replace(invoice().lines[0], description=f"{words} {url}"),)))
        )
    )
    assert all(f"word{n}" in text for n in range(80))
    assert "".join(text.split()).count("x" * 30) >= 4  # the long URL is cut into lines, all there


def test_a_description_longer_than_a_page_continues_on_the_next():
    description = "\n".join(f"Paragraph {n} of the statement of work." for n in range(1, 121))
    lines = (replace(invoice().lines[0], description=description), invoice().lines[1])
    data = pdf.render(source(invoice(lines=lines)))
    text = pdf_text(data)
    assert page_count(data) >= 3
    assert all(f"Paragraph {n} of the statement" in text for n in range(1, 121))
    assert "Printing of business cards" in text
    for page in range(1, page_count(data) + 1):
        page_text = pdf_text(data, first=page, last=page)
        if "Paragraph" in page_text:
            assert "Unit price" in page_text, page  # the table header on every page it runs on


def test_same_source_gives_the_same_bytes_and_a_changed_total_different_ones(monkeypatch):
    src = source(invoice())
    first = pdf.render(src)
    pdf.render(source(invoice(buyer=replace(BUYER, name="Ζωή Жанна")), language="fr"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # reportlab reads it; we must not
    assert pdf.render(src) == first
    dearer = invoice(lines=(replace(invoice().lines[0], net_price=D("95.01")), invoice().lines[1]))
    assert pdf.render(source(dearer)) != first


def test_the_pdf_is_dated_by_the_document_and_says_what_it_is():
    data = pdf.render(source(invoice(), language="de"))
    with pikepdf.open(io.BytesIO(data)) as document:
        assert str(document.docinfo["/CreationDate"]).startswith("D:20261102")
        assert str(document.docinfo["/Title"]) == "Rechnung INV-2026-0042"
        assert str(document.Root.Lang) == "de-DE"


def test_a_draft_is_marked_and_has_no_payment_code():
    data = pdf.render(source(invoice(), number=None))
    text = pdf_text(data)
    assert "DRAFT – not issued" in text and "Invoice (draft)" in text
    assert qr_modules(data) is None


def expected_epc(amount: Decimal, number: str) -> bytes:
    """segno's own EPC text for the seller's account, as UTF-8 (character set 1)."""
    return helpers._make_epc_qr_data(
        SELLER.party.name, SELLER.iban, amount, text=number, bic=SELLER.bic, encoding=1
    )


def test_the_giro_code_holds_the_transfer_segno_would_encode():
    src = source(invoice())
    data = pdf.render(src)
    transfer = epc.transfer(
        name=SELLER.party.name,
        iban=SELLER.iban,
        bic=SELLER.bic,
        currency="EUR",
        amount=src.totals.due,
        reference="INV-2026-0042",
    )
    assert transfer is not None
    assert epc.payload(transfer) == expected_epc(src.totals.due, "INV-2026-0042")
    expected = segno.make_qr(
        expected_epc(src.totals.due, "INV-2026-0042"), error="m", mask=epc.MASK, boost_error=False
    )
    drawn = qr_modules(data)
    assert drawn is not None
    matrix = [list(row) for row in expected.matrix_iter(scale=1, border=epc.QUIET_ZONE)]
    assert drawn == [[int(bool(v)) for v in row] for row in matrix]


@pytest.mark.parametrize(
    "name",
    ["Anna Schmidt Design", "Αθηνά Παπαδοπούλου", "Łukasz Żółć", "X" * 90, "  padded  "],
)
def test_the_epc_text_matches_segnos_for_any_name(name):
    transfer = epc.transfer(
        name=name,
        iban="FR7630006000011234567890189",
        bic="",
        currency="EUR",
        amount=D("999999999.99"),
        reference="R-1",
    )
    assert transfer is not None
    assert epc.payload(transfer) == helpers._make_epc_qr_data(
        name.strip()[:70], "FR7630006000011234567890189", D("999999999.99"), text="R-1", encoding=1
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"currency": "USD"},
        {"prepaid": D("1423.48")},  # amount due is zero
        {"type": DocumentType.CREDIT_NOTE},
        {"type": DocumentType.QUOTE},
    ],
)
def test_no_giro_code_where_it_cannot_be_paid(changes):
    assert qr_modules(pdf.render(source(invoice(**changes)))) is None


def test_no_giro_code_for_an_iban_outside_sepa_or_without_an_iban():
    outside = replace(SELLER, iban="BR1800360305000010009795493C1")
    assert qr_modules(pdf.render(source(invoice(), seller=outside))) is None
    none = replace(SELLER, iban="", bic="")
    data = pdf.render(source(invoice(), seller=none))
    assert qr_modules(data) is None
    assert "IBAN" not in pdf_text(data)


def test_epc_limits():
    def transfer(amount: str, iban: str = SELLER.iban) -> object:
        return epc.transfer(
            name="A", iban=iban, bic="", currency="EUR", amount=D(amount), reference="1"
        )

    assert transfer("999999999.99") is not None
    assert transfer("1000000000.00") is None
    assert transfer("0.00") is None
    assert transfer("0.01") is not None
    assert transfer("5", iban="CH9300762011623852957") is not None
    assert transfer("5", iban="TR330006100519786457841326") is None


def test_bank_details_show_the_iban_in_groups_of_four_and_the_bic():
    text = pdf_text(pdf.render(source(invoice())))
    assert "DE89 3704 0044 0532 0130 00" in text
    assert "COBADEFFXXX" in text


def test_reverse_charge_wording_in_each_language_and_the_lines_own_reason():
    lines = (
        Line(
            "Consulting",
            D(1),
            "HUR",
            D("100.00"),
            AE,
            D(0),
            exemption_reason="Art. 196 VAT Directive",
        ),
    )
    doc = invoice(lines=lines)
    wording = {
        "en": "Reverse charge: VAT to be accounted for by the recipient",
        "de": "Steuerschuldnerschaft des Leistungsempfängers",
        "fr": "Autoliquidation",
    }
    for language, expected in wording.items():
        text = pdf_text(pdf.render(source(doc, language=language)))
        assert expected in text
        assert "Art. 196 VAT Directive" in text


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (VatCategory.INTRA_COMMUNITY, "Intra-community supply exempt from VAT"),
        (VatCategory.EXPORT, "Export outside the EU, exempt from VAT"),
        (VatCategory.EXEMPT, "Exempt from VAT"),
        (VatCategory.NOT_SUBJECT, "Not subject to VAT"),
    ],
)
def test_exemption_notes_per_category(category, expected):
    rate = None if category is VatCategory.NOT_SUBJECT else D(0)
    doc = invoice(lines=(Line("Goods", D(2), "C62", D("50.00"), category, rate),))
    assert expected in pdf_text(pdf.render(source(doc)))


def test_zero_rows_are_left_out_and_non_zero_ones_shown_with_the_engines_amounts():
    plain = pdf_text(pdf.render(source(invoice())))
    for label in ("Sum of lines", "Paid in advance", "Rounding", "Amount due", "Allowance"):
        assert label not in plain
    doc = invoice(
        allowances=(AllowanceCharge(D("50.00"), "Early booking", vat_category=S, vat_rate=D(19)),),
        charges=(AllowanceCharge(D("15.00"), "Shipping", vat_category=S, vat_rate=D(7)),),
        prepaid=D("100.00"),
        rounding_amount=D("0.02"),
    )
    src = source(doc)
    text = pdf_text(pdf.render(src))
    assert f"Sum of lines {money(src.totals.sum_of_lines, 'en')}" in text
    assert "Early booking" in text and money(D("-50.00"), "en") in text
    assert "Shipping" in text and money(D("15.00"), "en") in text
    assert f"Paid in advance {money(-src.totals.prepaid, 'en')}" in text
    assert f"Rounding {money(src.totals.rounding, 'en')}" in text
    assert f"Amount due {money(src.totals.due, 'en')}" in text


def test_line_allowances_and_charges_are_shown_under_their_line():
    line = replace(
        invoice().lines[0],
        allowances=(AllowanceCharge(D("100.00"), "Loyalty"),),
        charges=(AllowanceCharge(D("25.00"), "Travel"),),
    )
    src = source(invoice(lines=(line,)), language="de")
    text = pdf_text(pdf.render(src))
    assert "Nachlass: Loyalty -100,00" in text
    assert "Zuschlag: Travel 25,00" in text
    assert "Positionsbetrag 1.065,00" in text  # BT-131 as the engine computed it
    assert src.totals.line_net_amounts[0] == D("1065.00")


def test_a_credit_note_names_the_invoice_it_corrects():
    doc = invoice(type=DocumentType.CREDIT_NOTE, preceding_invoice="INV-2026-0007")
    src = source(doc, number="CN-2026-0001", preceding_number="INV-2026-0007", language="fr")
    text = pdf_text(pdf.render(src))
    assert "Avoir CN-2026-0001" in text
    assert "Rectifie la facture INV-2026-0007" in text
    assert money(src.totals.with_vat, "fr") in text


def test_a_quote_gives_its_validity_and_asks_for_no_payment():
    doc = invoice(type=DocumentType.QUOTE, payment_terms="50 % on order")
    text = pdf_text(pdf.render(source(doc, number="Q-2026-0001")))
    assert "Quote Q-2026-0001" in text
    assert "Valid until 2 December 2026" in text
    assert "This quote is valid until 2 December 2026." in text
    assert "Payment terms: 50 % on order" in text
    assert "Please transfer" not in text


def test_references_and_delivery_facts_are_printed():
    doc = invoice(
        buyer_reference="LEITWEG-991",
        order_reference="PO-77",
        delivery_date=date(2026, 10, 30),
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        note="Thank you!",
        payment_terms="Net 30 days",
    )
    src = source(doc)
    text = pdf_text(pdf.render(src))
    for expected in (
        "Your reference LEITWEG-991",
        "Your order PO-77",
        "Delivery date 30 October 2026",
        "Service period 1 October 2026 – 31 October 2026",
        "Thank you!",
        "Net 30 days",
        f"Please transfer {money(src.totals.due, 'en')} by 2 December 2026",
    ):
        assert expected in text


def logo_images(data: bytes) -> list[dict[str, object]]:
    with pikepdf.open(io.BytesIO(data)) as document:
        found = [
            xobject
            for xobject in dict(document.pages[0].Resources.XObject).values()
            if xobject.Subtype == "/Image"
        ]
        return [
            {
                "size": (int(image.Width), int(image.Height)),
                "filter": str(image.Filter[0]),
                "mask": (int(image.SMask.Width), int(image.SMask.Height))
                if "/SMask" in image
                else None,
                "raw": image.read_raw_bytes(),
            }
            for image in found
        ]


def page_pixels(data: bytes, tmp_path) -> Image.Image:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-",
            str(tmp_path / "page"),
        ],
        input=data,
        check=True,
    )
    return Image.open(tmp_path / "page.png").convert("RGB")


def test_a_transparent_logo_is_drawn_with_its_soft_mask(tmp_path):
    picture = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    picture.paste((200, 30, 30, 255), (0, 0, 200, 120))  # left half red, right half transparent
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    data = pdf.render(source(invoice(), logo=check_logo(buffer.getvalue())))
    assert [(i["size"], i["filter"], i["mask"]) for i in logo_images(data)] == [
        ((400, 120), "/FlateDecode", (400, 120))
    ]
    pixels = page_pixels(data, tmp_path)
    dots = 50 / 25.4  # pixels per millimetre
    red = pixels.getpixel((int(30 * dots), int(20 * dots)))
    clear = pixels.getpixel((int(70 * dots), int(20 * dots)))
    assert red[0] > 150 and red[1] < 90 and red[2] < 90, red
    assert min(clear) > 240, clear


def test_a_jpeg_logo_is_embedded_as_it_is():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), (20, 90, 200)).save(buffer, "JPEG")
    logo = check_logo(buffer.getvalue())
    data = pdf.render(source(invoice(), logo=logo))
    (image,) = logo_images(data)
    assert image["filter"] == "/DCTDecode" and image["mask"] is None
    assert image["raw"] == logo.data
    assert pdf.render(source(invoice(), logo=logo)) == data


@pytest.mark.parametrize("currency", ["JPY", "BHD", "CHF"])
def test_amounts_have_the_currencys_decimals(currency):
    lines = (Line("Work", D(3), "HUR", D("1234"), S, D(19)),)
    src = source(invoice(currency=currency, lines=lines), language="de")
    text = pdf_text(pdf.render(src))
    assert money(src.totals.with_vat, "de", currency) in text
    assert f"Betrag ({currency})" in text


def test_long_names_and_addresses_stay_within_the_margins():
    long_name = "Schmidt & Partner Kommunikationsdesign und Markenentwicklung " * 2
    seller = replace(SELLER, party=replace(SELLER.party, name=long_name.strip()))
    buyer = replace(BUYER, name="Internationale Handelsgesellschaft für " * 3)
    long_line = replace(invoice().lines[0], description="Beratungsleistung " * 30)
    data = pdf.render(source(invoice(buyer=buyer, lines=(long_line,)), seller=seller))
    text = pdf_text(data)
    assert "Markenentwicklung" in text and "Handelsgesellschaft" in text
    boxes = word_boxes(data, page=1)
    assert len(boxes) > 100
    outside = [(x0, x1) for x0, x1 in boxes if x0 < layout.LEFT - 1 or x1 > layout.RIGHT + 1]
    assert outside == []


@pytest.mark.parametrize("language", ["en", "de", "fr"])
@pytest.mark.parametrize("category", list(VatCategory))
def test_every_vat_category_renders_in_every_language(category, language):
    rate = None if category is VatCategory.NOT_SUBJECT else D(0) if category in NO_VAT else D(7)
    line = Line(
        "Item", D(1), "C62", D("10.00"), category, rate, allowances=(AllowanceCharge(D(1)),)
    )
    doc = invoice(
        lines=(line,),
        allowances=(AllowanceCharge(D(2), vat_category=category, vat_rate=rate),),
        charges=(AllowanceCharge(D(3), vat_category=category, vat_rate=rate),),
    )
    src = source(doc, language=language)
    text = pdf_text(pdf.render(src))
    assert money(src.totals.with_vat, language) in text
    unnamed = {"en": "discount", "de": "Rabatt", "fr": "remise"}[language]
    assert unnamed in text  # an allowance without a reason is still named
