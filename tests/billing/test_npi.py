"""The NPI check digit (Luhn over 80840 and the first 9 digits)."""

import pytest

from billing.engine.npi import npi_check_digit, npi_is_valid

# The worked example in CMS's "Requirements for NPI Check Digit".
CMS_EXAMPLE = "1234567893"


def test_the_cms_worked_example_has_check_digit_3():
    assert npi_check_digit(CMS_EXAMPLE[:9]) == "3"
    assert npi_is_valid(CMS_EXAMPLE)


@pytest.mark.parametrize("wrong_digit", "012456789")
def test_any_other_last_digit_fails(wrong_digit):
    assert not npi_is_valid(CMS_EXAMPLE[:9] + wrong_digit)


def test_a_transposition_of_adjacent_digits_fails():
    assert not npi_is_valid("2134567893")


@pytest.mark.parametrize(
    "text", ["", "123456789", "12345678930", "12345 7893", "１234567893"]
)
def test_anything_but_ten_ascii_digits_fails(text):
    assert not npi_is_valid(text)


@pytest.mark.parametrize("first_nine", ["", "12345678", "1234567890", "12345678A"])
def test_the_check_digit_needs_nine_digits(first_nine):
    with pytest.raises(ValueError):
        npi_check_digit(first_nine)


def test_check_digit_completes_a_valid_npi_for_any_nine_digits():
    for first_nine in ("100000000", "198765432", "255555555", "999999999"):
        assert npi_is_valid(first_nine + npi_check_digit(first_nine))
