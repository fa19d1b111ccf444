"""Validation of a document before it is saved, issued or exported (EN 16931 where it applies).

:func:`validate` raises :class:`~app.errors.ValidationError` on the first problem,
its message starting with the field path (``lines[2].vat_rate: must be 0 for
category Z``) so the GUI can point at the field and the CLI can print it as is.
The checks follow the EN 16931 business rules that our model can express (the
BR-xx numbers are cited); what the model cannot hold is documented in the
report, not guessed at here.

Choices stricter than EN 16931, made for a sole proprietor's UI:
- quantities are > 0 (EN 16931 allows negative quantities for returns; we correct
  with a credit note instead, which keeps every amount positive);
- no line net amount, VAT taxable amount, total or amount due may be negative;
- amounts have at most 15 digits before the point.

:func:`check_vat_id` and :func:`check_iban` do not raise: they return a warning
the service shows and the user may confirm (a check digit can be wrong in the
number the customer gave, and the user may still have to invoice them).
"""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cache
from types import ModuleType

from babel import Locale
from stdnum import get_cc_module, iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

from app import money
from app.domain import totals as totals_module
from app.domain.model import (
    AllowanceCharge,
    Document,
    DocumentType,
    Line,
    Party,
    VatCategory,
)
from app.domain.unit_codes import UNIT_CODES
from app.errors import ValidationError


def _codes(text: str) -> frozenset[str]:
    """A code list written as whitespace-separated codes."""
    return frozenset(text.split())


MAX_LINES = 10_000
MAX_TEXT = 1000  # notes, payment terms, exemption reasons
MAX_DESCRIPTION = 500  # item name BT-153
MAX_NAME = 200  # party names, street, city
MAX_SHORT = 100  # identifiers and references
MAX_EMAIL = 254
MAX_QUANTITY_PLACES = 6
MAX_PRICE_PLACES = 6
MAX_RATE_PLACES = 2
#: |BT-114| must stay below this many minor units (1.00 EUR, 100 JPY, 0.100 BHD).
MAX_ROUNDING_MINOR = 100

_CATEGORY_NAMES = {
    VatCategory.STANDARD: "S (standard rate)",
    VatCategory.ZERO: "Z (zero rated)",
    VatCategory.EXEMPT: "E (exempt from VAT)",
    VatCategory.REVERSE_CHARGE: "AE (reverse charge)",
    VatCategory.INTRA_COMMUNITY: "K (intra-community supply)",
    VatCategory.EXPORT: "G (export outside the EU)",
    VatCategory.NOT_SUBJECT: "O (not subject to VAT)",
    VatCategory.CANARY: "L (IGIC, Canary Islands)",
    VatCategory.CEUTA_MELILLA: "M (IPSI, Ceuta and Melilla)",
}
#: Rate 0 required (BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05 and the -06/-07 twins).
ZERO_RATE = frozenset(
    {
        VatCategory.ZERO,
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY,
        VatCategory.EXPORT,
    }
)
#: The breakdown needs an exemption reason or code (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
NEEDS_EXEMPTION = frozenset(
    {
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY,
        VatCategory.EXPORT,
        VatCategory.NOT_SUBJECT,
    }
)
#: Rule numbers quoted in messages, per category.
_RULE = {
    VatCategory.STANDARD: "BR-S",
    VatCategory.ZERO: "BR-Z",
    VatCategory.EXEMPT: "BR-E",
    VatCategory.REVERSE_CHARGE: "BR-AE",
    VatCategory.INTRA_COMMUNITY: "BR-IC",
    VatCategory.EXPORT: "BR-G",
    VatCategory.NOT_SUBJECT: "BR-O",
    VatCategory.CANARY: "BR-AF",
    VatCategory.CEUTA_MELILLA: "BR-AG",
}

