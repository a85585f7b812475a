"""Names kept in the three interface languages, shown in the reader's language."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TrilingualName(models.Model):
    """Kazakh is required; Russian and English fall back to it when empty."""

    name_kk = models.CharField(_("name in Kazakh"), max_length=400)
    name_ru = models.CharField(_("name in Russian"), max_length=400, blank=True)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


def localized(obj, field: str, language: str | None = None) -> str:
    """obj.<field>_<lang> for the active language, else Kazakh, else Russian."""
    language = (language or get_language() or "kk")[:2]
    for lang in (language, "kk", "ru", "en"):
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            return value
    return ""
