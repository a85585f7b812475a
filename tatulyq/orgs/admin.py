from django.contrib import admin

from tatulyq.lib.admin_site import AuditedAdmin

from .models import Organisation, Territory


@admin.register(Territory)
class TerritoryAdmin(AuditedAdmin):
    list_display = ("code", "name_kk", "name_ru", "level")
    search_fields = ("code", "name_kk", "name_ru")
    list_filter = ("level",)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name_kk", "kind", "territory", "bin", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name_kk", "name_ru", "bin")
    raw_id_fields = ("parent", "territory")
    list_select_related = ("territory",)
