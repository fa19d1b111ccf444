"""Details a reader of the PDF notices: the return address, exemption notes said once."""

from dataclasses import replace
from decimal import Decimal

from pdf_support import pdf_text, source
from support import SELLER, invoice

from app.documents import pdf
from app.domain.model import Line, Party, VatCategory


def test_a_long_seller_name_keeps_the_city_in_the_return_address():
    long_name = "Studio Lichtblick – Anna Schmidt Grafik, Web und Fotografie für Handwerk"
    seller = replace(SELLER, party=replace(SELLER.party, name=long_name))
    text = pdf_text(pdf.render(source(invoice(), seller=seller)), first=1, last=1)
    # the small return address line(s) between the seller's block and the buyer's name
    return_address = text.split("Müller & Söhne GmbH")[0].split("VAT ID: DE136695976")[1]
    assert "Lindenweg 3" in return_address and "20095 Hamburg" in return_address


def test_an_exemption_reason_the_legal_wording_already_says_is_not_repeated():
    export = Line(
        "Machine parts",
        Decimal(1),
        "C62",
        Decimal("500.00"),
        VatCategory.EXPORT,
        Decimal(0),
        exemption_reason="Export outside the EU",
        exemption_code="VATEX-EU-G",
    )
    buyer = Party("Brightline Creative LLC", "US", "1 Main St", "Boston", "02110")
    text = pdf_text(pdf.render(source(invoice(lines=(export,), buyer=buyer))))
    note = next(line for line in text.splitlines() if "Article 146" in line)
    assert "– Export outside the EU" not in note  # the legal wording says it already
