"""Demo data: fill an empty vault with realistic sample documents (``invoicevault demo``).

The sample business is a German design studio invoicing clients in eleven
countries: quotes (some converted to invoices), invoices over about three years
before ``today``, credit notes (full and partial), payments (full, partial,
none: some invoices are overdue), drafts and two recurring templates. Every VAT
category of EN 16931 appears, each with the rules of :mod:`app.domain.rules`
satisfied; category O (not subject to VAT) only appears in drafts, because the
seller has a VAT ID and BR-O-02 refuses to issue O for such a seller.

Speed: going through the public services for each document (validate, totals,
JSON, one audit record per action) costs milliseconds per document, too slow for
100,000 invoices. Instead the document bodies (lines, allowances, charges) come
from pools of at most about a thousand, each totalled once and validated once
(with its real buyer and seller, when first written), and every document is
written with the store functions the services use, in batched transactions of
about 1 % of the work. What is written is what the
services would have written: the content is exactly
:func:`~app.domain.invoice_json.document_to_json` of the document (checked for
every body the first time it is used), the total columns are
:func:`~app.domain.totals.compute` of it, numbers come from the series counters
in issue-date order, and statuses follow the same settlement rule. The whole
demo appends one audit record, ``demo.filled``, besides those of the services
it calls (the seller profile and the two recurring templates).

Everything is drawn from ``random.Random(seed)``: the same seed and ``today``
give the same documents, numbers and totals.
"""

import contextlib
import gc
import json
import random
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from stdnum import luhn
from stdnum.at import uid as at_uid
from stdnum.ch import uid as ch_uid
from stdnum.es import cif as es_cif
from stdnum.iso7064 import mod_11_10

from app import money
from app.domain import invoice_json, rules, totals
from app.domain.invoice_json import SellerProfile
from app.domain.model import AllowanceCharge, Document, DocumentType, Line, Party, VatCategory
from app.domain.schedule import Frequency, on_anchor
from app.errors import ValidationError
from app.services import invoicing
from app.services import recurring as recurring_service
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, clients, documents, numbering, payments, recurring
from app.store.connection import Connection, transaction
from app.store.documents import ListQuery

MAX_INVOICES = 1_000_000
HISTORY_DAYS = 3 * 365  # issue dates spread over about three years before today
BATCHES = 100  # one transaction (and one progress report) per ~1 % of the documents

SELLER = SellerProfile(
    party=Party(
        name="Studio Lichtblick – Anna Schmidt Grafik & Web",
        country="DE",
        street="Lindenweg 3",
        city="Hamburg",
        postcode="20095",
        vat_id="DE136695976",
        tax_id="22/815/08150",
        email="hallo@studio-lichtblick.de",
        phone="+49 40 3298 4410",
    ),
    iban="DE89370400440532013000",
    bic="COBADEFFXXX",
)


@dataclass(frozen=True)
class DemoSummary:
    """What the demo wrote (fewer than asked when it was cancelled)."""

    clients: int
    invoices: int
    credit_notes: int
    quotes: int
    payments: int
    templates: int
    cancelled: bool = False


# -- the catalogue -----------------------------------------------------------------------

LANGUAGES = ("en", "de", "fr")


@dataclass(frozen=True)
class _Item:
    """A catalogue item: names in en/de/fr, unit, EUR net price per ``base`` units."""

    sku: str
    names: tuple[str, str, str]
    unit: str
    price: str
    quantities: tuple[str, ...]
    goods: bool = False
    reduced: bool = False  # 7 % in Germany (books and other printed matter)
    base: str = "1"
    gross: str | None = None  # list price before the price discount (BT-148)


SERVICES = (
    _Item(
        "SRV-LOGO",
        ("Logo design", "Logo-Design", "Création de logo"),
        "HUR",
        "95.00",
        ("4", "6", "8", "12", "16.5"),
    ),
    _Item(
        "SRV-CD",
        ("Corporate design concept", "Corporate-Design-Konzept", "Concept d'identité visuelle"),
        "C62",
        "2400.00",
        ("1",),
    ),
    _Item(
        "SRV-WEB",
        ("Web design, landing page", "Webdesign Landingpage", "Conception web, page d'accueil"),
        "C62",
        "1850.00",
        ("1", "2"),
    ),
    _Item(
        "SRV-DEV",
        ("Front-end development", "Frontend-Entwicklung", "Développement front-end"),
        "HUR",
        "88.00",
        ("8", "12.5", "20", "32", "40"),
    ),
    _Item(
        "SRV-UX",
        ("UX workshop (half day)", "UX-Workshop (halbtags)", "Atelier UX (demi-journée)"),
        "C62",
        "690.00",
        ("1", "2"),
    ),
    _Item(
        "SRV-PHOTO",
        ("Photography, day rate", "Fotografie, Tagessatz", "Photographie, tarif journalier"),
        "DAY",
        "1200.00",
        ("0.5", "1", "2"),
    ),
    _Item(
        "SRV-EDIT",
        ("Image editing", "Bildbearbeitung", "Retouche d'images"),
        "HUR",
        "65.00",
        ("2", "3.5", "5", "10"),
    ),
    _Item(
        "SRV-ILLU",
        ("Editorial illustration", "Illustration, redaktionell", "Illustration éditoriale"),
        "C62",
        "450.00",
        ("1", "2", "3"),
    ),
    _Item(
        "SRV-TEXT", ("Copywriting", "Texterstellung", "Rédaction"), "HUR", "75.00", ("3", "6", "9")
    ),
    _Item(
        "SRV-HOST",
        (
            "Website hosting and maintenance",
            "Website-Hosting und Wartung",
            "Hébergement et maintenance du site",
        ),
        "MON",
        "49.90",
        ("1", "3", "12"),
    ),
    _Item(
        "SRV-SOCIAL",
        (
            "Social media templates (set of 10)",
            "Social-Media-Vorlagen (10er-Set)",
            "Modèles pour réseaux sociaux (lot de 10)",
        ),
        "SET",
        "390.00",
        ("1", "2"),
    ),
    _Item(
        "SRV-PM",
        ("Project management", "Projektmanagement", "Gestion de projet"),
        "HUR",
        "70.00",
        ("2", "4", "6.5"),
    ),
    _Item(
        "SRV-FONT",
        (
            "Font licence (desktop, 5 users)",
            "Schriftlizenz (Desktop, 5 Nutzer)",
            "Licence de police (bureau, 5 utilisateurs)",
        ),
        "C62",
        "179.00",
        ("1", "2"),
    ),
    _Item(
        "SRV-TRAVEL",
        (
            "Travel expenses (per km)",
            "Reisekosten (Kilometerpauschale)",
            "Frais de déplacement (par km)",
        ),
        "KMT",
        "0.30",
        ("84", "126", "312", "640"),
    ),
)
GOODS = (
    _Item(
        "PRT-CARDS",
        ("Business cards, printed", "Visitenkarten, gedruckt", "Cartes de visite imprimées"),
        "C62",
        "12.50",
        ("250", "500", "1000"),
        goods=True,
        base="100",
    ),
    _Item(
        "PRT-FLYER",
        ("Flyers A5, printed", "Flyer A5, gedruckt", "Flyers A5 imprimés"),
        "C62",
        "38.00",
        ("1000", "2500", "5000"),
        goods=True,
        base="1000",
    ),
    _Item(
        "PRT-ART",
        ("Art print A2, framed", "Kunstdruck A2, gerahmt", "Tirage d'art A2, encadré"),
        "H87",
        "145.00",
        ("1", "2", "4"),
        goods=True,
        gross="160.00",
    ),
    _Item(
        "PRT-POSTER",
        ("Poster A1", "Plakat A1", "Affiche A1"),
        "H87",
        "24.00",
        ("10", "25", "50"),
        goods=True,
    ),
    _Item(
        "PRT-BOOK",
        ("Photo book, hardcover", "Fotobuch, Hardcover", "Livre photo, couverture rigide"),
        "H87",
        "59.00",
        ("1", "5", "20"),
        goods=True,
        reduced=True,
    ),
    _Item(
        "PRT-CAT",
        ("Exhibition catalogue", "Ausstellungskatalog", "Catalogue d'exposition"),
        "H87",
        "28.00",
        ("50", "100", "250"),
        goods=True,
        reduced=True,
    ),
    _Item(
        "PRT-PAPER",
        ("Art paper, 300 g/m²", "Künstlerpapier, 300 g/m²", "Papier d'art, 300 g/m²"),
        "KGM",
        "8.40",
        ("2.5", "5", "12.75"),
        goods=True,
    ),
)
ZERO_RATED = _Item(
    "SOL-PANEL",
    (
        "Solar module for the studio roof (0 %, § 12 (3) UStG)",
        "Solarmodul für das Atelierdach (0 %, § 12 Abs. 3 UStG)",
        "Module solaire pour le toit de l'atelier (0 %, § 12 (3) UStG)",
    ),
    "H87",
    "189.00",
    ("4", "8", "12"),
    goods=True,
)
EXEMPT = _Item(
    "EDU-WORKSHOP",
    (
        "Design workshop at a vocational school",
        "Designworkshop an einer Berufsschule",
        "Atelier de design dans une école professionnelle",
    ),
    "HUR",
    "80.00",
    ("4", "8", "16"),
)
NOT_SUBJECT = (
    _Item(
        "PRO-BONO",
        (
            "Poster design for a charity run",
            "Plakatgestaltung für einen Spendenlauf",
            "Affiche pour une course caritative",
        ),
        "C62",
        "350.00",
        ("1",),
    ),
    _Item(
        "PRO-DONATE",
        ("Donated design hours", "Gespendete Designstunden", "Heures de design offertes"),
        "HUR",
        "0.00",
        ("4", "8"),
    ),
)
RETAINER = _Item(
    "SRV-RETAINER",
    (
        "Monthly design retainer (12 hours)",
        "Monatliche Design-Betreuung (12 Stunden)",
        "Forfait design mensuel (12 heures)",
    ),
    "MON",
    "1450.00",
    ("1",),
)
SHOP_CARE = _Item(
    "SRV-SHOP",
    (
        "Online shop maintenance, quarterly",
        "Wartung Onlineshop, vierteljährlich",
        "Maintenance de la boutique en ligne, trimestrielle",
    ),
    "C62",
    "890.00",
    ("1",),
)

