"""A small page-layout engine on a reportlab canvas: styles, wrapping, bands flowing down pages.

Documents are laid out as a sequence of *bands*: a band is a strip of known
height that draws itself at a given top edge. A :class:`Flow` places bands
from the top of the page down, starts a new page when the next group of bands
does not fit, and can repeat a header band (the lines table's column titles)
at the top of every page a table continues on. Measuring is plain arithmetic
on font metrics, so a 500-line invoice lays out in one pass without the
overhead of a general-purpose layout engine.

:class:`DocumentCanvas` makes the output reproducible: the creation date and
file identifier come from the document, not from the clock (the same input
gives the same bytes), and the footer learns the page count ("Page 2 of 3")
by holding pages back until the end.
"""

import functools
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.documents import fonts

# Streams are written compressed and binary. reportlab would also wrap them in
# ASCII85, a 7-bit transport encoding that PDFs have not needed for decades: 25 %
# larger files and a tenth of the rendering time. This is a reportlab-wide setting;
# app.documents is the only user of reportlab in the application.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = PAGE_WIDTH - 18 * mm
WIDTH = RIGHT - LEFT
TOP = PAGE_HEIGHT - 15 * mm
BOTTOM = 24 * mm  # the footer sits below this line
#: Room a following page's own header may take: what is taller than a page minus this
#: is split rather than moved to the next page.
CONTINUATION = 12 * mm
FULL_PAGE = TOP - BOTTOM - CONTINUATION

GREY = (0.38, 0.38, 0.38)
RULE = (0.75, 0.75, 0.75)
SHADE = (0.94, 0.94, 0.94)
BLACK = (0, 0, 0)


@dataclass(frozen=True)
class Style:
    """A font at a size, with the distance between baselines of wrapped lines."""

    font: str
    size: float
    leading: float
    color: tuple[float, float, float] = BLACK

    def width(self, text: str) -> float:
        return fonts.width(text, self.font, self.size)

    @functools.cached_property
    def fill(self) -> str:
        """The PDF operator setting this style's colour."""
        red, green, blue = self.color
        return f"{red:g} {green:g} {blue:g} rg"


BODY = Style(fonts.REGULAR, 9, 12)
BOLD = Style(fonts.BOLD, 9, 12)
SMALL = Style(fonts.REGULAR, 7.5, 9.5, GREY)
SMALL_BOLD = Style(fonts.BOLD, 7.5, 9.5)
LABEL = Style(fonts.REGULAR, 8, 11, GREY)
HEADING = Style(fonts.BOLD, 10.5, 14)
TITLE = Style(fonts.BOLD, 17, 22)
TOTAL = Style(fonts.BOLD, 10, 14)


def _break_word(word: str, style: Style, width: float) -> list[str]:
    """A word wider than the column cut into pieces that fit (a long URL, say)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and style.width(current + char) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


#: Text that wrapping would leave as it is when it fits: no line breaks or tabs, no
#: leading, trailing or doubled spaces.
_SIMPLE = re.compile(
    r"[^ \t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+(?: [^ \t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+)*"
)


def _words(paragraph: str) -> list[str]:
    """Words split at ordinary spaces only: a no-break space (1 234,50 €) holds its words."""
    return [word for word in paragraph.replace("\t", " ").split(" ") if word]


def wrap(text: str, style: Style, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``; its own line breaks are kept."""
    if text and _SIMPLE.fullmatch(text) and style.width(text) <= width:
        return [text]  # most cells: one short line, nothing to break or tidy up
    result: list[str] = []
    space = style.width(" ")
    for paragraph in text.splitlines() or [""]:
        line: list[str] = []
        line_width = 0.0
        for word in _words(paragraph):
            word_width = style.width(word)
            if line and line_width + space + word_width <= width:
                line.append(word)
                line_width += space + word_width
                continue
            if line:
                result.append(" ".join(line))
            if word_width > width:
                *full, word = _break_word(word, style, width)
                result.extend(full)
                word_width = style.width(word)
            line, line_width = [word], word_width
        result.append(" ".join(line))
    return result