#: CEF VATEX exemption reason codes (BT-121), as the CEN rules check them (BR-CL-22).
VATEX_CODES = _codes(
    """
    VATEX-EU-79-C VATEX-EU-132 VATEX-EU-132-1A VATEX-EU-132-1B VATEX-EU-132-1C
    VATEX-EU-132-1D VATEX-EU-132-1E VATEX-EU-132-1F VATEX-EU-132-1G VATEX-EU-132-1H
    VATEX-EU-132-1I VATEX-EU-132-1J VATEX-EU-132-1K VATEX-EU-132-1L VATEX-EU-132-1M
    VATEX-EU-132-1N VATEX-EU-132-1O VATEX-EU-132-1P VATEX-EU-132-1Q VATEX-EU-135-1
    VATEX-EU-143 VATEX-EU-143-1A VATEX-EU-143-1B VATEX-EU-143-1C VATEX-EU-143-1D
    VATEX-EU-143-1E VATEX-EU-143-1F VATEX-EU-143-1FA VATEX-EU-143-1G VATEX-EU-143-1H
    VATEX-EU-143-1I VATEX-EU-143-1J VATEX-EU-143-1K VATEX-EU-143-1L VATEX-EU-144
    VATEX-EU-146-1E VATEX-EU-159 VATEX-EU-309 VATEX-EU-148 VATEX-EU-148-A VATEX-EU-148-B
    VATEX-EU-148-C VATEX-EU-148-D VATEX-EU-148-E VATEX-EU-148-F VATEX-EU-148-G
    VATEX-EU-151 VATEX-EU-151-1A VATEX-EU-151-1AA VATEX-EU-151-1B VATEX-EU-151-1C
    VATEX-EU-151-1D VATEX-EU-151-1E VATEX-EU-G VATEX-EU-O VATEX-EU-IC VATEX-EU-AE
    VATEX-EU-D VATEX-EU-F VATEX-EU-I VATEX-EU-J VATEX-FR-FRANCHISE VATEX-FR-CNWVAT
    VATEX-EU-153 VATEX-FR-CGI261-1 VATEX-FR-CGI261-2 VATEX-FR-CGI261-3 VATEX-FR-CGI261-4
    VATEX-FR-CGI261-5 VATEX-FR-CGI261-7 VATEX-FR-CGI261-8 VATEX-FR-CGI261A
    VATEX-FR-CGI261B VATEX-FR-CGI261C-1 VATEX-FR-CGI261C-2 VATEX-FR-CGI261C-3
    VATEX-FR-CGI261D-1 VATEX-FR-CGI261D-1BIS VATEX-FR-CGI261D-2 VATEX-FR-CGI261D-3
    VATEX-FR-CGI261D-4 VATEX-FR-CGI261E-1 VATEX-FR-CGI261E-2 VATEX-FR-CGI277A
    VATEX-FR-CGI275 VATEX-FR-298SEXDECIESA VATEX-FR-CGI295 VATEX-FR-AE
    """
)
#: VATEX codes that mean one category and may not be used with another.
VATEX_CATEGORY = {
    "VATEX-EU-AE": VatCategory.REVERSE_CHARGE,
    "VATEX-FR-AE": VatCategory.REVERSE_CHARGE,
    "VATEX-EU-IC": VatCategory.INTRA_COMMUNITY,
    "VATEX-EU-G": VatCategory.EXPORT,
    "VATEX-EU-O": VatCategory.NOT_SUBJECT,
}

#: Allowance reason codes, UNTDID 5189 (BR-CL-19).
ALLOWANCE_REASON_CODES = _codes("41 42 60 62 63 64 65 66 67 68 70 71 88 95 100 102 103 104 105")
#: Charge reason codes, UNTDID 7161 (BR-CL-20).
CHARGE_REASON_CODES = _codes(
    """
    AA AAA AAC AAD AAE AAF AAH AAI AAS AAT AAV AAY AAZ ABA ABB ABC ABD ABF ABK ABL ABN ABR
    ABS ABT ABU ACF ACG ACH ACI ACJ ACK ACL ACM ACS ADC ADE ADJ ADK ADL ADM ADN ADO ADP ADQ
    ADR ADT ADW ADY ADZ AEA AEB AEC AED AEF AEH AEI AEJ AEK AEL AEM AEN AEO AEP AES AET AEU
    AEV AEW AEX AEY AEZ AJ AU CA CAB CAD CAE CAF CAI CAJ CAK CAL CAM CAN CAO CAP CAQ CAR
    CAS CAT CAU CAV CAW CAX CAY CAZ CD CG CS CT DAB DAD DAC DAF DAG DAH DAI DAJ DAK DAL DAM
    DAN DAO DAP DAQ DL EG EP ER FAA FAB FAC FC FH FI GAA HAA HD HH IAA IAB ID IF IR IS KO
    L1 LA LAA LAB LF MAE MI ML NAA OA PA PAA PC PL PRV RAB RAC RAD RAF RE RF RH RV SA SAA
    SAD SAE SAI SG SH SM SU TAB TAC TT TV V1 V2 WH XAA YY ZZZ
    """
)

