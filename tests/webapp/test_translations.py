"""Both catalogs are complete: no untranslated or fuzzy entry leaks the source text."""

from __future__ import annotations

import pytest

from scripts.i18n import missing


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_catalog_has_no_untranslated_or_fuzzy_entries(lang):
    assert missing(lang) == []


def test_every_string_in_the_code_is_in_the_catalogs():
    """A string wrapped for translation but never extracted would show in English to Swedish users."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    in_code = set()

    # Fragment folders such as templates/choice/_status/ start with an underscore: include them.
    def directory_filter(path: str) -> bool:
        return not Path(path).name.startswith((".", "__"))

    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root / "webapp"), method_map=method_map, keywords=keywords, directory_filter=directory_filter
    ):
        in_code.add(message if isinstance(message, str) else message[0])
    with (root / "webapp/translations/sv/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert len(in_code) > 20  # the extraction itself works
    assert sorted(in_code - catalog) == []
