"""What every business document shares: letterhead, addresses, facts, payment details, footer."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import epc, images, layout
from app.documents.formatting import Formatter, formatter, group_iban
from app.documents.labels import Labels, labels
from app.documents.layout import (
    BODY,
    BOLD,
    LABEL,
    LEFT,
    RIGHT,
    SMALL,
    TITLE,
    TOP,
    Band,
    Style,
)
from app.documents.source import Logo, Source
from app.domain.model import Party

LOGO_BOX = (62 * mm, 24 * mm)  # widest and tallest the logo is drawn
SELLER_WIDTH = layout.WIDTH - LOGO_BOX[0] - 8 * mm
ADDRESS_TOP = TOP - 34 * mm  # the buyer's address: where a DIN 5008 window envelope shows it
ADDRESS_WIDTH = 80 * mm
FACTS_LEFT = RIGHT - 86 * mm
FACTS_LABEL_WIDTH = 30 * mm
QR_SIZE = 32 * mm
DRAFT_NOTICE = Style(layout.BOLD.font, 8, 10, (0.75, 0.1, 0.1))


@dataclass(frozen=True)
class Context:
    """What every block needs: the document, its words and its number formats."""

    source: Source
    words: Labels
    formats: Formatter

    @classmethod
    def of(cls, source: Source) -> "Context":
        return cls(source, labels(source.language), formatter(source.language))

    @property
    def currency(self) -> str:
        return self.source.document.currency


# ------------------------------------------------------------------------------ identity


def identity(*parts: object, logo: Logo | None) -> bytes:
    """A stable fingerprint of the input for the PDF /ID (the logo by its hash, not its bytes)."""
    digest = hashlib.sha256(repr(parts).encode("utf-8"))
    if logo is not None:
        digest.update(hashlib.sha256(logo.data).digest())
    return digest.digest()


def without_logo(source: Source) -> Source:
    return replace(source, logo=None)


# ------------------------------------------------------------------------------ letterhead


def _draw_logo(canvas: Canvas, logo: Logo, top: float) -> None:
    """The logo in the top left corner, as large as fits :data:`LOGO_BOX`."""
    box_width, box_height = LOGO_BOX
    scale = min(box_width / logo.width, box_height / logo.height)
    width, height = logo.width * scale, logo.height * scale
    images.draw(canvas, images.prepare(logo.data), LEFT, top - height, width, height)


def party_lines(party: Party, ctx: Context, *, with_country: bool = True) -> list[str]:
    """Street, postcode and city, country: the postal address under the name."""
    lines = [party.street] if party.street else []
    place = " ".join(part for part in (party.postcode, party.city) if part)
    if place:
        lines.append(place)
    if with_country:
        lines.append(ctx.formats.country(party.country))
    return lines


def _seller_lines(ctx: Context) -> list[tuple[str, Style]]:
    """The seller's name, address and registrations, wrapped to the right of the logo."""
    seller = ctx.source.seller.party
    details = [
        ("party.vat_id", seller.vat_id),
        ("party.tax_id", seller.tax_id),
        ("party.legal_id", seller.legal_id),
        ("party.phone", seller.phone),
        ("party.email", seller.email),
    ]
    entries = [(seller.name, BOLD)]
    entries += [(line, BODY) for line in party_lines(seller, ctx)]
    entries += [(ctx.words.text(key, value=value), SMALL) for key, value in details if value]
    return [
        (line, style) for text, style in entries for line in layout.wrap(text, style, SELLER_WIDTH)
    ]


def _buyer_bands(ctx: Context) -> list[Band]:
    seller = ctx.source.seller.party
    buyer = ctx.source.document.buyer
    sender = " · ".join([seller.name, *party_lines(seller, ctx, with_country=False)])
    sender_lines = layout.wrap(sender, SMALL, ADDRESS_WIDTH)[:2]  # a window envelope shows two
    bands = [layout.lines_band(sender_lines, SMALL, LEFT, extra=4)]
    bands += [layout.lines_band(layout.wrap(buyer.name, BOLD, ADDRESS_WIDTH), BOLD, LEFT)]
    address = [
        line for text in party_lines(buyer, ctx) for line in layout.wrap(text, BODY, ADDRESS_WIDTH)
    ]
    bands.append(layout.lines_band(address, BODY, LEFT))
    registrations = [
        ctx.words.text(key, value=value)
        for key, value in (("party.vat_id", buyer.vat_id), ("party.legal_id", buyer.legal_id))
        if value
    ]
    if registrations:
        bands.append(layout.lines_band(registrations, SMALL, LEFT))
    return bands