#: Two-letter CLDR territories that are not ISO 3166-1 countries (reserved or user-assigned).
_NOT_ISO_3166 = _codes("AC CP CQ DG EA EU EZ IC QO TA UN XA XB XK ZZ")
_VAT_ID_SHAPE = re.compile(r"[A-Z]{2}[0-9A-Za-z+*.\-/ ]{1,20}[0-9A-Za-z]")
#: Two letters, two check digits, 11 to 30 letters or digits (15 to 34 characters in all).
IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@cache
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, as Babel (CLDR) knows them (BR-CL-14)."""
    territories = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_ISO_3166
    )


# --------------------------------------------------------------------------- small checks


def _fail(field: str, message: str) -> ValidationError:
    return ValidationError(f"{field}: {message}")


def check_text(
    value: object,
    field: str,
    *,
    limit: int = MAX_TEXT,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """A text field: a ``str`` of at most ``limit`` characters that XML and PDF can carry.

    Control characters (and, unless ``multiline``, line breaks and tabs), lone
    surrogates and the non-characters U+FFFE/U+FFFF are refused: they cannot be
    written into an e-invoice.
    """
    if not isinstance(value, str):
        raise _fail(field, "must be text")
    if required and not value.strip():
        raise _fail(field, "must not be empty")
    if len(value) > limit:
        raise _fail(field, f"at most {limit} characters are allowed (this has {len(value)})")
    allowed = "\n\t" if multiline else ""
    for index, char in enumerate(value):
        if char in allowed:
            continue
        if unicodedata.category(char) in {"Cc", "Cs"} or char in "\ufffe\uffff":
            raise _fail(
                field, f"contains a control character (U+{ord(char):04X}) at position {index + 1}"
            )
    return value


def check_decimal(
    value: object,
    field: str,
    *,
    places: int,
    minimum: Decimal | None = None,
    above: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal:
    """A finite Decimal with at most 15 integer digits and ``places`` decimals, in range.

    ``minimum`` is inclusive, ``above`` exclusive (``above=0`` means "greater than 0").
    """
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise _fail(field, "must be a decimal number")
    if not value.is_zero() and value.adjusted() >= money.MAX_INTEGER_DIGITS:
        raise _fail(field, f"the number is too large (more than {money.MAX_INTEGER_DIGITS} digits)")
    if (Fraction(value) * 10**places).denominator != 1:
        raise _fail(field, f"at most {places} decimals are allowed, not {value}")
    if minimum is not None and value < minimum:
        raise _fail(field, f"must be at least {minimum}, not {value}")
    if above is not None and value <= above:
        raise _fail(field, f"must be greater than {above}, not {value}")
    if maximum is not None and value > maximum:
        raise _fail(field, f"must be at most {maximum}, not {value}")
    return value


def check_amount(value: object, field: str, currency: str, *, positive: bool = False) -> Decimal:
    """An amount at the currency's minor unit (12.50 EUR, 1250 JPY); > 0 if ``positive``."""
    places = money.exponent(currency)
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and not money.is_at_minor_unit(value, currency)
    ):
        raise _fail(field, f"{currency} amounts have at most {places} decimals, not {value}")
    return check_decimal(value, field, places=places, above=Decimal(0) if positive else None)


def check_country(value: object, field: str) -> str:
    """An ISO 3166-1 alpha-2 country code such as DE (BR-CL-14)."""
    text = check_text(value, field, limit=MAX_SHORT, required=True)
    if text not in countries():
        raise _fail(
            field, f"{text!r} is not an ISO 3166 country code (two capital letters, like DE)"
        )
    return text


def check_currency(value: object, field: str = "currency") -> str:
    """An ISO 4217 code that :func:`app.money.exponent` knows (BR-CL-04)."""
    try:
        money.exponent(value)
    except ValidationError as error:
        raise _fail(field, str(error).removeprefix("currency: ")) from None
    return str(value)


