"""Both catalogs are complete: no untranslated or fuzzy entry leaks the source text."""

from __future__ import annotations

import pytest

from scripts.i18n import missing


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_catalog_has_no_untranslated_or_fuzzy_entries(lang):
    assert missing(lang) == []
