"""The emergency sheet: the recovery key on paper, with the way back to the data with or without us.

Printed once when the vault is created. It must still be useful in ten years
on a machine without InvoiceVault, so besides the in-app restore it spells out
the stock ``age`` and ``sqlcipher`` commands (docs/backup-format.md).

The recovery key is a secret: it appears only in the returned bytes (page
content), never in the PDF's metadata or /ID, never in a log or a file.
"""

from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import fonts, layout
from app.documents.formatting import LOCALES, formatter
from app.documents.labels import Labels, labels
from app.documents.layout import BODY, BOLD, LEFT, RIGHT, SMALL, Band, Style

TITLE_STYLE = Style(fonts.BOLD, 15, 19)
KEY_STYLE = Style(fonts.MONO, 16, 21)
EXACT_STYLE = Style(fonts.MONO, 8.5, 12)
COMMAND_STYLE = Style(fonts.MONO, 9, 12)
_KEY_PREFIX = "AGE-SECRET-KEY-1"
_GROUP = 4
_GROUPS_PER_LINE = 6

#: The commands, exactly as typed (docs/backup-format.md); only their explanations are translated.
DECRYPT = "age -d -i recovery.txt -o backup.tar backup.ivbak"
UNPACK = "tar -xf backup.tar"
OPEN_DATABASE = "sqlcipher invoicevault.db"
DATABASE_KEY = "PRAGMA key = \"x'<database_key>'\";"


def key_lines(recovery_key: str) -> list[str]:
    """The key in groups of four, six groups a line, after its fixed ``AGE-SECRET-KEY-1`` start."""
    key = "".join(recovery_key.split())
    head, rest = (
        (key[: len(_KEY_PREFIX)], key[len(_KEY_PREFIX) :])
        if key.upper().startswith(_KEY_PREFIX)
        else ("", key)
    )
    groups = [rest[i : i + _GROUP] for i in range(0, len(rest), _GROUP)]
    lines = [head] if head else []
    lines += [
        " ".join(groups[i : i + _GROUPS_PER_LINE]) for i in range(0, len(groups), _GROUPS_PER_LINE)
    ]
    return lines


def _step(number: int, value: str) -> Band:
    """A numbered step, its text wrapped beside the number."""
    indent = 6 * mm
    lines = layout.wrap(value, BODY, layout.WIDTH - indent)

    def draw(canvas: Canvas, top: float) -> None:
        layout.text(canvas, LEFT, layout.baseline(top, BODY), f"{number}.", BOLD)
        layout.lines_band(lines, BODY, LEFT + indent).draw(canvas, top)

    return Band(len(lines) * BODY.leading + 2, draw)


def _command(command: str) -> Band:
    """A command in a grey box, in the monospace font, indented under its step."""
    height = COMMAND_STYLE.leading + 5

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColorRGB(*layout.SHADE)
        canvas.rect(LEFT + 6 * mm, top - height + 2, layout.WIDTH - 6 * mm, height - 2, 0, 1)
        y = layout.baseline(top - 2.5, COMMAND_STYLE)
        layout.text(canvas, LEFT + 8 * mm, y, command, COMMAND_STYLE)

    return Band(height + 2, draw)


def _warning(words: Labels) -> Band:
    """The boxed warning: paper only, and whoever holds it reads everything."""
    inner = layout.WIDTH - 8 * mm
    title = layout.wrap(words["emergency.warning.title"], BOLD, inner)
    body = layout.wrap(words["emergency.warning.text"], BODY, inner)
    height = (len(title) + len(body)) * BODY.leading + 8 * mm

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setStrokeColorRGB(0.75, 0.1, 0.1)
        canvas.setLineWidth(1.2)
        canvas.rect(LEFT, top - height + 2 * mm, layout.WIDTH, height - 2 * mm, 1, 0)
        y = top - 4 * mm
        layout.lines_band(title, BOLD, LEFT + 4 * mm).draw(canvas, y)
        y -= len(title) * BOLD.leading
        layout.lines_band(body, BODY, LEFT + 4 * mm).draw(canvas, y)

    return Band(height + 2 * mm, draw)