def check_unit(value: object, field: str) -> str:
    """A unit of measure code from :mod:`app.domain.unit_codes` (BR-CL-23)."""
    if not isinstance(value, str):
        raise _fail(field, "must be text")
    if value not in UNIT_CODES:
        shown = value[:20]  # shown with repr(), which escapes what cannot be printed
        raise _fail(
            field,
            f"{shown!r} is not a known unit code (UN/ECE Rec 20), "
            "like C62 (one), HUR (hour), DAY (day) or KGM (kilogram)",
        )
    return value


# --------------------------------------------------------------------------- parties


def validate_party(party: object, field: str) -> None:
    """A seller or buyer: name (BR-6, BR-7), country (BR-9, BR-11), VAT ID prefix (BR-CO-09)."""
    if not isinstance(party, Party):
        raise _fail(field, "must be a party (name, address, country)")
    check_text(party.name, f"{field}.name", limit=MAX_NAME, required=True)
    check_country(party.country, f"{field}.country")
    check_text(party.street, f"{field}.street", limit=MAX_NAME)
    check_text(party.city, f"{field}.city", limit=MAX_NAME)
    check_text(party.postcode, f"{field}.postcode", limit=MAX_SHORT)
    check_text(party.tax_id, f"{field}.tax_id", limit=MAX_SHORT)
    check_text(party.legal_id, f"{field}.legal_id", limit=MAX_SHORT)
    check_text(party.phone, f"{field}.phone", limit=MAX_SHORT)
    check_text(party.email, f"{field}.email", limit=MAX_EMAIL)
    if party.email and not _EMAIL_SHAPE.fullmatch(party.email):
        raise _fail(f"{field}.email", f"{party.email!r} is not an e-mail address")
    check_text(party.vat_id, f"{field}.vat_id", limit=MAX_SHORT)
    if party.vat_id:
        _check_vat_id_shape(party.vat_id, f"{field}.vat_id")


def _check_vat_id_shape(value: str, field: str) -> None:
    """BR-CO-09: a VAT ID starts with its ISO 3166 country code (Greece EL, Northern Ireland XI)."""
    if not _VAT_ID_SHAPE.fullmatch(value):
        raise _fail(
            field,
            f"{value!r} is not a VAT ID: write the country code, then the number "
            "(like DE123456789)",
        )
    prefix = value[:2]
    if prefix not in {"EL", "XI"} and prefix not in countries():
        raise _fail(field, f"{value!r} must start with a country code (like DE or FR)")


# --------------------------------------------------------------------------- lines and A/C


def _check_allowance_charge(
    item: object, field: str, currency: str, *, charge: bool, document_level: bool
) -> AllowanceCharge:
    """BG-20/21/27/28: positive amount at the minor unit, a reason or reason code."""
    if not isinstance(item, AllowanceCharge):
        raise _fail(field, "must be an allowance or charge")
    check_amount(item.amount, f"{field}.amount", currency, positive=True)
    check_text(item.reason, f"{field}.reason", limit=MAX_DESCRIPTION)
    check_text(item.reason_code, f"{field}.reason_code", limit=MAX_SHORT)
    codes = CHARGE_REASON_CODES if charge else ALLOWANCE_REASON_CODES
    if item.reason_code and item.reason_code not in codes:
        code_list = "UNTDID 7161" if charge else "UNTDID 5189"
        raise _fail(f"{field}.reason_code", f"{item.reason_code!r} is not a {code_list} code")
    if not item.reason.strip() and not item.reason_code:
        rule = ("BR-38" if charge else "BR-33") if document_level else "BR-42/BR-44"
        raise _fail(f"{field}.reason", f"give a reason or a reason code (EN 16931 {rule})")
    if document_level:
        if not isinstance(item.vat_category, VatCategory):
            raise _fail(
                f"{field}.vat_category", "must be a VAT category (S, Z, E, AE, K, G, O, L, M)"
            )
        _check_rate(item.vat_category, item.vat_rate, field)
    elif item.vat_category is not None or item.vat_rate is not None:
        raise _fail(
            f"{field}.vat_category",
            "a line allowance or charge takes the line's VAT; leave it empty",
        )
    return item


