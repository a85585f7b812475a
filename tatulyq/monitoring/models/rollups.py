"""The aggregate side: roll-up rows kept fresh in the transaction that changes a
report's status, the data version they stand at, and the stage-3 summaries produced."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tatulyq.orgs.models import Organisation

from .reports import Period


class Aggregate(models.Model):
    """The sum over every report under a node (the Republic, a region's akimat, a district's
    akimat) for one period, indicator and cell: received reports and accepted ones."""

    node = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    cell = models.CharField(max_length=40, blank=True, default="")
    value_all = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    value_approved = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "period", "code", "cell"], name="aggregate_once"),
        ]
        indexes = [models.Index(fields=["period", "code", "cell"])]


class SuppressionMap(models.Model):
    """Which cells of one children-counting indicator are hidden in one quarter, as computed
    for the quarter's data version: a background task fills it after each change, so that
    pages find it ready; a page that finds it stale computes it itself."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    basis = models.CharField(max_length=8)
    version = models.PositiveBigIntegerField()
    changed_at = models.DateTimeField(null=True)
    hidden = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "code", "basis"], name="suppression_map_once"),
        ]


class DataVersion(models.Model):
    """A single row counting changes to the aggregates; caches and summaries name it."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)


class SummaryExport(models.Model):
    """The stage-3 national summary as of a date, in one language, in three formats."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    as_of = models.DateField(_("as of"))
    language = models.CharField(_("language"), max_length=2, choices=[("kk", "Қазақша"), ("ru", "Русский")])
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    data_version = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    docx = models.FileField(upload_to="monitoring/summaries/", blank=True)
    pdf = models.FileField(upload_to="monitoring/summaries/", blank=True)
    xlsx = models.FileField(upload_to="monitoring/summaries/", blank=True)

    class Meta:
        verbose_name = _("national summary")
        verbose_name_plural = _("national summaries")
        ordering = ["-requested_at", "-id"]
