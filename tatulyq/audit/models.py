"""The append-only, hash-chained audit trail.

Each entry stores the hash of the one before it and its own hash over its
content, so altering or deleting any row breaks the chain at that row; the chain
head (the last hash) is kept apart so that removing the newest rows shows too.
Entries never hold a child's personal data, only ids and field names, so that
anonymising a closed case never needs to touch the trail.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logged out")
    LOCKED_OUT = "locked_out", _("locked out")
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("set up two-factor authentication")
    TWO_FACTOR_FAILED = "2fa_failed", _("failed two-factor code")
    MEMBERSHIP_SWITCHED = "membership_switched", _("switched membership")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    VIEW_CHILD_RECORD = "view_child_record", _("viewed a child's record")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")
    INVITE = "invite", _("invited a user")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("time"), db_index=True)
    # DO_NOTHING: removing a user must not rewrite (SET_NULL) their entries, which
    # would break the chain, and on PostgreSQL the append-only trigger would refuse it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DO_NOTHING, null=True, blank=True, related_name="+",
        db_constraint=False, verbose_name=_("user"),
    )
    # Copied, not only linked: the trail must read the same after a user is removed.
    actor_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    membership_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted")


class AuditChainHead(models.Model):
    """A single row: the hash of the newest entry. Appends lock it, so the chain
    stays linear under concurrent writers."""

    last_entry_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
