"""Keep the translation catalogs in step with the code.

    .venv/bin/python scripts/i18n.py update    # extract strings, update sv and en catalogs
    .venv/bin/python scripts/i18n.py missing   # list Swedish entries still untranslated or fuzzy
    .venv/bin/python scripts/i18n.py fill sv FILE.tsv   # apply `msgid<TAB>msgstr` lines
    .venv/bin/python scripts/i18n.py absorb sv OTHER.po # take missing entries from another catalog
                                                        # (e.g. the other side of a merge)
    .venv/bin/pybabel compile -d webapp/translations   # (scripts/setup does this)

Source strings (msgids) are English, so the English catalog is filled with the msgid itself;
Swedish entries are written by hand in webapp/translations/sv/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp" / "translations"
PYBABEL = str(Path(sys.executable).parent / "pybabel")


def catalog_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def update() -> None:
    pot = TRANSLATIONS / "messages.pot"
    subprocess.run(
        [PYBABEL, "extract", "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "_l",
         "--no-location", "--sort-output", "--no-wrap", "--ignore-dirs", ".* __* node_modules instance", "-o", str(pot), "."],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    subprocess.run(
        [PYBABEL, "update", "-i", str(pot), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
         "--ignore-obsolete", "--no-wrap", "--ignore-pot-creation-date"],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    fill_english()
    print("\n".join(missing("sv")) or "Swedish catalog complete.")


def fill_english() -> None:
    path = catalog_path("en")
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, sort_output=True, no_location=True, width=0)


def missing(lang: str) -> list[str]:
    with catalog_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    gaps = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def fill(lang: str, tsv: Path) -> None:
    """Apply translations from a file of `msgid<TAB>msgstr` lines (one entry per line)."""
    pairs = dict(line.split("\t", 1) for line in tsv.read_text().splitlines() if "\t" in line)
    path = catalog_path(lang)
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    for message in catalog:
        if isinstance(message.id, str) and message.id in pairs:
            message.string = pairs[message.id]
            message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, sort_output=True, no_location=True, width=0)


def absorb(lang: str, other: Path) -> None:
    """Fill untranslated entries of our catalog from another version of it (after a merge)."""
    with other.open("rb") as f:
        theirs = {m.id: m.string for m in read_po(f, locale=lang) if m.id and m.string and not m.fuzzy}
    path = catalog_path(lang)
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id in theirs and (message.fuzzy or not all(strings)):
            message.string = theirs[message.id]
            message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, sort_output=True, no_location=True, width=0)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "missing":
        gaps = missing(sys.argv[2] if len(sys.argv) > 2 else "sv")
        print("\n".join(gaps) or "complete")
        sys.exit(1 if gaps else 0)
    elif command == "fill":
        fill(sys.argv[2], Path(sys.argv[3]))
    elif command == "absorb":
        absorb(sys.argv[2], Path(sys.argv[3]))
    else:
        sys.exit(__doc__)
