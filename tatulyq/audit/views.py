from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import AuditAction
from .selectors import can_read_audit, visible_entries


def trail(request):
    if not can_read_audit(request.membership):
        raise PermissionDenied
    entries = visible_entries(request.membership)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/trail.html",
        {"page": page, "actions": AuditAction.choices, "action": action},
    )
