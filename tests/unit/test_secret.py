import pytest

from app.vault.secret import SecretBuffer


def test_wipe_zeroes_the_buffer_and_forbids_reuse():
    secret = SecretBuffer(b"\x01" * 32)
    inner = secret._buf
    secret.wipe()
    assert inner == bytearray(32)
    assert secret.wiped
    with pytest.raises(ValueError):
        secret.reveal()


def test_taking_a_bytearray_zeroes_the_source():
    source = bytearray(b"\x07" * 16)
    secret = SecretBuffer(source)
    assert source == bytearray(16)
    assert secret.reveal() == b"\x07" * 16


def test_repr_never_shows_the_bytes():
    secret = SecretBuffer(b"\xaa" * 32)
    assert "aa" not in repr(secret).lower()
    assert "32 bytes" in repr(secret)
