from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LibConfig(AppConfig):
    default = True
    name = "tatulyq.lib"
    label = "lib"
    verbose_name = "Tatulyq"


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "tatulyq.lib.admin_site.TatulyqAdminSite"
