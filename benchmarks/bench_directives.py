"""Instructions at national size: a Ministry letter cascaded to the 20 regional
akimats, forwarded by each to its district education departments (220) and by each
department to its schools (7,700): about 7,940 recipients under one root letter.

- directives_control_sheet_ministry: the Ministry's control sheet of that cascade
  (20 rows, each with the roll-up of everything below it). Target p95 ≤ 300 ms, and
  the query count must equal the one on a small cascade (school rows deleted inside
  a rolled-back transaction).
- directives_control_sheet_drilldown: the same sheet opened at one district
  department (its 35 schools). Target p95 ≤ 300 ms.
- directives_forward_400: one department forwards a letter to 400 schools in one
  action (service call, rolled back after each run). Target ≤ 2,000 ms.
"""

from __future__ import annotations

import datetime
import time

from benchmarks import national
from benchmarks._lib import client_for, log, measure_get, summarise

SHEET_TARGET_MS = 300.0
FORWARD_TARGET_MS = 2000.0
ROOT_NUMBER = "BENCH-1"
D = datetime.date
LETTER = {
    "subject": "Бенчмарк",
    "text_kk": "Мәтін",
    "signatory_name": "А. Б.",
    "signatory_position": "Басшы",
    "executor_name": "В. Г.",
    "executor_phone": "1-11-11",
}


def _admin_of(organisation, role):
    """An administrator membership standing for the organisation's head."""
    from tatulyq.accounts.models import Membership, User

    user, _ = User.objects.get_or_create(
        email=f"bench-{organisation.pk}@tatulyq.example", defaults={"full_name": "Bench", "is_active": False}
    )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"is_admin": True}
    )
    return membership


def _cascade(orgs: dict):
    """The national cascade, built once (found again by its number)."""
    from tatulyq.accounts.models import Membership, Role
    from tatulyq.directives import services
    from tatulyq.directives.models import Directive, Recipient, ResponseKind
    from tatulyq.orgs.models import Organisation, OrganisationKind

    root = Directive.objects.filter(outgoing_number=ROOT_NUMBER, issuer=orgs["ministry"]).first()
    if root is not None:
        return root
    started = time.perf_counter()
    ministry = Membership.objects.get(user__email="ministry@tatulyq.example", organisation=orgs["ministry"])
    akimats = Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT)
    root = services.issue_directive(
        author=ministry,
        recipients=akimats,
        required=[ResponseKind.FREE_REPORT],
        outgoing_number=ROOT_NUMBER,
        issued_on=D(2026, 1, 10),
        deadline=D(2026, 2, 20),
        **LETTER,
    )
    for region_row in root.recipients.select_related("organisation"):
        akimat = region_row.organisation
        departments = Organisation.objects.filter(
            path__startswith=akimat.path, kind=OrganisationKind.DISTRICT_EDUCATION
        )
        forward = services.forward_directive(
            author=_admin_of(akimat, Role.REGIONAL_COORDINATOR),
            recipient=region_row,
            recipients=departments,
            outgoing_number=f"BENCH-R-{akimat.pk}",
            issued_on=D(2026, 1, 12),
            deadline=D(2026, 2, 15),
            **LETTER,
        )
        for department_row in forward.recipients.select_related("organisation"):
            department = department_row.organisation
            schools = Organisation.objects.filter(parent=department, kind=OrganisationKind.SCHOOL)
            services.forward_directive(
                author=_admin_of(department, Role.DISTRICT_SPECIALIST),
                recipient=department_row,
                recipients=schools,
                outgoing_number=f"BENCH-D-{department.pk}",
                issued_on=D(2026, 1, 14),
                deadline=D(2026, 2, 10),
                **LETTER,
            )
    # A realistic mix: six in ten answered, one accepted, one returned, the rest silent.
    cascade = Recipient.objects.filter(root=root)
    answered = datetime.datetime(2026, 2, 5, 11, tzinfo=datetime.UTC)
    for remainder, status in (
        (0, "answered"),
        (1, "answered"),
        (2, "answered"),
        (3, "answered"),
        (4, "answered"),
        (5, "answered"),
        (6, "accepted"),
        (7, "returned"),
    ):
        rows = cascade.extra(where=["id %% 10 = %s"], params=[remainder])
        rows.update(status=status, answered_at=answered if status != "returned" else None)
    log(f"bench: cascade of {cascade.count()} recipients built in {time.perf_counter() - started:.1f} s")
    return root


