"""Text the printed livrable can carry. The PDF embeds DejaVu Sans (`fonts/`, a subset per
document), so French, œ, €, ’ and the names of people from overseas or abroad (« Nguyễn »,
« Tĕvita ») print as typed: the SHA-256 covers the exact text, the paper shows it. Only a
character the font has no glyph for (an emoji, a CJK ideogram) becomes its base letter or
« ? », so that no text the advisor typed can prevent the printing; dates are written out in
French.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# The family the layout uses, style → file (DejaVu Sans 2.37, licence in fonts/LICENSE).
FONT_FILES = {
    "": FONT_DIR / "DejaVuSans.ttf",
    "B": FONT_DIR / "DejaVuSans-Bold.ttf",
    "I": FONT_DIR / "DejaVuSans-Oblique.ttf",
}


def french_day(value: date) -> str:
    return str(format_date(value, "d MMMM y", locale="fr"))


def clean(text: str) -> str:
    """Text the embedded font can print: no control characters; a character none of its
    styles has a glyph for becomes its base letter (« 𝐀 » → « A ») or « ? »."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", " "))
    out = []
    for char in text:
        if char == "\n":
            out.append(char)
            continue
        if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            continue
        out.append(char if printable(char) else fallback(char))
    return "".join(out)


def printable(char: str) -> bool:
    return ord(char) in _covered()


def fallback(char: str) -> str:
    base = "".join(
        c
        for c in unicodedata.normalize("NFKD", char)
        if not unicodedata.combining(c) and printable(c)
    )
    return base or "?"


@cache
def _covered() -> frozenset[int]:
    """The code points every style of the font draws (read once per process)."""
    sets = []
    for path in FONT_FILES.values():
        font = TTFont(path, lazy=True)
        sets.append(frozenset(font.getBestCmap()))
        font.close()
    return frozenset.intersection(*sets)


__all__ = ["FONT_FILES", "clean", "fallback", "french_day", "printable"]
