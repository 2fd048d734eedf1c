"""Text the printed livrable can carry: the core PDF fonts cover Windows-1252 only (French,
œ, « », ’, €). Other characters become their closest Latin letter or « ? », so that no text
the advisor typed can prevent the printing; dates are written out in French.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from babel.dates import format_date


def french_day(value: date) -> str:
    return str(format_date(value, "d MMMM y", locale="fr"))


def clean(text: str) -> str:
    """Text the core fonts can print: Windows-1252, no control characters; a character
    outside it becomes its base Latin letter (« ő » → « o ») or « ? »."""
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
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def fallback(char: str) -> str:
    base = "".join(
        c
        for c in unicodedata.normalize("NFKD", char)
        if not unicodedata.combining(c) and printable(c)
    )
    return base or "?"


__all__ = ["clean", "fallback", "french_day", "printable"]