#: Rough exchange rates from EUR list prices (exact fractions; no float touches money).
RATES = {
    "EUR": Fraction(1),
    "USD": Fraction(108, 100),
    "GBP": Fraction(86, 100),
    "CHF": Fraction(96, 100),
    "JPY": Fraction(162),
}

REVERSE_CHARGE = ("Reverse charge", "VATEX-EU-AE")
INTRA_COMMUNITY = ("Intra-community supply", "VATEX-EU-IC")
EXPORT = ("Export outside the EU", "VATEX-EU-G")
EDUCATION = ("Exempt educational service (§ 4 Nr. 21 UStG)", "VATEX-EU-132-1I")
OUTSIDE_SCOPE = ("Not subject to VAT", "VATEX-EU-O")

TEXTS = {
    "loyalty": ("Loyalty discount {pct} %", "Treuerabatt {pct} %", "Remise fidélité {pct} %"),
    "express": ("Express surcharge", "Expresszuschlag", "Supplément express"),
    "early": ("Early-booking discount", "Frühbucherrabatt", "Remise pour réservation anticipée"),
    "shipping": (
        "Shipping and packaging",
        "Versand und Verpackung",
        "Frais d'envoi et d'emballage",
    ),
    "terms": (
        "Payable within {days} days without deduction.",
        "Zahlbar innerhalb von {days} Tagen ohne Abzug.",
        "Payable sous {days} jours, sans escompte.",
    ),
    "terms_now": (
        "Payable immediately without deduction.",
        "Zahlbar sofort ohne Abzug.",
        "Payable immédiatement, sans escompte.",
    ),
    "thanks": (
        "Thank you for your order.",
        "Vielen Dank für Ihren Auftrag.",
        "Merci pour votre commande.",
    ),
    "period": (
        "Service period: {month} {year}",
        "Leistungszeitraum: {month} {year}",
        "Période de prestation : {month} {year}",
    ),
    "quote": (
        "This quote is valid for 30 days.",
        "Dieses Angebot ist 30 Tage gültig.",
        "Ce devis est valable 30 jours.",
    ),
    "order": ("PO {n}", "Bestellung {n}", "Commande {n}"),
    "deposit": (
        "A deposit of 30 % has been paid.",
        "Eine Anzahlung von 30 % ist erfolgt.",
        "Un acompte de 30 % a été versé.",
    ),
}
MONTHS = (
    (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
)


def _text(key: str, language: str, **values: object) -> str:
    return TEXTS[key][LANGUAGES.index(language)].format(**values)


# -- the clients -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Country:
    cities: tuple[tuple[str, str], ...]  # (city, postcode)
    streets: tuple[str, ...]
    address: str  # "{street} {no}" or "{no} {street}"
    surnames: tuple[str, ...]
    firms: tuple[str, ...]  # "{s}" surname, "{c}" city
    first_names: tuple[str, ...]
    domain: str
    phone: str


COUNTRIES = {
    "DE": _Country(
        (
            ("Berlin", "10115"),
            ("Hamburg", "20095"),
            ("München", "80331"),
            ("Köln", "50667"),
            ("Düsseldorf", "40213"),
            ("Leipzig", "04109"),
            ("Nürnberg", "90402"),
            ("Freiburg im Breisgau", "79098"),
            ("Lübeck", "23552"),
            ("Würzburg", "97070"),
        ),
        (
            "Hauptstraße",
            "Bahnhofstraße",
            "Schloßallee",
            "Königstraße",
            "Mühlenweg",
            "Lindenallee",
            "Gartenstraße",
            "Am Marktplatz",
        ),
        "{street} {no}",
        (
            "Müller",
            "Schäfer",
            "Weiß",
            "Köhler",
            "Groß",
            "Schröder",
            "Böhm",
            "Krüger",
            "Meißner",
            "Fuchs",
            "Lehmann",
            "Hoffmann",
            "Jäger",
            "Günther",
            "Zimmermann",
            "Wagner",
            "Becker",
            "Vogel",
            "Bäumer",
            "Dörfler",
        ),
        (
            "{s} & Söhne GmbH",
            "Bäckerei {s}",
            "Möbelwerkstatt {s} GmbH",
            "Brauerei {s} KG",
            "{s} Architekten PartG",
            "Verlag {s} GmbH",
            "Buchhandlung {s}",
            "Gärtnerei {s}",
            "Weinhandel {s} e.K.",
            "Zahnarztpraxis Dr. {s}",
            "Kaffeerösterei {c} GmbH",
            "{s} Fahrradmanufaktur GmbH",
            "Optik {s}",
            "{c}er Stadtwerke AG",
        ),
        ("Jürgen", "Anja", "Björn", "Sören", "Käthe", "Lena", "Tobias", "Özlem"),
        "de",
        "+49",
    ),
    "FR": _Country(
        (
            ("Paris", "75003"),
            ("Lyon", "69002"),
            ("Marseille", "13001"),
            ("Bordeaux", "33000"),
            ("Nantes", "44000"),
            ("Strasbourg", "67000"),
            ("Montpellier", "34000"),
        ),
        (
            "rue de la République",
            "rue Victor Hugo",
            "avenue Jean Jaurès",
            "place de l'Église",
            "rue du Général de Gaulle",
            "rue des Écoles",
        ),
        "{no} {street}",
        (
            "Lefèvre",
            "Dubois",
            "Gérard",
            "Bélanger",
            "Moreau",
            "Leroy",
            "Fournier",
            "Girard",
            "Rousseau",
            "Mercier",
            "Chévremont",
        ),
        (
            "Boulangerie {s}",
            "Éditions {s}",
            "Atelier {s} SARL",
            "{s} & Fils SA",
            "Château {s}",
            "Librairie {s} & Cie",
            "Cabinet {s} Architectes",
        ),
        ("Hélène", "François", "Zoé", "Amélie", "Théo", "Noël"),
        "fr",
        "+33",
    ),
    "AT": _Country(
        (
            ("Wien", "1010"),
            ("Graz", "8010"),
            ("Linz", "4020"),
            ("Salzburg", "5020"),
            ("Innsbruck", "6020"),
        ),
        ("Hauptplatz", "Bahnhofstraße", "Kirchengasse", "Schulgasse"),
        "{street} {no}",
        ("Gruber", "Huber", "Pichler", "Steiner", "Moser", "Hofer", "Wöß", "Brandstätter"),
        (
            "{s} Holzbau GmbH",
            "Konditorei {s}",
            "Weingut {s}",
            "{s} Reisen GmbH",
            "Tischlerei {s} OG",
        ),
        ("Sepp", "Theresa", "Lukas", "Anneliese"),
        "at",
        "+43",
    ),
    "NL": _Country(
        (
            ("Amsterdam", "1012 AB"),
            ("Rotterdam", "3011 AA"),
            ("Utrecht", "3511 AB"),
            ("Den Haag", "2511 CV"),
        ),
        ("Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenstraat"),
        "{street} {no}",
        ("de Vries", "van Dijk", "Jansen", "Bakker", "Visser", "Smit", "van den Berg"),
        ("{s} Ontwerp B.V.", "Bloemenhandel {s} B.V.", "Drukkerij {s} B.V.", "{s} Fietsen"),
        ("Sanne", "Daan", "Joëlle"),
        "nl",
        "+31",
    ),
    "IT": _Country(
        (
            ("Milano", "20121"),
            ("Roma", "00184"),
            ("Torino", "10121"),
            ("Firenze", "50122"),
            ("Bologna", "40121"),
        ),
        ("Via Roma", "Via Giuseppe Garibaldi", "Corso Italia", "Via Dante Alighieri"),
        "{street}, {no}",
        ("Rossi", "Bianchi", "Ricci", "Esposito", "Colombo", "Ferrari", "Galli", "Niccolò"),
        ("{s} S.r.l.", "Caffè {s} S.r.l.", "Tipografia {s} S.p.A.", "Pasticceria {s}"),
        ("Giulia", "Niccolò", "Lucía"),
        "it",
        "+39",
    ),
    "ES": _Country(
        (
            ("Madrid", "28013"),
            ("Barcelona", "08002"),
            ("Valencia", "46002"),
            ("Sevilla", "41001"),
            ("Bilbao", "48001"),
        ),
        ("Calle Mayor", "Calle Real", "Avenida de la Constitución", "Plaza de España"),
        "{street}, {no}",
        ("García", "Martínez", "López", "Núñez", "Peña", "Ibáñez", "Muñoz"),
        ("{s} y Asociados S.L.", "Librería {s} S.L.", "Cafés {s} S.A.", "Estudio {s} S.L."),
        ("José", "María", "Íñigo"),
        "es",
        "+34",
    ),
    "BE": _Country(
        (("Bruxelles", "1000"), ("Antwerpen", "2000"), ("Gent", "9000"), ("Liège", "4000")),
        ("Rue de la Station", "Kerkstraat", "Rue de l'Église", "Stationsstraat"),
        "{street} {no}",
        ("Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Dupont"),
        ("Chocolaterie {s} SRL", "Brasserie {s}", "{s} & Partners BV", "Imprimerie {s} SA"),
        ("Aurélie", "Wouter", "Mathéo"),
        "be",
        "+32",
    ),
    "SE": _Country(
        (("Stockholm", "111 52"), ("Göteborg", "411 19"), ("Malmö", "211 22")),
        ("Drottninggatan", "Kungsgatan", "Södra Förstadsgatan"),
        "{street} {no}",
        ("Lindqvist", "Åkesson", "Björk", "Sjöberg", "Ström"),
        ("{s} Design AB", "{s} Förlag AB", "Café {s} AB"),
        ("Åsa", "Björn", "Märta"),
        "se",
        "+46",
    ),
    "CH": _Country(
        (
            ("Zürich", "8001"),
            ("Genève", "1204"),
            ("Basel", "4051"),
            ("Bern", "3011"),
            ("Lausanne", "1003"),
        ),
        ("Bahnhofstrasse", "Hauptstrasse", "Rue du Marché", "Rue de la Gare"),
        "{street} {no}",
        ("Meier", "Keller", "Brunner", "Baumann", "Favre", "Rochat"),
        ("{s} AG", "Uhrenatelier {s} Sàrl", "Confiserie {s} AG", "{s} Treuhand GmbH"),
        ("Urs", "Séverine", "Ueli"),
        "ch",
        "+41",
    ),
    "US": _Country(
        (
            ("New York, NY", "10013"),
            ("San Francisco, CA", "94107"),
            ("Austin, TX", "78701"),
            ("Chicago, IL", "60607"),
            ("Portland, OR", "97209"),
        ),
        ("Main Street", "Oak Avenue", "2nd Street", "Park Avenue"),
        "{no} {street}",
        ("Johnson", "Miller", "Davis", "O'Brien", "Nguyen", "Reyes"),
        ("{s} Creative LLC", "{s} & Partners Inc.", "{s} Brewing Co.", "{s} Media Group"),
        ("Emily", "Michael", "Renée"),
        "com",
        "+1",
    ),
    "GB": _Country(
        (
            ("London", "EC1V 9NR"),
            ("Manchester", "M1 1AE"),
            ("Edinburgh", "EH1 1YZ"),
            ("Bristol", "BS1 4DJ"),
        ),
        ("High Street", "Station Road", "Church Lane", "Victoria Road"),
        "{no} {street}",
        ("Smith", "Taylor", "Brown", "Wilson", "Evans", "Thompson"),
        ("{s} & Co. Ltd", "{s} Design Ltd", "{s} Publishing Ltd", "The {s} Gallery"),
        ("Oliver", "Siobhan", "Chloë"),
        "co.uk",
        "+44",
    ),
    "JP": _Country(
        (
            ("Shibuya-ku, Tokyo", "150-0001"),
            ("Kita-ku, Osaka", "530-0001"),
            ("Shimogyo-ku, Kyoto", "600-8216"),
        ),
        ("Chūō", "Honchō", "Sakaemachi", "Midorichō"),
        "{no} {street}",
        ("Tanaka", "Suzuki", "Takahashi", "Watanabe", "Itō", "Yamamoto", "Saitō"),
        ("{s} Shōten Co., Ltd.", "{s} Design K.K.", "{s} Publishing Co., Ltd."),
        ("Yūki", "Haruto", "Sōta"),
        "co.jp",
        "+81",
    ),
}
CANARY = (("Las Palmas de Gran Canaria", "35001"), ("Santa Cruz de Tenerife", "38001"))
CEUTA_MELILLA = (("Ceuta", "51001"), ("Melilla", "52001"))

# kinds of client: (weight, countries); the family is the kind of document body they get
KINDS = {
    "de_b2b": (40, ("DE",)),
    "de_b2c": (8, ("DE",)),
    "nonprofit": (2, ("DE",)),
    "eu_b2b": (25, ("FR", "AT", "NL", "IT", "ES", "BE", "SE")),
    "eu_b2c": (5, ("FR", "AT", "NL", "IT", "BE")),
    "export": (17, ("US", "GB", "CH", "JP")),
    "canary": (2, ("ES",)),
    "ceuta": (1, ("ES",)),
}
FAMILY = {
    "de_b2b": "domestic",
    "de_b2c": "domestic",
    "nonprofit": "domestic",
    "eu_b2c": "domestic",
    "eu_b2b": "eu",
    "export": "export",
    "canary": "canary",
    "ceuta": "ceuta",
}
PRIVATE = frozenset({"de_b2c", "eu_b2c"})
# (kind, country, name, city index, currency, language): always there, so every feature shows
SHOWCASE = (
    ("de_b2b", "DE", "Müller & Söhne GmbH", 0, "EUR", "de"),
    ("eu_b2b", "FR", "Société Générale de Café", 1, "EUR", "fr"),
    ("eu_b2b", "SE", "Åsa Lindqvist AB", 1, "EUR", "en"),
    ("export", "JP", "Aozora Design K.K.", 0, "JPY", "en"),
    ("export", "US", "Brightline Creative LLC", 2, "USD", "en"),
    ("export", "GB", "Thompson & Co. Ltd", 0, "GBP", "en"),
    ("export", "CH", "Uhrenatelier Favre Sàrl", 1, "CHF", "fr"),
    ("canary", "ES", "Librería Núñez Canarias S.L.", 0, "EUR", "en"),
    ("ceuta", "ES", "Importaciones Peña S.L.", 0, "EUR", "en"),
    ("de_b2c", "DE", "Jürgen Weiß", 3, "EUR", "de"),
    ("nonprofit", "DE", "Förderverein Grundschule am Park e.V.", 1, "EUR", "de"),
    ("eu_b2b", "AT", "Gruber Holzbau GmbH", 1, "EUR", "de"),
    ("eu_b2b", "IT", "Caffè Niccolò S.r.l.", 2, "EUR", "en"),
    ("eu_b2b", "NL", "Bloemenhandel de Vries B.V.", 0, "EUR", "en"),
    ("eu_b2b", "BE", "Chocolaterie Dupont SRL", 0, "EUR", "fr"),
    ("eu_b2c", "FR", "Hélène Lefèvre", 3, "EUR", "fr"),
)


@dataclass(frozen=True)
class _Client:
    party: Party
    kind: str
    currency: str
    language: str
    payment_days: int
    weight: int

    @property
    def family(self) -> str:
        return FAMILY[self.kind]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _vat_candidate(rng: random.Random, country: str) -> str:
    """A VAT ID of the country's format whose check digits are right (checked again by
    :func:`rules.check_vat_id` before use)."""
    first = rng.choice("123456789")
    if country == "DE":
        body = first + _digits(rng, 7)
        return f"DE{body}{mod_11_10.calc_check_digit(body)}"
    if country == "FR":
        siren = first + _digits(rng, 7)
        siren += luhn.calc_check_digit(siren)
        return f"FR{int(siren + '12') % 97:02d}{siren}"
    if country == "AT":
        body = first + _digits(rng, 6)
        return f"ATU{body}{at_uid.calc_check_digit('U' + body)}"
    if country == "NL":
        body = first + _digits(rng, 7)
        check = sum((9 - i) * int(d) for i, d in enumerate(body)) % 11
        return f"NL{body}{check}B01" if check < 10 else ""
    if country == "IT":
        body = first + _digits(rng, 6) + f"{rng.randint(1, 100):03d}"
        return f"IT{body}{luhn.calc_check_digit(body)}"
    if country == "ES":
        body = "B" + first + _digits(rng, 6)
        return f"ES{body}{es_cif.calc_check_digits(body)[0]}"
    if country == "BE":
        body = "0" + first + _digits(rng, 6)
        return f"BE{body}{97 - int(body) % 97:02d}"
    if country == "SE":
        body = "55" + _digits(rng, 7)
        return f"SE{body}{luhn.calc_check_digit(body)}01"
    if country == "GB":
        body = first + _digits(rng, 6)
        weighted = sum(w * int(d) for w, d in zip((8, 7, 6, 5, 4, 3, 2), body, strict=True))
        return f"GB{body}{-weighted % 97:02d}"
    if country == "CH":
        body = first + _digits(rng, 7)
        check = ch_uid.calc_check_digit(body)
        if len(check) != 1:
            return ""
        digits = body + check
        return f"CHE-{digits[:3]}.{digits[3:6]}.{digits[6:]} MWST"
    return ""  # US and JP: no VAT ID stdnum can check


def _vat_id(rng: random.Random, country: str, taken: set[str]) -> str:
    for _ in range(50):
        candidate = _vat_candidate(rng, country)
        if candidate and candidate not in taken and rules.check_vat_id(candidate) is None:
            taken.add(candidate)
            return candidate
    return ""


def _legal_id(country: str, name: str, vat_id: str) -> str:
    """The company register number (BT-47) in the country's usual form, or "" for a firm
    not registered there. Derived from the VAT ID, so it takes nothing from the random
    stream: the French SIREN and the Belgian enterprise number are part of the VAT ID,
    the Swedish organisation number too; a German HRB/HRA number is made up from it."""
    if not vat_id:
        return ""
    if country == "FR":
        return vat_id[4:]
    if country == "BE":
        return f"{vat_id[2:6]}.{vat_id[6:9]}.{vat_id[9:]}"
    if country == "SE":
        return f"{vat_id[2:8]}-{vat_id[8:12]}"
    words = set(name.split())
    if country == "DE" and words & {"GmbH", "AG"}:
        return f"HRB {vat_id[2:7]}"
    if country == "DE" and words & {"KG", "e.K."}:
        return f"HRA {vat_id[2:7]}"
    return ""


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)[:40] or "kontakt"