def _check_rate(category: VatCategory, rate: object, field: str) -> None:
    """The rate a category allows (BR-S-05, BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05,
    BR-O-05, BR-AF-05, BR-AG-05 and their -06/-07 twins for document allowances/charges)."""
    rate_field = f"{field}.vat_rate"
    code = category.value
    if category is VatCategory.NOT_SUBJECT:
        if rate is not None:
            raise _fail(
                rate_field, f"must be empty for category {code}: {_CATEGORY_NAMES[category]}"
            )
        return
    if rate is None:
        if category in ZERO_RATE:
            raise _fail(rate_field, f"must be 0 for category {code}")
        raise _fail(rate_field, f"a rate is required for category {code}")
    value = check_decimal(
        rate, rate_field, places=MAX_RATE_PLACES, minimum=Decimal(0), maximum=Decimal(100)
    )
    if category in ZERO_RATE and value != 0:
        raise _fail(rate_field, f"must be 0 for category {code}")
    if category is VatCategory.STANDARD and value == 0:
        raise _fail(rate_field, "must be greater than 0 for category S; use Z for zero-rated items")
    if category is VatCategory.CANARY and value == 0:
        # EN 16931 allows IGIC at 0 %, but the CEN and Factur-X rules for CII do not
        raise _fail(rate_field, "must be greater than 0 for category L (EN 16931 BR-AF-05 in CII)")


def check_line(line: object, field: str, currency: str) -> Line:
    """BG-25: description, quantity > 0, unit, prices, VAT category and rate, A/C."""
    if not isinstance(line, Line):
        raise _fail(field, "must be an invoice line")
    check_text(
        line.description,
        f"{field}.description",
        limit=MAX_DESCRIPTION,
        required=True,
        multiline=True,
    )
    check_decimal(line.quantity, f"{field}.quantity", places=MAX_QUANTITY_PLACES, above=Decimal(0))
    check_unit(line.unit, f"{field}.unit")
    check_decimal(line.net_price, f"{field}.net_price", places=MAX_PRICE_PLACES, minimum=Decimal(0))
    check_decimal(
        line.price_base_quantity,
        f"{field}.price_base_quantity",
        places=MAX_QUANTITY_PLACES,
        above=Decimal(0),
    )
    if line.gross_price is not None:
        gross = check_decimal(
            line.gross_price, f"{field}.gross_price", places=MAX_PRICE_PLACES, minimum=Decimal(0)
        )
        if gross < line.net_price:
            raise _fail(
                f"{field}.gross_price",
                f"must not be below the net price {line.net_price} (the discount is gross − net)",
            )
    if not isinstance(line.vat_category, VatCategory):
        raise _fail(f"{field}.vat_category", "must be a VAT category (S, Z, E, AE, K, G, O, L, M)")
    _check_rate(line.vat_category, line.vat_rate, field)
    check_text(line.exemption_reason, f"{field}.exemption_reason", limit=MAX_TEXT, multiline=True)
    check_text(line.exemption_code, f"{field}.exemption_code", limit=MAX_SHORT)
    _check_exemption(line, field)
    check_text(line.item_id, f"{field}.item_id", limit=MAX_SHORT)
    for kind, items, charge in (
        ("allowances", line.allowances, False),
        ("charges", line.charges, True),
    ):
        if not isinstance(items, tuple):
            raise _fail(f"{field}.{kind}", "must be a list")
        for index, item in enumerate(items):
            _check_allowance_charge(
                item, f"{field}.{kind}[{index}]", currency, charge=charge, document_level=False
            )
    return line


def _check_exemption(line: Line, field: str) -> None:
    """Exemption reason/code only where the breakdown may carry one (BR-S-10, BR-Z-10,
    BR-AF-10, BR-AG-10), and only VATEX codes that fit the category (BR-CL-22)."""
    category = line.vat_category
    if category not in NEEDS_EXEMPTION:
        for name in ("exemption_reason", "exemption_code"):
            if getattr(line, name):
                raise _fail(
                    f"{field}.{name}",
                    f"must be empty for category {category.value} "
                    f"(EN 16931 {_RULE[category]}-10: no exemption reason with VAT charged)",
                )
        return
    code = line.exemption_code
    if code:
        if code not in VATEX_CODES:
            raise _fail(
                f"{field}.exemption_code",
                f"{code!r} is not a VATEX exemption code (like VATEX-EU-AE or VATEX-EU-132-1A)",
            )
        meant = VATEX_CATEGORY.get(code)
        if meant is not None and meant is not category:
            raise _fail(
                f"{field}.exemption_code",
                f"{code} is for category {meant.value}, not {category.value}",
            )


# --------------------------------------------------------------------------- VAT parties


