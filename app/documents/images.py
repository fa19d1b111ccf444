"""The logo as a PDF image stream, encoded once per process instead of once per document.

reportlab's ``drawImage`` decodes, hashes and deflates the pixels again for
every document: about 4 ms for a 640 × 200 logo, a third of the time an
invoice takes. Here the stream is prepared once per logo (deflated RGB or grey
pixels with a soft mask for transparency; a JPEG passes through untouched) and
every document gets its own small XObject around those same bytes.

The XObject is registered the way ``drawImage`` registers its own (reportlab
has no public call for "this image, already encoded"); the PDF tests check the
image, its size and its soft mask in the output.
"""

import functools
import hashlib
import io
import zlib
from dataclasses import dataclass, replace

from PIL import Image
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Stream:
    """An encoded image: what goes between ``stream`` and ``endstream``, and how to read it."""

    name: str  # derived from the content, so the same logo is the same object name
    width: int
    height: int
    color_space: str  # "DeviceRGB" or "DeviceGray"
    filter: str  # "FlateDecode" or "DCTDecode"
    data: bytes
    alpha: "Stream | None" = None  # the soft mask of a transparent image


def _deflated(image: Image.Image, name: str) -> Stream:
    space = "DeviceGray" if image.mode == "L" else "DeviceRGB"
    data = zlib.compress(image.tobytes())
    return Stream(name, image.width, image.height, space, "FlateDecode", data)


@functools.lru_cache(maxsize=2)  # a vault has one logo
def prepare(data: bytes) -> Stream:
    """The image stream of a checked logo (see :func:`app.documents.logo.check_logo`)."""
    name = "logo-" + hashlib.sha256(data).hexdigest()[:32]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.format == "JPEG":
            space = "DeviceGray" if image.mode == "L" else "DeviceRGB"
            return Stream(name, image.width, image.height, space, "DCTDecode", data)
        alpha = None
        if image.mode in ("RGBA", "LA"):
            alpha = _deflated(image.getchannel("A"), name + "-alpha")
        pixels = image.convert("L" if image.mode in ("L", "LA") else "RGB")
    return replace(_deflated(pixels, name), alpha=alpha)


class _XObject(pdfdoc.PDFImageXObject):
    """reportlab's image object around an already encoded stream."""

    def __init__(self, stream: Stream) -> None:
        super().__init__(stream.name)
        self.width, self.height = stream.width, stream.height
        self.bitsPerComponent = 8
        self.colorSpace = stream.color_space
        self._filters = (stream.filter,)
        self.streamContent = stream.data
        self.mask = None


def draw(canvas: Canvas, stream: Stream, x: float, y: float, width: float, height: float) -> None:
    """Paint the image into the rectangle with its lower left corner at x, y."""
    document = canvas._doc
    name = document.getXObjectName(stream.name)
    if name not in document.idToObject:  # first use in this document
        xobject = _XObject(stream)
        if stream.alpha is not None:
            mask_name = document.getXObjectName(stream.alpha.name)
            xobject.smask = document.Reference(_XObject(stream.alpha), mask_name)
        document.Reference(xobject, name)
        document.addForm(stream.name, xobject)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas.addLiteral(f"/{name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(stream.name)  # lists the image in the page's resources