def _make_client(
    rng: random.Random,
    kind: str,
    country_code: str,
    taken: set[str],
    names: set[str],
    *,
    name: str = "",
    city_index: int | None = None,
    currency: str = "",
    language: str = "",
) -> _Client:
    country = COUNTRIES[country_code]
    cities = country.cities
    if kind == "canary":
        cities = CANARY
    elif kind == "ceuta":
        cities = CEUTA_MELILLA
    city, postcode = (
        cities[city_index % len(cities)] if city_index is not None else rng.choice(cities)
    )
    surname = rng.choice(country.surnames)
    if not name:
        if kind in PRIVATE:
            name = f"{rng.choice(country.first_names)} {surname}"
        elif kind == "nonprofit":
            name = rng.choice(
                (
                    "Kunstverein {c} e.V.",
                    "Förderverein Stadtbibliothek {c} e.V.",
                    "Tafel {c} e.V.",
                    "Sportfreunde {c} e.V.",
                )
            ).format(c=city.split(",")[0])
        else:
            name = rng.choice(country.firms).format(s=surname, c=city.split(",")[0])
        if name in names:
            name = f"{name} ({city.split(',')[0]})"
        while name in names:
            name = f"{name} {rng.randint(2, 99)}"
    names.add(name)
    street = country.address.format(street=rng.choice(country.streets), no=rng.randint(1, 180))
    business = kind not in PRIVATE and kind != "nonprofit"
    vat_id = ""
    if business and (kind != "de_b2b" or rng.random() < 0.85):
        vat_id = _vat_id(rng, country_code, taken)
    if kind == "eu_b2b" and not vat_id:
        raise RuntimeError(f"no VAT ID could be made for {country_code}")  # never: 50 tries
    if not currency:
        currency = {"US": "USD", "JP": "JPY", "GB": "GBP", "CH": "CHF"}.get(country_code, "EUR")
        if country_code in ("GB", "CH") and rng.random() < 0.25:
            currency = "EUR"
    if not language:
        language = {"DE": "de", "AT": "de", "FR": "fr"}.get(country_code, "en")
        if country_code in ("BE", "CH") and rng.random() < 0.5:
            language = "fr" if country_code == "BE" else rng.choice(("de", "fr"))
    local = "buchhaltung" if language == "de" else "compta" if language == "fr" else "accounts"
    if kind in PRIVATE:
        email = f"{_slug(name).replace('-', '.')}@mail.{country.domain}"
    else:
        email = f"{local}@{_slug(name)}.{country.domain}"
    party = Party(
        name=name,
        country=country_code,
        street=street,
        city=city,
        postcode=postcode,
        vat_id=vat_id,
        email=email,
        phone=f"{country.phone} {rng.randint(20, 99)} {rng.randint(100000, 9999999)}",
        legal_id=_legal_id(country_code, name, vat_id),
    )
    days = 14 if kind in PRIVATE else rng.choice((14, 14, 30, 30, 30, 10, 45, 60))
    return _Client(party, kind, currency, language, days, rng.choice((1, 1, 2, 2, 3, 5, 8, 13)))


