from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "tatulyq.grants"
    label = "grants"
    verbose_name = _("State social order and grants")

    def ready(self) -> None:
        # A directive's "state social order proposal" slot is filled by a submitted proposal.
        from tatulyq.directives.models import ResponseKind
        from tatulyq.directives.services import SLOT_CHECKS

        from .selectors import proposal_fills_slot

        SLOT_CHECKS[ResponseKind.SOCIAL_ORDER_PROPOSAL] = proposal_fills_slot
