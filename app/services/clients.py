"""Clients: the people and companies invoiced, with their defaults for new documents."""

from app import money
from app.domain import rules
from app.domain.model import Party
from app.errors import NeedsConfirmation, NotFound, ValidationError
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, clients
from app.store.clients import Client
from app.store.connection import transaction

LANGUAGES = ("en", "de", "fr")


def _check(
    party: Party, language: str, currency: str, payment_days: int, accept_warnings: bool
) -> None:
    rules.validate_party(party, "client")
    if language not in LANGUAGES:
        raise ValidationError(f"client.language: one of {', '.join(LANGUAGES)}")
    money.exponent(currency)
    if not 0 <= payment_days <= 365:
        raise ValidationError("client.payment_days: between 0 and 365")
    warning = rules.check_vat_id(party.vat_id) if party.vat_id else None
    if warning and not accept_warnings:
        raise NeedsConfirmation([f"client.vat_id: {warning}"])


def create_client(
    session: Session,
    party: Party,
    *,
    language: str = "en",
    currency: str = "EUR",
    payment_days: int = 30,
    accept_warnings: bool = False,
) -> int:
    require(session.user.role, Action.EDIT_DRAFTS)
    _check(party, language, currency, payment_days, accept_warnings)
    with transaction(session.conn) as conn:
        client_id = clients.insert(
            conn, party, language=language, currency=currency, payment_days=payment_days
        )
        audit.append(
            conn, session.user.name, "client.created", {"id": client_id, "name": party.name}
        )
    return client_id


def update_client(
    session: Session,
    client_id: int,
    party: Party,
    *,
    language: str = "en",
    currency: str = "EUR",
    payment_days: int = 30,
    accept_warnings: bool = False,
) -> None:
    """New details apply to new documents; issued ones keep the buyer they were issued to."""
    require(session.user.role, Action.EDIT_DRAFTS)
    _check(party, language, currency, payment_days, accept_warnings)
    with transaction(session.conn) as conn:
        if not clients.update(
            conn, client_id, party, language=language, currency=currency, payment_days=payment_days
        ):
            raise NotFound(f"There is no client with id {client_id}")
        audit.append(
            conn, session.user.name, "client.changed", {"id": client_id, "name": party.name}
        )


def list_clients(
    session: Session, *, search: str = "", after: tuple[str, int] | None = None, limit: int = 50
) -> list[Client]:
    require(session.user.role, Action.VIEW)
    if not 1 <= limit <= 1000:
        raise ValidationError("limit: between 1 and 1000")
    return clients.page(session.conn, after=after, limit=limit, search=search)