def _fact_bands(facts: Sequence[tuple[str, str]]) -> list[Band]:
    """Label and value pairs in two columns at the right (number, dates, references)."""
    value_left = FACTS_LEFT + FACTS_LABEL_WIDTH
    value_width = RIGHT - value_left
    bands = []
    for label, value in facts:
        label_lines = layout.wrap(label, LABEL, FACTS_LABEL_WIDTH - 2 * mm)
        value_lines = layout.wrap(value, BODY, value_width)

        def draw(
            canvas: Canvas,
            top: float,
            label_lines: list[str] = label_lines,
            value_lines: list[str] = value_lines,
        ) -> None:
            layout.lines_band(label_lines, LABEL, FACTS_LEFT).draw(canvas, top - 1)
            layout.lines_band(value_lines, BODY, value_left).draw(canvas, top)

        height = max(len(label_lines) * LABEL.leading + 1, len(value_lines) * BODY.leading)
        bands.append(Band(height + 1, draw))
    return bands


def letterhead(ctx: Context, title: str, facts: Sequence[tuple[str, str]]) -> Band:
    """The top of the first page: logo, seller, buyer's address, the facts, and the title."""
    seller = _seller_lines(ctx)
    buyer = _buyer_bands(ctx)
    fact_bands = _fact_bands(facts)
    seller_height = sum(style.leading for _, style in seller)
    logo_height = LOGO_BOX[1] if ctx.source.logo else 0
    address_top = min(ADDRESS_TOP, TOP - max(seller_height, logo_height) - 6 * mm)
    columns = layout.side_by_side(buyer, fact_bands)
    title_top = address_top - columns.height - 10 * mm
    height = TOP - title_top + TITLE.leading + 4 * mm

    def draw(canvas: Canvas, top: float) -> None:
        if ctx.source.logo is not None:
            _draw_logo(canvas, ctx.source.logo, top)
        y = top
        for line, style in seller:
            layout.text(canvas, RIGHT, layout.baseline(y, style), line, style, "right")
            y -= style.leading
        columns.draw(canvas, address_top)
        layout.text(canvas, LEFT, layout.baseline(title_top, TITLE), title, TITLE)

    return Band(height, draw)


def draw_continuation(canvas: Canvas, ctx: Context, title: str) -> float:
    """ "Invoice INV-7 · Buyer" at the top of a following page; returns the content's top edge."""
    line = f"{title} · {ctx.source.document.buyer.name}"
    shown = layout.wrap(line, SMALL, layout.WIDTH)[0]
    layout.text(canvas, LEFT, layout.baseline(TOP, SMALL), shown, SMALL)
    layout.rule(canvas, LEFT, RIGHT, TOP - SMALL.leading - 1 * mm)
    return TOP - SMALL.leading - 5 * mm


def draw_draft_mark(canvas: Canvas, ctx: Context) -> None:
    """The big diagonal "DRAFT" under the content of every page of a draft."""
    canvas.saveState()
    canvas.translate(layout.PAGE_WIDTH / 2, layout.PAGE_HEIGHT / 2)
    canvas.rotate(50)
    mark = Style(layout.BOLD.font, 110, 110, (0.88, 0.88, 0.88))
    layout.text(canvas, 0, -40, ctx.words["draft.mark"], mark, "centre")
    canvas.restoreState()


