"""Payment reminders: a title per level, the invoice they chase, the new total and its GiroCode."""

from datetime import date
from decimal import Decimal

import pytest
import segno
from babel.numbers import format_currency
from pdf_support import pdf_text, qr_modules, source, squash
from segno import helpers
from support import SELLER, invoice

from app.documents import epc, pdf
from app.documents.formatting import LOCALES
from app.documents.source import ReminderSource

D = Decimal
TITLES = {
    "en": ("Payment reminder", "Second reminder", "Final reminder"),
    "de": ("Zahlungserinnerung", "Zweite Mahnung", "Letzte Mahnung"),
    "fr": ("Rappel de paiement", "Deuxième relance", "Dernière relance"),
}


def reminder(level: int, language: str = "en", outstanding: str = "1000.00", fee: str = "5.00"):
    return ReminderSource(
        invoice=source(invoice(), number="INV-2026-0007", language=language),
        level=level,
        sent_on=date(2026, 12, 20),
        outstanding=D(outstanding),
        fee=D(fee),
    )


@pytest.mark.parametrize("language", ["en", "de", "fr"])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_each_level_has_its_own_title_and_names_the_invoice(language, level):
    text = pdf_text(pdf.render_reminder(reminder(level, language)))
    assert TITLES[language][level - 1] in text
    others = set(TITLES[language]) - {TITLES[language][level - 1]}
    assert not any(other in text for other in others)
    assert "INV-2026-0007" in text
    dates = {
        "en": ("2 November 2026", "2 December 2026", "20 December 2026"),
        "de": ("2. November 2026", "2. Dezember 2026", "20. Dezember 2026"),
        "fr": ("2 novembre 2026", "2 décembre 2026", "20 décembre 2026"),
    }[language]
    assert all(shown in text for shown in dates)


def test_outstanding_fee_and_total_now_due():
    source_ = reminder(2, "de")
    text = pdf_text(pdf.render_reminder(source_))

    def money(amount: Decimal) -> str:
        return squash(format_currency(amount, "EUR", locale=LOCALES["de"]))

    invoice_total = source_.invoice.totals.due
    assert f"Rechnungsbetrag {money(invoice_total)}" in text
    assert f"Bisher gezahlt {money(-(invoice_total - source_.outstanding))}" in text
    assert f"Offener Betrag {money(source_.outstanding)}" in text
    assert f"Mahngebühr {money(source_.fee)}" in text
    assert f"Jetzt zu zahlen {money(source_.outstanding + source_.fee)}" in text


def test_no_fee_row_without_a_fee():
    text = pdf_text(pdf.render_reminder(reminder(1, fee="0.00")))
    assert "Reminder fee" not in text


def test_the_giro_code_asks_for_the_new_total_with_the_invoice_number():
    data = pdf.render_reminder(reminder(3, outstanding="1000.00", fee="10.00"))
    payload = helpers._make_epc_qr_data(
        SELLER.party.name,
        SELLER.iban,
        D("1010.00"),
        text="INV-2026-0007",
        bic=SELLER.bic,
        encoding=1,
    )
    expected = segno.make_qr(payload, error="m", mask=epc.MASK, boost_error=False)
    matrix = [[int(bool(v)) for v in row] for row in expected.matrix_iter(border=epc.QUIET_ZONE)]
    assert qr_modules(data) == matrix
    assert "DE89 3704 0044 0532 0130 00" in pdf_text(data)


def test_a_reminder_needs_an_issued_invoice_and_a_known_level():
    draft = ReminderSource(
        invoice=source(invoice(), number=None),
        level=1,
        sent_on=date(2026, 12, 20),
        outstanding=D(1),
        fee=D(0),
    )
    with pytest.raises(ValueError, match="issued invoice"):
        pdf.render_reminder(draft)
    with pytest.raises(ValueError, match="level"):
        pdf.render_reminder(reminder(4))


def test_reminders_are_reproducible():
    assert pdf.render_reminder(reminder(1)) == pdf.render_reminder(reminder(1))
    assert pdf.render_reminder(reminder(1)) != pdf.render_reminder(reminder(1, fee="6.00"))