def _make_clients(rng: random.Random, count: int) -> list[_Client]:
    taken: set[str] = set()
    names: set[str] = set()
    made = [
        _make_client(
            rng,
            kind,
            country,
            taken,
            names,
            name=name,
            city_index=city,
            currency=cur,
            language=lang,
        )
        for kind, country, name, city, cur, lang in SHOWCASE
    ]
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    while len(made) < count:
        kind = rng.choices(kinds, weights)[0]
        country = rng.choice(KINDS[kind][1])
        made.append(_make_client(rng, kind, country, taken, names))
    return made


# -- document bodies ---------------------------------------------------------------------

BODY_FIELDS = ("currency", "lines", "allowances", "charges", "prepaid", "rounding_amount")
#: The keys of the invoice JSON in the order ``json.dumps(..., sort_keys=True)`` writes them.
DOCUMENT_KEYS = tuple(sorted(invoice_json.DOCUMENT_FIELDS))
#: The keys a document fills in, in that order (its body gives the others).
OWN_KEYS = tuple(key for key in DOCUMENT_KEYS if key not in BODY_FIELDS)
#: JSON text of a value exactly as ``json.dumps(value, ensure_ascii=False, sort_keys=True)``.
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
POOL_SIZES = {"domestic": 120, "eu": 50, "export": 24, "canary": 8, "ceuta": 6, "o": 3}
EMPTY = Party("Demo", "DE")


