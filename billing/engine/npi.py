"""The National Provider Identifier's check digit.

An NPI is 10 digits: 9 identifying digits and a check digit computed with the
Luhn formula (ISO/IEC 7812) over the card-issuer prefix 80840 followed by the
first 9 digits (CMS NPI standard, 45 CFR 162.406; "Requirements for NPI Check
Digit", CMS NPS).
"""

from __future__ import annotations

NPI_LENGTH = 10
NPI_PREFIX = "80840"


def npi_check_digit(first_nine: str) -> str:
    """The check digit that completes the 9 identifying digits of an NPI."""
    if len(first_nine) != NPI_LENGTH - 1 or not first_nine.isdigit():
        raise ValueError(f"An NPI's identifying part is 9 digits, not {first_nine!r}.")
    total = 0
    # Luhn doubles every second digit from the right of the full number; with
    # the check digit still missing, that is the rightmost digit of the payload.
    for position, digit in enumerate(reversed(NPI_PREFIX + first_nine)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def npi_is_valid(npi: str) -> bool:
    """Whether `npi` is 10 digits whose last one is the Luhn check digit."""
    if len(npi) != NPI_LENGTH or not npi.isascii() or not npi.isdigit():
        return False
    return npi_check_digit(npi[:-1]) == npi[-1]
