"""Reads for the mediation pages. Every queryset starts from the scoping module and
prefetches what its page shows, so a page's query count does not grow with its rows."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership

from . import services
from .models import (
    CHILD_ROLES,
    Case,
    CaseStatus,
    Consent,
    FollowUpResult,
    Meeting,
    Obligation,
    Outcome,
    Participant,
    ParticipantRole,
    RehabilitationPlan,
)
from .services import OPEN_STATUSES

REPEAT_WINDOW_DAYS = 90
# The early-warning page looks back this far for the newer of two cases.
WARNING_LOOKBACK_DAYS = 365
CHILD_PREFETCH = Prefetch(
    "participants",
    queryset=Participant.objects.filter(child__isnull=False).select_related("child").order_by("id"),
    to_attr="children_in_case",
)


def case_list(membership: Membership, *, status: str = "", query: str = "") -> QuerySet[Case]:
    """The cases this person works on, newest first, with the children's names for the list."""
    cases = scoping.visible_cases(membership)
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status in CaseStatus.values:
        cases = cases.filter(status=status)
    query = query.strip()
    if query:
        # Search stays inside what scoping allows: the person's own school's cases.
        cases = cases.filter(
            Q(participants__child__search_name__contains=query.casefold()) | Q(number__contains=query)
        ).distinct()
    return cases.prefetch_related(CHILD_PREFETCH).order_by("-referred_on", "-id")


def status_counts(membership: Membership) -> dict[str, int]:
    rows = (
        scoping.visible_cases(membership).order_by().values("status").annotate(n=Count("id", distinct=True))
    )
    return {row["status"]: row["n"] for row in rows}


def week_end(today: datetime.date) -> datetime.date:
    """Sunday of the current week: 'this week' as a school counts it."""
    return today + datetime.timedelta(days=6 - today.weekday())


def follow_ups_due(membership: Membership, today: datetime.date | None = None) -> list[Obligation]:
    """Obligations due by the end of this week (overdue included) still to be checked."""
    today = today or timezone.localdate()
    return list(
        Obligation.objects.filter(
            agreement__case__in=scoping.visible_cases(membership).filter(status=CaseStatus.AGREEMENT),
            due_on__lte=week_end(today),
        )
        .exclude(result=FollowUpResult.FULFILLED)
        .select_related("agreement__case", "who__child")
        .order_by("due_on", "id")[:100]
    )


def reviews_due(membership: Membership, today: datetime.date | None = None) -> list[RehabilitationPlan]:
    """Rehabilitation plans whose review falls this week or is overdue."""
    today = today or timezone.localdate()
    return list(
        RehabilitationPlan.objects.filter(
            case__in=scoping.visible_cases(membership), next_review_on__lte=week_end(today)
        )
        .exclude(case__status=CaseStatus.CLOSED, status__in=["draft", "returned"])
        .select_related("case", "participant__child")
        .order_by("next_review_on")[:100]
    )


def consents_missing(membership: Membership) -> list[tuple[Case, list[str]]]:
    """Cases being prepared whose children still lack a consent for the joint session.
    The database finds the gaps, so only the children with a gap are loaded."""
    valid = Consent.objects.filter(participant=OuterRef("pk"), withdrawn_on__isnull=True)
    rows = (
        Participant.objects.filter(
            case__in=scoping.visible_cases(membership).filter(
                status__in=[CaseStatus.SCREENED, CaseStatus.PREPARATION]
            ),
            child__isnull=False,
        )
        .annotate(
            own=Exists(valid.filter(given_by=OuterRef("pk"))),
            representative=Exists(valid.exclude(given_by=OuterRef("pk"))),
        )
        .filter(Q(own=False) | Q(representative=False))
        .select_related("case", "child")
        .order_by("case__referred_on", "case_id", "id")[:300]
    )
    by_case: dict[int, tuple[Case, list[str]]] = {}
    for row in rows:
        _case, gaps = by_case.setdefault(row.case_id, (row.case, []))
        gaps += services.consent_gaps(row, own=row.own, representative=row.representative)
    return list(by_case.values())


def case_page(membership: Membership, pk: int) -> Case:
    """One case with everything its page shows, in a fixed number of queries."""
    scoping.get_case_or_404(membership, pk)  # 404 unless the person may open it
    participants = Participant.objects.select_related("child", "represents__child").prefetch_related(
        Prefetch("consents", queryset=Consent.objects.select_related("given_by__child").order_by("id"))
    )
    return (
        Case.objects.filter(pk=pk)
        .select_related(
            "school",
            "screening__screened_by__user",
            "agreement",
            "created_by__user",
            "closure_requested_by__user",
            "closure_approved_by__user",
        )
        .prefetch_related(
            Prefetch("participants", queryset=participants.order_by("id")),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.prefetch_related(
                    Prefetch("participants", queryset=Participant.objects.select_related("child"))
                ),
            ),
            Prefetch(
                "agreement__obligations",
                queryset=Obligation.objects.select_related("who__child").prefetch_related("follow_ups"),
            ),
            "referrals__organisation",
            Prefetch(
                "plans",
                queryset=RehabilitationPlan.objects.select_related(
                    "participant__child", "responsible__user", "approved_by__user"
                ).prefetch_related("notes"),
            ),
            "mediators",
        )
        .get()
    )


def early_warnings(membership: Membership, today: datetime.date | None = None) -> list[dict]:
    """Children of the school to watch, with the reason: involved again within 90 days of
    an earlier case, or an agreement they took part in was broken."""
    if not scoping.oversees_cases(membership):
        return []
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=WARNING_LOOKBACK_DAYS + REPEAT_WINDOW_DAYS)
    rows = (
        Participant.objects.filter(
            case__in=scoping.visible_cases(membership),
            role__in=[r.value for r in CHILD_ROLES],
            case__referred_on__gte=since,
            child__anonymised_at__isnull=True,
        )
        .select_related("case", "child")
        .prefetch_related(
            Prefetch(
                "obligations",
                queryset=Obligation.objects.filter(result=FollowUpResult.NOT),
                to_attr="broken_obligations",
            )
        )
        .order_by("child_id", "case__referred_on", "case_id")
    )
    by_child: dict[int, list[Participant]] = {}
    for row in rows:
        by_child.setdefault(row.child_id, []).append(row)
    recent = today - datetime.timedelta(days=WARNING_LOOKBACK_DAYS)
    warnings = []
    for rows in by_child.values():
        reasons = []
        for earlier, later in zip(rows, rows[1:], strict=False):
            gap = (later.case.referred_on - earlier.case.referred_on).days
            if (
                later.case_id != earlier.case_id
                and gap <= REPEAT_WINDOW_DAYS
                and later.case.referred_on >= recent
            ):
                reasons.append({"kind": "repeat", "days": gap, "case": later.case, "earlier": earlier.case})
        for row in rows:
            caused = row.role in (ParticipantRole.CAUSED_HARM, ParticipantRole.BOTH)
            if row.broken_obligations or (caused and row.case.outcome == Outcome.AGREEMENT_BROKEN):
                reasons.append({"kind": "broken", "case": row.case})
        if reasons:
            latest = max(reason["case"].referred_on for reason in reasons)
            warnings.append({"child": rows[0].child, "reasons": reasons, "latest": latest})
    warnings.sort(key=lambda w: w["latest"], reverse=True)
    return warnings


def received_referrals(membership: Membership) -> QuerySet:
    """Referrals addressed to the person's organisation, newest first."""
    return (
        scoping.visible_referrals_received(membership)
        .select_related("case__school", "created_by__user")
        .order_by("-referred_on", "-id")
    )
