"""Mediation cases at national size: 100,000 cases in the 7,700 schools (about 13 a
school, a few large schools with several hundred), each with two children and their
parents, screenings, meetings, consents, agreements and obligations (about 1.3 million
rows, generated once in bulk and found again by their numbers).

- cases_school_list: the case list of the school with the most cases, opened by its
  head (who sees them all): the list, the counts by status, follow-ups due this week
  and consents missing. Target p95 ≤ 100 ms.
- cases_case_page: one case with 16 participants, 16 meetings, 16 consents, 8
  obligations with 16 follow-ups and a plan with 8 notes. Target p95 ≤ 100 ms; the
  query count must equal the one of a case with one of each.
"""

from __future__ import annotations

import datetime
import random
import time

from benchmarks import national
from benchmarks._lib import client_for, log, measure_get, summarise

TARGET_MS = 100.0
CASES = 100_000
BIG_SCHOOLS = 10
BIG_SCHOOL_CASES = 600
D = datetime.date
STATUSES = (
    ["intake"] * 6
    + ["screened"] * 6
    + ["preparation"] * 12
    + ["agreement"] * 16
    + ["closure_requested"] * 4
    + ["closed"] * 50
    + ["referred"] * 6
)


def _bench_author():
    from tatulyq.accounts.models import Membership, Role, User
    from tatulyq.orgs.models import Organisation, OrganisationKind

    user, _ = User.objects.get_or_create(
        email="bench-cases@tatulyq.example", defaults={"full_name": "Bench", "is_active": False}
    )
    school = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).order_by("pk").first()
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=school, role=Role.SCHOOL_MEDIATOR
    )
    return membership


