"""The fonts of every PDF: Noto Sans (regular, bold) and Noto Sans Mono, from resources/fonts.

They are registered with reportlab once, when this module is imported (parsing
a TrueType file takes milliseconds; rendering must not pay that per page).
reportlab embeds only the glyphs a document uses (a subset), so a PDF opens
the same everywhere, with Latin, Greek and Cyrillic names, and never falls
back to the unembedded base-14 fonts. ``asciiReadable=False`` keeps the subsets
to the glyphs actually used (by default reportlab adds all of ASCII): a fifth
smaller files, and every issued PDF is stored in the vault. Text extraction
goes through the subsets' ToUnicode maps either way.
"""

import functools

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app import resources

REGULAR = "InvoiceVault-Sans"
BOLD = "InvoiceVault-Sans-Bold"
MONO = "InvoiceVault-Mono"

_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    MONO: "NotoSansMono-Regular.ttf",
}

for _name, _file in _FILES.items():
    _path = str(resources.path("fonts", _file))
    pdfmetrics.registerFont(TTFont(_name, _path, asciiReadable=False))


@functools.lru_cache(maxsize=8192)
def width(text: str, font: str, size: float) -> float:
    """Width of ``text`` in points (remembered: wrapping measures the same words again)."""
    return pdfmetrics.stringWidth(text, font, size)
