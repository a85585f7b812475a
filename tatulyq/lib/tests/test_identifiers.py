import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tatulyq.lib.identifiers import (
    birth_date_from_iin,
    has_valid_check_digit,
    make_valid,
    validate_bin,
    validate_iin,
)


def test_known_valid_bin_passes():
    # A BIN registered in July 2004, entity type 4, with its computed check digit.
    validate_bin(make_valid("04074000001"))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "bin_format"),
        ("04074000001X", "bin_format"),
        ("٠٤٠٧٤٠٠٠٠٠١٢", "bin_format"),  # Arabic-Indic digits are not accepted
        ("041340000010", "bin_month"),
    ],
)
def test_malformed_bin_is_rejected_with_its_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_bin(value)
    assert error.value.code == code


def test_bin_with_wrong_check_digit_is_rejected():
    good = make_valid("04074000001")
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        validate_bin(bad)
    assert error.value.code == "bin_check"


def test_iin_encodes_birth_date_and_century():
    iin = make_valid("12031550012")  # born 15.03.2012, century digit 5 (2000s)
    validate_iin(iin)
    assert birth_date_from_iin(iin).isoformat() == "2012-03-15"


def test_iin_with_impossible_date_is_rejected():
    iin = make_valid("12023150012") or make_valid("12023150013")  # 31 February
    with pytest.raises(ValidationError) as error:
        validate_iin(iin)
    assert error.value.code == "iin_date"


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_completed_numbers_always_carry_a_valid_check_digit(first_eleven):
    number = make_valid(first_eleven)
    if number is not None:
        assert has_valid_check_digit(number)
        # Any other final digit is refused.
        for digit in "0123456789":
            if digit != number[11]:
                assert not has_valid_check_digit(number[:11] + digit)
