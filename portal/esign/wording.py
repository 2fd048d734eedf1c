"""What the person types to sign online: the mention « Lu et approuvé » and their name.

Compared without case, accents, punctuation or the order of the words: « lu et approuve. »
and « DUPONT Marie » are accepted; « ok » and another person's name are not.
"""

from __future__ import annotations

import unicodedata

from portal.people.models import Beneficiary

MENTION = "Lu et approuvé"


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in plain)
    return cleaned.split()


def matches_mention(typed: str) -> bool:
    return _words(typed) == _words(MENTION)


def matches_name(typed: str, person: Beneficiary) -> bool:
    """The first and last names on file, in any order (a compound name's hyphen or a second
    first name typed or not is tolerated only as far as every word typed is on file and the
    last name is there)."""
    given = _words(typed)
    on_file = _words(f"{person.first_name} {person.last_name}")
    last = _words(person.last_name)
    return bool(given) and all(w in on_file for w in given) and all(w in given for w in last)


__all__ = ["MENTION", "matches_mention", "matches_name"]
