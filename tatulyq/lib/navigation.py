"""The main navigation: each role sees only what it can use. Modules add their entries here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tatulyq.access import scoping
from tatulyq.audit.selectors import can_read_audit


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str  # the URL namespace that marks the item as current


def items_for(request) -> list[NavItem]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    items = [
        NavItem(_("Home"), reverse("home"), "home"),
        NavItem(_("Programme"), reverse("directives:programme"), "programme"),
        NavItem(_("Instructions"), reverse("directives:inbox"), "directives"),
        NavItem(_("Social order and grants"), reverse("grants:index"), "grants"),
        NavItem(_("Organisations"), reverse("orgs:browser"), "orgs"),
        NavItem(_("People"), reverse("orgs:people", args=[membership.organisation_id]), "people"),
    ]
    if scoping.can_handle_child_data(membership, membership.organisation):
        items.append(NavItem(_("Mediation"), reverse("cases:work"), "cases"))
    if membership.organisation.kind in scoping.REFERRAL_RECEIVER_KINDS:
        items.append(NavItem(_("Referrals received"), reverse("cases:received"), "referrals"))
    if scoping.monitoring_root(membership) is not None:
        items.append(NavItem(_("Monitoring"), reverse("monitoring:dashboard"), "monitoring"))
    if scoping.can_import_schools(membership):
        items.append(NavItem(_("Import schools"), reverse("orgs:import_schools"), "import"))
    if can_read_audit(membership):
        items.append(NavItem(_("Audit trail"), reverse("audit:trail"), "audit"))
    if request.user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin"))
    return items


def current_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.url_name == "home":
        return "home"
    if match.url_name == "people":
        return "people"
    if match.url_name in {"import_schools", "import_template"}:
        return "import"
    if match.url_name in {"received", "received_detail"}:
        return "referrals"
    if match.url_name in {"programme", "card", "specialists"}:
        return "programme"
    return match.app_name or ""


def navigation(request):
    """Context processor: the navigation items and which one is current."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"nav_items": items_for(request), "nav_current": current_section(request)}
