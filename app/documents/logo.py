"""Checking a logo the user picked, before it goes into a vault and onto every PDF.

The bytes are untrusted: the type is decided by the file's own signature (not
its name), the size and the pixel dimensions are checked from the header
before a single pixel is decoded (a 40 KB PNG may claim 100000 × 100000
pixels), and every decoding error becomes a :class:`ValidationError` whose
message starts with ``logo:``.

An accepted image is decoded once here and written again, without metadata
(no EXIF location of a phone photo ends up in invoices), turned the right way
up, at most :data:`MAX_DRAWN` pixels on its long side (more is invisible on
paper and slows down every PDF) and in one of the colour modes a PDF shows
without conversion. PNG stays PNG (lossless, keeps transparency), JPEG stays
JPEG.

Pillow's global ``Image.MAX_IMAGE_PIXELS`` is left alone: the dimensions are
refused here, from the header, well below its limit, and changing a
process-wide setting would reach code this module does not own.
"""

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from app.documents.source import Logo
from app.errors import ValidationError

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS_SIDE = 4000  # refused above this, before decoding
MAX_DRAWN = 1200  # longer sides are scaled down to this when the logo is accepted

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_SIGNATURES = {
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"BM": "BMP",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"%PDF": "PDF",
    b"\x00\x00\x01\x00": "ICO",
}
_ORIENTATION = 0x0112  # the EXIF tag a phone sets instead of turning the pixels
_KEEP_MODES = {"RGB", "RGBA", "L"}
_CONVERT_MODES = {"1": "L", "P": "RGBA", "PA": "RGBA", "LA": "RGBA", "La": "RGBA", "RGBa": "RGBA"}

# Everything Pillow raises on malformed, truncated or hostile input.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    MemoryError,
    Image.DecompressionBombError,
)


def _kind(data: bytes) -> str:
    """ "PNG" or "JPEG" from the first bytes; anything else is refused with its name if known."""
    if data.startswith(_PNG):
        return "PNG"
    if data.startswith(_JPEG):
        return "JPEG"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in data[:4096].lower():
        raise ValidationError("logo: SVG is not supported; export it as PNG")
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        raise ValidationError("logo: WebP is not supported; use a PNG or JPEG image")
    for signature, name in _SIGNATURES.items():
        if data.startswith(signature):
            raise ValidationError(f"logo: {name} is not supported; use a PNG or JPEG image")
    raise ValidationError("logo: this is not a PNG or JPEG image")


def _open(data: bytes, kind: str) -> Image.Image:
    """Open lazily (header only) and check the dimensions before anything is decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])
    except Image.DecompressionBombError:
        raise ValidationError(
            f"logo: the image is too large (at most {MAX_PIXELS_SIDE} × {MAX_PIXELS_SIDE} pixels)"
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(f"logo: the {kind} file is damaged and cannot be read") from None
    except _DECODE_ERRORS as error:
        raise ValidationError(f"logo: the {kind} file is damaged ({_reason(error)})") from None
    width, height = image.size
    if width > MAX_PIXELS_SIDE or height > MAX_PIXELS_SIDE:
        raise ValidationError(
            f"logo: the image is {width} × {height} pixels; "
            f"at most {MAX_PIXELS_SIDE} × {MAX_PIXELS_SIDE} are accepted"
        )
    if width < 1 or height < 1:
        raise ValidationError("logo: the image has no pixels")
    return image


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text[:120]


def _decode(data: bytes, kind: str) -> Image.Image:
    """The fully decoded first frame, after Pillow's own consistency checks (CRCs for PNG)."""
    _open(data, kind).verify()  # verify() leaves the image unusable: open it again to load
    image = _open(data, kind)
    image.load()
    return image


def _metadata_free(image: Image.Image) -> bool:
    """No EXIF, XMP, comments or text chunks that would travel into every PDF."""
    if image.getexif():
        return False
    if any(key in image.info for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment")):
        return False
    return not getattr(image, "text", None)  # PNG tEXt/zTXt/iTXt chunks


def _normalised(image: Image.Image) -> Image.Image:
    """Upright, in a mode the PDF takes as it is, and no larger than :data:`MAX_DRAWN`."""
    mode = image.mode
    if mode == "CMYK":
        raise ValidationError(
            "logo: CMYK images are not supported; save the logo as an RGB PNG or JPEG"
        )
    if mode not in _KEEP_MODES and mode not in _CONVERT_MODES:
        raise ValidationError(
            f"logo: the colour mode {mode} is not supported; save the logo as an RGB PNG or JPEG"
        )
    if image.getexif().get(_ORIENTATION, 1) != 1:
        image = ImageOps.exif_transpose(image)
    if mode in _CONVERT_MODES:
        image = image.convert(_CONVERT_MODES[mode])
    if image.mode == "RGBA" and image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")  # fully opaque: no soft mask needed
    if max(image.size) > MAX_DRAWN:
        image.thumbnail((MAX_DRAWN, MAX_DRAWN), Image.Resampling.LANCZOS)
    return image


def check_logo(data: bytes) -> Logo:
    """A logo ready for the PDF, or :class:`ValidationError` ``"logo: ..."`` saying what is wrong.

    Checking a logo this function returned gives it back unchanged, bytes and all.
    """
    if not isinstance(data, bytes | bytearray):
        raise ValidationError("logo: expected the image file's bytes")
    data = bytes(data)
    if not data:
        raise ValidationError("logo: the file is empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"logo: the file is too large ({len(data):,} bytes; at most {MAX_BYTES:,})"
        )
    kind = _kind(data)
    media_type = "image/png" if kind == "PNG" else "image/jpeg"
    try:
        decoded = _decode(data, kind)
        image = _normalised(decoded)
        if image is decoded and image.mode in _KEEP_MODES and _metadata_free(decoded):
            return Logo(data, media_type, image.width, image.height)
        output = io.BytesIO()
        if kind == "PNG":
            image.save(output, "PNG")
        else:
            image.save(output, "JPEG", quality=92, subsampling=0)
    except ValidationError:
        raise
    except _DECODE_ERRORS as error:
        raise ValidationError(f"logo: the {kind} file is damaged ({_reason(error)})") from None
    return Logo(output.getvalue(), media_type, image.width, image.height)
