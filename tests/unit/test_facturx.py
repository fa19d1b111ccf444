"""Factur-X assembly: PDF/A-3b structure, the embedded XML, determinism.

The visible PDF here is a one-page reportlab document with an embedded font; the
CII is an official CEN example. The full path (our renderer and our CII, from a
demo vault) is covered in tests/integration/test_exports.py.
"""

import io
from datetime import date

import facturx as facturx_lib
import pikepdf
import pytest
from lxml import etree
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from support import SHARED

from app import resources
from app.documents.facturx import FX_NS, FacturXError, _check_extension, to_facturx

CII_EXAMPLE = SHARED / "einvoice" / "cen-en16931" / "cii" / "examples" / "CII_example2.xml"
pytestmark = pytest.mark.skipif(not CII_EXAMPLE.exists(), reason=f"{CII_EXAMPLE} is absent")


def _visible_pdf() -> bytes:
    fonts = sorted(resources.path("fonts").glob("*.ttf"))
    assert fonts, "resources/fonts has the shipped fonts"
    pdfmetrics.registerFont(TTFont("TestSans", str(fonts[0])))
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1, initialFontName="TestSans")
    page.setFont("TestSans", 12)
    page.drawString(72, 720, "Rechnung RE-1 Müller Ωμέγα Привет")
    page.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def made() -> bytes:
    return to_facturx(
        _visible_pdf(),
        CII_EXAMPLE.read_bytes(),
        title="Invoice RE-1",
        author="Studio Müller",
        issued=date(2026, 11, 1),
    )


def test_it_claims_pdfa_3b_with_the_facturx_properties(made: bytes) -> None:
    with pikepdf.open(io.BytesIO(made)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Invoice RE-1"
        packet = etree.fromstring(pdf.Root.Metadata.read_bytes())
    fx = {el.tag.split("}")[1]: el.text for el in packet.iter(f"{{{FX_NS}}}*")}
    assert fx == {
        "ConformanceLevel": "EN 16931",
        "DocumentFileName": "factur-x.xml",
        "DocumentType": "INVOICE",
        "Version": "1.0",
    }


def test_it_has_an_srgb_output_intent_with_an_icc_profile(made: bytes) -> None:
    with pikepdf.open(io.BytesIO(made)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[36:40] == b"acsp"  # the ICC header signature
        assert profile[16:20] == b"RGB "


def test_the_xml_is_attached_as_data_and_listed_in_af(made: bytes) -> None:
    with pikepdf.open(io.BytesIO(made)) as pdf:
        spec = pdf.attachments["factur-x.xml"]
        assert spec.obj.AFRelationship == pikepdf.Name.Data
        assert spec.get_file().read_bytes() == CII_EXAMPLE.read_bytes()
        assert spec.get_file().mime_type == "text/xml"
        assert [f.F for f in pdf.Root.AF] == ["factur-x.xml"]


def test_every_font_is_embedded(made: bytes) -> None:
    with pikepdf.open(io.BytesIO(made)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_the_facturx_library_reads_it_back_and_checks_the_xsd(made: bytes) -> None:
    filename, xml = facturx_lib.get_facturx_xml_from_pdf(made, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml == CII_EXAMPLE.read_bytes()


def test_the_same_input_gives_the_same_bytes(made: bytes) -> None:
    again = to_facturx(
        _visible_pdf(),
        CII_EXAMPLE.read_bytes(),
        title="Invoice RE-1",
        author="Studio Müller",
        issued=date(2026, 11, 1),
    )
    assert again == made
    other_day = to_facturx(
        _visible_pdf(),
        CII_EXAMPLE.read_bytes(),
        title="Invoice RE-1",
        author="Studio Müller",
        issued=date(2026, 11, 2),
    )
    assert other_day != made


def test_a_base14_font_is_refused_as_not_pdfa() -> None:
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)  # Helvetica, not embedded
    page.drawString(72, 720, "Invoice")
    page.save()
    with pytest.raises(FacturXError, match="not embedded"):
        to_facturx(
            out.getvalue(), CII_EXAMPLE.read_bytes(), title="t", author="a", issued=date.today()
        )


def test_an_undeclared_fx_property_is_caught(made: bytes) -> None:
    with pikepdf.open(io.BytesIO(made)) as pdf:
        packet = pdf.Root.Metadata.read_bytes()
        broken = packet.replace(b"<pdfaProperty:name>Version</pdfaProperty:name>", b"")
        assert broken != packet
        pdf.Root.Metadata = pdf.make_stream(broken)
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(FacturXError, match="without an extension schema"):
        _check_extension(out.getvalue())
