"""A school's mediation service: its coordinator, its adult and peer mediators and
their training. Only an active mediator with a valid certificate takes cases."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tatulyq.orgs.models import Organisation


class MediationService(models.Model):
    school = models.OneToOneField(
        Organisation, models.PROTECT, related_name="mediation_service", verbose_name=_("school")
    )
    coordinator = models.ForeignKey(
        "accounts.Membership",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediation service")
        verbose_name_plural = _("mediation services")

    def __str__(self) -> str:
        return str(self.school)


class Mediator(models.Model):
    class Kind(models.TextChoices):
        ADULT = "adult", _("adult mediator")
        PEER = "peer", _("peer (pupil) mediator")

    service = models.ForeignKey(MediationService, models.CASCADE, related_name="mediators")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # Adults work in Tatulyq through their membership; peers are pupils with no account.
    membership = models.ForeignKey(
        "accounts.Membership",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="mediator_roles",
        verbose_name=_("staff member"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["kind", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="peer", membership__isnull=True) | Q(kind="adult"),
                name="peer_mediator_has_no_account",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_trained_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return any(
            t.completed_on <= day and (t.expires_on is None or t.expires_on >= day)
            for t in self.trainings.all()
        )


class Training(models.Model):
    mediator = models.ForeignKey(Mediator, models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=300)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"))
    certificate_number = models.CharField(_("certificate No."), max_length=60, blank=True)
    expires_on = models.DateField(_("certificate valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("completed_on")),
                name="certificate_expires_after_training",
            )
        ]
