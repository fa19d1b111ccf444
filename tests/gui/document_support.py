"""A vault context for the document windows: seller, a client and items, no unlock screen.

The vault is created on the context's worker thread (SQLCipher connections stay
on the thread that made them); tests read the database afterwards through the
services, on that same thread.
"""

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from gui_support import WAIT_MS
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget
from support import BUYER, PASSPHRASE, SELLER

from app.domain.model import Item, VatCategory
from app.services import clients, invoicing, items
from app.vault.kdf import FLOOR
from ui import document_windows
from ui.context import AppContext
from ui.vault_ops import VaultOps
from ui.worker import DbWorker

ITEMS = (
    Item("Logo design", "HUR", Decimal("95.00"), "EUR", VatCategory.STANDARD, Decimal(19)),
    Item("Hosting (monthly)", "MON", Decimal("19.90"), "EUR", VatCategory.STANDARD, Decimal(19)),
)


def on_worker(context: AppContext, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(session, *args)`` on the worker, waited for: how a test looks into the database."""
    future = context.worker.run(context.ops.call, fn, *args)
    assert future is not None
    return future.result(timeout=WAIT_MS / 1000)


@pytest.fixture
def context(qtbot, data_dir) -> Iterator[AppContext]:
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = DbWorker(parent)
    ops = VaultOps(data_dir, "owner", FLOOR)
    ctx = AppContext(worker, ops, parent)
    future = worker.run(ops.create, PASSPHRASE)
    assert future is not None
    future.result(timeout=WAIT_MS / 1000)
    on_worker(ctx, invoicing.set_seller_profile, SELLER)
    on_worker(ctx, clients.create_client, BUYER)
    for item in ITEMS:
        on_worker(ctx, items.create_item, item)
    ctx.about_to_lock = Locking(parent)  # type: ignore[attr-defined]
    ctx.windows = document_windows.install(  # type: ignore[attr-defined]
        ctx, parent, ctx.about_to_lock.about_to_lock
    )
    yield ctx
    for widget in QApplication.topLevelWidgets():
        if widget.parent() is parent:  # the document windows: gone before the next test
            widget.dirty = False  # type: ignore[attr-defined]
            widget.close()
            widget.deleteLater()
    worker.shutdown(ops.lock)


class Locking(QObject):
    """Stands for the vault window's signal: these tests have no vault window."""

    about_to_lock = Signal()


def top_level(kind: type) -> Any:
    """The visible window of ``kind``, or None."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


def when_modal(kind: type, handle: Callable[[Any], None], tries: int = 1000) -> None:
    """Run ``handle(dialog)`` as soon as a modal ``kind`` is open (it blocks the test's click)."""

    def poll(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            handle(widget)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))
