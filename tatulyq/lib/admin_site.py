from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TatulyqAdminSite(admin.AdminSite):
    """Django's admin, for system administrators who passed the second factor.
    Children's records are never registered here: they are reached only through
    the scoping module."""

    site_header = _("Tatulyq administration")
    site_title = _("Tatulyq administration")

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
