"""How passwords are stored and which passwords are accepted, in the real settings.

conftest.py swaps the hasher to MD5 for speed, so these tests read the attributes of
the tatulyq.settings module itself, not django.conf.settings.
"""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from tatulyq import settings as production
from tatulyq.accounts.models import User


def test_passwords_are_hashed_with_argon2():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # The library behind it is installed: the hasher works, not only its name.
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("kulan-mektebi-2026", hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify("kulan-mektebi-2026", encoded)


def test_a_new_password_is_stored_as_an_argon2_hash():
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        encoded = make_password("kulan-mektebi-2026")
        assert encoded.startswith("argon2$")
        user = User(email="x@tatulyq.example")
        user.set_password("kulan-mektebi-2026")
        assert user.password.startswith("argon2$")
        assert user.check_password("kulan-mektebi-2026")


def test_password_validators_are_configured():
    by_name = {v["NAME"].rsplit(".", 1)[1]: v for v in production.AUTH_PASSWORD_VALIDATORS}
    assert set(by_name) == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
    assert by_name["MinimumLengthValidator"]["OPTIONS"]["min_length"] == 10


def test_a_ten_character_password_is_accepted():
    validators = get_password_validators(production.AUTH_PASSWORD_VALIDATORS)
    validate_password("Kulan-2026", password_validators=validators)  # does not raise


@pytest.mark.parametrize(
    "password",
    [
        "Kulan-202",  # nine characters
        "password123",  # common
        "4815162342108",  # only digits
    ],
)
def test_short_common_or_numeric_passwords_are_refused(password):
    validators = get_password_validators(production.AUTH_PASSWORD_VALIDATORS)
    with pytest.raises(ValidationError):
        validate_password(password, password_validators=validators)


def test_a_password_like_the_email_is_refused():
    validators = get_password_validators(production.AUTH_PASSWORD_VALIDATORS)
    user = User(email="dinara.abdirakhmanova@tatulyq.example", full_name="Dinara Abdirakhmanova")
    with pytest.raises(ValidationError):
        validate_password("dinara.abdirakhmanova", user=user, password_validators=validators)