def _generate():
    """The 100,000 cases, in bulk; skipped when they exist."""
    from django.db import transaction

    from tatulyq.cases.models import (
        Agreement,
        Case,
        Child,
        Consent,
        Meeting,
        Obligation,
        Participant,
        Screening,
    )
    from tatulyq.orgs.models import Organisation, OrganisationKind

    if Case.objects.filter(number__startswith="B-").count() >= CASES:
        return
    started = time.perf_counter()
    Case.objects.filter(number__startswith="B-").delete()
    author = _bench_author()
    rng = random.Random(100_000)
    schools = list(
        Organisation.objects.filter(kind=OrganisationKind.SCHOOL).order_by("pk").values_list("pk", flat=True)
    )
    big = schools[-BIG_SCHOOLS:]
    plan = [pk for pk in big for _ in range(BIG_SCHOOL_CASES)]
    plan += [rng.choice(schools[:-BIG_SCHOOLS]) for _ in range(CASES - len(plan))]
    batch = 5_000
    for start in range(0, len(plan), batch):
        with transaction.atomic():
            chunk = plan[start : start + batch]
            cases = []
            for offset, school in enumerate(chunk):
                referred = D(2024, 9, 2) + datetime.timedelta(days=rng.randint(0, 800))
                status = rng.choice(STATUSES)
                closed = status == "closed"
                cases.append(
                    Case(
                        school_id=school,
                        number=f"B-{start + offset}",
                        status=status,
                        referred_by="class_teacher",
                        referred_on=referred,
                        happened_on=referred,
                        place="corridor",
                        harm_kinds=["bullying"],
                        description="…",
                        created_by=author,
                        outcome="resolved" if closed else "",
                        closed_on=referred + datetime.timedelta(days=30) if closed else None,
                    )
                )
            Case.objects.bulk_create(cases)
            children = []
            for case in cases:
                for sex in "mf":
                    birth = D(rng.randint(2009, 2017), rng.randint(1, 12), rng.randint(1, 28))
                    children.append(
                        Child(
                            school_id=case.school_id,
                            full_name=f"Бала {case.number}{sex}",
                            search_name=f"бала {case.number.casefold()}{sex}",
                            birth_date=birth,
                            birth_year=birth.year,
                            sex=sex,
                            grade=rng.randint(1, 11),
                        )
                    )
            Child.objects.bulk_create(children)
            kids = []
            for index, case in enumerate(cases):
                for role, child in zip(
                    ("caused", "harmed"), children[2 * index : 2 * index + 2], strict=True
                ):
                    kids.append(Participant(case=case, role=role, child=child))
            Participant.objects.bulk_create(kids)
            parents = [
                Participant(case_id=kid.case_id, role="parent", full_name="Ата-ана", represents=kid)
                for kid in kids
            ]
            Participant.objects.bulk_create(parents)
            screened = [c for c in cases if c.status not in ("intake",)]
            Screening.objects.bulk_create(
                [
                    Screening(
                        case=c,
                        sexual_violence=False,
                        serious_crime=False,
                        domestic_violence=False,
                        acute_danger=False,
                        power_imbalance=c.status == "referred",
                        parties_willing=True,
                        screened_by=author,
                    )
                    for c in screened
                ]
            )
            prepared = [c for c in screened if c.status not in ("screened", "referred")]
            Meeting.objects.bulk_create(
                [
                    Meeting(case=c, kind=kind, held_on=c.referred_on, recorded_by=author)
                    for c in prepared
                    for kind in ("preparatory", "joint")
                ]
            )
            by_case = {}
            for kid in kids:
                by_case.setdefault(kid.case_id, []).append(kid)
            for parent in parents:
                by_case.setdefault(parent.case_id, []).append(parent)
            Consent.objects.bulk_create(
                [
                    Consent(participant=kid, given_by=giver, given_on=c.referred_on, form="written")
                    for c in prepared
                    for kid in by_case[c.pk]
                    if kid.child_id
                    for giver in (kid, next(p for p in by_case[c.pk] if p.represents_id == kid.pk))
                ]
            )
            agreed = [c for c in prepared if c.status in ("agreement", "closure_requested", "closed")]
            agreements = Agreement.objects.bulk_create(
                [Agreement(case=c, reached_on=c.referred_on) for c in agreed]
            )
            Obligation.objects.bulk_create(
                [
                    Obligation(
                        agreement=a,
                        kind=kind,
                        who=by_case[a.case_id][0],
                        what="…",
                        due_on=a.reached_on + datetime.timedelta(days=14),
                        result="fulfilled" if a.case.status == "closed" else "",
                    )
                    for a in agreements
                    for kind in ("apology", "behaviour")
                ]
            )
        if start % 25_000 == 0:
            log(f"bench: {start + len(chunk):,} cases…")
    _analyse()
    log(f"bench: {len(plan):,} cases generated in {time.perf_counter() - started:.0f} s")


