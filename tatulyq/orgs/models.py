"""Territories (KATO) and the organisations of the programme, as one tree.

The tree is a materialised path of ids ("/1/7/42/") beside the parent link:
a subtree is one indexed prefix match (Django adds a pattern index on
PostgreSQL), ancestors are read off the path without a query, and moving a
branch rewrites its paths in a single UPDATE. At national size (about 10,000
organisations, depth 5) that keeps every "what is under me" question to one
index range scan, which is what the scoping module asks on every page.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.lib.i18n import TrilingualName
from tatulyq.lib.identifiers import validate_bin


class Territory(TrilingualName):
    """A KATO unit: the republic, a region (oblast or city), a district or lower."""

    class Level(models.IntegerChoices):
        REPUBLIC = 0, _("republic")
        REGION = 1, _("region")
        DISTRICT = 2, _("district or city of regional significance")
        RURAL_DISTRICT = 3, _("rural district or town")
        SETTLEMENT = 4, _("settlement")

    code = models.CharField(_("KATO code"), max_length=9, unique=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent territory"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{9}$"), name="territory_code_nine_digits"
            ),
        ]


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    METHODOLOGICAL_CENTRE = "methodological_centre", _("Methodological centre")
    REGIONAL_AKIMAT = "regional_akimat", _("Oblast or city akimat")
    REGIONAL_EDUCATION = "regional_education", _("Regional education department")
    DISTRICT_AKIMAT = "district_akimat", _("District akimat")
    DISTRICT_EDUCATION = "district_education", _("District education department")
    SCHOOL = "school", _("School")
    NGO = "ngo", _("Non-governmental organisation")
    VICTIM_SUPPORT_CENTRE = "victim_support_centre", _("Victim support centre")
    JUVENILE_POLICE = "juvenile_police", _("Juvenile police unit")
    MINORS_COMMISSION = "minors_commission", _("Commission on minors' affairs")
    OTHER = "other", pgettext_lazy("organisation kind", "Other")


class OrganisationLevel(models.TextChoices):
    REPUBLIC = "republic", _("Republic")
    REGION = "region", _("Region")
    DISTRICT = "district", _("District")
    FIELD = "field", _("Field")


LEVEL_OF_KIND = {
    OrganisationKind.MINISTRY: OrganisationLevel.REPUBLIC,
    OrganisationKind.METHODOLOGICAL_CENTRE: OrganisationLevel.REPUBLIC,
    OrganisationKind.REGIONAL_AKIMAT: OrganisationLevel.REGION,
    OrganisationKind.REGIONAL_EDUCATION: OrganisationLevel.REGION,
    OrganisationKind.DISTRICT_AKIMAT: OrganisationLevel.DISTRICT,
    OrganisationKind.DISTRICT_EDUCATION: OrganisationLevel.DISTRICT,
}

GOVERNMENT_KINDS = frozenset(LEVEL_OF_KIND)

# Which kinds of organisation may stand directly above which: the letter chain of
# the seed (Ministry → oblast akimat → district akimat → education department → school).
ALLOWED_PARENT_KINDS = {
    OrganisationKind.MINISTRY: frozenset(),
    OrganisationKind.METHODOLOGICAL_CENTRE: {OrganisationKind.MINISTRY},
    OrganisationKind.REGIONAL_AKIMAT: {OrganisationKind.MINISTRY},
    OrganisationKind.REGIONAL_EDUCATION: {OrganisationKind.REGIONAL_AKIMAT},
    OrganisationKind.DISTRICT_AKIMAT: {OrganisationKind.REGIONAL_AKIMAT},
    OrganisationKind.DISTRICT_EDUCATION: {OrganisationKind.DISTRICT_AKIMAT},
    OrganisationKind.SCHOOL: {
        OrganisationKind.DISTRICT_EDUCATION,
        OrganisationKind.REGIONAL_EDUCATION,
    },
}
for _field_kind in (
    OrganisationKind.NGO,
    OrganisationKind.VICTIM_SUPPORT_CENTRE,
    OrganisationKind.JUVENILE_POLICE,
    OrganisationKind.MINORS_COMMISSION,
    OrganisationKind.OTHER,
):
    ALLOWED_PARENT_KINDS[_field_kind] = GOVERNMENT_KINDS


class InstructionLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    MIXED = "kk_ru", _("Kazakh and Russian")
    OTHER = "other", pgettext_lazy("language of instruction", "Other")


class Locality(models.TextChoices):
    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")


class Organisation(TrilingualName):
    """Any body taking part in the programme, from the Ministry to a school or an NGO."""

    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent organisation"),
    )
    # "/1/7/42/": the ids from the root down to this organisation, itself included.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    territory = models.ForeignKey(
        Territory, models.PROTECT, related_name="organisations", verbose_name=_("territory")
    )
    bin = models.CharField(_("BIN"), max_length=12, blank=True, validators=[validate_bin])
    address = models.CharField(_("address"), max_length=400, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Schools only; the monitoring module turns counts into rates per 1,000 pupils.
    instruction_language = models.CharField(
        _("language of instruction"), max_length=8, choices=InstructionLanguage.choices,
        blank=True,
    )
    locality = models.CharField(
        _("urban or rural"), max_length=8, choices=Locality.choices, blank=True
    )
    pupils_count = models.PositiveIntegerField(_("number of pupils"), null=True, blank=True)
    # The names in all three languages, case-folded, for search on any database.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["bin"], condition=~Q(bin=""), name="organisation_bin_unique"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name="organisation_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["kind", "path"])]

    @property
    def level(self) -> str:
        return LEVEL_OF_KIND.get(self.kind, OrganisationLevel.FIELD)

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read off the path (no query)."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def is_within(self, other: "Organisation") -> bool:
        """True when self is other or lies under it."""
        return self.path.startswith(other.path)

    def clean(self) -> None:
        errors = {}
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, frozenset())
        if self.parent is None and allowed:
            errors["parent"] = _("This type of organisation needs a parent organisation.")
        elif self.parent is not None and self.parent.kind not in allowed:
            errors["parent"] = _(
                "A %(kind)s cannot stand under a %(parent_kind)s."
            ) % {
                "kind": self.get_kind_display(),
                "parent_kind": self.parent.get_kind_display(),
            }
        elif self.parent is not None and self.pk and self.parent.is_within(self):
            errors["parent"] = _("An organisation cannot be placed under itself.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # The path is derived from the parent link and kept in step here, so that
        # no code path (admin, import, shell) can leave the tree inconsistent.
        self.search_text = self.build_search_text()
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self._set_path()
                return
            old_path = (
                Organisation.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            )
            super().save(*args, **kwargs)
            parent_path = self.parent.path if self.parent_id else "/"
            if old_path and not old_path.startswith(f"{parent_path}{self.pk}/"):
                self._move_subtree(old_path)

    def build_search_text(self) -> str:
        return " ".join(filter(None, (self.name_kk, self.name_ru, self.name_en))).casefold()

    def _set_path(self) -> None:
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.pk}/"
        self.depth = self.path.count("/") - 2
        Organisation.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    def _move_subtree(self, old_path: str) -> None:
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        shift = new_path.count("/") - old_path.count("/")
        Organisation.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + shift,
        )
        self.path, self.depth = new_path, new_path.count("/") - 2


def subtree_filter(root: Organisation, field: str = "") -> Q:
    """A Q matching rows whose organisation (reached through `field`) is in root's subtree."""
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}path__startswith": root.path})

