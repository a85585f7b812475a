"""Case-derived indicators, computed from the schools' mediation cases, never re-typed.

Every query is grouped by school, so one call covers one school (a report's prefill) or
every school of the country (the benchmarks) with the same dozen statements. Only
counts leave this module: no child's identity is ever read into a value."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q

from tatulyq.cases.models import (
    CHILD_ROLES,
    JOINT_KINDS,
    Agreement,
    Case,
    Meeting,
    Outcome,
    Participant,
    PlanStatus,
    Referral,
    RehabilitationPlan,
    Screening,
)
from tatulyq.orgs.models import Locality

AREAS = tuple(Locality.values)  # "urban", "rural"; a blank (not recorded) locality gives no cell
AGE_BANDS = (("6-10", 10), ("11-14", 14), ("15-18", 200))
REPEAT_WINDOW = datetime.timedelta(days=90)
HISTOGRAM_CAP = 120  # days; longer waits are counted in the last bucket


def age_band(birth: datetime.date | None, birth_year: int | None, on: datetime.date) -> str:
    if birth is not None:
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    elif birth_year:
        age = on.year - birth_year
    else:
        age = 12  # unknown age is counted in the middle band rather than lost
    for band, upper in AGE_BANDS:
        if age <= upper:
            return band
    return AGE_BANDS[-1][0]


def _in(period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.starts_on, f"{field}__lte": period.ends_on})


def _child_cells(out: dict, school_id: int, code: str, children: dict, area: str = "") -> None:
    """children: {child id: (sex, band)} → total, sex:*, age:* and area:* cells. `area`: the
    school's "urban" or "rural" (every child of a school counts in its cell; a school whose
    locality is not recorded has none, so a region's area cells may add up to less)."""
    cells = out[school_id]
    cells[(code, "")] += len(children)
    for sex, band in children.values():
        cells[(code, f"sex:{sex}")] += 1
        cells[(code, f"age:{band}")] += 1
        if area:
            cells[(code, f"area:{area}")] += 1


def compute(*, organisations: list, period) -> dict:
    schools = [org.pk for org in organisations]
    area_of = {org.pk: org.locality for org in organisations if org.locality in AREAS}
    out: dict[int, Counter] = defaultdict(Counter)
    cases = Case.objects.filter(school_id__in=schools)
    for school, n in (
        cases.filter(_in(period, "referred_on")).values_list("school_id").annotate(n=Count("id"))
    ):
        out[school][("cases-referred", "")] += n

    # Children in cases referred in the quarter, and those seen again within 90 days.
    window_start = period.starts_on - REPEAT_WINDOW
    rows = Participant.objects.filter(
        role__in=CHILD_ROLES,
        case__school_id__in=schools,
        case__referred_on__gte=window_start,
        case__referred_on__lte=period.ends_on,
    ).values_list(
        "case__school_id",
        "child_id",
        "child__sex",
        "child__birth_date",
        "child__birth_year",
        "case__referred_on",
        "case_id",
    )
    referrals_of = defaultdict(list)  # child → [(referred_on, case id)]
    involved = defaultdict(dict)
    for school, child, sex, birth, birth_year, referred_on, case_id in rows:
        referrals_of[child].append((referred_on, case_id))
        if period.starts_on <= referred_on:
            involved[(school, child)] = (sex, age_band(birth, birth_year, referred_on), referred_on, case_id)
    per_school, repeat = defaultdict(dict), defaultdict(dict)
    for (school, child), (sex, band, referred_on, case_id) in involved.items():
        per_school[school][child] = (sex, band)
        if any(
            other != case_id and referred_on - REPEAT_WINDOW <= day <= referred_on
            for day, other in referrals_of[child]
        ):
            repeat[school][child] = (sex, band)
    for school in schools:
        area = area_of.get(school, "")
        _child_cells(out, school, "cases-children", per_school.get(school, {}), area)
        _child_cells(out, school, "cases-repeat-90", repeat.get(school, {}), area)

    screenings = Screening.objects.filter(case__school_id__in=schools).filter(
        screened_at__date__gte=period.starts_on, screened_at__date__lte=period.ends_on
    )
    mediable = Q(
        parties_willing=True,
        sexual_violence=False,
        serious_crime=False,
        domestic_violence=False,
        acute_danger=False,
        power_imbalance=False,
    )
    for school, n, m in screenings.values_list("case__school_id").annotate(
        n=Count("id"), m=Count("id", filter=mediable)
    ):
        out[school][("cases-screened", "")] += n
        out[school][("cases-mediable", "")] += m

    first_joint = (
        Meeting.objects.filter(kind__in=JOINT_KINDS, case__school_id__in=schools)
        .values("case_id", "case__school_id", "case__referred_on")
        .annotate(first=Min("held_on"))
        .filter(first__gte=period.starts_on, first__lte=period.ends_on)
        .values_list("case__school_id", "case__referred_on", "first")
    )
    for school, referred_on, first in first_joint:
        out[school][("cases-mediated", "")] += 1
        days = min(max((first - referred_on).days, 0), HISTOGRAM_CAP)
        out[school][("cases-days-to-joint", f"d:{days}")] += 1

    agreements = Agreement.objects.filter(_in(period, "reached_on"), case__school_id__in=schools)
    for school, n in agreements.values_list("case__school_id").annotate(n=Count("id")):
        out[school][("cases-agreements", "")] += n
    fulfilled = cases.filter(_in(period, "closed_on"), outcome=Outcome.RESOLVED)
    for school, n in fulfilled.values_list("school_id").annotate(n=Count("id")):
        out[school][("cases-fulfilled", "")] += n

    referrals = Referral.objects.filter(_in(period, "referred_on"), case__school_id__in=schools)
    for school, target, n in referrals.values_list("case__school_id", "target").annotate(n=Count("id")):
        out[school][("cases-referrals", "")] += n
        out[school][("cases-referrals", f"service:{target}")] += n

    plans = (
        RehabilitationPlan.objects.filter(status=PlanStatus.APPROVED, case__school_id__in=schools)
        .filter(_in(period, "case__referred_on"))
        .values_list(
            "case__school_id",
            "participant__child_id",
            "participant__child__sex",
            "participant__child__birth_date",
            "participant__child__birth_year",
            "case__referred_on",
        )
    )
    with_plan = defaultdict(dict)
    for school, child, sex, birth, birth_year, referred_on in plans:
        with_plan[school][child] = (sex, age_band(birth, birth_year, referred_on))
    for school in schools:
        _child_cells(out, school, "cases-rehab-plans", with_plan.get(school, {}), area_of.get(school, ""))
        for code in (
            "cases-referred",
            "cases-screened",
            "cases-mediable",
            "cases-mediated",
            "cases-agreements",
            "cases-fulfilled",
            "cases-referrals",
        ):
            out[school][(code, "")] += 0
    return {school: {key: Decimal(n) for key, n in cells.items()} for school, cells in out.items()}
