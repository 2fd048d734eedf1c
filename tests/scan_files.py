"""Real scans made in the test: a small PDF from fpdf2 and images from Pillow, whole,
truncated, or only a header, for the upload checks (`portal.livrables.signing_scan`)."""

from __future__ import annotations

from functools import cache
from io import BytesIO

from fpdf import FPDF
from PIL import Image


@cache
def real_pdf(text: str = "Copie signée par les deux parties") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


@cache
def real_image(kind: str = "PNG", size: tuple[int, int] = (120, 160)) -> bytes:
    """A noisy picture (so that a truncated copy really lacks pixels), PNG or JPEG."""
    image = Image.effect_noise(size, 60).convert("RGB")
    out = BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def truncated(data: bytes) -> bytes:
    """The first half of a file: what an interrupted upload or a bad copy leaves."""
    return data[: len(data) // 2]


# Right first bytes, nothing behind them: judged by its header, it would pass.
FAKE_PDF = b"%PDF-1.7\n% a scanned copy\n%%EOF\n"
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