class _Body:
    """Lines, allowances and charges shared by many documents: totalled and validated once."""

    __slots__ = (
        "checked",
        "credits",
        "document",
        "due_minor",
        "intra_community",
        "template",
        "total_minor",
    )

    def __init__(self, document: Document) -> None:
        result = totals.compute(document)
        self.document = document
        # the documents with this body must say when and where the goods went (BR-IC-11/12)
        self.intra_community = any(
            b.category is VatCategory.INTRA_COMMUNITY for b in result.vat_breakdown
        )
        self.total_minor = money.to_minor(result.with_vat, document.currency)
        self.due_minor = money.to_minor(result.due, document.currency)
        full = invoice_json.document_to_json(document)
        # the JSON text of every document with this body, its own fields left as %s
        pieces = [
            f'"{key}": ' + (_encode(full[key]).replace("%", "%%") if key in BODY_FIELDS else "%s")
            for key in DOCUMENT_KEYS
        ]
        self.template = "{" + ", ".join(pieces) + "}"
        self.checked = False
        self.credits: dict[bool, _Body] = {}

    def credit(self, partial: bool) -> "_Body":
        """The body of a credit note for all of it or for its first line, as the service
        :func:`invoicing.create_credit_note` makes it (valid when this body is: its lines
        carry their own exemption reasons and the credit has no prepaid amount)."""
        if partial not in self.credits:
            changes: dict[str, object] = {"type": DocumentType.CREDIT_NOTE, "prepaid": Decimal(0)}
            if partial:
                changes |= {"lines": self.document.lines[:1], "allowances": (), "charges": ()}
            self.credits[partial] = _Body(replace(self.document, **changes))  # type: ignore[arg-type]
        return self.credits[partial]


def _price(eur: str, currency: str) -> Decimal:
    """A list price converted from EUR, at the currency's minor unit (JPY to 10 yen)."""
    value = Fraction(Decimal(eur)) * RATES[currency]
    if currency == "JPY":
        return money.round_money(value / 10, currency) * 10
    return money.round_money(value, currency)


class _Bodies:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools: dict[tuple[str, str, str], list[_Body]] = {}

    def pick(self, family: str, currency: str, language: str) -> _Body:
        pool = self.pools.setdefault((family, currency, language), [])
        index = self.rng.randrange(POOL_SIZES[family])
        if index >= len(pool):
            pool.append(self.make(family, currency, language))
            return pool[-1]
        return pool[index]

    def make(self, family: str, currency: str, language: str, *, showcase: bool = False) -> _Body:
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5, 7), (40, 30, 17, 8, 4, 1))[0]
        if family == "o":
            items = [rng.choice(NOT_SUBJECT)]
        elif showcase:
            items = [SERVICES[0], GOODS[0], GOODS[2], GOODS[4]]
        else:
            goods_share = {"domestic": 0.3, "eu": 0.35, "export": 0.4}.get(family, 0.0)
            items = [
                rng.choice(GOODS if rng.random() < goods_share else SERVICES) for _ in range(count)
            ]
        lines = [
            self.line(item, family, currency, language, showcase and i == 0)
            for i, item in enumerate(items)
        ]
        if family == "domestic":
            if showcase or rng.random() < 0.03:
                lines.append(self.line(ZERO_RATED, "zero", currency, language, False))
            if showcase or rng.random() < 0.04:
                lines.append(self.line(EXEMPT, "exempt", currency, language, False))
        document = Document(
            type=DocumentType.INVOICE,
            currency=currency,
            issue_date=date(2000, 1, 1),
            buyer=EMPTY,
            lines=tuple(lines),
        )
        first = lines[0]
        if family != "o" and (showcase or rng.random() < 0.08):
            base = sum(
                (
                    Fraction(totals.line_net_amount(line, currency))
                    for line in lines
                    if totals.vat_key(line.vat_category, line.vat_rate)
                    == totals.vat_key(first.vat_category, first.vat_rate)
                ),
                Fraction(0),
            )
            amount = money.round_money(base * 3 / 100, currency)
            if amount > 0:
                allowance = AllowanceCharge(
                    amount, _text("early", language), "95", first.vat_category, first.vat_rate
                )
                document = replace(document, allowances=(allowance,))
        goods = [line for line, item in zip(lines, items, strict=False) if item.goods]
        if goods and family != "o" and (showcase or rng.random() < 0.35):
            line = goods[0]
            charge = AllowanceCharge(
                _price("9.90", currency),
                _text("shipping", language),
                "FC",
                line.vat_category,
                line.vat_rate,
            )
            document = replace(document, charges=(charge,))
        body = _Body(document)
        if (showcase and family == "domestic") or (
            family != "o" and body.total_minor > 100_000 and rng.random() < 0.04
        ):
            total = Fraction(money.from_minor(body.total_minor, currency))
            document = replace(document, prepaid=money.round_money(total * 3 / 10, currency))
            body = _Body(document)
        if currency == "CHF" and body.due_minor % 5:  # Swiss cash rounding to 0.05 (BT-114)
            rest = body.due_minor % 5
            document = replace(
                document, rounding_amount=money.from_minor(-rest if rest < 3 else 5 - rest, "CHF")
            )
            body = _Body(document)
        return body  # validated with its real buyer and seller when first written

    def line(self, item: _Item, family: str, currency: str, language: str, extras: bool) -> Line:
        rng = self.rng
        category, rate, reason = VatCategory.STANDARD, Decimal(7 if item.reduced else 19), ("", "")
        if family == "eu":
            category, rate = (
                (VatCategory.INTRA_COMMUNITY, Decimal(0))
                if item.goods
                else (VatCategory.REVERSE_CHARGE, Decimal(0))
            )
            reason = INTRA_COMMUNITY if item.goods else REVERSE_CHARGE
        elif family == "export":
            category, rate, reason = VatCategory.EXPORT, Decimal(0), EXPORT
        elif family == "canary":
            category, rate = VatCategory.CANARY, Decimal(7)
        elif family == "ceuta":
            category, rate = VatCategory.CEUTA_MELILLA, Decimal(4)
        elif family == "o":
            category, rate, reason = VatCategory.NOT_SUBJECT, None, OUTSIDE_SCOPE
        elif family == "zero":
            category, rate = VatCategory.ZERO, Decimal(0)
        elif family == "exempt":
            category, rate, reason = VatCategory.EXEMPT, Decimal(0), EDUCATION
        quantity = Decimal(rng.choice(item.quantities))
        price = _price(item.price, currency)
        base = Decimal(item.base)
        amount = Fraction(quantity) * Fraction(price) / Fraction(base)
        allowances: tuple[AllowanceCharge, ...] = ()
        charges: tuple[AllowanceCharge, ...] = ()
        if extras or rng.random() < 0.10:
            pct = rng.choice((5, 10))
            cut = money.round_money(amount * pct / 100, currency)
            if cut > 0:
                allowances = (AllowanceCharge(cut, _text("loyalty", language, pct=pct), "95"),)
        if not item.goods and (extras or rng.random() < 0.05):
            extra = money.round_money(amount * 15 / 100, currency)
            if extra > 0:
                charges = (AllowanceCharge(extra, _text("express", language)),)
        return Line(
            description=item.names[LANGUAGES.index(language)],
            quantity=quantity,
            unit=item.unit,
            net_price=price,
            vat_category=category,
            vat_rate=rate,
            gross_price=_price(item.gross, currency) if item.gross else None,
            price_base_quantity=base,
            allowances=allowances,
            charges=charges,
            exemption_reason=reason[0],
            exemption_code=reason[1],
            item_id=item.sku,
        )