#: Each byte as it is written inside a PDF string: printable ASCII as itself, the
#: delimiters and everything else as an octal escape.
_ESCAPED = tuple(
    chr(code) if 0x20 <= code < 0x7F and code not in b"()\\" else f"\\{code:03o}"
    for code in range(256)
)

#: One line of text: x, baseline y, the text, its style, and left, right or centre at x.
Placed = tuple[float, float, str, Style, str]


def texts(canvas: Canvas, lines: Iterable[Placed]) -> None:
    """Lines of text written as one ``q BT … ET Q`` block of PDF operators.

    Written directly instead of through ``canvas.drawString``: an invoice shows a
    few hundred strings, and reportlab's general text object (font state, text
    matrix, number formatting in pure Python) took more than a third of the
    rendering time. The glyphs still go through the font's own subsetting
    (``splitString``), so the embedded subsets are exactly the ones reportlab
    would build.
    """
    document = canvas._doc  # the subsets belong to the document being written
    parts = ["q BT"]
    for x, y, value, style, align in lines:
        if not value:
            continue
        if align == "right":
            x -= style.width(value)
        elif align == "centre":
            x -= style.width(value) / 2
        parts.append(f"{style.fill} 1 0 0 1 {x:.2f} {y:.2f} Tm")
        font = pdfmetrics.getFont(style.font)
        for subset, chunk in font.splitString(value, document):
            name = font.getSubsetInternalName(subset, document)
            shown = "".join(map(_ESCAPED.__getitem__, chunk))
            parts.append(f"{name} {style.size:g} Tf ({shown}) Tj")
    if len(parts) > 1:
        parts.append("ET Q")
        canvas.addLiteral(" ".join(parts))


def text(canvas: Canvas, x: float, y: float, value: str, style: Style, align: str = "left") -> None:
    """One line of text with its baseline at ``y``; ``align`` is left, right or centre at ``x``."""
    texts(canvas, [(x, y, value, style, align)])


def baseline(top: float, style: Style) -> float:
    """The baseline of a line whose box starts at ``top``: the text sits in the upper part."""
    return top - style.size - (style.leading - style.size) / 3


def rule(canvas: Canvas, x0: float, x1: float, y: float, width: float = 0.5) -> None:
    """A thin grey horizontal line (written as operators, like :func:`text`)."""
    red, green, blue = RULE
    canvas.addLiteral(
        f"q {red:g} {green:g} {blue:g} RG {width:g} w {x0:.2f} {y:.2f} m {x1:.2f} {y:.2f} l S Q"
    )


# ------------------------------------------------------------------------------------ bands


@dataclass(frozen=True)
class Band:
    """A strip of the page: ``draw(canvas, top)`` paints it between ``top`` and ``top - height``."""

    height: float
    draw: Callable[[Canvas, float], None]


def gap(height: float) -> Band:
    return Band(height, lambda canvas, top: None)


def lines_band(
    lines: Sequence[str], style: Style, x: float, align: str = "left", extra: float = 0
) -> Band:
    """Lines of one style, one under the other, ``extra`` points of space below."""

    def draw(canvas: Canvas, top: float) -> None:
        first = baseline(top, style)
        texts(
            canvas,
            ((x, first - n * style.leading, line, style, align) for n, line in enumerate(lines)),
        )

    return Band(len(lines) * style.leading + extra, draw)


def paragraph(value: str, style: Style, x: float = LEFT, width: float = WIDTH) -> list[Band]:
    """Wrapped text as one band per line, so a long note may continue on the next page."""
    return [lines_band([line], style, x) for line in wrap(value, style, width)]


def heading(value: str, space_before: float = 5 * mm) -> list[Band]:
    """A section heading with some space above it."""
    return [gap(space_before), lines_band(wrap(value, HEADING, WIDTH), HEADING, LEFT, extra=2)]


def side_by_side(left: Sequence[Band], right: Sequence[Band]) -> Band:
    """Two columns of bands drawn next to each other, as tall as the taller one."""

    def draw(canvas: Canvas, top: float) -> None:
        for column in (left, right):
            y = top
            for band in column:
                band.draw(canvas, y)
                y -= band.height

    height = max(sum(b.height for b in left), sum(b.height for b in right))
    return Band(height, draw)


