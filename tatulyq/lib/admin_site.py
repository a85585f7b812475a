from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record


class TatulyqAdminSite(admin.AdminSite):
    """Django's admin, for system administrators who passed the second factor.
    Children's records are never registered here: they are reached only through
    the scoping module."""

    site_header = _("Tatulyq administration")
    site_title = _("Tatulyq administration")

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Someone logged in who may not use the admin: the site's login page would
            # send them straight back here, in a loop. Refuse instead.
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin enter the audit trail like any other change."""

    def log_addition(self, request, obj, message):
        record(action=AuditAction.CREATE, target=obj, summary="admin")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(action=AuditAction.UPDATE, target=obj, summary="admin")
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(action=AuditAction.DELETE, target=obj, summary="admin")
        return super().log_deletions(request, queryset)
