"""Which sections the open vault has, in side-bar order.

Every module of this package that defines ``ORDER`` (an int: its place in the
side bar) and ``make(context, window)`` (returning a list of (section widget,
side-bar name), usually one) gives sections. Adding a screen is adding one module; no list to
keep in step.
"""

import importlib
import pkgutil
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

import ui.sections
from ui.context import AppContext

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow


def build(context: AppContext, window: "VaultWindow") -> list[tuple[QWidget, str]]:
    """The sections, made for ``window``, ordered by their ``ORDER``."""
    found = []
    for info in pkgutil.iter_modules(ui.sections.__path__):
        module = importlib.import_module(f"ui.sections.{info.name}")
        order = getattr(module, "ORDER", None)
        make = getattr(module, "make", None)
        if isinstance(order, int) and callable(make):
            found.append((order, info.name, make))
    found.sort()
    return [section for _order, _name, make in found for section in make(context, window)]