# -- the plan ----------------------------------------------------------------------------


class _Header(NamedTuple):
    """What a document fills in besides its body; the names are :class:`Document` fields."""

    buyer_reference: str
    order_reference: str
    note: str
    payment_terms: str
    delivery_date: date | None = None  # BT-72
    period_start: date | None = None  # BG-14
    period_end: date | None = None
    deliver_to_country: str = ""  # BT-80

    def json_values(self) -> dict[str, str]:
        """Each field as its JSON text, as :func:`invoice_json.document_to_json` writes it
        (dates and the country code need no escaping, so they skip the encoder)."""
        return {
            "buyer_reference": _encode(self.buyer_reference),
            "order_reference": _encode(self.order_reference),
            "note": _encode(self.note),
            "payment_terms": _encode(self.payment_terms),
            "delivery_date": _json_date(self.delivery_date),
            "period_start": _json_date(self.period_start),
            "period_end": _json_date(self.period_end),
            "deliver_to_country": f'"{self.deliver_to_country}"',
        }


def _json_date(value: date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


class _Entry:
    """One document to write, with what happens to it afterwards."""

    __slots__ = (
        "body",
        "client",
        "credited",
        "day",
        "doc_id",
        "due",
        "header",
        "issued",
        "link",
        "number",
        "paid",
        "payments",
        "template",
        "type",
    )

    def __init__(
        self,
        doc_type: str,
        day: date,
        client: int,
        body: _Body,
        header: _Header,
        *,
        due: date | None = None,
        issued: bool = True,
        link: "_Entry | None" = None,
        template: tuple[int, str] | None = None,
    ) -> None:
        self.type = doc_type
        self.day = day
        self.client = client
        self.body = body
        self.header = header
        self.due = due
        self.issued = issued
        self.link = link  # the quote an invoice came from; the invoice a credit note credits
        self.template = template  # (template index, period)
        self.payments: tuple[tuple[date, int, str], ...] = ()
        self.paid = 0
        self.credited = 0
        self.doc_id = 0
        self.number = ""


def settlement_status(due_minor: int, paid_minor: int, credited_minor: int) -> str:
    """The status an issued invoice has after payments and credit notes (as the service
    ``invoicing._settle`` decides it)."""
    if credited_minor >= due_minor and paid_minor == 0:
        return "cancelled"
    if paid_minor + credited_minor >= due_minor:
        return "paid"
    if paid_minor > 0:
        return "partially_paid"
    return "issued"


@dataclass(frozen=True)
class _Template:
    name: str
    client: int
    body: _Body
    frequency: Frequency
    periods: tuple[date, ...]
    first: date
    header: _Header
    method: str


class _Planner:
    def __init__(
        self,
        rng: random.Random,
        today: date,
        clients_: Sequence[_Client],
        bodies: _Bodies,
    ) -> None:
        self.rng = rng
        self.today = today
        self.clients = clients_
        self.bodies = bodies
        self.cumulative: list[int] = []
        running = 0
        for client in clients_:
            running += client.weight
            self.cumulative.append(running)
        self.indexes = range(len(clients_))
        self.by_kind: dict[str, int] = {}
        for index, client in enumerate(clients_):
            self.by_kind.setdefault(client.kind, index)

    # -- small draws

    def client(self) -> int:
        return self.rng.choices(self.indexes, cum_weights=self.cumulative)[0]

    def day(self, newest: int = 0, oldest: int = HISTORY_DAYS) -> date:
        """A day ``newest`` to ``oldest`` days ago, more of them recent (the studio grows)."""
        span = oldest - newest
        back = newest + int(span * (1 - self.rng.random() ** 0.8))  # not money
        return self.today - timedelta(days=min(back, oldest))

    def header(self, client: _Client, day: date, doc_type: str, body: _Body) -> _Header:
        rng, language = self.rng, client.language
        business = client.kind not in PRIVATE
        buyer_ref = f"PO-{rng.randint(10000, 99999)}" if business and rng.random() < 0.3 else ""
        order = (
            _text("order", language, n=rng.randint(1000, 99999))
            if business and rng.random() < 0.25
            else ""
        )
        roll = rng.random()
        period: tuple[date, date] | None = None
        if doc_type == "quote":
            note = _text("quote", language)
        elif body.document.prepaid:
            note = _text("deposit", language)
        elif roll < 0.15:
            note = _text("thanks", language)
        elif roll < 0.30:
            month = MONTHS[LANGUAGES.index(language)][day.month - 1]
            note = _text("period", language, month=month, year=day.year)
            first = day.replace(day=1)
            period = (first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1))
        else:
            note = ""
        days = client.payment_days
        terms = _text("terms", language, days=days) if days else _text("terms_now", language)
        if not body.intra_community:
            return _Header(buyer_ref, order, note, terms, None, *(period or (None, None)))
        # goods sent to another member state: when (BR-IC-11) and where (BR-IC-12); a quote
        # names the planned delivery, an invoice the last working week's (no draw from rng)
        country = client.party.country
        if period is not None:
            return _Header(buyer_ref, order, note, terms, None, *period, country)
        if doc_type == "quote":
            delivered = day + timedelta(days=14)
        else:
            delivered = day - timedelta(days=day.toordinal() % 7)
        return _Header(buyer_ref, order, note, terms, delivered, None, None, country)

    def body(self, client: _Client) -> _Body:
        return self.bodies.pick(client.family, client.currency, client.language)

    def invoice(
        self,
        client_index: int,
        day: date,
        *,
        body: _Body | None = None,
        header: _Header | None = None,
        issued: bool = True,
        link: _Entry | None = None,
        template: tuple[int, str] | None = None,
    ) -> _Entry:
        client = self.clients[client_index]
        body = body or self.body(client)
        return _Entry(
            "invoice",
            day,
            client_index,
            body,
            header or self.header(client, day, "invoice", body),
            due=day + timedelta(days=client.payment_days),
            issued=issued,
            link=link,
            template=template,
        )

    # -- payments

    def settle(self, entry: _Entry, fate: str = "", method: str = "") -> None:
        """Decide the payments of an issued invoice (credit notes come separately)."""
        rng, today = self.rng, self.today
        assert entry.due is not None
        owed = entry.body.due_minor - entry.credited
        if owed <= 0:
            return
        if not fate:
            roll = rng.random()
            age = (today - entry.due).days
            if age < 0:  # not due yet
                fate = "open" if roll < 0.70 else "paid" if roll < 0.92 else "partial"
            elif age > 365:
                fate = "paid" if roll < 0.975 else "partial" if roll < 0.985 else "open"
            else:
                fate = "paid" if roll < 0.88 else "partial" if roll < 0.93 else "open"
        if fate == "open":
            return
        client = self.clients[entry.client]
        if not method:
            method = rng.choices(
                ("bank_transfer", "direct_debit", "card", "cash", "cheque", "other"),
                (85, 5, 5, 2, 1, 2) if client.kind in PRIVATE else (90, 6, 2, 0, 1, 1),
            )[0]
        first = min(today, entry.day + timedelta(days=rng.randint(2, client.payment_days + 25)))
        if fate == "partial":
            amount = max(1, owed * rng.randint(30, 70) // 100)
            entry.payments = ((first, amount, method),)
        elif rng.random() < 0.1 and owed > 1:  # paid in two instalments
            part = owed * 6 // 10
            second = min(today, first + timedelta(days=rng.randint(7, 30)))
            entry.payments = ((first, part, method), (second, owed - part, method))
        else:
            entry.payments = ((first, owed, method),)
        entry.paid = sum(amount for _day, amount, _method in entry.payments)

    # -- the whole plan

    def plan(self, invoices: int) -> tuple[list[_Entry], list[_Template]]:
        rng, today = self.rng, self.today
        monthly = min(36, invoices // 25)
        quarterly = min(12, invoices // 75)
        drafts = 0 if invoices < 20 else max(2, invoices // 200)
        converted = invoices // 30
        regular = invoices - monthly - quarterly - drafts - converted
        entries: list[_Entry] = []

        # regular invoices; the first few show every VAT category, currency and payment state
        showcase = self._showcase()
        regulars: list[_Entry] = []
        for i in range(regular):
            if i < len(showcase):
                client_index, body, fate = showcase[i]
                day = self.day(newest=90) if fate == "overdue" else self.day()
                entry = self.invoice(client_index, day, body=body)
                self.settle(entry, "open" if fate == "overdue" else fate)
            else:
                entry = self.invoice(self.client(), self.day())
            regulars.append(entry)
        entries += regulars

        # credit notes, alternately for the whole invoice (which cancels it) and its first line
        later = regulars[len(showcase) :]
        candidates = [e for e in later if e.day <= today - timedelta(days=2)]
        credited = rng.sample(candidates, min(invoices // 40, len(candidates)))
        for index, invoice in enumerate(credited):
            partial = index % 2 == 1
            body = invoice.body.credit(partial)
            if body.total_minor >= invoice.body.total_minor:  # one line: that is all of it
                body, partial = invoice.body.credit(False), False
            day = min(today, invoice.day + timedelta(days=rng.randint(1, 30)))
            entries.append(
                _Entry(
                    "credit_note", day, invoice.client, body, invoice.header, due=day, link=invoice
                )
            )
            invoice.credited = body.total_minor
            if partial and rng.random() < 0.5:
                self.settle(invoice, "paid")  # the rest was paid
        credited_ids = {id(e) for e in credited}
        for entry in later:
            if id(entry) not in credited_ids:
                self.settle(entry)

        # quotes: converted to invoices, still open or expired, drafts
        for _ in range(converted):
            client_index = self.client()
            client = self.clients[client_index]
            day = self.day(newest=5)
            body = self.body(client)
            quote = _Entry(
                "quote", day, client_index, body, self.header(client, day, "quote", body)
            )
            invoiced_on = min(today, day + timedelta(days=rng.randint(3, 30)))
            invoice = self.invoice(
                client_index, invoiced_on, body=quote.body, header=quote.header, link=quote
            )
            self.settle(invoice)
            entries += [quote, invoice]
        quote_drafts = invoices // 200
        for i in range(invoices // 50 + quote_drafts):
            client_index = self.client()
            client = self.clients[client_index]
            if i < quote_drafts:
                day = self.day(oldest=14)
            else:
                day = self.day(oldest=30 if i % 2 else HISTORY_DAYS)  # open or expired
            body = self.body(client)
            header = self.header(client, day, "quote", body)
            entries.append(
                _Entry("quote", day, client_index, body, header, issued=i >= quote_drafts)
            )

        # drafts (one of them, and one quote draft, not subject to VAT: never issued)
        for i in range(drafts):
            day = today - timedelta(days=rng.randint(0, 10))
            if i == 0:
                client_index = self.by_kind["nonprofit"]
                client = self.clients[client_index]
                o_body = self.bodies.pick("o", client.currency, client.language)
                entries.append(self.invoice(client_index, day, body=o_body, issued=False))
                entries.append(
                    _Entry(
                        "quote",
                        day,
                        client_index,
                        o_body,
                        self.header(client, day, "quote", o_body),
                        issued=False,
                    )
                )
            else:
                entries.append(self.invoice(self.client(), day, issued=False))

        templates = self._templates(monthly, quarterly)
        for index, template in enumerate(templates):
            for period in template.periods:
                entry = self.invoice(
                    template.client,
                    period,
                    body=template.body,
                    header=template.header,
                    issued=period <= today - timedelta(days=5),
                    template=(index, period.isoformat()),
                )
                if entry.issued:
                    self.settle(entry, method=template.method)
                entries.append(entry)

        order = {id(e): i for i, e in enumerate(entries)}
        entries.sort(key=lambda e: (e.day, order[id(e)]))
        return entries, templates

    def _showcase(self) -> list[tuple[int, _Body, str]]:
        """Invoices that make sure every category, currency and payment state appears."""
        picks: list[tuple[int, _Body, str]] = []
        fates = ("paid", "partial", "open", "paid", "paid", "open", "partial", "paid")
        for i, (kind, country, _name, _city, currency, language) in enumerate(SHOWCASE[:9]):
            family = FAMILY[kind]
            body = self.bodies.make(family, currency, language, showcase=family != "export")
            index = next(
                j
                for j, c in enumerate(self.clients)
                if c.kind == kind and c.party.country == country
            )
            picks.append((index, body, fates[i % len(fates)]))
        # an overdue one: old, unpaid
        picks.append((0, picks[0][1], "overdue"))
        return picks

    def _templates(self, monthly: int, quarterly: int) -> list[_Template]:
        today = self.today
        made = []
        for item, kind, frequency, count, anchor, method in (
            (RETAINER, "de_b2b", Frequency.MONTHLY, monthly, 1, "direct_debit"),
            (SHOP_CARE, "eu_b2b", Frequency.QUARTERLY, quarterly, 15, "bank_transfer"),
        ):
            client_index = self.by_kind[kind]
            client = self.clients[client_index]
            family = FAMILY[kind]
            hosting = self.bodies.line(SERVICES[9], family, client.currency, client.language, False)
            main = self.bodies.line(item, family, client.currency, client.language, False)
            main = replace(main, quantity=Decimal(1), allowances=(), charges=())
            hosting = replace(hosting, quantity=Decimal(1), allowances=(), charges=())
            document = Document(
                type=DocumentType.INVOICE,
                currency=client.currency,
                issue_date=date(2000, 1, 1),
                buyer=client.party,
                lines=(main, hosting),
            )
            body = _Body(document)
            step = 1 if frequency is Frequency.MONTHLY else 3
            last = on_anchor(today.year, today.month, anchor)
            if last > today:
                last = _months_before(last, 1, anchor)
            periods = tuple(_months_before(last, step * k, anchor) for k in range(count))[::-1]
            first = periods[0] if periods else _months_before(last, -step, anchor)
            header = _Header("", "", "", _text("terms", client.language, days=client.payment_days))
            name = item.names[LANGUAGES.index(client.language)]
            made.append(
                _Template(name, client_index, body, frequency, periods, first, header, method)
            )
        return made

    def template_document(self, template: _Template) -> Document:
        client = self.clients[template.client]
        return replace(
            template.body.document,
            buyer=client.party,
            issue_date=template.first,
            **template.header._asdict(),
        )


def _months_before(day: date, months: int, anchor: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    return on_anchor(total // 12, total % 12 + 1, anchor)


# -- writing -----------------------------------------------------------------------------


class _Writer:
    def __init__(
        self, conn: Connection, clients_: Sequence[_Client], seller: SellerProfile
    ) -> None:
        self.conn = conn
        self.clients = clients_
        self.client_ids: list[int] = []
        self.buyers = [_encode(invoice_json.party_to_json(c.party)) for c in clients_]
        self.seller = seller
        self.seller_json = json.dumps(invoice_json.seller_to_json(seller), sort_keys=True)
        self.template_ids: list[int] = []
        self.counts = {"invoice": 0, "credit_note": 0, "quote": 0, "payments": 0}

    def write_clients(self) -> None:
        with transaction(self.conn) as conn:
            self.client_ids = [
                clients.insert(
                    conn,
                    c.party,
                    language=c.language,
                    currency=c.currency,
                    payment_days=c.payment_days,
                )
                for c in self.clients
            ]

    def write(self, entry: _Entry) -> None:
        conn, body, link = self.conn, entry.body, entry.link
        day = entry.day.isoformat()
        due = entry.due.isoformat() if entry.due else None
        preceding = link.number if link is not None and entry.type == "credit_note" else ""
        content = self.content(entry, day, due, preceding)
        if not body.checked:
            self._check(entry, content, preceding)
        derived = documents.Derived(
            client_id=self.client_ids[entry.client],
            issue_date=day,
            due_date=due,
            currency=body.document.currency,
            total_minor=body.total_minor,
            due_minor=body.due_minor,
            content=content,
        )
        template = None
        if entry.template is not None:
            template = (self.template_ids[entry.template[0]], entry.template[1])
        preceding_id = link.doc_id if link is not None and entry.type == "credit_note" else None
        quote_id = link.doc_id if link is not None and entry.type == "invoice" else None
        self.counts[entry.type] += 1
        if not entry.issued:
            entry.doc_id = documents.insert_draft(
                conn,
                entry.type,
                derived,
                preceding_id=preceding_id,
                quote_id=quote_id,
                template=template,
            )
            return
        # One INSERT in the final state instead of draft + issue + settlement: the rows
        # the services would leave, at a fraction of the cost (benchmarks/invoicing.py).
        entry.number = numbering.draw(conn, entry.type, entry.day)
        status = "issued"
        if entry.type == "invoice" and entry.payments:
            status = settlement_status(body.due_minor, entry.paid, 0)
        entry.doc_id = documents.insert_issued(
            conn,
            entry.type,
            derived,
            number=entry.number,
            seller=self.seller_json,
            status=status,
            paid_minor=entry.paid if entry.payments else 0,
            issued_at=f"{day}T09:00:00Z",
            preceding_id=preceding_id,
            quote_id=quote_id,
            template=template,
        )
        if entry.type == "invoice":
            if link is not None:  # from a quote
                documents.set_settlement(
                    conn, link.doc_id, status="converted", paid_minor=0, credited_minor=0
                )
            for paid_on, amount, method in entry.payments:
                payments.insert(
                    conn, entry.doc_id, paid_on.isoformat(), amount, method, entry.number
                )
            self.counts["payments"] += len(entry.payments)
        elif entry.type == "credit_note" and link is not None:
            self._settle(link, credited=body.total_minor)

    def _settle(self, invoice: _Entry, *, credited: int) -> None:
        status = settlement_status(invoice.body.due_minor, invoice.paid, credited)
        documents.set_settlement(
            self.conn,
            invoice.doc_id,
            status=status,
            paid_minor=invoice.paid,
            credited_minor=credited,
        )

    def content(self, entry: _Entry, day: str, due: str | None, preceding: str) -> str:
        """The document's invoice JSON text: its body's text with the document's own fields
        filled in, the same text as ``json.dumps(document_to_json(document),
        ensure_ascii=False, sort_keys=True)`` (which :meth:`_check` compares for every body)."""
        own = entry.header.json_values()
        own["type"] = _encode(entry.type)
        own["issue_date"] = _encode(day)
        own["due_date"] = _encode(due)
        own["buyer"] = self.buyers[entry.client]
        own["preceding_invoice"] = _encode(preceding)
        return entry.body.template % tuple([own[key] for key in OWN_KEYS])

    def _check(self, entry: _Entry, content: str, preceding: str) -> None:
        """The first time a body is written: the text must be exactly the JSON the services
        store for that document, and the document must pass the checks of issuing."""
        document = replace(
            entry.body.document,
            type=DocumentType(entry.type),
            issue_date=entry.day,
            due_date=entry.due,
            buyer=self.clients[entry.client].party,
            preceding_invoice=preceding,
            **entry.header._asdict(),
        )
        expected = json.dumps(
            invoice_json.document_to_json(document), ensure_ascii=False, sort_keys=True
        )
        if content != expected:
            raise RuntimeError("demo: a composed document differs from document_to_json")
        # category O is refused for a seller with a VAT ID (BR-O-02): only ever a draft here
        rules.validate(document, self.seller.party if entry.issued else None)
        entry.body.checked = True


# -- the service -------------------------------------------------------------------------


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the demo runs.

    The plan keeps a few objects per document alive until the end, and every
    generation-2 collection walks all of them: at 100,000 invoices that was about a
    fifth of the run. What the demo allocates is freed by reference counting; the
    collector runs again (and catches any cycle) as soon as the demo ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fill(
    session: Session,
    invoices: int,
    *,
    seed: int = 2026,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Fill an empty vault with ``invoices`` sample invoices and what goes with them.

    Also sets the seller profile (a German design studio), clients in eleven
    countries, quotes, credit notes, payments and two recurring templates.
    ``progress(done, total)`` is called after every batch (about 1 % of the
    documents); when ``cancelled()`` turns true the demo stops before the next
    batch, keeping what was committed.
    """
    require(session.user.role, Action.FILL_DEMO)
    if isinstance(invoices, bool) or not isinstance(invoices, int):
        raise ValidationError("invoices: must be a whole number")
    if not 1 <= invoices <= MAX_INVOICES:
        raise ValidationError(f"invoices: between 1 and {MAX_INVOICES:,}, not {invoices:,}")
    existing, _cursor = documents.page(session.conn, ListQuery(doc_type=None, limit=1))
    if existing:
        raise ValidationError(
            "vault: it already holds documents; the demo only fills an empty vault "
            "(create a new one with invoicevault --data-dir DIR init)"
        )
    with _cyclic_gc_paused():
        return _fill(session, invoices, seed, today or date.today(), progress, cancelled)


def _fill(
    session: Session,
    invoices: int,
    seed: int,
    today: date,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> DemoSummary:
    conn = session.conn
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    invoicing.set_seller_profile(session, SELLER)
    seller = invoicing.seller_profile(session) or SELLER
    demo_clients = _make_clients(rng, max(20, invoices // 50))
    planner = _Planner(rng, today, demo_clients, _Bodies(rng))
    entries, templates = planner.plan(invoices)

    writer = _Writer(conn, demo_clients, seller)
    writer.write_clients()
    for template in templates:
        writer.template_ids.append(
            recurring_service.create_template(
                session,
                template.name,
                planner.template_document(template),
                template.frequency.value,
                template.first,
            )
        )

    total = len(entries)
    step = max(1, -(-total // BATCHES))
    stopped, done = False, 0
    if progress is not None:
        progress(0, total)
    for start in range(0, total, step):
        if cancelled is not None and cancelled():
            stopped = True
            break
        with transaction(conn):
            for entry in entries[start : start + step]:
                writer.write(entry)
        done = min(total, start + step)
        if progress is not None:
            progress(done, total)

    summary = DemoSummary(
        clients=len(demo_clients),
        invoices=writer.counts["invoice"],
        credit_notes=writer.counts["credit_note"],
        quotes=writer.counts["quote"],
        payments=writer.counts["payments"],
        templates=len(templates),
        cancelled=stopped,
    )
    with transaction(conn):
        for index, template in enumerate(templates):
            written = [e.day for e in entries[:done] if e.template and e.template[0] == index]
            if written:  # the next period after the last one written (generate_due goes on)
                months = 1 if template.frequency is Frequency.MONTHLY else 3
                following = _months_before(max(written), -months, template.first.day)
                recurring.set_next_date(conn, writer.template_ids[index], following.isoformat())
        audit.append(
            conn,
            session.user.name,
            "demo.filled",
            {
                "seed": seed,
                "clients": summary.clients,
                "invoices": summary.invoices,
                "credit_notes": summary.credit_notes,
                "quotes": summary.quotes,
                "payments": summary.payments,
                "templates": summary.templates,
                "cancelled": stopped,
            },
        )
    return summary
