import pytest

from app.errors import WeakPassphrase
from app.vault.strength import estimate, require_strong


@pytest.mark.parametrize("weak", ["password", "password123", "qwertyuiop12", "owner owner owner"])
def test_weak_passphrases_are_refused_with_advice(weak):
    with pytest.raises(WeakPassphrase) as info:
        require_strong(weak, ("owner",))
    message = str(info.value)
    assert message.startswith("This passphrase is too weak")
    assert len(message.splitlines()) == 1 and len(message) > 40


def test_short_passphrase_explains_the_length():
    strength = estimate("Xy7#")
    assert not strength.acceptable and "10 characters" in strength.advice


def test_strong_passphrase_is_accepted():
    strength = estimate("glacier mango sprocket velvet")
    assert strength.acceptable and strength.score >= 3 and strength.advice == ""
    require_strong("glacier mango sprocket velvet")


def test_user_name_counts_against_the_passphrase():
    assert (
        estimate("mariadelacruz2026", ("mariadelacruz",)).score
        < estimate("mariadelacruz2026").score
    )


def test_very_long_passphrase_is_estimated_without_error():
    assert estimate("glacier mango sprocket velvet " * 20).acceptable
