"""The grant competition for a topic: announcement, criteria with weights, NGO
applications, the commission's scores and the published results."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.directives.models.programme import MONEY
from tatulyq.lib.identifiers import validate_bin
from tatulyq.orgs.models import Organisation

from .order import Topic
from .proposals import BudgetLineBase, line_constraints


class Competition(models.Model):
    class Status(models.TextChoices):
        ANNOUNCED = "announced", pgettext_lazy("competition", "announced")
        PUBLISHED = "published", pgettext_lazy("competition", "results published")

    topic = models.ForeignKey(Topic, models.PROTECT, related_name="competitions", verbose_name=_("topic"))
    organiser = models.ForeignKey(
        Organisation, models.PROTECT, related_name="grant_competitions", verbose_name=_("organiser")
    )
    title = models.CharField(_("title"), max_length=500)
    requirements = models.TextField(_("requirements for applicants"))
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("closing date"))
    budget = models.DecimalField(_("budget, ₸"), **MONEY)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ANNOUNCED)
    winner = models.ForeignKey(
        "Application", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("winner")
    )
    results_summary = models.TextField(_("decision of the commission"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant competition")
        verbose_name_plural = _("grant competitions")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="competition_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(budget__gt=0), name="competition_budget_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gte=1, scale_max__lte=100), name="competition_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    competition = models.ForeignKey(Competition, models.CASCADE, related_name="criteria")
    title = models.CharField(_("criterion"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight, %"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["competition", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_percent"
            ),
        ]


class Application(models.Model):
    """An NGO's application: its details, its plan and its budget."""

    competition = models.ForeignKey(Competition, models.PROTECT, related_name="applications")
    ngo = models.ForeignKey(
        Organisation, models.PROTECT, related_name="grant_applications", verbose_name=_("applicant")
    )
    bin = models.CharField(_("BIN"), max_length=12, validators=[validate_bin])
    registered_on = models.DateField(_("registered on"))
    director_name = models.CharField(_("director"), max_length=200)
    experience = models.TextField(_("experience"))
    plan = models.TextField(_("project plan"))
    requested_amount = models.DecimalField(_("amount requested, ₸"), default=0, editable=False, **MONEY)
    result_reason = models.TextField(_("reason of the decision"), blank=True)
    submitted_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["competition", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "ngo"], name="one_application_per_ngo"),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="application_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.ngo.name


class ApplicationLine(BudgetLineBase):
    application = models.ForeignKey(Application, models.CASCADE, related_name="lines")

    class Meta(BudgetLineBase.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = line_constraints("application_line")


class CommissionMember(models.Model):
    """A member of the competition commission; scores only after declaring no conflict."""

    competition = models.ForeignKey(Competition, models.CASCADE, related_name="commission")
    membership = models.ForeignKey(
        "accounts.Membership", models.PROTECT, related_name="+", verbose_name=_("member")
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    no_conflict_declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["competition", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "membership"], name="commission_member_once"),
        ]


class Score(models.Model):
    member = models.ForeignKey(CommissionMember, models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["member", "application", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(value__lte=100), name="score_at_most_100"),
        ]
