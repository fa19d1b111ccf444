"""The PDF of a quote, invoice, credit note or payment reminder.

:func:`render` and :func:`render_reminder` are pure: the same input gives
byte-identical output (see :class:`app.documents.layout.DocumentCanvas`).
Every word comes from the translation files (:mod:`app.documents.labels`),
every number and date is formatted by Babel for the document's language, and
the only fonts are the embedded Noto subsets (:mod:`app.documents.fonts`).
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import blocks, epc, layout
from app.documents.blocks import Context
from app.documents.formatting import LOCALES
from app.documents.layout import BODY, LEFT, RIGHT, SMALL, SMALL_BOLD, WIDTH, Band, Style
from app.documents.source import ReminderSource, Source
from app.domain.model import AllowanceCharge, DocumentType, Line, VatCategory
from app.domain.totals import VatBreakdown, line_price_amount

#: Categories shown with their rate in the lines table; the others by their code,
#: which the VAT breakdown under the table explains.
_RATED = frozenset(
    {VatCategory.STANDARD, VatCategory.ZERO, VatCategory.CANARY, VatCategory.CEUTA_MELILLA}
)
#: Categories whose breakdown carries a printed exemption note (EN 16931 BT-120 wording).
_NOTED = frozenset(
    {
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY,
        VatCategory.EXPORT,
        VatCategory.NOT_SUBJECT,
    }
)


def _columns() -> dict[str, tuple[float, float, str]]:
    """The lines table: column → (left, right, alignment)."""
    edges = {
        "position": (0, 9),
        "description": (9, 76),
        "quantity": (76, 96),
        "unit": (98, 115),
        "price": (115, 136),
        "vat": (136, 148),
        "amount": (148, WIDTH / mm),
    }
    align = {"position": "left", "description": "left", "unit": "left"}
    return {
        name: (LEFT + a * mm, LEFT + b * mm, align.get(name, "right"))
        for name, (a, b) in edges.items()
    }


COLUMNS = _columns()
_GUTTER = 2 * mm


def _cell_width(column: str) -> float:
    left, right, _align = COLUMNS[column]
    return right - left - _GUTTER


def _anchor(column: str) -> float:
    left, right, align = COLUMNS[column]
    return right if align == "right" else left


def _grid(cells: dict[str, str], style: Style) -> list[Band]:
    """One table row of single-style cells, each wrapped in its column: one band per text line."""
    wrapped = {name: layout.wrap(value, style, _cell_width(name)) for name, value in cells.items()}
    depth = max(len(lines) for lines in wrapped.values())
    bands = []
    for index in range(depth):
        parts = [
            (_anchor(name), COLUMNS[name][2], lines[index])
            for name, lines in wrapped.items()
            if index < len(lines) and lines[index]
        ]

        def draw(canvas: Canvas, top: float, parts: list[tuple[float, str, str]] = parts) -> None:
            y = layout.baseline(top, style)
            layout.texts(canvas, ((x, y, value, style, align) for x, align, value in parts))

        bands.append(Band(style.leading, draw))
    return bands


def _row_rule(canvas: Canvas, top: float) -> None:
    layout.rule(canvas, LEFT, RIGHT, top - 2.5, 0.3)


# ------------------------------------------------------------------------------ VAT wording


def _vat_name(ctx: Context, category: VatCategory, rate: Decimal | None) -> str:
    """How a VAT category reads in the breakdown: "VAT 19 %", "Reverse charge (AE)".

    Categories without a rate carry their code, which is what the lines table shows.
    """
    name = ctx.words.text(f"vat.{category.value}", rate=ctx.formats.percent(rate or Decimal(0)))
    return name if category in _RATED else f"{name} ({category.value})"


def _vat_cell(ctx: Context, line: Line) -> str:
    if line.vat_category in _RATED:
        return ctx.formats.percent(line.vat_rate or Decimal(0))
    return line.vat_category.value


def _exemption_notes(ctx: Context, breakdown: Sequence[VatBreakdown]) -> list[str]:
    """Per category without VAT its legal wording, then the lines' own reason (BT-120).

    "Reverse charge: VAT to be accounted for by the recipient – Art. 196 …"; a
    category with only a reason (a zero-rated line explained by the user) is
    introduced by its name.
    """
    notes = []
    for entry in breakdown:
        reason = entry.exemption_reason.strip()
        if entry.category in _NOTED:
            wording = ctx.words[f"vat.note.{entry.category.value}"]
            same = reason.casefold() in wording.casefold()  # "Export outside the EU" again
            notes.append(f"{wording} – {reason}" if reason and not same else wording)
        elif reason:
            notes.append(f"{_vat_name(ctx, entry.category, entry.rate)}: {reason}")
    return notes


# ------------------------------------------------------------------------------ lines table


def _table_header(ctx: Context) -> list[Band]:
    names = {
        "position": ctx.words["lines.position"],
        "description": ctx.words["lines.description"],
        "quantity": ctx.words["lines.quantity"],
        "unit": ctx.words["lines.unit"],
        "price": ctx.words["lines.price"],
        "vat": ctx.words["lines.vat"],
        "amount": ctx.words.text("lines.amount", currency=ctx.currency),
    }
    rows = _grid(names, SMALL_BOLD)
    height = sum(band.height for band in rows) + 6

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColorRGB(*layout.SHADE)
        canvas.rect(LEFT, top - height + 1, layout.WIDTH, height - 1, stroke=0, fill=1)
        y = top - 3
        for band in rows:
            band.draw(canvas, y)
            y -= band.height

    return [Band(height + 2, draw)]


def _unit(ctx: Context, code: str) -> str:
    key = f"unit.{code}"
    return ctx.words.get(key, code)  # a unit without a name shows its code


def _sub_row(description: str, amount: str = "") -> list[Band]:
    cells = {"description": description}
    if amount:
        cells["amount"] = amount
    return _grid(cells, SMALL)


def _adjustments(
    ctx: Context, items: Sequence[AllowanceCharge], key: str, sign: Decimal
) -> list[Band]:
    bands = []
    for item in items:
        text = ctx.words.text(key, reason=item.reason or ctx.words[f"{key}.unnamed"])
        bands += _sub_row(text, ctx.formats.amount(sign * item.amount, ctx.currency))
    return bands


def _line_row(ctx: Context, number: int, line: Line, net_amount: Decimal) -> list[Band]:
    formats, currency = ctx.formats, ctx.currency
    adjusted = bool(line.allowances or line.charges)
    shown_amount = line_price_amount(line, currency) if adjusted else net_amount
    bands = _grid(
        {
            "position": str(number),
            "description": line.description,
            "quantity": formats.quantity(line.quantity),
            "unit": _unit(ctx, line.unit),
            "price": formats.price(line.net_price, currency),
            "vat": _vat_cell(ctx, line),
            "amount": formats.amount(shown_amount, currency),
        },
        BODY,
    )
    if line.item_id:
        bands += _sub_row(ctx.words.text("lines.item_id", id=line.item_id))
    if line.price_base_quantity != 1:
        base = formats.quantity(line.price_base_quantity)
        bands += _sub_row(
            ctx.words.text("lines.price_base", quantity=base, unit=_unit(ctx, line.unit))
        )
    if line.gross_price is not None and line.gross_price != line.net_price:
        gross = formats.price(line.gross_price, currency)
        discount = formats.price(line.gross_price - line.net_price, currency)
        bands += _sub_row(ctx.words.text("lines.gross_price", gross=gross, discount=discount))
    bands += _adjustments(ctx, line.allowances, "lines.allowance", Decimal(-1))
    bands += _adjustments(ctx, line.charges, "lines.charge", Decimal(1))
    if adjusted:
        total = ctx.words["lines.net_amount"]
        bands += _grid(
            {"description": total, "amount": formats.amount(net_amount, currency)}, SMALL_BOLD
        )
    bands.append(Band(5, _row_rule))
    return bands


# ------------------------------------------------------------------------------ totals


def _breakdown_bands(ctx: Context, breakdown: Sequence[VatBreakdown]) -> list[Band]:
    """The VAT breakdown (BG-23) as a small table at the left of the totals."""
    name_right = LEFT + 38 * mm
    taxable_right = LEFT + 59 * mm
    tax_right = LEFT + 80 * mm

    def row(cells: Sequence[str], style: Style) -> Band:
        name_lines = layout.wrap(cells[0], style, name_right - LEFT - _GUTTER)

        def draw(canvas: Canvas, top: float) -> None:
            y = layout.baseline(top, style)
            layout.text(canvas, taxable_right, y, cells[1], style, "right")
            layout.text(canvas, tax_right, y, cells[2], style, "right")
            for line in name_lines:
                layout.text(canvas, LEFT, y, line, style)
                y -= style.leading

        return Band(len(name_lines) * style.leading, draw)

    words = ctx.words
    header = row([words["vat.heading"], words["vat.taxable"], words["vat.amount"]], SMALL_BOLD)
    bands = [header, Band(3, lambda canvas, top: layout.rule(canvas, LEFT, tax_right, top - 1))]
    for entry in breakdown:
        cells = [
            _vat_name(ctx, entry.category, entry.rate),
            ctx.formats.amount(entry.taxable, ctx.currency),
            ctx.formats.amount(entry.tax, ctx.currency),
        ]
        bands.append(row(cells, BODY))
    return bands


def _document_adjustments(ctx: Context) -> list[tuple[str, str, bool]]:
    """Each document-level allowance and charge (BG-20, BG-21) as a totals row."""
    document, words, formats = ctx.source.document, ctx.words, ctx.formats
    rows = []
    for items, key, sign in (
        (document.allowances, "totals.allowance", Decimal(-1)),
        (document.charges, "totals.charge", Decimal(1)),
    ):
        for item in items:
            vat = _vat_name(ctx, item.vat_category or VatCategory.STANDARD, item.vat_rate)
            reason = item.reason or words[f"{key}.unnamed"]
            label = words.text(key, reason=reason, vat=vat)
            rows.append((label, formats.money(sign * item.amount, ctx.currency), False))
    return rows


def _total_rows(ctx: Context) -> list[tuple[str, str, bool]]:
    """BT-106 … BT-115, each shown when it says something (no zero allowances or rounding)."""
    totals, words, formats = ctx.source.totals, ctx.words, ctx.formats
    kind = ctx.source.document.type

    def money(amount: Decimal) -> str:
        return formats.money(amount, ctx.currency)

    rows = []
    adjustments = _document_adjustments(ctx)
    if adjustments:
        rows.append((words["totals.lines"], money(totals.sum_of_lines), False))
        rows += adjustments
        if len(ctx.source.document.allowances) > 1:
            rows.append((words["totals.allowances"], money(-totals.allowances), False))
        if len(ctx.source.document.charges) > 1:
            rows.append((words["totals.charges"], money(totals.charges), False))
    rows.append((words["totals.net"], money(totals.without_vat), False))
    rows.append((words["totals.vat"], money(totals.vat), False))
    rows.append((words["totals.gross"], money(totals.with_vat), True))
    if kind is not DocumentType.QUOTE and (totals.prepaid or totals.rounding):
        if totals.prepaid:
            rows.append((words["totals.prepaid"], money(-totals.prepaid), False))
        if totals.rounding:
            rows.append((words["totals.rounding"], money(totals.rounding), False))
        rows.append((words[f"totals.due.{kind.value}"], money(totals.due), True))
    return rows


# ------------------------------------------------------------------------------ closing parts


def _title(ctx: Context) -> str:
    kind = ctx.source.document.type.value
    name = ctx.words[f"title.{kind}"]
    if ctx.source.number is None:
        return ctx.words.text("title.draft", title=name)
    return f"{name} {ctx.source.number}"


def _facts(ctx: Context) -> list[tuple[str, str]]:
    document, words, formats = ctx.source.document, ctx.words, ctx.formats
    kind = document.type
    number = ctx.source.number or words["draft.number"]
    facts = [
        (words[f"fact.number.{kind.value}"], number),
        (words["fact.date"], formats.date(document.issue_date)),
    ]
    if document.due_date is not None:
        key = "fact.valid_until" if kind is DocumentType.QUOTE else "fact.due_date"
        facts.append((words[key], formats.date(document.due_date)))
    if document.delivery_date is not None:
        facts.append((words["fact.delivery_date"], formats.date(document.delivery_date)))
    if document.period_start is not None or document.period_end is not None:
        start, end = document.period_start, document.period_end
        period = words.text(
            "fact.period_value",
            start=formats.date(start) if start else "…",
            end=formats.date(end) if end else "…",
        )
        facts.append((words["fact.period"], period))
    if document.deliver_to_country:
        facts.append((words["fact.deliver_to"], formats.country(document.deliver_to_country)))
    preceding = ctx.source.preceding_number or document.preceding_invoice
    if kind is DocumentType.CREDIT_NOTE and preceding:
        facts.append((words["fact.preceding_invoice"], preceding))
    if document.buyer_reference:
        facts.append((words["fact.buyer_reference"], document.buyer_reference))
    if document.order_reference:
        facts.append((words["fact.order_reference"], document.order_reference))
    return facts


def _settlement(ctx: Context) -> list[Band]:
    """How the money moves: transfer request and bank details, refund, or quote validity."""
    source, words, formats = ctx.source, ctx.words, ctx.formats
    document, totals = source.document, source.totals
    kind = document.type
    due = formats.money(totals.due, ctx.currency)
    texts = []
    bank: list[Band] = []
    if kind is DocumentType.QUOTE:
        if document.due_date is not None:
            texts.append(words.text("quote.validity", date=formats.date(document.due_date)))
        if document.payment_terms:
            texts.append(words.text("quote.payment_terms", terms=document.payment_terms))
        heading = words["quote.heading"]
    elif kind is DocumentType.CREDIT_NOTE:
        texts.append(words.text("credit_note.settlement", amount=due))
        if document.payment_terms:
            texts.append(document.payment_terms)
        heading = words["credit_note.heading"]
    else:
        if document.payment_terms:
            texts.append(document.payment_terms)
        if totals.due <= 0:
            texts.append(words["payment.nothing_due"])
        elif document.due_date is not None:
            texts.append(
                words.text("payment.request_by", amount=due, date=formats.date(document.due_date))
            )
        else:
            texts.append(words.text("payment.request", amount=due))
        heading = words["payment.heading"]
        transfer = None
        if totals.due > 0:
            transfer = epc.transfer(
                name=source.seller.party.name,
                iban=source.seller.iban,
                bic=source.seller.bic,
                currency=ctx.currency,
                amount=totals.due,
                reference=source.number,
            )
            bank = [layout.gap(2 * mm), *blocks.bank_bands(ctx, transfer, source.number)]
    if not texts and not bank:
        return []
    paragraphs = [band for text in texts for band in layout.paragraph(text, BODY)]
    return [*layout.heading(heading), *paragraphs, *bank]


def _page_start(ctx: Context, title: str) -> layout.PageStart:
    def start(canvas: Canvas, first: bool) -> float:
        if ctx.source.number is None:
            blocks.draw_draft_mark(canvas, ctx)
        return layout.TOP if first else blocks.draw_continuation(canvas, ctx, title)

    return start


def _metadata(ctx: Context, title: str, created: date, identity: bytes) -> layout.Metadata:
    return layout.Metadata(
        title=title,
        author=ctx.source.seller.party.name,
        subject=title,
        created=created,
        language=LOCALES[ctx.source.language].replace("_", "-"),
        identity=identity,
    )


# ------------------------------------------------------------------------------ public


def render(source: Source) -> bytes:
    """The PDF of a quote, invoice or credit note (``source.document.type`` says which)."""
    ctx = Context.of(source)
    document, totals = source.document, source.totals
    title = _title(ctx)
    identity = blocks.identity(blocks.without_logo(source), logo=source.logo)
    canvas = layout.DocumentCanvas(
        _metadata(ctx, title, document.issue_date, identity), blocks.footer(ctx)
    )
    flow = layout.Flow(canvas, _page_start(ctx, title))
    flow.place(blocks.letterhead(ctx, title, _facts(ctx)))
    rows = (
        _line_row(ctx, number, line, amount)
        for number, (line, amount) in enumerate(
            zip(document.lines, totals.line_net_amounts, strict=True), start=1
        )
    )
    flow.table(_table_header(ctx), rows)
    summary = layout.side_by_side(
        _breakdown_bands(ctx, totals.vat_breakdown), blocks.amount_rows(_total_rows(ctx))
    )
    flow.keep([layout.gap(4 * mm), summary])
    notes = _exemption_notes(ctx, totals.vat_breakdown)
    if notes:
        flow.keep([layout.gap(3 * mm), *blocks.small_note_bands(notes)])
    if document.note:
        flow.flow([layout.gap(4 * mm), *layout.paragraph(document.note, BODY)])
    settlement = _settlement(ctx)
    if settlement:
        flow.keep(settlement)
    return canvas.finish()


def render_reminder(source: ReminderSource) -> bytes:
    """The PDF of a payment reminder (level 1 friendly, 2 second, 3 final) for an issued invoice."""
    invoice = source.invoice
    if invoice.number is None:
        raise ValueError("a reminder needs an issued invoice, not a draft")
    if source.level not in (1, 2, 3):
        raise ValueError(f"reminder level must be 1, 2 or 3, not {source.level}")
    ctx = Context.of(invoice)
    words, formats, currency = ctx.words, ctx.formats, ctx.currency
    document = invoice.document
    due_date = document.due_date or document.issue_date
    title = words[f"reminder.title.{source.level}"]
    total_due = source.outstanding + source.fee
    identity = blocks.identity(
        blocks.without_logo(invoice),
        source.level,
        source.sent_on,
        source.outstanding,
        source.fee,
        logo=invoice.logo,
    )
    canvas = layout.DocumentCanvas(
        _metadata(ctx, title, source.sent_on, identity), blocks.footer(ctx)
    )
    flow = layout.Flow(
        canvas,
        lambda canvas, first: layout.TOP if first else blocks.draw_continuation(canvas, ctx, title),
    )
    facts = [
        (words["fact.date"], formats.date(source.sent_on)),
        (words["fact.number.invoice"], invoice.number),
        (words["reminder.invoice_date"], formats.date(document.issue_date)),
        (words["fact.due_date"], formats.date(due_date)),
    ]
    if document.buyer_reference:
        facts.append((words["fact.buyer_reference"], document.buyer_reference))
    flow.place(blocks.letterhead(ctx, title, facts))
    intro = words.text(
        f"reminder.intro.{source.level}",
        number=invoice.number,
        date=formats.date(document.issue_date),
        due_date=formats.date(due_date),
    )
    flow.flow(layout.paragraph(intro, BODY))

    def money(amount: Decimal) -> str:
        return formats.money(amount, currency)

    rows = [(words["reminder.invoice_total"], money(invoice.totals.due), False)]
    paid = invoice.totals.due - source.outstanding
    if paid > 0:
        rows.append((words["reminder.paid"], money(-paid), False))
    rows.append((words["reminder.outstanding"], money(source.outstanding), False))
    if source.fee:
        rows.append((words["reminder.fee"], money(source.fee), False))
    rows.append((words["reminder.total_due"], money(total_due), True))
    flow.keep([layout.gap(5 * mm), *blocks.amount_rows(rows)])
    closing = words.text(f"reminder.closing.{source.level}", amount=money(total_due))
    flow.flow([layout.gap(5 * mm), *layout.paragraph(closing, BODY)])
    transfer = epc.transfer(
        name=invoice.seller.party.name,
        iban=invoice.seller.iban,
        bic=invoice.seller.bic,
        currency=currency,
        amount=total_due,
        reference=invoice.number,
    )
    bank = blocks.bank_bands(ctx, transfer, invoice.number)
    if bank:
        flow.keep([*layout.heading(words["payment.heading"]), *bank])
    return canvas.finish()