def _vat_items(document: Document) -> list[tuple[str, VatCategory]]:
    """(field, category) of every line, document allowance and document charge, in order."""
    items = [(f"lines[{i}]", line.vat_category) for i, line in enumerate(document.lines)]
    items += [(f"allowances[{i}]", a.vat_category) for i, a in enumerate(document.allowances)]
    items += [(f"charges[{i}]", c.vat_category) for i, c in enumerate(document.charges)]
    return items


def _check_vat_parties(document: Document, seller: Party | None) -> None:
    """Who must (or must not) have a VAT ID for the categories used.

    BR-S/Z/E/AF/AG-02..04: seller VAT ID or tax registration ID; BR-AE-02..04: that
    and the buyer's VAT ID; BR-IC-02..04: seller and buyer VAT IDs; BR-G-02..04:
    seller VAT ID; BR-O-02..04: neither seller nor buyer VAT ID. Seller checks run
    only when a seller is given, and then BR-CO-26 too: the seller is identified by
    a VAT ID or a legal registration id (a tax number alone is not enough).
    BR-O-11..14: category O excludes every other.
    """
    items = _vat_items(document)
    used = {category for _field, category in items}
    if VatCategory.NOT_SUBJECT in used and len(used) > 1:
        field = next(f for f, c in items if c is not VatCategory.NOT_SUBJECT)
        raise _fail(
            f"{field}.vat_category",
            "a document with category O (not subject to VAT) cannot have other categories "
            "(EN 16931 BR-O-11 to BR-O-14)",
        )
    for category in totals_module.CATEGORY_ORDER:
        if category not in used:
            continue
        rule = f"EN 16931 {_RULE[category]}-02"
        name = _CATEGORY_NAMES[category]
        if category is VatCategory.NOT_SUBJECT:
            if document.buyer.vat_id:
                raise _fail("buyer.vat_id", f"must be empty for category {name} ({rule})")
            if seller is not None and seller.vat_id:
                raise _fail("seller.vat_id", f"must be empty for category {name} ({rule})")
            continue
        two_sided = {VatCategory.REVERSE_CHARGE, VatCategory.INTRA_COMMUNITY}
        if category in two_sided and not document.buyer.vat_id:
            raise _fail(
                "buyer.vat_id", f"the buyer's VAT ID is required for category {name} ({rule})"
            )
        if seller is None:
            continue
        if category in {VatCategory.INTRA_COMMUNITY, VatCategory.EXPORT}:
            if not seller.vat_id:
                raise _fail(
                    "seller.vat_id", f"your VAT ID is required for category {name} ({rule})"
                )
        elif not seller.vat_id and not seller.tax_id:
            raise _fail(
                "seller.vat_id",
                f"your VAT ID or tax number is required for category {name} ({rule})",
            )
    if seller is not None and not seller.vat_id and not seller.legal_id:
        raise _fail(
            "seller.legal_id",
            "give your VAT ID or your legal registration id (company register number), "
            "so that the buyer can identify you (EN 16931 BR-CO-26)",
        )


def _check_intra_community(document: Document) -> None:
    """BR-IC-11, BR-IC-12: an intra-community supply (K) says when and where it was delivered."""
    if VatCategory.INTRA_COMMUNITY not in {category for _field, category in _vat_items(document)}:
        return
    name = _CATEGORY_NAMES[VatCategory.INTRA_COMMUNITY]
    dates = (document.delivery_date, document.period_start, document.period_end)
    if all(value is None for value in dates):
        raise _fail(
            "delivery_date",
            f"category {name} needs the delivery date or the invoicing period (EN 16931 BR-IC-11)",
        )
    if not document.deliver_to_country:
        raise _fail(
            "deliver_to_country",
            f"category {name} needs the country the goods were delivered to (EN 16931 BR-IC-12)",
        )


