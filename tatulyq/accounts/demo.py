"""One demo user per role (README lists them). Demo mode only."""

import hashlib
from base64 import b32encode

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import CHILD_DATA_ROLES, Membership, Role, User

# A fixed authenticator key for demo users who must pass two-factor login, so
# that a newcomer can add it to an app once (README) or run `manage.py demo_totp`.
DEMO_TOTP_KEY = hashlib.sha1(b"tatulyq-demo-authenticator").hexdigest()
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()

# (e-mail, full name, position, [(organisation key, role, is_admin)], system administrator)
DEMO_USERS = [
    ("ministry@tatulyq.example", "Жанар Нұржан", "Бас сарапшы",
     [("ministry", Role.MINISTRY_OFFICER, True)], False),
    ("methodologist@tatulyq.example", "Айгүл Сейітова", "Әдіскер",
     [("orken", Role.METHODOLOGIST, False)], False),
    ("region@tatulyq.example", "Руслан Садырқұлов", "Бас маман",
     [("jambyl_education", Role.REGIONAL_COORDINATOR, True),
      ("jambyl_akimat", Role.REGIONAL_COORDINATOR, True)], False),
    ("district@tatulyq.example", "Гүлмира Джамбулбаева", "Әдіскер",
     [("ryskulov_education", Role.DISTRICT_SPECIALIST, True)], False),
    ("head@tatulyq.example", "Гүлнар Төлеуова", "Мектеп директоры",
     [("school", Role.SCHOOL_HEAD, True)], False),
    ("mediator@tatulyq.example", "Динара Әбдірахманова", "Мектеп медиаторы",
     [("school", Role.SCHOOL_MEDIATOR, False)], False),
    ("psychologist@tatulyq.example", "Салтанат Омарова", "Педагог-психолог",
     [("school", Role.SCHOOL_PSYCHOLOGIST, False)], False),
    ("pedagogue@tatulyq.example", "Ерлан Бекұлы", "Әлеуметтік педагог",
     [("school", Role.SOCIAL_PEDAGOGUE, False)], False),
    ("mediator2@tatulyq.example", "Әсел Қасымова", "Мектеп медиаторы",
     [("other_school", Role.SCHOOL_MEDIATOR, False)], False),
    ("ngo@tatulyq.example", "Бауыржан Тоқтаров", "Жоба үйлестірушісі",
     [("ngo", Role.NGO_STAFF, True)], False),
    ("auditor@tatulyq.example", "Қайрат Әлиев", "Аудитор",
     [("ministry", Role.AUDITOR, False)], False),
    ("admin@tatulyq.example", "Жүйе әкімшісі", "Жүйе әкімшісі",
     [("ministry", Role.SYSTEM_ADMINISTRATOR, True)], True),
]


def build(orgs: dict) -> list[User]:
    orgs = {**orgs, "ngo": orgs["ngos"][0]}
    users = []
    for email, full_name, position, memberships, is_sysadmin in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, settings.DEMO_PASSWORD, full_name=full_name, position=position,
                is_staff=is_sysadmin, is_superuser=is_sysadmin,
            )
        for key, role, is_admin in memberships:
            Membership.objects.get_or_create(
                user=user, organisation=orgs[key], role=role, defaults={"is_admin": is_admin}
            )
        if is_sysadmin or any(role in CHILD_DATA_ROLES for _, role, _ in memberships):
            TOTPDevice.objects.get_or_create(
                user=user, name="demo authenticator",
                defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
            )
        users.append(user)
    return users