def footer(ctx: Context) -> layout.Footer:
    """Seller's details and "Page n of m" under every page."""
    seller = ctx.source.seller
    party = seller.party
    first = " · ".join([party.name, *party_lines(party, ctx, with_country=False)])
    second_parts = []
    if party.vat_id:
        second_parts.append(ctx.words.text("party.vat_id", value=party.vat_id))
    if seller.iban:
        second_parts.append(f"{ctx.words['bank.iban']} {group_iban(seller.iban)}")
    if seller.bic:
        second_parts.append(f"{ctx.words['bank.bic']} {seller.bic}")
    second = " · ".join(second_parts)
    page_width = 30 * mm
    draft = ctx.source.number is None

    def draw(canvas: Canvas, page: int, pages: int) -> None:
        y = layout.BOTTOM - 8 * mm
        layout.rule(canvas, LEFT, RIGHT, y + SMALL.leading)
        for line in (first, second):
            if line:
                shown = layout.wrap(line, SMALL, layout.WIDTH - page_width)[0]
                layout.text(canvas, LEFT, y, shown, SMALL)
                y -= SMALL.leading
        numbering = ctx.words.text("page.number", page=page, pages=pages)
        layout.text(canvas, RIGHT, layout.BOTTOM - 8 * mm, numbering, SMALL, "right")
        if draft:
            notice = ctx.words["draft.notice"]
            layout.text(canvas, LEFT, layout.BOTTOM - 3 * mm, notice, DRAFT_NOTICE)

    return draw


# ------------------------------------------------------------------------------ amounts


def amount_rows(rows: Sequence[tuple[str, str, bool]], left: float = RIGHT - 78 * mm) -> list[Band]:
    """Right-hand label/amount rows (totals); a bold row gets a rule above it."""
    value_width = 30 * mm
    label_width = RIGHT - left - value_width
    bands = []
    for label, value, strong in rows:
        style = layout.TOTAL if strong else BODY
        label_lines = layout.wrap(label, style, label_width)

        def draw(
            canvas: Canvas,
            top: float,
            style: Style = style,
            label_lines: list[str] = label_lines,
            value: str = value,
            strong: bool = strong,
        ) -> None:
            if strong:
                layout.rule(canvas, left, RIGHT, top, 0.8)
            y = layout.baseline(top - (2 if strong else 0), style)
            layout.text(canvas, RIGHT, y, value, style, "right")
            for line in label_lines:
                layout.text(canvas, left, y, line, style)
                y -= style.leading

        extra = 4 if strong else 0
        bands.append(Band(len(label_lines) * style.leading + extra, draw))
    return bands


# ------------------------------------------------------------------------------ payment


def bank_bands(ctx: Context, transfer: epc.Transfer | None, reference: str | None) -> list[Band]:
    """The seller's bank account (IBAN in groups of four) and the GiroCode beside it."""
    seller = ctx.source.seller
    if not seller.iban:
        return []
    facts = [
        (ctx.words["bank.holder"], seller.party.name),
        (ctx.words["bank.iban"], group_iban(seller.iban)),
    ]
    if seller.bic:
        facts.append((ctx.words["bank.bic"], seller.bic))
    if reference:
        facts.append((ctx.words["bank.reference"], reference))
    label_width = 36 * mm
    value_width = 90 * mm
    rows = []
    for label, value in facts:
        value_lines = layout.wrap(value, BODY, value_width)
        rows.append((label, value_lines))
    text_height = sum(len(lines) * BODY.leading for _, lines in rows)
    caption = layout.wrap(ctx.words["bank.qr_caption"], SMALL, QR_SIZE)
    qr_height = QR_SIZE + len(caption) * SMALL.leading if transfer else 0
    height = max(text_height, qr_height) + 2 * mm

    def draw(canvas: Canvas, top: float) -> None:
        y = top
        for label, value_lines in rows:
            layout.text(canvas, LEFT, layout.baseline(y, BODY), label, LABEL)
            layout.lines_band(value_lines, BODY, LEFT + label_width).draw(canvas, y)
            y -= len(value_lines) * BODY.leading
        if transfer is not None:
            epc.draw(canvas, transfer, RIGHT - QR_SIZE, top - QR_SIZE, QR_SIZE)
            y = layout.baseline(top - QR_SIZE, SMALL)
            for line in caption:
                layout.text(canvas, RIGHT - QR_SIZE / 2, y, line, SMALL, "centre")
                y -= SMALL.leading

    return [Band(height, draw)]


def small_note_bands(values: Sequence[str]) -> list[Band]:
    return [band for value in values for band in layout.paragraph(value, SMALL)]
