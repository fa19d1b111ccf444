"""The item catalogue."""

from decimal import Decimal

import pytest

from app.domain.model import Item, VatCategory
from app.errors import ValidationError
from app.services import items

HOUR = Item(
    "Design work (hourly)", "HUR", Decimal("95.00"), "EUR", VatCategory.STANDARD, Decimal(19)
)


def test_items_complete_by_prefix_and_become_lines(session):
    items.create_item(session, HOUR)
    items.create_item(
        session,
        Item("Design review", "C62", Decimal("300"), "EUR", VatCategory.STANDARD, Decimal(19)),
    )
    items.create_item(
        session,
        Item("100% cotton tote", "C62", Decimal("8.5"), "EUR", VatCategory.STANDARD, Decimal(19)),
    )
    assert [i.description for _, i in items.complete(session, "design")] == [
        "Design review",
        "Design work (hourly)",
    ]
    assert [i.description for _, i in items.complete(session, "100%")] == ["100% cotton tote"]
    assert items.complete(session, "%") == []
    _, found = items.complete(session, "Design w")[0]
    assert found == HOUR
    line = found.as_line(Decimal(3))
    assert (line.quantity, line.net_price, line.unit) == (Decimal(3), Decimal("95.00"), "HUR")


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (Item("", "HUR", Decimal(1), "EUR", VatCategory.STANDARD, Decimal(19)), "item.description"),
        (Item("X", "PARSEC", Decimal(1), "EUR", VatCategory.STANDARD, Decimal(19)), "item.unit"),
        (Item("X", "HUR", Decimal(-1), "EUR", VatCategory.STANDARD, Decimal(19)), "item.net_price"),
        (Item("X", "HUR", Decimal(1), "EUR", VatCategory.ZERO, Decimal(19)), "item.vat_rate"),
        (Item("X", "HUR", Decimal(1), "ZZZ", VatCategory.STANDARD, Decimal(19)), "item.currency"),
    ],
)
def test_bad_items_name_the_field(session, item, field):
    with pytest.raises(ValidationError, match=field.replace(".", r"\.")):
        items.create_item(session, item)
    assert items.complete(session, "") == []