def _check_exemption_reasons(document: Document) -> None:
    """BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10: one reason per exempt breakdown.

    The breakdown takes its reason and code from its lines, so at least one line
    of the category must carry one, and the lines may not disagree.
    """
    for key in totals_module.vat_keys(document):
        category, _rate = key
        if category not in NEEDS_EXEMPTION:
            continue
        indexes = [
            i
            for i, line in enumerate(document.lines)
            if totals_module.vat_key(line.vat_category, line.vat_rate) == key
        ]
        rule = f"EN 16931 {_RULE[category]}-10"
        if not indexes:
            field = next(f for f, c in _vat_items(document) if c is category)
            raise _fail(
                f"{field}.vat_category",
                f"category {category.value} needs an exemption reason, which comes from a line "
                f"of that category; there is none ({rule})",
            )
        for name in ("exemption_reason", "exemption_code"):
            values = [(i, getattr(document.lines[i], name).strip()) for i in indexes]
            given = [(i, v) for i, v in values if v]
            first = given[0] if given else None
            for i, value in given[1:]:
                if first is not None and value != first[1]:
                    raise _fail(
                        f"lines[{i}].{name}",
                        f"differs from lines[{first[0]}]: all lines of category "
                        f"{category.value} share one VAT breakdown and so one "
                        f"{name.replace('_', ' ')}",
                    )
        if not any(
            document.lines[i].exemption_reason.strip() or document.lines[i].exemption_code
            for i in indexes
        ):
            raise _fail(
                f"lines[{indexes[0]}].exemption_reason",
                "give an exemption reason or code for category "
                f"{_CATEGORY_NAMES[category]} ({rule})",
            )


# --------------------------------------------------------------------------- totals


def _check_totals(document: Document) -> None:
    """Nothing negative, nothing absurd: the amounts the totals make must be sane."""
    result = totals_module.compute(document)
    limit = Decimal(10) ** money.MAX_INTEGER_DIGITS
    for index, amount in enumerate(result.line_net_amounts):
        if amount.copy_abs() >= limit:
            raise _fail(f"lines[{index}]", f"the line amount is too large ({amount})")
        if amount < 0:
            raise _fail(
                f"lines[{index}].allowances",
                f"the allowances are larger than the line amount (the line would be {amount})",
            )
    for breakdown in result.vat_breakdown:
        if breakdown.taxable < 0:
            key = totals_module.vat_key(breakdown.category, breakdown.rate)
            index = next(
                i
                for i, a in enumerate(document.allowances)
                if totals_module.vat_key(a.vat_category, a.vat_rate) == key
            )
            rate = "" if breakdown.rate is None else f" at {breakdown.rate} %"
            raise _fail(
                f"allowances[{index}].amount",
                f"the document allowances are larger than everything in category "
                f"{breakdown.category.value}{rate} (its VAT base would be {breakdown.taxable})",
            )
    for name in ("sum_of_lines", "without_vat", "with_vat", "due"):
        if getattr(result, name).copy_abs() >= limit:
            raise _fail("lines", "the document total is too large (more than 15 digits)")
    if result.prepaid > result.with_vat:
        raise _fail("prepaid", f"is more than the total with VAT ({result.with_vat})")
    if result.due < 0:
        raise _fail("rounding_amount", f"would make the amount due negative ({result.due})")


# --------------------------------------------------------------------------- document


def _check_date(value: object, field: str) -> date | None:
    """An optional date (None when absent); a datetime is not a date here."""
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _fail(field, "must be a date")
    return value