def _key_box(recovery_key: str, words: Labels) -> list[Band]:
    grouped = key_lines(recovery_key)
    exact = "".join(recovery_key.split())
    hint = layout.wrap(words["emergency.key.hint"], SMALL, layout.WIDTH)
    height = len(grouped) * KEY_STYLE.leading + 6 * mm

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setStrokeColorRGB(*layout.BLACK)
        canvas.setLineWidth(1)
        canvas.rect(LEFT, top - height + 2 * mm, layout.WIDTH, height - 2 * mm, 1, 0)
        layout.lines_band(grouped, KEY_STYLE, LEFT + layout.WIDTH / 2, "centre").draw(
            canvas, top - 2 * mm
        )

    return [
        *layout.heading(words["emergency.key.heading"]),
        Band(height, draw),
        layout.lines_band(hint, SMALL, LEFT, extra=3),
        layout.lines_band([words["emergency.key.exact"]], SMALL, LEFT),
        layout.lines_band(layout.wrap(exact, EXACT_STYLE, layout.WIDTH), EXACT_STYLE, LEFT),
    ]


def render_emergency_sheet(vault_id: str, recovery_key: str, created: date, language: str) -> bytes:
    """The emergency sheet PDF for a vault: its id, the recovery key and how to restore."""
    words = labels(language)
    formats = formatter(language)
    title = words["emergency.title"]
    metadata = layout.Metadata(
        title=title,
        author="InvoiceVault",
        subject=words.text("emergency.vault_id", id=vault_id),
        created=created,
        language=LOCALES[language].replace("_", "-"),
        identity=f"emergency-sheet\0{vault_id}\0{created.isoformat()}\0{language}".encode(),
    )

    def footer(canvas: Canvas, page: int, pages: int) -> None:
        y = layout.BOTTOM - 8 * mm
        layout.rule(canvas, LEFT, RIGHT, y + SMALL.leading)
        layout.text(canvas, LEFT, y, words.text("emergency.vault_id", id=vault_id), SMALL)
        numbering = words.text("page.number", page=page, pages=pages)
        layout.text(canvas, RIGHT, y, numbering, SMALL, "right")

    canvas = layout.DocumentCanvas(metadata, footer)
    flow = layout.Flow(canvas, lambda canvas, first: layout.TOP)
    flow.flow(
        [
            layout.lines_band(layout.wrap(title, TITLE_STYLE, layout.WIDTH), TITLE_STYLE, LEFT),
            layout.gap(2 * mm),
            *layout.paragraph(words["emergency.intro"], BODY),
            layout.gap(3 * mm),
            layout.lines_band(
                [
                    words.text("emergency.vault_id", id=vault_id),
                    words.text("emergency.created", date=formats.date(created)),
                ],
                BODY,
                LEFT,
                extra=3 * mm,
            ),
            _warning(words),
        ]
    )
    flow.keep(_key_box(recovery_key, words))
    flow.keep(
        [
            *layout.heading(words["emergency.restore.heading"]),
            *(_step(n, words[f"emergency.restore.step.{n}"]) for n in range(1, 6)),
        ]
    )
    # The stock-tools part may continue on a second page, but never between a step
    # and its command.
    flow.keep(
        [
            *layout.heading(words["emergency.age.heading"]),
            *layout.paragraph(words["emergency.age.intro"], BODY),
            layout.gap(2 * mm),
            _step(1, words["emergency.age.step.1"]),
        ]
    )
    flow.keep([_step(2, words["emergency.age.step.2"]), _command(DECRYPT)])
    flow.keep([_step(3, words["emergency.age.step.3"]), _command(UNPACK)])
    flow.keep(
        [
            _step(4, words["emergency.age.step.4"]),
            _command(OPEN_DATABASE),
            _command(DATABASE_KEY),
        ]
    )
    flow.keep([layout.gap(1 * mm), *layout.paragraph(words["emergency.age.cleanup"], BODY)])
    return canvas.finish()
