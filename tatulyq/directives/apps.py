from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "tatulyq.directives"
    label = "directives"
    verbose_name = _("Instructions and the programme")