def _client(orgs):
    from tatulyq.accounts.models import Membership

    membership = Membership.objects.get(user__email="ministry@tatulyq.example", organisation=orgs["ministry"])
    return client_for(membership)


def _forward_400(orgs, runs: int) -> tuple[list[float], list[int]]:
    """A department with 400 schools forwards a letter to all of them."""
    from django.db import transaction

    from tatulyq.accounts.models import Membership, Role
    from tatulyq.directives import services
    from tatulyq.directives.models import Directive, ResponseKind
    from tatulyq.orgs.models import Organisation, OrganisationKind
    from tatulyq.orgs.services import add_children

    akimat = orgs["ryskulov_akimat"]
    department = Organisation.objects.filter(parent=akimat, name_kk="BENCH 400 мектеп бөлімі").first()
    if department is None:
        department = add_children(
            akimat,
            [
                Organisation(
                    kind=OrganisationKind.DISTRICT_EDUCATION,
                    territory=akimat.territory,
                    name_kk="BENCH 400 мектеп бөлімі",
                )
            ],
        )[0]
        add_children(
            department,
            [
                Organisation(
                    kind=OrganisationKind.SCHOOL, territory=akimat.territory, name_kk=f"BENCH мектеп {i}"
                )
                for i in range(400)
            ],
        )
    department = Organisation.objects.get(pk=department.pk)
    letter = Directive.objects.filter(outgoing_number="BENCH-400").first()
    if letter is None:
        district = Membership.objects.get(user__email="district@tatulyq.example")
        letter = services.issue_directive(
            author=district,
            recipients=[department],
            required=[ResponseKind.FREE_REPORT],
            outgoing_number="BENCH-400",
            issued_on=D(2026, 3, 1),
            deadline=D(2026, 3, 30),
            **LETTER,
        )
    author = _admin_of(department, Role.DISTRICT_SPECIALIST)
    schools = list(Organisation.objects.filter(parent=department, kind=OrganisationKind.SCHOOL))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for run in range(runs + 1):
        row = letter.recipients.get()  # fresh: the rolled-back forward stays cached on an old one
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            services.forward_directive(
                author=author,
                recipient=row,
                recipients=schools,
                outgoing_number=f"BENCH-F-{run}",
                issued_on=D(2026, 3, 2),
                deadline=D(2026, 3, 20),
                **LETTER,
            )
            elapsed = (time.perf_counter() - started) * 1000
            transaction.set_rollback(True)
        if run:  # the first run warms the caches
            times.append(elapsed)
            queries.append(len(captured.captured_queries))
    return times, queries


def run(args) -> list[dict]:
    from django.db import transaction
    from django.urls import reverse
    from django.utils import translation

    from tatulyq.directives.models import Recipient
    from tatulyq.orgs.models import Organisation, OrganisationKind

    orgs = national.demo_world()
    national.generate()
    root = _cascade(orgs)
    client = _client(orgs)
    with translation.override("kk"):
        url = reverse("directives:control", args=[root.pk])
    department = (
        Organisation.objects.filter(
            kind=OrganisationKind.DISTRICT_EDUCATION, path__startswith=orgs["jambyl_akimat"].path
        )
        .exclude(name_kk__startswith="BENCH")
        .order_by("pk")
        .last()
    )
    requests = max(10, args.requests // 2)
    with transaction.atomic():  # the small cascade: only the regions and districts
        Recipient.objects.filter(root=root, organisation__kind=OrganisationKind.SCHOOL).delete()
        _, small_queries = measure_get(client, url, data={}, requests=5, warmup=1)
        transaction.set_rollback(True)
    results = []
    times, queries = measure_get(client, url, data={}, requests=requests, warmup=args.warmup)
    total = Recipient.objects.filter(root=root).count()
    result = summarise(
        "directives_control_sheet_ministry",
        times,
        queries,
        recipients=total,
        queries_small_cascade=max(small_queries),
        target_ms=SHEET_TARGET_MS,
    )
    result["problems"] = (
        []
        if result["queries"] == result["queries_small_cascade"]
        else ["the query count grows with the number of recipients"]
    )
    results.append(result)
    times, queries = measure_get(
        client, url, data={"under": department.pk}, requests=requests, warmup=args.warmup
    )
    results.append(summarise("directives_control_sheet_drilldown", times, queries, target_ms=SHEET_TARGET_MS))
    times, queries = _forward_400(orgs, 10)
    results.append(
        summarise("directives_forward_400", times, queries, recipients=400, target_ms=FORWARD_TARGET_MS)
    )
    return results
