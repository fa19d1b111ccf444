"""The item catalogue: reusable descriptions, units, prices and VAT for new lines."""

from app.domain import rules
from app.domain.model import Item
from app.errors import ValidationError
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, items
from app.store.connection import transaction


def create_item(session: Session, item: Item) -> int:
    require(session.user.role, Action.EDIT_DRAFTS)
    rules.check_currency(item.currency, "item.currency")
    rules.check_line(item.as_line(), "item", item.currency)
    with transaction(session.conn) as conn:
        item_id = items.insert(conn, item)
        audit.append(
            conn,
            session.user.name,
            "item.created",
            {"id": item_id, "description": item.description},
        )
    return item_id


def complete(session: Session, prefix: str, limit: int = 20) -> list[tuple[int, Item]]:
    """Catalogue items starting with what the user typed (for the line editor)."""
    require(session.user.role, Action.VIEW)
    if not 1 <= limit <= 100:
        raise ValidationError("limit: between 1 and 100")
    return items.starting_with(session.conn, prefix, limit)


def list_items(
    session: Session, *, search: str = "", after: tuple[str, int] | None = None, limit: int = 50
) -> list[tuple[int, Item]]:
    """The catalogue in description order, one keyset page at a time."""
    require(session.user.role, Action.VIEW)
    if not 1 <= limit <= 1000:
        raise ValidationError("limit: between 1 and 1000")
    return items.page(session.conn, after=after, limit=limit, search=search)
