"""Personal identity numbers: the forms people type, the century rules, coordination numbers, and
the three ways a number is wrong."""

from datetime import date

import pytest

from domain import InvalidPersonalIdentityNumber, parse_pnr

TODAY = date(2023, 4, 20)


@pytest.mark.parametrize(
    "text",
    ["811218-9876", "8112189876", "19811218-9876", "198112189876", " 811218-9876 ", "19811218 9876"],
)
def test_ten_and_twelve_digit_forms_with_or_without_separator_give_the_same_number(text):
    parsed = parse_pnr(text, today=TODAY)
    assert parsed.digits == "198112189876"
    assert parsed.birth_date == date(1981, 12, 18)
    assert str(parsed) == "19811218-9876"
    assert not parsed.is_coordination_number


def test_ten_digit_number_takes_the_latest_century_that_is_not_in_the_future():
    # 2015-03-01 is before TODAY; 2023-12-01 would be in the future, so 1923.
    assert parse_pnr(_valid("150301", "000"), today=TODAY).birth_date.year == 2015
    assert parse_pnr(_valid("231201", "123"), today=TODAY).birth_date == date(1923, 12, 1)


def test_plus_separator_means_the_person_has_turned_100():
    parsed = parse_pnr(_valid("181218", "987", "+"), today=TODAY)
    assert parsed.birth_date == date(1918, 12, 18)
    assert parse_pnr(_valid("181218", "987", "-"), today=TODAY).birth_date == date(2018, 12, 18)


def test_coordination_number_has_sixty_added_to_the_day():
    parsed = parse_pnr("701063-2391", today=TODAY)
    assert parsed.is_coordination_number
    assert parsed.birth_date == date(1970, 10, 3)
    assert parsed.digits == "197010632391"
    assert str(parsed) == "19701063-2391"


@pytest.mark.parametrize(
    "text", ["", "81121-9876", "811218/9876", "abcdefghij", "1981121898760", "19811218+9876", "811218--9876"]
)
def test_malformed_text_is_a_format_error(text):
    with pytest.raises(InvalidPersonalIdentityNumber) as caught:
        parse_pnr(text, today=TODAY)
    assert caught.value.reason == "format"


def test_wrong_check_digit_is_a_check_digit_error():
    with pytest.raises(InvalidPersonalIdentityNumber) as caught:
        parse_pnr("811218-9875", today=TODAY)
    assert caught.value.reason == "check_digit"


@pytest.mark.parametrize("digits", ["811318", "810230", "810100", "810192"])
def test_impossible_birth_date_is_a_date_error(digits):
    with pytest.raises(InvalidPersonalIdentityNumber) as caught:
        parse_pnr(_valid(digits, "123"), today=TODAY)
    assert caught.value.reason == "date"


def test_twelve_digit_number_born_in_the_future_is_a_date_error():
    with pytest.raises(InvalidPersonalIdentityNumber) as caught:
        parse_pnr("20301218" + _valid("301218", "987")[-4:], today=TODAY)
    assert caught.value.reason == "date"


def test_the_error_message_does_not_contain_the_number():
    with pytest.raises(InvalidPersonalIdentityNumber) as caught:
        parse_pnr("811218-9875", today=TODAY)
    assert "9875" not in str(caught.value)


def _valid(yymmdd: str, serial: str, separator: str = "-") -> str:
    from domain.pnr import luhn_check_digit

    return f"{yymmdd}{separator}{serial}{luhn_check_digit(yymmdd + serial)}"
