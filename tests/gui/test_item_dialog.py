"""Adding a catalogue item through its dialog: messages under the field, then saved."""

from decimal import Decimal

from document_support import context, on_worker  # noqa: F401
from gui_support import WAIT_MS, click
from PySide6.QtWidgets import QDialog

from app.services import items
from ui.dialogs.item_dialog import ItemDialog


def test_a_bad_price_is_shown_by_its_field_then_the_item_is_saved(qtbot, context):  # noqa: F811
    dialog = ItemDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.description, "Photo session, half day")
    qtbot.keyClicks(dialog.price, "abc")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.errors["net_price"].isVisible(), timeout=WAIT_MS)
    assert dialog.result() != QDialog.DialogCode.Accepted

    dialog.price.clear()
    qtbot.keyClicks(dialog.price, "640.00")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=WAIT_MS)
    found = on_worker(context, items.complete, "Photo")
    assert [(i.description, i.net_price) for _id, i in found] == [
        ("Photo session, half day", Decimal("640.00"))
    ]
