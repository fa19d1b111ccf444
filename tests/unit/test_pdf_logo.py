"""Logo checks: only PNG and JPEG by their signature, bounded before decoding, clean errors."""

import io
import random
import struct
import zlib

import pytest
from PIL import Image

from app.documents import logo
from app.documents.logo import check_logo
from app.errors import ValidationError


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def noisy(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    rng = random.Random(7)
    channels = len(mode)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * channels))


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose valid IHDR claims the given size (the pixel data is a few bytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_logo(data)
    message = str(caught.value)
    assert message.startswith("logo: ")
    return message


@pytest.mark.parametrize(("mode", "kind"), [("RGB", "PNG"), ("RGBA", "PNG"), ("RGB", "JPEG")])
def test_png_and_jpeg_are_accepted_with_their_size(mode, kind):
    result = check_logo(encoded(noisy((300, 120), mode), kind))
    assert (result.width, result.height) == (300, 120)
    assert result.media_type == f"image/{kind.lower()}"
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.format == kind


def test_a_checked_logo_checks_again_to_the_same_bytes():
    for data in (
        encoded(noisy((80, 40), "RGB"), "JPEG"),
        encoded(noisy((80, 40), "P"), "PNG"),
        encoded(noisy((5000 // 4, 10), "RGB"), "PNG"),
    ):
        once = check_logo(data)
        assert check_logo(once.data) == once


def test_the_type_comes_from_the_bytes_not_a_name():
    jpeg = encoded(noisy((20, 20)), "JPEG")
    assert check_logo(jpeg).media_type == "image/jpeg"


def test_a_truncated_png_is_refused():
    data = encoded(noisy((200, 200)), "PNG")
    assert "damaged" in refused(data[: len(data) // 2])


def test_a_truncated_jpeg_is_refused():
    data = encoded(noisy((200, 200)), "JPEG")
    assert "damaged" in refused(data[: len(data) // 2])


def test_a_png_with_a_wrong_checksum_is_refused():
    data = bytearray(encoded(noisy((50, 50)), "PNG"))
    data[40] ^= 0xFF  # inside the first IDAT chunk
    refused(bytes(data))


def test_a_png_claiming_100000_by_100000_pixels_is_refused_before_decoding():
    message = refused(png_claiming(100_000, 100_000))
    assert "too large" in message or "100000" in message


def test_a_png_wider_than_the_limit_is_refused_from_its_header():
    message = refused(png_claiming(logo.MAX_PIXELS_SIDE + 1, 10))
    assert f"{logo.MAX_PIXELS_SIDE + 1} × 10 pixels" in message


def test_gif_svg_random_bytes_and_empty_are_refused():
    assert "GIF is not supported" in refused(encoded(noisy((10, 10), "P"), "GIF"))
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    assert refused(svg) == "logo: SVG is not supported; export it as PNG"
    assert refused(b"  <svg></svg>") == "logo: SVG is not supported; export it as PNG"
    assert "not a PNG or JPEG" in refused(random.Random(3).randbytes(1000))
    assert "empty" in refused(b"")


def test_a_file_over_the_size_limit_is_refused_before_anything_else():
    message = refused(b"\x89PNG\r\n\x1a\n" + b"\x00" * logo.MAX_BYTES)
    assert "too large" in message


def test_cmyk_and_16_bit_grey_are_refused_clearly():
    assert "CMYK" in refused(encoded(noisy((20, 20), "CMYK"), "JPEG"))
    grey16 = Image.new("I;16", (20, 20), 300)
    assert "colour mode" in refused(encoded(grey16, "PNG"))


def test_palette_and_grey_alpha_images_are_converted():
    result = check_logo(encoded(Image.new("LA", (30, 10), (100, 128)), "PNG"))
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.mode == "RGBA"


def test_big_logos_are_scaled_down_and_metadata_dropped_and_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90°", as a phone writes it
    exif[0x010F] = "SecretPhoneMaker"
    data = encoded(Image.new("RGB", (3000, 1500), (20, 90, 200)), "JPEG", exif=exif)
    result = check_logo(data)
    assert (result.width, result.height) == (logo.MAX_DRAWN // 2, logo.MAX_DRAWN)
    assert b"SecretPhoneMaker" in data and b"SecretPhoneMaker" not in result.data
