"""Kazakhstan's 12-digit identifiers: BIN (organisations) and IIN (people).

Both end in a check digit computed the same way: the weighted sum of the first
eleven digits modulo 11 with weights 1..11; when that gives 10, a second pass with
weights 3..11, 1, 2; when that also gives 10 the number is never issued.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first_eleven: str) -> int | None:
    """The check digit for eleven digits, or None when no valid number has them."""
    digits = [int(c) for c in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def has_valid_check_digit(value: str) -> bool:
    return (
        len(value) == 12
        and value.isascii()
        and value.isdigit()
        and check_digit(value[:11]) == int(value[11])
    )


def validate_bin(value: str) -> None:
    """A BIN: 12 digits, a real month of registration, a correct check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A BIN has exactly 12 digits."), code="bin_format")
    if not 1 <= int(value[2:4]) <= 12:
        raise ValidationError(
            _("Digits 3–4 of a BIN are the month of registration (01–12)."), code="bin_month"
        )
    if not has_valid_check_digit(value):
        raise ValidationError(
            _("This BIN's check digit is wrong: please check the number."), code="bin_check"
        )


def birth_date_from_iin(value: str) -> datetime.date | None:
    """The birth date an IIN encodes (digits 1–6 and the century in digit 7)."""
    century_digit = int(value[6])
    if not 1 <= century_digit <= 6:
        return None
    century = 1800 + 100 * ((century_digit - 1) // 2)
    try:
        return datetime.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None


def validate_iin(value: str) -> None:
    """An IIN: 12 digits, a real birth date, a century digit 1–6, a correct check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")
    if birth_date_from_iin(value) is None:
        raise ValidationError(
            _("The first seven digits of an IIN must encode a real date of birth."),
            code="iin_date",
        )
    if not has_valid_check_digit(value):
        raise ValidationError(
            _("This IIN's check digit is wrong: please check the number."), code="iin_check"
        )


def make_valid(first_eleven: str) -> str | None:
    """Complete eleven digits with their check digit (demo data and tests)."""
    digit = check_digit(first_eleven)
    return None if digit is None else f"{first_eleven}{digit}"
