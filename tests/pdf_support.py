"""Helpers for the PDF tests: real PDFs read back with poppler (pdftotext, pdffonts) and pikepdf."""

import io
import re
import subprocess
from dataclasses import dataclass

import pikepdf
from support import SELLER

from app.documents.source import Source
from app.domain import totals
from app.domain.model import Document

#: The standard 14 fonts a PDF may use without embedding them; none may appear.
BASE_14 = (
    "Courier",
    "Helvetica",
    "Times",
    "Symbol",
    "ZapfDingbats",
)

_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")
_WORD_BOX = re.compile(r'<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)"')


def source(document: Document, number: str | None = "INV-2026-0042", **changes) -> Source:
    """A Source with the engine's own totals (never hand-written figures)."""
    values = {
        "number": number,
        "document": document,
        "totals": totals.compute(document),
        "seller": SELLER,
        "language": "en",
    }
    values.update(changes)
    return Source(**values)


def squash(text: str) -> str:
    """Runs of spaces (including the no-break spaces Babel writes) as one space."""
    return _SPACES.sub(" ", text)


def pdf_text(data: bytes, *, first: int | None = None, last: int | None = None) -> str:
    """``pdftotext -layout`` of the PDF (or of a page range), spaces squashed."""
    pages = []
    if first is not None:
        pages += ["-f", str(first)]
    if last is not None:
        pages += ["-l", str(last)]
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", *pages, "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return squash(out.stdout.decode("utf-8"))


def word_boxes(data: bytes, page: int) -> list[tuple[float, float]]:
    """The horizontal extent in points of every word on a page (``pdftotext -bbox``)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    found = _WORD_BOX.findall(out.stdout.decode("utf-8"))
    return [(float(x0), float(x1)) for x0, x1 in found]


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def pdf_fonts(data: bytes) -> list[FontRow]:
    """The rows of ``pdffonts``: every font the PDF uses, with its embedding and subsetting."""
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    rows = []
    for line in out.stdout.decode().splitlines()[2:]:
        fields = line.split()
        # name type [type...] encoding emb sub uni object ID
        emb, sub, uni = fields[-5], fields[-4], fields[-3]
        rows.append(
            FontRow(fields[0], " ".join(fields[1:-6]), emb == "yes", sub == "yes", uni == "yes")
        )
    return rows


def page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def qr_modules(data: bytes) -> list[list[int]] | None:
    """The EPC QR code drawn in the PDF, read back from its form XObject as a module matrix.

    None when the PDF has no QR code. The form paints one ``x y w 1 re`` per run of
    dark modules in a grid of one unit per module (quiet zone included).
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            xobjects = page.Resources.get("/XObject", {})
            for name, xobject in dict(xobjects).items():
                if not name.endswith("EPC-QR"):
                    continue
                x0, _y0, x1, _y1 = (int(v) for v in xobject.BBox)
                size = x1 - x0
                grid = [[0] * size for _ in range(size)]
                for operands, operator in pikepdf.parse_content_stream(xobject):
                    if str(operator) == "re":
                        x, y, w, h = (int(v) for v in operands)
                        for column in range(x, x + w):
                            for row in range(y, y + h):
                                grid[size - 1 - row][column] = 1
                return grid
    return None
