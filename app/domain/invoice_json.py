"""The invoice JSON of DESIGN.md §4 (CLI input and output) and the seller profile JSON.

Parsing is strict because the bytes are untrusted: the size is capped before
parsing, duplicate keys and unknown fields are refused, every value must have
its type (amounts, quantities and rates are strings, never JSON numbers), and
the finished document goes through :func:`app.domain.rules.validate`. Every
refusal is a :class:`~app.errors.ValidationError` whose message starts with the
field path (``lines[3]: unknown field 'vat'``); nothing else escapes.

:func:`document_to_json` writes the same shape back, with every decimal as a
string and amounts with exactly the currency's decimals, so that
``parse_document(json.dumps(document_to_json(d)))`` gives ``d`` again.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from app import money
from app.domain import rules
from app.domain.model import AllowanceCharge, Document, DocumentType, Line, Party, VatCategory
from app.errors import ValidationError

MAX_DOCUMENT_BYTES = 5_000_000
MAX_PROFILE_BYTES = 1_000_000

PARTY_FIELDS = (
    "name",
    "vat_id",
    "tax_id",
    "legal_id",
    "street",
    "city",
    "postcode",
    "country",
    "email",
    "phone",
)
SELLER_FIELDS = (*PARTY_FIELDS, "iban", "bic", "logo")
LINE_AC_FIELDS = ("amount", "reason", "reason_code")
DOCUMENT_AC_FIELDS = (*LINE_AC_FIELDS, "vat_category", "vat_rate")
LINE_FIELDS = (
    "description",
    "quantity",
    "unit",
    "net_price",
    "gross_price",
    "price_base_quantity",
    "allowances",
    "charges",
    "vat_category",
    "vat_rate",
    "exemption_reason",
    "exemption_code",
    "item_id",
)
DOCUMENT_FIELDS = (
    "type",
    "currency",
    "issue_date",
    "due_date",
    "buyer_reference",
    "order_reference",
    "note",
    "payment_terms",
    "preceding_invoice",
    "delivery_date",
    "period_start",
    "period_end",
    "deliver_to_country",
    "buyer",
    "lines",
    "allowances",
    "charges",
    "prepaid",
    "rounding_amount",
)

_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BIC_SHAPE = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_TYPE_NAMES = " or ".join(repr(t.value) for t in DocumentType)
_CATEGORY_CODES = ", ".join(c.value for c in VatCategory)


@dataclass(frozen=True)
class SellerProfile:
    """The seller (BG-4) as the user set it up, with the payment details for the invoice."""

    party: Party
    iban: str = ""  # BT-84, compact (no spaces)
    bic: str = ""  # BT-86
    logo_path: str = ""  # a file path; the service reads and checks the image


# --------------------------------------------------------------------------- raw JSON


def _refuse_constant(name: str) -> NoReturn:
    raise ValidationError(f"not valid JSON: {name} is not allowed")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            shown = key[:40]  # shown with repr(), which escapes what cannot be printed
            raise ValidationError(
                f"not valid JSON: the field {shown!r} appears twice in one object"
            )
        result[key] = value
    return result


def load_json(data: bytes | str, *, max_bytes: int, what: str = "document") -> object:
    """Decode untrusted JSON: size capped first, UTF-8 only, no duplicate keys, no NaN.

    Numbers come back as :class:`Decimal` (never float); the caller refuses them
    where a string is expected.
    """
    if isinstance(data, str):
        size = len(data) if len(data) > max_bytes else len(data.encode("utf-8", "surrogatepass"))
        text = data.removeprefix("\ufeff")  # a byte order mark, as text-mode reading leaves it
    elif isinstance(data, bytes | bytearray):
        size = len(data)
        text = None
    else:
        raise ValidationError(f"{what}: must be JSON text")
    if size > max_bytes:
        raise ValidationError(f"{what}: the JSON is too large (more than {max_bytes:,} bytes)")
    if text is None:
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                f"not valid JSON: the bytes are not UTF-8 text (at byte {error.start})"
            ) from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ValidationError("not valid JSON: nested too deeply") from None


# --------------------------------------------------------------------------- field readers


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _describe(value: object) -> str:
    """The JSON type of a value, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _object(value: object, path: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    """A JSON object with only ``allowed`` keys and every ``required`` one present (non-null)."""
    name = path or "document"
    if not isinstance(value, dict):
        raise ValidationError(f"{name}: must be a JSON object, not {_describe(value)}")
    for key in value:
        if key not in allowed:
            shown = key[:40]  # shown with repr(), which escapes what cannot be printed
            raise ValidationError(f"{name}: unknown field {shown!r}")
    for key in required:
        if value.get(key) is None:
            raise ValidationError(f"{_at(path, key)}: is required")
    return value


def _text(obj: dict, key: str, path: str) -> str:
    """An optional text field ("" when absent or null)."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{_at(path, key)}: must be text, not {_describe(value)}")
    return value


def _decimal(obj: dict, key: str, path: str, *, places: int) -> Decimal | None:
    """An optional decimal written as a string (None when absent or null)."""
    value = obj.get(key)
    if value is None:
        return None
    return money.parse_decimal(value, _at(path, key), max_places=places)


def _date(obj: dict, key: str, path: str) -> date | None:
    """An optional ISO date ``YYYY-MM-DD`` (None when absent or null)."""
    value = obj.get(key)
    if value is None:
        return None
    field = _at(path, key)
    if not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value):
        raise ValidationError(f'{field}: must be a date written as "YYYY-MM-DD", like "2026-11-01"')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{field}: {value!r} is not a real date") from None


def _category(obj: dict, key: str, path: str) -> VatCategory:
    value = obj.get(key)
    field = _at(path, key)
    if not isinstance(value, str) or value not in {c.value for c in VatCategory}:
        raise ValidationError(f"{field}: must be one of the VAT categories {_CATEGORY_CODES}")
    return VatCategory(value)


def _list(obj: dict, key: str, path: str, *, limit: int) -> list:
    """An optional list (empty when absent or null), refused beyond ``limit`` items."""
    value = obj.get(key)
    if value is None:
        return []
    field = _at(path, key)
    if not isinstance(value, list):
        raise ValidationError(f"{field}: must be a list, not {_describe(value)}")
    if len(value) > limit:
        raise ValidationError(
            f"{field}: at most {limit} {key} are allowed per document (this one has {len(value)})"
        )
    return value


# --------------------------------------------------------------------------- parts


def _allowance_charge(
    value: object, path: str, currency: str, *, document_level: bool
) -> AllowanceCharge:
    places = money.exponent(currency)
    if document_level:
        obj = _object(value, path, DOCUMENT_AC_FIELDS, ("amount", "vat_category"))
        category: VatCategory | None = _category(obj, "vat_category", path)
        rate = _decimal(obj, "vat_rate", path, places=rules.MAX_RATE_PLACES)
    else:
        obj = _object(value, path, LINE_AC_FIELDS, ("amount",))
        category, rate = None, None
    amount = _decimal(obj, "amount", path, places=places)
    assert amount is not None  # required above
    return AllowanceCharge(
        amount=amount,
        reason=_text(obj, "reason", path),
        reason_code=_text(obj, "reason_code", path),
        vat_category=category,
        vat_rate=rate,
    )


def _allowances_charges(
    obj: dict, key: str, path: str, currency: str, *, document_level: bool
) -> tuple[AllowanceCharge, ...]:
    items = _list(obj, key, path, limit=rules.MAX_LINES)
    field = _at(path, key)
    return tuple(
        _allowance_charge(item, _at(field, i), currency, document_level=document_level)
        for i, item in enumerate(items)
    )


def _line(value: object, path: str, currency: str) -> Line:
    obj = _object(
        value, path, LINE_FIELDS, ("description", "quantity", "unit", "net_price", "vat_category")
    )
    unit = obj["unit"]
    if not isinstance(unit, str):
        raise ValidationError(f"{_at(path, 'unit')}: must be text, not {_describe(unit)}")
    quantity = _decimal(obj, "quantity", path, places=rules.MAX_QUANTITY_PLACES)
    net_price = _decimal(obj, "net_price", path, places=rules.MAX_PRICE_PLACES)
    base = _decimal(obj, "price_base_quantity", path, places=rules.MAX_QUANTITY_PLACES)
    assert quantity is not None and net_price is not None  # required above
    return Line(
        description=_text(obj, "description", path),
        quantity=quantity,
        unit=unit,
        net_price=net_price,
        gross_price=_decimal(obj, "gross_price", path, places=rules.MAX_PRICE_PLACES),
        price_base_quantity=Decimal(1) if base is None else base,
        allowances=_allowances_charges(obj, "allowances", path, currency, document_level=False),
        charges=_allowances_charges(obj, "charges", path, currency, document_level=False),
        vat_category=_category(obj, "vat_category", path),
        vat_rate=_decimal(obj, "vat_rate", path, places=rules.MAX_RATE_PLACES),
        exemption_reason=_text(obj, "exemption_reason", path),
        exemption_code=_text(obj, "exemption_code", path),
        item_id=_text(obj, "item_id", path),
    )


def _party_fields(obj: dict, path: str) -> Party:
    return Party(**{name: _text(obj, name, path) for name in PARTY_FIELDS})


def parse_party(data: object, field: str = "seller") -> Party:
    """A party (buyer or seller) from a decoded JSON object, checked by :mod:`rules`."""
    obj = _object(data, field, PARTY_FIELDS, ("name", "country"))
    party = _party_fields(obj, field)
    rules.validate_party(party, field)
    return party


# --------------------------------------------------------------------------- documents


def document_from_json(data: object) -> Document:
    """A Document from decoded JSON, types checked but not yet :func:`rules.validate`-d."""
    obj = _object(data, "", DOCUMENT_FIELDS, ("type", "currency", "issue_date", "buyer", "lines"))
    kind = obj["type"]
    if not isinstance(kind, str) or kind not in {t.value for t in DocumentType}:
        raise ValidationError(f"type: must be {_TYPE_NAMES}")
    currency = rules.check_currency(obj["currency"])
    issue_date = _date(obj, "issue_date", "")
    assert issue_date is not None  # required above
    buyer = _object(obj["buyer"], "buyer", PARTY_FIELDS, ("name", "country"))
    lines = _list(obj, "lines", "", limit=rules.MAX_LINES)
    zero = money.from_minor(0, currency)
    places = money.exponent(currency)
    prepaid = _decimal(obj, "prepaid", "", places=places)
    rounding = _decimal(obj, "rounding_amount", "", places=places)
    return Document(
        type=DocumentType(kind),
        currency=currency,
        issue_date=issue_date,
        due_date=_date(obj, "due_date", ""),
        buyer_reference=_text(obj, "buyer_reference", ""),
        order_reference=_text(obj, "order_reference", ""),
        note=_text(obj, "note", ""),
        payment_terms=_text(obj, "payment_terms", ""),
        preceding_invoice=_text(obj, "preceding_invoice", ""),
        delivery_date=_date(obj, "delivery_date", ""),
        period_start=_date(obj, "period_start", ""),
        period_end=_date(obj, "period_end", ""),
        deliver_to_country=_text(obj, "deliver_to_country", ""),
        buyer=_party_fields(buyer, "buyer"),
        lines=tuple(_line(line, f"lines[{i}]", currency) for i, line in enumerate(lines)),
        allowances=_allowances_charges(obj, "allowances", "", currency, document_level=True),
        charges=_allowances_charges(obj, "charges", "", currency, document_level=True),
        prepaid=zero if prepaid is None else prepaid,
        rounding_amount=zero if rounding is None else rounding,
    )


def parse_document(data: bytes | str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """The invoice JSON of DESIGN.md §4 as a validated Document; ValidationError otherwise."""
    document = document_from_json(load_json(data, max_bytes=max_bytes))
    rules.validate(document)
    return document


def _plain(value: Decimal) -> str:
    """A decimal in plain notation, never exponent notation ("100", not "1E+2")."""
    return format(value, "f")


def _amount(value: Decimal, currency: str) -> str:
    if money.is_at_minor_unit(value, currency):
        return money.format_plain(value, currency)
    return _plain(value)  # not a valid document; written as it is rather than rounded


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else _plain(value)


def _optional_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _ac_to_json(item: AllowanceCharge, currency: str, *, document_level: bool) -> dict:
    result: dict[str, Any] = {
        "amount": _amount(item.amount, currency),
        "reason": item.reason,
        "reason_code": item.reason_code,
    }
    if document_level:
        result["vat_category"] = None if item.vat_category is None else item.vat_category.value
        result["vat_rate"] = _optional(item.vat_rate)
    return result


def party_to_json(party: Party) -> dict:
    """A party in the JSON shape of ``buyer``."""
    return {name: getattr(party, name) for name in PARTY_FIELDS}


def _line_to_json(line: Line, currency: str) -> dict:
    return {
        "description": line.description,
        "quantity": _plain(line.quantity),
        "unit": line.unit,
        "net_price": _plain(line.net_price),
        "gross_price": _optional(line.gross_price),
        "price_base_quantity": _plain(line.price_base_quantity),
        "allowances": [_ac_to_json(a, currency, document_level=False) for a in line.allowances],
        "charges": [_ac_to_json(c, currency, document_level=False) for c in line.charges],
        "vat_category": line.vat_category.value,
        "vat_rate": _optional(line.vat_rate),
        "exemption_reason": line.exemption_reason,
        "exemption_code": line.exemption_code,
        "item_id": line.item_id,
    }


def document_to_json(document: Document) -> dict:
    """The document in the invoice JSON shape: decimals as strings, amounts with the
    currency's decimals, absent optional values as null."""
    currency = document.currency
    return {
        "type": document.type.value,
        "currency": currency,
        "issue_date": document.issue_date.isoformat(),
        "due_date": _optional_date(document.due_date),
        "buyer_reference": document.buyer_reference,
        "order_reference": document.order_reference,
        "note": document.note,
        "payment_terms": document.payment_terms,
        "preceding_invoice": document.preceding_invoice,
        "delivery_date": _optional_date(document.delivery_date),
        "period_start": _optional_date(document.period_start),
        "period_end": _optional_date(document.period_end),
        "deliver_to_country": document.deliver_to_country,
        "buyer": party_to_json(document.buyer),
        "lines": [_line_to_json(line, currency) for line in document.lines],
        "allowances": [_ac_to_json(a, currency, document_level=True) for a in document.allowances],
        "charges": [_ac_to_json(c, currency, document_level=True) for c in document.charges],
        "prepaid": _amount(document.prepaid, currency),
        "rounding_amount": _amount(document.rounding_amount, currency),
    }


# --------------------------------------------------------------------------- seller profile


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def _checked(value: str, field: str, shape: re.Pattern[str], example: str) -> str:
    compact = _compact(value)
    if compact and not shape.fullmatch(compact):
        shown = value[:40]  # shown with repr(), which escapes what cannot be printed
        raise ValidationError(f"{field}: {shown!r} is not {example}")
    return compact


def seller_from_json(data: object, field: str = "seller") -> SellerProfile:
    """A SellerProfile from a decoded JSON object (the ``buyer`` shape plus iban, bic, logo).

    The IBAN and BIC are checked for their shape here; a wrong IBAN check digit is
    only a warning (:func:`app.domain.rules.check_iban`) that the service shows.
    """
    obj = _object(data, field, SELLER_FIELDS, ("name", "country"))
    party = _party_fields(obj, field)
    rules.validate_party(party, field)
    iban = _checked(
        rules.check_text(_text(obj, "iban", field), _at(field, "iban"), limit=rules.MAX_SHORT),
        _at(field, "iban"),
        rules.IBAN_SHAPE,
        "an IBAN (country code, check digits, account; like DE89 3704 0044 0532 0130 00)",
    )
    bic = _checked(
        rules.check_text(_text(obj, "bic", field), _at(field, "bic"), limit=rules.MAX_SHORT),
        _at(field, "bic"),
        _BIC_SHAPE,
        "a BIC (8 or 11 letters and digits, like COBADEFFXXX)",
    )
    logo = rules.check_text(_text(obj, "logo", field), _at(field, "logo"), limit=rules.MAX_TEXT)
    return SellerProfile(party=party, iban=iban, bic=bic, logo_path=logo)


def parse_seller(
    data: bytes | str, *, max_bytes: int = MAX_PROFILE_BYTES, field: str = "seller"
) -> SellerProfile:
    """The seller profile JSON (``profile set --json``) as a checked SellerProfile."""
    return seller_from_json(load_json(data, max_bytes=max_bytes, what=field), field)


def seller_to_json(profile: SellerProfile) -> dict:
    """A SellerProfile in the shape :func:`parse_seller` reads."""
    return {
        **party_to_json(profile.party),
        "iban": profile.iban,
        "bic": profile.bic,
        "logo": profile.logo_path,
    }