#: ``start(canvas, first)`` draws what a page has under its content (a continuation
#: header, the draft marking) and returns the top edge of the content area.
PageStart = Callable[[Canvas, bool], float]


class Flow:
    """Places bands down the pages of a canvas, starting new pages as needed."""

    def __init__(self, canvas: Canvas, start_page: PageStart) -> None:
        self.canvas = canvas
        self._start_page = start_page
        self.top = start_page(canvas, True)

    def new_page(self) -> None:
        self.canvas.showPage()
        self.top = self._start_page(self.canvas, False)

    def room(self) -> float:
        return self.top - BOTTOM

    def place(self, band: Band) -> None:
        """Draw a band at the current position (the caller has checked it fits)."""
        band.draw(self.canvas, self.top)
        self.top -= band.height

    def keep(self, bands: Sequence[Band]) -> None:
        """Bands that stay together on one page (split line by line only if no page holds them)."""
        height = sum(band.height for band in bands)
        if self.room() < height <= FULL_PAGE:
            self.new_page()
        self.flow(bands)

    def flow(self, bands: Iterable[Band]) -> None:
        """Bands that may break onto a new page anywhere between them."""
        for band in bands:
            if band.height > self.room():
                self.new_page()
            self.place(band)

    def table(self, header: Sequence[Band], rows: Iterable[Sequence[Band]]) -> None:
        """A table: ``header`` on top and again on every page it continues on.

        A row (a group of bands) moves to the next page rather than being split,
        unless it is taller than a page.
        """
        header_height = sum(band.height for band in header)
        rows = iter(rows)
        first = next(rows, None)
        first_height = sum(band.height for band in first) if first else 0
        if header_height + min(first_height, 3 * BODY.leading) > self.room():
            self.new_page()  # no header alone at the foot of a page
        for band in header:
            self.place(band)
        for row in [first, *rows] if first else []:
            height = sum(band.height for band in row)
            if self.room() < height <= FULL_PAGE - header_height:
                self._continue(header)
            for band in row:
                if band.height > self.room():
                    self._continue(header)
                self.place(band)

    def _continue(self, header: Sequence[Band]) -> None:
        self.new_page()
        for band in header:
            self.place(band)


# ------------------------------------------------------------------------------------ canvas


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself (document information dictionary and /ID)."""

    title: str
    author: str
    subject: str
    created: date
    language: str  # BCP 47, e.g. "de-DE"
    identity: bytes  # fixes the file identifier; never secret material


Footer = Callable[[Canvas, int, int], None]


class DocumentCanvas(Canvas):
    """A canvas that gives the same bytes for the same document and knows its page count.

    Pages are held back (``showPage`` keeps their content) and written on
    :meth:`finish`, when ``footer(canvas, page, pages)`` can print "Page 2 of 3".
    The creation date is the document's own date and the /ID a hash of
    :attr:`Metadata.identity`, so nothing depends on the clock or the machine.
    """

    def __init__(self, metadata: Metadata, footer: Footer) -> None:
        self._buffer = io.BytesIO()
        super().__init__(
            self._buffer,
            pagesize=A4,
            invariant=1,
            initialFontName=fonts.REGULAR,
            lang=metadata.language,
        )
        self._footer = footer
        self._held: list[dict[str, object]] = []
        self.setTitle(metadata.title)
        self.setAuthor(metadata.author)
        self.setSubject(metadata.subject)
        self.setCreator("InvoiceVault")
        stamp = f"D:{metadata.created:%Y%m%d}000000+00'00'"
        self.setDateFormatter(lambda *_ignored: stamp)
        digest = hashlib.sha256(b"invoicevault-pdf\0" + metadata.identity).digest()[:16]
        file_id = b"<" + digest.hex().encode("ascii") + b">"
        # reportlab offers no setter for /ID: this is the value its ID() would otherwise compute
        self._doc._ID = b"\n[" + file_id + file_id + b"]\n"

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def finish(self) -> bytes:
        """Write the held pages with their footers and return the PDF."""
        if self._code:
            self.showPage()
        pages = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._footer(self, number, pages)
            super().showPage()
        self._held = []
        self.save()
        return self._buffer.getvalue()
