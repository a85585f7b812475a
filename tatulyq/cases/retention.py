"""Retention: personal data leaves closed cases after a period; the anonymous facts
(kinds, dates, roles, sex, year of birth, outcomes) stay for statistics."""

import datetime
import re

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record

from .models import (
    Agreement,
    Case,
    CaseStatus,
    Child,
    FollowUp,
    Meeting,
    Obligation,
    Participant,
    ProgressNote,
    Referral,
    RehabilitationPlan,
)

_PERIOD = re.compile(r"^(\d+)([ymd])$")


def parse_period(text: str) -> datetime.timedelta:
    """'3y', '18m' or '400d' (a year counted as 365 days, a month as 30)."""
    match = _PERIOD.match(text.strip().lower())
    if not match:
        raise ValueError(f"Period must look like 3y, 18m or 400d, not {text!r}")
    number, unit = int(match.group(1)), match.group(2)
    return datetime.timedelta(days=number * {"y": 365, "m": 30, "d": 1}[unit])


@transaction.atomic
def anonymise_closed_cases(*, older_than: datetime.timedelta, today: datetime.date | None = None) -> int:
    """Strip names, birth dates, IINs and narratives from cases closed before the cutoff."""
    today = today or timezone.localdate()
    cases = Case.objects.filter(
        status=CaseStatus.CLOSED, closed_on__lt=today - older_than, anonymised_at__isnull=True
    )
    ids = list(cases.values_list("id", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    Case.objects.filter(id__in=ids).update(
        description="", closure_reason="", supervisor_comment="", anonymised_at=now
    )
    Participant.objects.filter(case_id__in=ids).update(full_name="", phone="")
    Meeting.objects.filter(case_id__in=ids).update(outcome="")
    Agreement.objects.filter(case_id__in=ids).update(notes="")
    Obligation.objects.filter(agreement__case_id__in=ids).update(what="")
    FollowUp.objects.filter(obligation__agreement__case_id__in=ids).update(note="")
    Referral.objects.filter(case_id__in=ids).update(summary="", decline_reason="")
    RehabilitationPlan.objects.filter(case_id__in=ids).update(goals="", activities="", supervisor_comment="")
    ProgressNote.objects.filter(plan__case_id__in=ids).update(text="")
    # A child is anonymised once none of their cases still holds personal data.
    still_open = Participant.objects.filter(child=OuterRef("pk"), case__anonymised_at__isnull=True)
    Child.objects.filter(participations__case_id__in=ids, anonymised_at__isnull=True).annotate(
        active=Exists(still_open)
    ).filter(active=False).update(full_name="", search_name="", birth_date=None, iin="", anonymised_at=now)
    record(
        action=AuditAction.UPDATE,
        summary="anonymised closed cases",
        details={"cases": len(ids), "older_than_days": older_than.days},
    )
    return len(ids)
