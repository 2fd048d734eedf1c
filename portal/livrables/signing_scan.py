"""Is an uploaded scan what it claims to be? Its first bytes tell the type; then the file is
opened as a reader would: a PDF is parsed (pypdf) down to each page, an image is decoded
(Pillow). A truncated or damaged file, or one that only starts like a PDF, is refused here
rather than found unreadable when the signed copy is needed as proof.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from PIL import Image
from pypdf import PdfReader

# The scan of the signed paper: recognised by its first bytes, never by its name.
SCAN_TYPES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
# What Pillow must find when it opens an image of each type.
_IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# A scanned A4 page at 600 dpi is about 35 million pixels; beyond this, a « decompression
# bomb » (a small file that decodes into gigabytes) rather than a scan.
MAX_IMAGE_PIXELS = 100_000_000


class UnreadableScan(ValueError):
    """The file has the first bytes of its type but does not open as one."""


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) told by the first bytes, or None."""
    return next(((mime, ext) for magic, mime, ext in SCAN_TYPES if data.startswith(magic)), None)


def check_readable(data: bytes, content_type: str) -> None:
    """Open the file as its type; raise UnreadableScan when it does not open whole."""
    try:
        with warnings.catch_warnings():
            # Phones and scanners write odd metadata (Pillow warns, harmlessly); a
            # decompression bomb is refused.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if content_type == "application/pdf":
                _check_pdf(data)
            else:
                _check_image(data, _IMAGE_FORMATS[content_type])
    except UnreadableScan:
        raise
    except Exception as error:  # every parser error of a damaged file, whatever its class
        raise UnreadableScan(f"{type(error).__name__}: {error}") from error


def _check_pdf(data: bytes) -> None:
    # Not strict: scanners write PDFs with small flaws every reader forgives; a PDF that is
    # truncated or only a header fails all the same, on its cross-reference or its pages.
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise UnreadableScan("a PDF protected by a password")
    if len(reader.pages) == 0:
        raise UnreadableScan("a PDF without pages")
    for page in reader.pages:  # each page's content must be there and decodable
        page.get_contents()


def _check_image(data: bytes, expected: str) -> None:
    with Image.open(BytesIO(data)) as image:
        if image.format != expected:
            raise UnreadableScan(f"{image.format} under the first bytes of {expected}")
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise UnreadableScan("too many pixels for a scan")
        image.load()  # decodes every pixel: a truncated file fails here
