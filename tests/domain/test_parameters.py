"""Dated parameters: the base-amount table of domain-spec section 1, row by row, and the rule that a
date without a value is an error, never a guess."""

from datetime import date
from decimal import Decimal

import pytest

from domain import MissingParameter, forhojt_pbb, ibb, parameter, pbb
from domain.parameters import parameter_names

# domain-spec.md section 1: year, IBB, PBB, förhöjt PBB (None: no IBB for 2000).
SPEC_TABLE = [
    (2000, None, 36600, 37300),
    (2001, 37700, 36900, 37700),
    (2002, 38800, 37900, 38700),
    (2003, 40900, 38600, 39400),
    (2004, 42300, 39300, 40100),
    (2005, 43300, 39400, 40300),
    (2006, 44500, 39700, 40500),
    (2007, 45900, 40300, 41100),
    (2008, 48000, 41000, 41800),
    (2009, 50900, 42800, 43600),
    (2010, 51100, 42400, 43300),
    (2011, 52100, 42800, 43700),
    (2012, 54600, 44000, 44900),
    (2013, 56600, 44500, 45400),
    (2014, 56900, 44400, 45300),
    (2015, 58100, 44500, 45400),
    (2016, 59300, 44300, 45200),
    (2017, 61500, 44800, 45700),
    (2018, 62500, 45500, 46500),
    (2019, 64400, 46500, 47400),
    (2020, 66800, 47300, 48300),
    (2021, 68200, 47600, 48600),
    (2022, 71000, 48300, 49300),
    (2023, 74300, 52500, 53500),
    (2024, 76200, 57300, 58500),
    (2025, 80600, 58800, 60100),
    (2026, 83400, 59200, 60500),
]


@pytest.mark.parametrize(("year", "ibb_value", "pbb_value", "forhojt_value"), SPEC_TABLE)
def test_base_amounts_match_the_spec_table(year, ibb_value, pbb_value, forhojt_value):
    if ibb_value is None:
        with pytest.raises(MissingParameter):
            ibb(year)
    else:
        assert ibb(year).value == Decimal(ibb_value)
    assert pbb(year).value == Decimal(pbb_value)
    assert forhojt_pbb(year).value == Decimal(forhojt_value)


def test_values_the_spec_marks_unconfirmed_are_flagged_and_confirmed_ones_are_not():
    assert ibb(2026).unconfirmed
    assert forhojt_pbb(2025).unconfirmed
    assert not ibb(2025).unconfirmed
    assert not pbb(2026).unconfirmed
    assert not forhojt_pbb(2026).unconfirmed


def test_price_base_amounts_exist_from_1990_with_a_source():
    for year in range(1990, 2027):
        use = pbb(year)
        assert use.source
        assert use.applies_from == date(year, 1, 1)
        assert forhojt_pbb(year).source
    assert pbb(1990).value == Decimal(29700)
    assert pbb(1999).value == Decimal(36400)
    assert forhojt_pbb(1996).value == Decimal(36800)


def test_a_base_amount_is_not_carried_into_a_year_without_a_value():
    with pytest.raises(MissingParameter) as caught:
        ibb(2027)
    assert caught.value.name == "inkomstbasbelopp"
    assert caught.value.at == date(2027, 1, 1)
    with pytest.raises(MissingParameter):
        pbb(1989)
    with pytest.raises(MissingParameter):
        forhojt_pbb(2027)


def test_a_date_before_the_first_value_raises_missing_parameter():
    with pytest.raises(MissingParameter):
        parameter("kapkl_dc_rate", date(2005, 12, 31))


def test_an_unknown_parameter_raises_missing_parameter():
    with pytest.raises(MissingParameter) as caught:
        parameter("no_such_parameter", date(2023, 1, 1))
    assert "no_such_parameter" in str(caught.value)


def test_a_rate_applies_from_its_date_until_the_next_value():
    assert parameter("kapkl_dc_rate", date(2009, 12, 31)).value == Decimal("0.0425")
    assert parameter("kapkl_dc_rate", date(2009, 12, 31)).unconfirmed
    assert parameter("kapkl_dc_rate", date(2010, 1, 1)).value == Decimal("0.045")
    assert parameter("kapkl_dc_rate", date(2031, 6, 1)).value == Decimal("0.045")
    assert parameter("akap_rate_below", date(2022, 12, 31)).value == Decimal("0.045")
    assert parameter("akap_rate_above", date(2022, 12, 31)).value == Decimal("0.30")
    assert parameter("akap_rate_below", date(2023, 1, 1)).value == Decimal("0.06")
    assert parameter("akap_rate_above", date(2023, 1, 1)).value == Decimal("0.315")


def test_tillaggsavgift_table_is_flagged_unconfirmed_and_covers_1958_to_1985_only():
    at = date(2023, 1, 1)
    assert parameter("tillaggsavgift_rate_below", at, 1958).value == Decimal("0.012")
    assert parameter("tillaggsavgift_rate_above", at, 1958).value == Decimal("0.095")
    assert parameter("tillaggsavgift_rate_above", at, 1975).value == Decimal("0.015")
    assert parameter("tillaggsavgift_rate_above", at, 1985).value == Decimal("0.005")
    assert parameter("tillaggsavgift_rate_below", at, 1970).value == Decimal(0)
    assert parameter("tillaggsavgift_rate_above", at, 1960).unconfirmed
    with pytest.raises(MissingParameter):
        parameter("tillaggsavgift_rate_above", at, 1986)
    with pytest.raises(MissingParameter):
        parameter("tillaggsavgift_rate_above", at, 1957)


def test_a_table_parameter_without_a_key_raises_missing_parameter():
    with pytest.raises(MissingParameter):
        parameter("fap_level_lower", date(2023, 1, 1))


def test_comparison_defaults_have_a_source_and_are_flagged_where_not_confirmed():
    at = date(2023, 4, 20)
    assert parameter("comparison_retirement_age", at).value == 65
    growth = parameter("comparison_real_salary_growth", at)
    real_return = parameter("comparison_real_return", at)
    assert real_return.value == Decimal("0.019")
    assert growth.source and real_return.source
    assert growth.unconfirmed and real_return.unconfirmed


def test_every_parameter_value_names_its_source():
    for name in parameter_names():
        # The first applies-from date of each parameter has a value with a non-empty source.
        from domain.parameters import _registry

        for entry in _registry()[name].values:
            assert entry.source.strip(), name


def test_a_parameter_file_with_a_float_value_is_refused(tmp_path):
    from domain.parameters import _load_file

    path = tmp_path / "bad.toml"
    path.write_text('[x]\nvalues = [ { from = 2020-01-01, value = 0.045, source = "s" } ]\n')
    with pytest.raises(TypeError):
        _load_file(path)


def test_a_parameter_file_reads_dates_tables_and_flags(tmp_path):
    from domain.parameters import _load_file

    path = tmp_path / "ok.toml"
    path.write_text(
        '[rate]\nvalues = [ { from = 2020-01-01, value = "0.045", source = "s", unconfirmed = true } ]\n'
        '[level]\nvalues = [ { from = 2020-01-01, source = "t", table = { "-1950" = "1", "1951-1960" = "2", "1961-" = "3" } } ]\n'
    )
    loaded = _load_file(path)
    assert loaded["rate"].values[0].value == Decimal("0.045")
    assert loaded["rate"].values[0].unconfirmed
    table = dict(((a, b), v) for a, b, v in loaded["level"].values[0].table)
    assert table[(1951, 1960)] == Decimal(2)
