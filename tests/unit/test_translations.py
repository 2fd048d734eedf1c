"""English is complete: every string extracted from the code has an English translation that
keeps its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
METHODS = [
    ("portal/**.py", "python"),
    ("portal/**/templates/**.html", "jinja2"),
    ("portal/**/templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def extracted() -> set[str]:
    ids: set[str] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        options_map={},
        # Babel skips folders starting with "_" by default: our partials live in "_partials".
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_extraction_sees_partials_and_python_labels() -> None:
    ids = extracted()
    assert "à vol d'oiseau" in ids  # templates/locator/_partials/_site.html
    assert "Intérimaire" in ids  # portal/orientation/labels.py (lazy_gettext)


def test_every_string_of_the_code_is_translated_into_english() -> None:
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    missing = []
    for msgid in sorted(extracted()):
        entry = catalog.get(msgid)
        strings = (
            entry.string
            if entry and isinstance(entry.string, tuple)
            else ((entry.string,) if entry else ("",))
        )
        if not all(strings) or (entry and entry.fuzzy):
            missing.append(msgid)
            continue
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= set(PLACEHOLDER.findall(msgid)) | {
                "%(num)d"
            }, msgid
    assert not missing, "Untranslated (run make extract-messages, then translate):\n" + "\n".join(
        missing
    )
