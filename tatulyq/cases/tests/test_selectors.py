"""The mediator's work lists and the early-warning rule."""

import datetime

from django.utils import timezone

from tatulyq.cases import selectors, services
from tatulyq.cases.models import Obligation

from .conftest import child
from .test_services import consent_all, mediable, open_bullying_case

D = datetime.date


def _repeat_case(people, first, days):
    kid = first.participants.filter(role="caused").get().child
    return services.open_case(
        author=people["mediator"],
        referred_by="teacher",
        referred_on=first.referred_on + datetime.timedelta(days=days),
        place="yard",
        harm_kinds=["physical"],
        children=[{"role": "caused", "child": kid}],
    )


def _flagged(people, case, today):
    warnings = selectors.early_warnings(people["psychologist"], today=today)
    return [w for w in warnings if any(r["case"].pk == case.pk for r in w["reasons"])]


def test_a_child_in_a_new_case_within_90_days_is_flagged(world, people, service):
    first = open_bullying_case(people, referred_on=D(2026, 1, 5), happened_on=D(2026, 1, 4))
    again = _repeat_case(people, first, 90)
    flagged = _flagged(people, again, today=D(2026, 4, 10))
    assert flagged and flagged[0]["reasons"][0]["kind"] == "repeat"
    assert flagged[0]["reasons"][0]["days"] == 90


def test_a_new_case_after_91_days_is_not_a_repeat(world, people, service):
    first = open_bullying_case(people, referred_on=D(2026, 1, 5), happened_on=D(2026, 1, 4))
    later = _repeat_case(people, first, 91)
    assert not _flagged(people, later, today=D(2026, 4, 10))


def test_a_child_whose_agreement_was_broken_is_flagged(world, people, service):
    case = mediable(people, service)
    consent_all(people, case)
    kids = list(case.participants.filter(child__isnull=False))
    services.record_meeting(
        author=people["mediator"], case=case, kind="joint", held_on=D(2026, 2, 6), participants=kids
    )
    services.record_agreement(
        author=people["mediator"],
        case=case,
        reached_on=D(2026, 2, 6),
        obligations=[{"kind": "apology", "who": kids[0], "what": "Кешірім", "due_on": D(2026, 2, 10)}],
    )
    obligation = Obligation.objects.get(agreement__case=case)
    services.record_follow_up(
        author=people["mediator"], obligation=obligation, checked_on=D(2026, 2, 10), result="not"
    )
    flagged = _flagged(people, case, today=D(2026, 3, 1))
    assert [r["kind"] for r in flagged[0]["reasons"]] == ["broken"]
    assert flagged[0]["child"] == kids[0].child


def test_only_the_psychologist_pedagogue_head_and_coordinator_see_warnings(world, people, service):
    first = open_bullying_case(people, referred_on=D(2026, 1, 5), happened_on=D(2026, 1, 4))
    _repeat_case(people, first, 10)
    today = D(2026, 2, 1)
    assert selectors.early_warnings(people["pedagogue"], today=today)
    assert selectors.early_warnings(people["head"], today=today)
    assert selectors.early_warnings(people["mediator"], today=today) == []


def test_follow_ups_due_this_week_include_overdue_and_exclude_fulfilled(world, people, service):
    today = timezone.localdate()
    case = mediable(people, service)
    consent_all(people, case)
    kids = list(case.participants.filter(child__isnull=False))
    services.record_meeting(
        author=people["mediator"], case=case, kind="joint", held_on=D(2026, 2, 6), participants=kids
    )
    end = selectors.week_end(today)
    services.record_agreement(
        author=people["mediator"],
        case=case,
        reached_on=D(2026, 2, 6),
        obligations=[
            {
                "kind": "apology",
                "who": kids[0],
                "what": "overdue",
                "due_on": today - datetime.timedelta(days=3),
            },
            {"kind": "behaviour", "who": kids[0], "what": "this week", "due_on": end},
            {
                "kind": "repair",
                "who": kids[0],
                "what": "next week",
                "due_on": end + datetime.timedelta(days=1),
            },
            {"kind": "service", "who": kids[0], "what": "done", "due_on": today},
        ],
    )
    done = Obligation.objects.get(agreement__case=case, what="done")
    services.record_follow_up(
        author=people["mediator"], obligation=done, checked_on=today, result="fulfilled"
    )
    due = {
        o.what for o in selectors.follow_ups_due(people["mediator"], today) if o.agreement.case_id == case.pk
    }
    assert due == {"overdue", "this week"}


def test_consents_missing_lists_cases_in_preparation(world, people, service):
    case = mediable(people, service)
    missing = dict(selectors.consents_missing(people["mediator"]))
    assert len(missing[case]) == 4  # two children × (own + representative)
    consent_all(people, case)
    assert case not in dict(selectors.consents_missing(people["mediator"]))


def test_search_finds_a_child_by_name_only_in_visible_cases(world, people, service):
    case = open_bullying_case(people, children=[child(name="Зарина Уникалова", role="harmed")], adults=[])
    found = selectors.case_list(people["head"], query="уникал")
    assert list(found) == [case]
    assert not selectors.case_list(people["mediator2"], query="Уникалова").exists()