def validate(document: Document, seller: Party | None = None) -> None:
    """Refuse a document that EN 16931 (or our stricter UI rules) would not accept.

    Raises :class:`ValidationError` on the first problem, its message starting with
    the field path. ``seller`` adds the checks that need the seller's identifiers
    (BR-S-02, BR-AE-02, BR-IC-02, BR-G-02, BR-O-02 …).
    """
    if not isinstance(document, Document):
        raise ValidationError("document: must be a document")
    if not isinstance(document.type, DocumentType):
        raise _fail("type", "must be invoice, credit_note or quote")
    currency = check_currency(document.currency)
    if isinstance(document.issue_date, datetime) or not isinstance(document.issue_date, date):
        raise _fail("issue_date", "must be a date")
    due = _check_date(document.due_date, "due_date")
    if due is not None and due < document.issue_date:
        raise _fail(
            "due_date", f"must not be before the issue date ({document.issue_date.isoformat()})"
        )
    _check_date(document.delivery_date, "delivery_date")
    start = _check_date(document.period_start, "period_start")
    end = _check_date(document.period_end, "period_end")
    if start is not None and end is not None and end < start:
        raise _fail(
            "period_end",
            f"must not be before the start of the period ({start.isoformat()}) (EN 16931 BR-29)",
        )
    check_text(document.deliver_to_country, "deliver_to_country", limit=MAX_SHORT)
    if document.deliver_to_country:
        check_country(document.deliver_to_country, "deliver_to_country")
    check_text(document.buyer_reference, "buyer_reference", limit=MAX_SHORT)
    check_text(document.order_reference, "order_reference", limit=MAX_SHORT)
    check_text(document.note, "note", limit=MAX_TEXT, multiline=True)
    check_text(document.payment_terms, "payment_terms", limit=MAX_TEXT, multiline=True)
    check_text(document.preceding_invoice, "preceding_invoice", limit=MAX_SHORT)
    if document.type is DocumentType.CREDIT_NOTE and not document.preceding_invoice.strip():
        raise _fail("preceding_invoice", "a credit note must name the invoice it corrects")
    validate_party(document.buyer, "buyer")
    if seller is not None:
        validate_party(seller, "seller")

    if not isinstance(document.lines, tuple) or not document.lines:
        raise _fail("lines", "a document needs at least one line (EN 16931 BR-16)")
    if len(document.lines) > MAX_LINES:
        raise _fail(
            "lines",
            f"at most {MAX_LINES} lines are allowed per document (this one has "
            f"{len(document.lines)}); split it into several invoices",
        )
    for index, line in enumerate(document.lines):
        check_line(line, f"lines[{index}]", currency)
    for kind, items, charge in (
        ("allowances", document.allowances, False),
        ("charges", document.charges, True),
    ):
        if not isinstance(items, tuple):
            raise _fail(kind, "must be a list")
        if len(items) > MAX_LINES:
            raise _fail(kind, f"at most {MAX_LINES} are allowed")
        for index, item in enumerate(items):
            _check_allowance_charge(
                item, f"{kind}[{index}]", currency, charge=charge, document_level=True
            )
    check_amount(document.prepaid, "prepaid", currency)
    if document.prepaid < 0:
        raise _fail("prepaid", "must not be negative")
    check_amount(document.rounding_amount, "rounding_amount", currency)
    bound = money.from_minor(MAX_ROUNDING_MINOR, currency)
    if document.rounding_amount.copy_abs() >= bound:
        raise _fail("rounding_amount", f"must be smaller than {bound} either way")

    _check_vat_parties(document, seller)
    _check_intra_community(document)
    _check_exemption_reasons(document)
    _check_totals(document)


# --------------------------------------------------------------------------- warnings


def check_vat_id(value: str) -> str | None:
    """A warning when a VAT ID's check digits are wrong, None when it looks right.

    EU numbers (and XI, Northern Ireland) are checked with ``stdnum.eu.vat``
    (Greece as EL), others with the country's own stdnum module when there is one
    (GB, CH, NO …). A number no module knows is not judged (None). Never raises.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    shown = value.strip() if value.isprintable() else repr(value)
    compact = "".join(value.split()).upper()
    prefix = compact[:2]
    if prefix.lower() in eu_vat.MEMBER_STATES or prefix == "EL":
        module = eu_vat
    else:
        module = _country_vat_module(prefix)
        if module is None:
            return None
    try:
        module.validate(compact)
    except InvalidChecksum:
        return f"The VAT ID {shown} looks wrong: its check digit does not match. Please check it."
    except StdnumError:
        return (
            f"The VAT ID {shown} does not look like a valid {prefix!r} VAT number "
            "(wrong length or characters). Please check it."
        )
    return None


def _country_vat_module(prefix: str) -> ModuleType | None:
    """stdnum's VAT module for a non-EU country prefix (gb.vat, ch.vat, no.mva …), if any."""
    if not (len(prefix) == 2 and prefix.isascii() and prefix.isalpha()):
        return None
    try:
        return get_cc_module(prefix.lower(), "vat")
    except (ImportError, ValueError):
        return None


def check_iban(value: str) -> str | None:
    """A warning when an IBAN is malformed or its check digits are wrong, None when valid."""
    if not isinstance(value, str) or not value.strip():
        return None
    shown = value.strip() if value.isprintable() else repr(value)
    malformed = (
        f"The IBAN {shown} does not look like an IBAN (wrong country code, length or "
        "characters). Please check it."
    )
    if not IBAN_SHAPE.fullmatch("".join(value.split()).upper()):
        return malformed
    try:
        iban.validate(value)
    except InvalidChecksum:
        return f"The IBAN {shown} looks wrong: its check digits do not match. Please check it."
    except StdnumError:
        return malformed
    return None
