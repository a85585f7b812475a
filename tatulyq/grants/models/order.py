"""The region's state social order: the approved topics, each with its budget per year,
funding source and expected results, and the proposals it came from."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.directives.models import Project
from tatulyq.directives.models.programme import MONEY
from tatulyq.orgs.models import Organisation, Territory

from .proposals import FIRST_YEAR, LAST_YEAR, Proposal


class SocialOrder(models.Model):
    """A region's state social order for a period (the seed's 2025–2026)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("social order", "draft")
        APPROVED = "approved", pgettext_lazy("social order", "approved")

    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="social_orders",
        verbose_name=_("region"),
    )
    region = models.ForeignKey(Territory, models.PROTECT, related_name="+", editable=False)
    title = models.CharField(_("title"), max_length=500)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("state social order")
        verbose_name_plural = _("state social orders")
        ordering = ["-first_year", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=F("first_year")), name="order_years_in_order"),
            models.CheckConstraint(
                condition=Q(first_year__gte=FIRST_YEAR, last_year__lte=LAST_YEAR),
                name="order_years_in_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class FundingSource(models.TextChoices):
    LOCAL_BUDGET = "local", _("Local budget")
    REPUBLICAN_BUDGET = "republican", _("Republican budget")
    OTHER = "other", pgettext_lazy("funding source", "Other")


class Topic(models.Model):
    """An approved topic of the order: what the state buys, for how much, for what result."""

    order = models.ForeignKey(SocialOrder, models.CASCADE, related_name="topics")
    number = models.PositiveSmallIntegerField(_("No."))
    project = models.ForeignKey(
        Project,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project of the programme"),
    )
    title = models.CharField(_("topic"), max_length=500)
    funding_source = models.CharField(
        _("funding source"), max_length=12, choices=FundingSource.choices, default=FundingSource.LOCAL_BUDGET
    )
    expected_results = models.TextField(_("expected results"))
    # Kept equal to the sum of the yearly budgets by the service: the ceiling every check reads.
    budget_total = models.DecimalField(_("budget, ₸"), default=0, editable=False, **MONEY)
    sources = models.ManyToManyField(
        Proposal, blank=True, related_name="topics", verbose_name=_("proposals it came from")
    )

    class Meta:
        verbose_name = _("topic of the state social order")
        verbose_name_plural = _("topics of the state social order")
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="topic_number_once"),
            models.CheckConstraint(condition=Q(budget_total__gte=0), name="topic_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TopicBudget(models.Model):
    topic = models.ForeignKey(Topic, models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount, ₸"), **MONEY)

    class Meta:
        verbose_name = _("budget of a topic for a year")
        verbose_name_plural = _("budgets of topics by year")
        ordering = ["topic", "year"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "year"], name="topic_budget_once_a_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="topic_budget_positive"),
        ]
