"""People and the memberships through which they act (user × organisation × role)."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tatulyq.orgs.models import Organisation, OrganisationKind, OrganisationLevel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("interface language"), max_length=2, default="kk",
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Only system administrators reach Django's admin.
    is_staff = models.BooleanField(_("system administrator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    METHODOLOGIST = "methodologist", _("Methodologist")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    DISTRICT_SPECIALIST = "district_specialist", _("District specialist")
    SCHOOL_HEAD = "school_head", _("School head")
    SCHOOL_MEDIATOR = "school_mediator", _("School mediator")
    SCHOOL_PSYCHOLOGIST = "school_psychologist", _("School psychologist")
    SOCIAL_PEDAGOGUE = "social_pedagogue", _("Social pedagogue")
    NGO_STAFF = "ngo_staff", _("NGO staff member")
    AUDITOR = "auditor", _("Auditor (read only)")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")


# Roles that work with children's personal data at their own organisation; they
# must use two-factor authentication.
CHILD_DATA_ROLES = frozenset(
    {
        Role.SCHOOL_HEAD,
        Role.SCHOOL_MEDIATOR,
        Role.SCHOOL_PSYCHOLOGIST,
        Role.SOCIAL_PEDAGOGUE,
    }
)

# Where each role may be held: an officer of the Ministry works at the Ministry, a
# mediator at a school. An auditor or a system administrator may sit anywhere.
ROLE_ORGANISATION_KINDS = {
    Role.MINISTRY_OFFICER: {OrganisationKind.MINISTRY},
    Role.METHODOLOGIST: {OrganisationKind.METHODOLOGICAL_CENTRE, OrganisationKind.MINISTRY},
    Role.REGIONAL_COORDINATOR: {
        OrganisationKind.REGIONAL_AKIMAT,
        OrganisationKind.REGIONAL_EDUCATION,
    },
    Role.DISTRICT_SPECIALIST: {
        OrganisationKind.DISTRICT_AKIMAT,
        OrganisationKind.DISTRICT_EDUCATION,
    },
    Role.SCHOOL_HEAD: {OrganisationKind.SCHOOL},
    Role.SCHOOL_MEDIATOR: {OrganisationKind.SCHOOL},
    Role.SCHOOL_PSYCHOLOGIST: {OrganisationKind.SCHOOL},
    Role.SOCIAL_PEDAGOGUE: {OrganisationKind.SCHOOL},
    Role.NGO_STAFF: {
        OrganisationKind.NGO,
        OrganisationKind.VICTIM_SUPPORT_CENTRE,
        OrganisationKind.JUVENILE_POLICE,
        OrganisationKind.MINORS_COMMISSION,
        OrganisationKind.OTHER,
    },
    Role.AUDITOR: set(OrganisationKind),
    Role.SYSTEM_ADMINISTRATOR: set(OrganisationKind),
}


class Membership(models.Model):
    """A person acting for an organisation in a role; what they see follows from it."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # May invite people into the organisation and the organisations under it.
    is_admin = models.BooleanField(_("administers the organisation"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"

    @property
    def handles_child_data(self) -> bool:
        return self.role in CHILD_DATA_ROLES

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def level(self) -> OrganisationLevel:
        return self.organisation.level