def _analyse():
    """Fresh planner statistics after a bulk load, as autovacuum would give a live system."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _case_of_size(school_id: int, number: str, size: int):
    """A case with `size` children (and a parent each), 2×size meetings, consents,
    size obligations with two follow-ups each, a plan with size notes (built once)."""
    from tatulyq.cases.models import (
        Agreement,
        Case,
        Child,
        Consent,
        FollowUp,
        Meeting,
        Obligation,
        Participant,
        PlanStatus,
        ProgressNote,
        Referral,
        RehabilitationPlan,
        Screening,
    )

    existing = Case.objects.filter(school_id=school_id, number=number).first()
    if existing:
        return existing
    author = _bench_author()
    case = Case.objects.create(
        school_id=school_id,
        number=number,
        status="agreement",
        referred_by="parent",
        referred_on=D(2026, 9, 1),
        place="yard",
        harm_kinds=["bullying", "physical"],
        description="…",
        created_by=author,
    )
    kids = []
    for i in range(size):
        child = Child.objects.create(
            school_id=school_id,
            full_name=f"Бала {number} {i}",
            birth_date=D(2012, 1, 1 + i),
            sex="m",
            grade=8,
        )
        kids.append(Participant.objects.create(case=case, role="caused" if i % 2 else "harmed", child=child))
    parents = [
        Participant.objects.create(case=case, role="parent", full_name=f"Ата {i}", represents=k)
        for i, k in enumerate(kids)
    ]
    Screening.objects.create(
        case=case,
        sexual_violence=False,
        serious_crime=False,
        domestic_violence=False,
        acute_danger=False,
        power_imbalance=False,
        parties_willing=True,
        screened_by=author,
    )
    Referral.objects.create(
        case=case,
        target="psychologist",
        organisation_name="Психологиялық орталық",
        referred_on=D(2026, 9, 2),
        created_by=author,
    )
    for kid, parent in zip(kids, parents, strict=True):
        Consent.objects.create(participant=kid, given_by=kid, given_on=D(2026, 9, 3), form="written")
        Consent.objects.create(participant=kid, given_by=parent, given_on=D(2026, 9, 3), form="written")
    for i in range(2 * size):
        meeting = Meeting.objects.create(
            case=case,
            kind="joint" if i == 2 * size - 1 else "preparatory",
            held_on=D(2026, 9, 4 + i),
            recorded_by=author,
        )
        meeting.participants.set(kids if i == 2 * size - 1 else [kids[i % size], parents[i % size]])
    agreement = Agreement.objects.create(case=case, reached_on=D(2026, 9, 30))
    for i in range(size):
        obligation = Obligation.objects.create(
            agreement=agreement,
            kind="behaviour",
            who=kids[i],
            what=f"Міндеттеме {i}",
            due_on=D(2026, 10, 1 + i),
        )
        for day in (1, 15):
            FollowUp.objects.create(
                obligation=obligation, checked_on=D(2026, 10, day), result="partly", recorded_by=author
            )
    plan = RehabilitationPlan.objects.create(
        case=case,
        participant=kids[-1],
        goals="…",
        activities="…",
        responsible=author,
        next_review_on=D(2026, 12, 1),
        status=PlanStatus.APPROVED,
    )
    for i in range(size):
        ProgressNote.objects.create(plan=plan, written_on=D(2026, 10, 1 + i), text="…", author=author)
    return case


def _head_client(school_id: int):
    """The school head, second factor passed."""
    from tatulyq.accounts.models import Membership, Role, User

    user, _ = User.objects.get_or_create(
        email=f"bench-head-{school_id}@tatulyq.example", defaults={"full_name": "Bench head"}
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation_id=school_id, role=Role.SCHOOL_HEAD
    )
    return client_for(membership, second_factor=True)


def run(args) -> list[dict]:
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from tatulyq.cases.models import Case

    national.demo_world()
    national.generate()
    _generate()
    top = (
        Case.objects.filter(number__startswith="B-")
        .values("school_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:1]
    )[0]
    school_id, school_cases = top["school_id"], top["n"]
    client = _head_client(school_id)
    rich, small = _case_of_size(school_id, "RICH", 8), _case_of_size(school_id, "SMALL", 1)
    with translation.override("kk"):
        list_url = reverse("cases:work")
        rich_url, small_url = (reverse("cases:detail", args=[c.pk]) for c in (rich, small))
    results = []
    times, queries = measure_get(client, list_url, requests=args.requests, warmup=args.warmup)
    results.append(
        summarise(
            "cases_school_list",
            times,
            queries,
            cases=Case.objects.count(),
            school_cases=school_cases,
            target_ms=TARGET_MS,
        )
    )
    _, small_queries = measure_get(client, small_url, requests=5, warmup=1)
    times, queries = measure_get(client, rich_url, requests=args.requests, warmup=args.warmup)
    result = summarise(
        "cases_case_page",
        times,
        queries,
        participants=rich.participants.count(),
        events=rich.meetings.count(),
        queries_small_case=max(small_queries),
        target_ms=TARGET_MS,
    )
    result["problems"] = (
        []
        if result["queries"] == result["queries_small_case"]
        else ["the case page's query count grows with participants and events"]
    )
    results.append(result)
    return results
