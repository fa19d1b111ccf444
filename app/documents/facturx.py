"""Factur-X / ZUGFeRD: the invoice's PDF made PDF/A-3b, with its CII XML inside.

The visible pages are the stored PDF of the invoice, unchanged. To them this adds
what Factur-X 1.0 (EN 16931 profile) asks for: ``factur-x.xml`` embedded with
``/AFRelationship /Data`` and listed in the catalogue's ``/AF``, an sRGB
OutputIntent, and XMP metadata that claims PDF/A-3B and carries the Factur-X
properties with their PDF/A extension schema.

pikepdf's PDF/A module does the preparation (output intent, XMP declaration,
associated files) and validates the written bytes against its PDF/A-3b rule
set. That validator is an allowlist that does not read PDF/A extension
schemas, so it reports the Factur-X XMP properties as not permitted; those
findings, and only those, are checked here instead: the ``fx`` properties must
be declared by the extension schema in the same packet (:func:`_check_extension`).

Everything happens in memory (an invoice never lands in a temporary file) and
the output is deterministic: the dates come from the invoice's issue date and
the file identifier from its content, so exporting twice gives the same bytes.
"""

import copy
import io
from datetime import date
from importlib import resources

import pikepdf
from lxml import etree
from pikepdf import Name, pdfa

FACTURX_FILENAME = "factur-x.xml"
CONFORMANCE_LEVEL = "EN 16931"
FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EXTENSION_NAMESPACES = (
    FX_NS,
    "http://www.aiim.org/pdfa/ns/extension/",
    "http://www.aiim.org/pdfa/ns/schema#",
    "http://www.aiim.org/pdfa/ns/property#",
)
_EXTENSION_RULE = "ISO_19005_3:6.6.2.3.1-1"
_FLAVOUR = "3b"


class FacturXError(RuntimeError):
    """The Factur-X file did not pass its checks: a bug here, never the user's fault."""


def to_facturx(pdf: bytes, cii_xml: bytes, *, title: str, author: str, issued: date) -> bytes:
    """The PDF/A-3b Factur-X file made of an invoice's PDF and its CII XML."""
    stamp = f"{issued.isoformat()}T00:00:00+00:00"
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            # reportlab writes an empty page transition; PDF/A does not need it and
            # the validator does not check it
            if Name.Trans in page.obj:
                del page.obj[Name.Trans]
        document.attachments[FACTURX_FILENAME] = pikepdf.AttachedFileSpec(
            document,
            cii_xml,
            description="Factur-X invoice (CII, EN 16931)",
            filename=FACTURX_FILENAME,
            mime_type="text/xml",
            creation_date=_pdf_date(issued),
            mod_date=_pdf_date(issued),
            relationship=Name.Data,
        )
        pdfa.prepare(document, _FLAVOUR)
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:description"] = title
            meta["dc:creator"] = [author]
            meta["xmp:CreatorTool"] = "InvoiceVault"
            meta["pdf:Producer"] = "InvoiceVault"
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                meta[key] = stamp
        _add_facturx_properties(document)
        report = pdfa.check(document, _FLAVOUR, deterministic_id=True)
        out = io.BytesIO()
        document.save(out, **report.save_kwargs)
    result = out.getvalue()
    written = pdfa.validate_written(io.BytesIO(result), _FLAVOUR, save_kwargs=report.save_kwargs)
    problems = [f for f in written.findings if not _is_extension_finding(f)]
    if problems:
        raise FacturXError("not PDF/A-3b: " + "; ".join(f"{f.rule}: {f.message}" for f in problems))
    _check_extension(result)
    return result


def _pdf_date(day: date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def _add_facturx_properties(document: pikepdf.Pdf) -> None:
    """Append the Factur-X rdf:Descriptions (properties + extension schema) to the XMP."""
    packet = etree.fromstring(document.Root.Metadata.read_bytes())
    rdf = packet.find(f"{{{RDF_NS}}}RDF")
    if rdf is None:
        raise FacturXError("the XMP packet has no rdf:RDF")
    for description in _template().findall(f"{{{RDF_NS}}}Description"):
        description = copy.deepcopy(description)
        for level in description.iter(f"{{{FX_NS}}}ConformanceLevel"):
            level.text = CONFORMANCE_LEVEL
        rdf.append(description)
    document.Root.Metadata = document.make_stream(
        etree.tostring(packet, encoding="utf-8"), Type=Name.Metadata, Subtype=Name.XML
    )


def _template() -> etree._Element:
    """The Factur-X sample XMP shipped with the factur-x package (PDFlib's, as published)."""
    text = resources.files("facturx").joinpath("xmp", "Factur-X_extension_schema.xmp")
    return etree.fromstring(text.read_bytes(), etree.XMLParser(resolve_entities=False))


def _is_extension_finding(finding: pdfa.Finding) -> bool:
    return finding.rule == _EXTENSION_RULE and any(
        namespace in finding.message or prefix in finding.message
        for namespace, prefix in zip(
            EXTENSION_NAMESPACES,
            ("fx:", "pdfaExtension:", "pdfaSchema:", "pdfaProperty:"),
            strict=True,
        )
    )


def _check_extension(pdf: bytes) -> None:
    """Every fx property used is declared by a pdfaExtension schema for its namespace."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        packet = etree.fromstring(document.Root.Metadata.read_bytes())
    used = {el.tag.split("}")[1] for el in packet.iter(f"{{{FX_NS}}}*")}
    schema_ns = "http://www.aiim.org/pdfa/ns/schema#"
    property_ns = "http://www.aiim.org/pdfa/ns/property#"
    declared: set[str] = set()
    for schema in packet.iter(f"{{{schema_ns}}}namespaceURI"):
        if schema.text != FX_NS:
            continue
        parent = schema.getparent()
        if parent is None:
            continue
        declared |= {name.text or "" for name in parent.iter(f"{{{property_ns}}}name")}
    if used != {"ConformanceLevel", "DocumentFileName", "DocumentType", "Version"}:
        raise FacturXError(f"Factur-X XMP properties: {sorted(used)}")
    if not used <= declared:
        raise FacturXError(f"fx properties without an extension schema: {sorted(used - declared)}")
