"""Every rule of the state social order and grants, one test each, named after it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tatulyq.access import scoping
from tatulyq.directives import services as directive_services
from tatulyq.directives.models import Answer, Project, Recipient
from tatulyq.grants import selectors, services
from tatulyq.grants.models import (
    Application,
    Competition,
    GrantAgreement,
    GrantReport,
    Proposal,
    ProposalLine,
    SocialOrder,
    Topic,
    Tranche,
)

from .conftest import PROPOSAL, apply, commission, line, member, published, second_ngo

D = datetime.date


def silent_school_row(world):
    """A school of the district letter that has not answered yet, with a head."""
    from tatulyq.accounts.models import Membership, Role, User

    row = Recipient.objects.filter(directive__parent__outgoing_number="03-4279", status="sent").first()
    user = User.objects.create_user(f"h{row.pk}@tatulyq.example", "x" * 12, full_name="Директор")
    head = Membership.objects.create(
        user=user, organisation=row.organisation, role=Role.SCHOOL_HEAD, is_admin=True
    )
    return row, head


def new_proposal(head, recipient=None, lines=None, **fields):
    return services.save_proposal(
        author=head,
        recipient=recipient,
        lines=lines or [line()],
        project=Project.objects.get(number=4),
        **{**PROPOSAL, **fields},
    )


# ---------------------------------------------------------------- proposals


def test_line_total_is_computed_as_quantity_times_unit_cost(world, head):
    proposal = new_proposal(head, lines=[line(quantity="2.5", unit_cost="1070.00"), line(2026, quantity="3")])
    totals = sorted(proposal.lines.values_list("total", flat=True))
    assert totals == [Decimal("2675.00"), Decimal("3000.00")]
    proposal.refresh_from_db()
    assert proposal.total == Decimal("5675.00")


def test_line_total_that_does_not_equal_quantity_times_unit_cost_is_refused(world, head):
    before = Proposal.objects.count()
    with pytest.raises(ValidationError) as error:
        new_proposal(head, lines=[line(), line(quantity="3", unit_cost="100", total="400")])
    assert "lines-1-total" in error.value.message_dict
    assert "300.00" in error.value.message_dict["lines-1-total"][0]
    assert Proposal.objects.count() == before  # nothing half-saved


def test_negative_amount_is_refused_at_its_field(world, head):
    with pytest.raises(ValidationError) as error:
        new_proposal(head, lines=[line(unit_cost="-5"), line(quantity="0")])
    assert set(error.value.message_dict) == {"lines-0-unit_cost", "lines-1-quantity"}


def test_proposal_year_must_be_in_the_programme(world, head):
    with pytest.raises(ValidationError) as error:
        new_proposal(head, lines=[line(year=2031)])
    assert "lines-0-year" in error.value.message_dict


def test_proposal_names_a_programme_project_or_another_social_project(world, head):
    with pytest.raises(ValidationError) as error:
        services.save_proposal(author=head, lines=[line()], project=None, other_project=" ", **PROPOSAL)
    assert "project" in error.value.message_dict
    proposal = services.save_proposal(
        author=head, lines=[line()], project=None, other_project="Спорт секциялары", **PROPOSAL
    )
    assert proposal.project_label == "Спорт секциялары"


def test_proposal_needs_at_least_one_budget_line(world, head):
    with pytest.raises(ValidationError) as error:
        services.save_proposal(author=head, lines=[], project=Project.objects.get(number=4), **PROPOSAL)
    assert "lines" in error.value.message_dict


def test_submitted_proposal_fills_the_directive_slot(world):
    row, head = silent_school_row(world)
    directive_services.save_answer(
        author=head, recipient=row, report_text="Есеп", specialists=[], measures=[]
    )
    answer = Answer.objects.get(recipient=row)
    assert directive_services.missing_parts(answer)  # the proposal is still missing
    with pytest.raises(ValidationError):
        directive_services.sign_off_answer(head=head, recipient=row)
    proposal = new_proposal(head, recipient=row)
    assert directive_services.missing_parts(answer)  # a draft does not fill it
    services.submit_proposal(head=head, proposal=proposal)
    assert directive_services.missing_parts(answer) == []
    directive_services.sign_off_answer(head=head, recipient=row)
    row.refresh_from_db()
    assert row.status == "answered"


def test_a_letter_slot_takes_one_proposal_of_its_recipient(world, head):
    row = Recipient.objects.get(directive__parent__outgoing_number="03-4279", organisation=world.school)
    with pytest.raises(ValidationError):
        new_proposal(head, recipient=row)  # the demo already answered it
    other_row, _ = silent_school_row(world)
    with pytest.raises(ValidationError):
        new_proposal(head, recipient=other_row)  # another school's letter


def test_only_the_head_submits_a_proposal(world):
    mediator = member(world, "mediator")
    proposal = new_proposal(mediator)
    with pytest.raises(ValidationError):
        services.submit_proposal(head=mediator, proposal=proposal)
    services.submit_proposal(head=member(world, "head"), proposal=proposal)


def test_submitted_proposal_can_no_longer_be_changed(world, head):
    proposal = services.submit_proposal(head=head, proposal=new_proposal(head))
    with pytest.raises(ValidationError):
        services.save_proposal(author=head, proposal=proposal, lines=[line()], **PROPOSAL)


def test_a_draft_proposal_stays_with_its_school(world, head):
    proposal = new_proposal(head)
    district = member(world, "district")
    assert not scoping.visible_proposals(district).filter(pk=proposal.pk).exists()
    services.submit_proposal(head=head, proposal=proposal)
    assert scoping.visible_proposals(district).filter(pk=proposal.pk).exists()
    assert not scoping.visible_proposals(member(world, "mediator2")).filter(pk=proposal.pk).exists()


def test_returning_a_proposal_needs_a_comment_and_reopens_it(world, head):
    proposal = services.submit_proposal(head=head, proposal=new_proposal(head))
    district = member(world, "district")
    with pytest.raises(ValidationError) as error:
        services.return_proposal(reviewer=district, proposal=proposal, comment=" ")
    assert "comment" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.return_proposal(reviewer=member(world, "mediator2"), proposal=proposal, comment="Жоқ")
    services.return_proposal(reviewer=district, proposal=proposal, comment="Бюджетті нақтылаңыз")
    services.save_proposal(author=head, proposal=proposal, lines=[line(quantity="4")], **PROPOSAL)


def test_consolidation_keeps_links_to_the_source_proposals_and_lines(world):
    district_proposal = Proposal.objects.get(organisation=world.ryskulov_education, is_consolidated=True)
    sources = list(district_proposal.source_links.select_related("source"))
    assert [link.rank for link in sources] == list(range(1, 13))
    children = [link.source.children_reached for link in sources]
    assert children == sorted(children, reverse=True)  # ranked by the children they reach
    source_lines = ProposalLine.objects.filter(proposal__in=[link.source for link in sources])
    assert district_proposal.lines.count() == source_lines.count()
    assert set(district_proposal.lines.values_list("source_id", flat=True)) == set(
        source_lines.values_list("pk", flat=True)
    )
    assert district_proposal.total == sum(link.source.total for link in sources)


def test_only_submitted_proposals_from_below_can_be_consolidated(world, head):
    draft = new_proposal(head)
    with pytest.raises(ValidationError) as error:
        services.consolidate_proposals(author=member(world, "district"), ranked=[draft])
    assert "sources" in error.value.message_dict
    with pytest.raises(ValidationError):  # a school does not consolidate
        services.consolidate_proposals(author=head, ranked=[draft])


def test_district_edit_keeps_the_links_of_merged_lines(world):
    district = member(world, "district")
    submitted = Proposal.objects.filter(organisation__parent=world.ryskulov_education, status="submitted")[:2]
    merged = services.consolidate_proposals(author=district, ranked=list(submitted))
    rows = [
        {
            **{f: getattr(x, f) for f in ("year", "item", "unit", "quantity", "unit_cost")},
            "source_id": x.source_id,
        }
        for x in merged.lines.all()
    ]
    fields = {f: getattr(merged, f) for f in PROPOSAL}
    services.save_proposal(
        author=district,
        proposal=merged,
        lines=rows[:-1],
        project=merged.project,
        other_project=merged.other_project,
        **fields,
    )
    assert merged.lines.exclude(source=None).count() == len(rows) - 1


# ---------------------------------------------------------------- the state social order


def test_topic_budget_must_be_a_positive_amount_and_nothing_is_saved(world, region, draft_order):
    with pytest.raises(ValidationError) as error:
        services.save_topic(
            author=region,
            order=draft_order,
            title="Т",
            funding_source="local",
            expected_results="Н",
            budgets={2026: Decimal("-1"), 2027: Decimal("5")},
        )
    assert "budget_2026" in error.value.message_dict
    assert not draft_order.topics.exists()


def test_topic_budget_years_are_those_of_the_order(world, region, draft_order):
    with pytest.raises(ValidationError) as error:
        services.save_topic(
            author=region,
            order=draft_order,
            title="Т",
            funding_source="local",
            expected_results="Н",
            budgets={2025: Decimal("5")},
        )
    assert "budget_2025" in error.value.message_dict


def test_topic_keeps_the_proposals_it_came_from(world, region, draft_order):
    district_proposal = Proposal.objects.get(organisation=world.ryskulov_education, is_consolidated=True)
    topic = services.save_topic(
        author=region,
        order=draft_order,
        title="Т",
        funding_source="local",
        expected_results="Н",
        budgets={2026: Decimal("100"), 2027: Decimal("50")},
        sources=[district_proposal],
    )
    assert topic.budget_total == Decimal("150") and list(topic.sources.all()) == [district_proposal]


def test_an_approved_order_cannot_change(world, region, topic):
    with pytest.raises(ValidationError):
        services.save_topic(
            author=region,
            order=topic.order,
            title="Т",
            funding_source="local",
            expected_results="Н",
            budgets={2025: Decimal("5")},
        )


def test_only_the_region_forms_the_state_social_order(world):
    with pytest.raises(ValidationError):
        services.create_social_order(
            author=member(world, "district"), title="Т", first_year=2025, last_year=2026
        )
    with pytest.raises(ValidationError):  # an auditor reads only
        services.create_social_order(
            author=member(world, "auditor"), title="Т", first_year=2025, last_year=2026
        )


def test_approval_needs_a_topic_and_the_head(world, region, draft_order):
    with pytest.raises(ValidationError):
        services.approve_social_order(author=region, order=draft_order)


# ---------------------------------------------------------------- competitions


def test_competition_budget_over_the_topic_ceiling_is_refused(world, region, topic):
    with pytest.raises(ValidationError) as error:
        services.announce_competition(
            author=region,
            topic=topic,
            title="К",
            requirements="Т",
            opens_on=D(2026, 1, 1),
            closes_on=D(2026, 2, 1),
            budget=Decimal("38000000.01"),
            criteria=[{"title": "А", "weight": 100}],
        )
    assert "budget" in error.value.message_dict


def test_criteria_weights_must_add_up_to_100(world, region, topic):
    with pytest.raises(ValidationError) as error:
        services.announce_competition(
            author=region,
            topic=topic,
            title="К",
            requirements="Т",
            opens_on=D(2026, 1, 1),
            closes_on=D(2026, 2, 1),
            budget=Decimal("1000"),
            criteria=[{"title": "А", "weight": 60}, {"title": "Б", "weight": 30}],
        )
    assert "criteria" in error.value.message_dict
    assert Competition.objects.count() == 1


def test_competition_is_announced_only_for_an_approved_order(world, region, draft_order):
    topic = services.save_topic(
        author=region,
        order=draft_order,
        title="Т",
        funding_source="local",
        expected_results="Н",
        budgets={2026: Decimal("100")},
    )
    with pytest.raises(ValidationError):
        services.announce_competition(
            author=region,
            topic=topic,
            title="К",
            requirements="Т",
            opens_on=D(2026, 1, 1),
            closes_on=D(2026, 2, 1),
            budget=Decimal("10"),
            criteria=[{"title": "А", "weight": 100}],
        )


def test_invalid_bin_is_refused(world, ngo, open_competition):
    for wrong in ("12345", "123456789012", "041340000001"):
        with pytest.raises(ValidationError) as error:
            apply(ngo, open_competition, bin=wrong)
        assert "bin" in error.value.message_dict
    assert not Application.objects.filter(competition=open_competition).exists()


def test_application_after_the_closing_date_is_refused(world, ngo, open_competition):
    with pytest.raises(ValidationError) as error:
        apply(ngo, open_competition, today=D(2026, 2, 11))
    assert "10.02.2026" in error.value.messages[0]
    apply(ngo, open_competition, today=D(2026, 2, 10))  # the closing day itself is still open


def test_application_budget_over_the_competition_ceiling_is_refused(world, ngo, open_competition):
    with pytest.raises(ValidationError) as error:
        apply(ngo, open_competition, lines=[line(2026, quantity="10", unit_cost="900000.01")])
    assert "lines" in error.value.message_dict


def test_only_an_ngo_applies_and_only_once(world, ngo, head, open_competition):
    with pytest.raises(ValidationError):
        apply(head, open_competition)
    apply(ngo, open_competition)
    with pytest.raises(ValidationError):
        apply(ngo, open_competition)


def test_scoring_before_declaring_no_conflict_is_refused(world, region, ngo, open_competition):
    application = apply(ngo, open_competition)
    people = commission(world)
    services.name_commission(author=region, competition=open_competition, members=people, chair=people[0])
    scores = {c.pk: 5 for c in open_competition.criteria.all()}
    with pytest.raises(ValidationError) as error:
        services.score_application(
            membership=people[1], application=application, scores=scores, today=D(2026, 2, 20)
        )
    assert "no_conflict" in error.value.message_dict
    services.declare_no_conflict(membership=people[1], competition=open_competition)
    services.score_application(
        membership=people[1], application=application, scores=scores, today=D(2026, 2, 20)
    )


def test_score_outside_the_scale_is_refused(world, region, ngo, open_competition):
    application = apply(ngo, open_competition)
    people = commission(world)
    services.name_commission(author=region, competition=open_competition, members=people, chair=people[0])
    services.declare_no_conflict(membership=people[0], competition=open_competition)
    first, second = open_competition.criteria.all()
    with pytest.raises(ValidationError) as error:
        services.score_application(
            membership=people[0],
            application=application,
            scores={first.pk: 11, second.pk: 5},
            today=D(2026, 2, 20),
        )
    assert set(error.value.message_dict) == {f"criterion_{first.pk}"}
    assert not application.scores.exists()


def test_scoring_starts_after_the_closing_date_and_only_for_members(world, region, ngo, open_competition):
    application = apply(ngo, open_competition)
    people = commission(world)
    services.name_commission(author=region, competition=open_competition, members=people, chair=people[0])
    services.declare_no_conflict(membership=people[0], competition=open_competition)
    scores = {c.pk: 5 for c in open_competition.criteria.all()}
    with pytest.raises(ValidationError):
        services.score_application(
            membership=people[0], application=application, scores=scores, today=D(2026, 2, 10)
        )
    with pytest.raises(ValidationError):
        services.score_application(
            membership=member(world, "district"), application=application, scores=scores, today=D(2026, 2, 20)
        )


def test_commission_has_three_members_from_the_region(world, region, open_competition):
    people = commission(world)
    with pytest.raises(ValidationError):
        services.name_commission(
            author=region, competition=open_competition, members=people[:1], chair=people[0]
        )
    with pytest.raises(ValidationError):
        services.name_commission(
            author=region,
            competition=open_competition,
            members=[*people, member(world, "ngo")],
            chair=people[0],
        )


def test_ranking_averages_the_weighted_scores_of_the_members(world):
    competition = Competition.objects.get(status="published")
    rows = selectors.ranking(competition)
    assert [row.rank for row in rows] == [1, 2]
    assert rows[0].application == competition.winner
    assert rows[0].members_scored == 3
    # Member scores (weights 30/25/25/20): 9,8,9,8 → 8.55; 8,9,8,9 → 8.45; 9,8,9,8 → 8.55.
    assert rows[0].average == Decimal("8.52")


def test_results_need_every_score_and_a_reason_for_every_decision(world, region, ngo, open_competition):
    application = apply(ngo, open_competition)
    people = commission(world)
    services.name_commission(author=region, competition=open_competition, members=people, chair=people[0])
    with pytest.raises(ValidationError):
        services.publish_results(
            author=region,
            competition=open_competition,
            winner=application,
            summary="Ш",
            reasons={application.pk: "С"},
        )
    for person in people:
        services.declare_no_conflict(membership=person, competition=open_competition)
        services.score_application(
            membership=person,
            application=application,
            today=D(2026, 2, 20),
            scores={c.pk: 7 for c in open_competition.criteria.all()},
        )
    with pytest.raises(ValidationError) as error:
        services.publish_results(
            author=region, competition=open_competition, winner=application, summary="Ш", reasons={}
        )
    assert f"reason_{application.pk}" in error.value.message_dict
    services.publish_results(
        author=region,
        competition=open_competition,
        winner=application,
        summary="Ш",
        reasons={application.pk: "С"},
    )


# ---------------------------------------------------------------- agreements and money


def test_agreement_amount_over_the_topic_budget_is_refused(world, region, ngo, open_competition):
    [winner] = published(world, region, open_competition, [ngo])
    with pytest.raises(ValidationError) as error:  # 38.0 million, 28.3 already contracted
        services.conclude_agreement(
            author=region,
            application=winner,
            number="2",
            signed_on=D(2026, 3, 1),
            starts_on=D(2026, 3, 1),
            ends_on=D(2026, 12, 1),
            amount=Decimal("9700000.01"),
            tranches=[],
        )
    assert "amount" in error.value.message_dict
    assert GrantAgreement.objects.count() == 1
    services.conclude_agreement(
        author=region,
        application=winner,
        number="2",
        signed_on=D(2026, 3, 1),
        starts_on=D(2026, 3, 1),
        ends_on=D(2026, 12, 1),
        amount=Decimal("9700000.00"),
        tranches=[],
    )


def test_agreement_is_signed_only_with_the_published_winner(world, region, ngo, open_competition):
    loser = published(world, region, open_competition, [ngo, second_ngo(world)])[1]
    with pytest.raises(ValidationError):
        services.conclude_agreement(
            author=region,
            application=loser,
            number="3",
            signed_on=D(2026, 3, 1),
            starts_on=D(2026, 3, 1),
            ends_on=D(2026, 12, 1),
            amount=Decimal("1"),
            tranches=[],
        )


def test_tranches_at_signing_never_exceed_the_agreement(world, region, ngo, open_competition):
    [winner] = published(world, region, open_competition, [ngo])
    tranches = [
        {"planned_on": D(2026, 4, 1), "amount": Decimal("600"), "condition": "А"},
        {"planned_on": D(2026, 5, 1), "amount": Decimal("500"), "condition": "Б"},
    ]
    with pytest.raises(ValidationError) as error:
        services.conclude_agreement(
            author=region,
            application=winner,
            number="4",
            signed_on=D(2026, 3, 1),
            starts_on=D(2026, 3, 1),
            ends_on=D(2026, 12, 1),
            amount=Decimal("1000"),
            tranches=tranches,
        )
    assert "tranches" in error.value.message_dict
    assert not GrantAgreement.objects.filter(number="4").exists()


def test_a_new_tranche_never_takes_the_sum_over_the_agreement(world, region):
    agreement = GrantAgreement.objects.get()
    with pytest.raises(ValidationError) as error:  # 28.3 million all planned already
        services.add_tranche(
            author=region,
            agreement=agreement,
            planned_on=D(2026, 6, 1),
            amount=Decimal("0.01"),
            condition="Қосымша",
        )
    assert "amount" in error.value.message_dict
    assert agreement.tranches.count() == 3


def test_a_payment_never_exceeds_its_tranche(world, region):
    tranche = Tranche.objects.get(number=3)
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            author=region,
            tranche=tranche,
            paid_on=D(2026, 3, 20),
            paid_amount=tranche.amount + Decimal("0.01"),
        )
    assert "paid_amount" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            author=region, tranche=tranche, paid_on=D(2099, 1, 1), paid_amount=tranche.amount
        )
    assert "paid_on" in error.value.message_dict
    services.record_payment(
        author=region, tranche=tranche, paid_on=D(2026, 3, 20), paid_amount=tranche.amount
    )


def test_the_database_refuses_a_payment_over_the_tranche(world):
    tranche = Tranche.objects.get(number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tranche.objects.filter(pk=tranche.pk).update(paid_on=D(2026, 3, 1), paid_amount=tranche.amount + 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sum triggers are PostgreSQL's")
def test_the_database_refuses_tranches_over_the_agreement_and_agreements_over_the_topic(world):
    agreement = GrantAgreement.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Tranche.objects.create(
            agreement=agreement, number=9, planned_on=D(2026, 6, 1), amount=1, condition="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantAgreement.objects.filter(pk=agreement.pk).update(amount=Decimal("38000000.01"))


def test_only_the_organising_region_manages_the_agreement(world):
    agreement = GrantAgreement.objects.get()
    with pytest.raises(ValidationError):
        services.add_tranche(
            author=member(world, "district"),
            agreement=agreement,
            planned_on=D(2026, 6, 1),
            amount=Decimal("1"),
            condition="x",
        )


# ---------------------------------------------------------------- grantee reports


def report_fields(**overrides):
    fields = dict(
        kind="interim",
        period_from=D(2025, 9, 1),
        period_to=D(2026, 2, 28),
        activities="Жасалды",
        reach={name: 1 for name in GrantReport.REACH_FIELDS},
        indicators=[{"name": "Медиаторлар", "unit": "адам", "target": Decimal(10), "actual": Decimal(8)}],
        expenditures=[
            {"item": "Оқыту", "planned": Decimal(100), "spent": Decimal(100), "variance_explanation": ""}
        ],
    )
    fields.update(overrides)
    return fields


def test_a_report_for_a_closed_agreement_is_refused(world, region, ngo):
    agreement = services.close_agreement(author=region, agreement=GrantAgreement.objects.get())
    with pytest.raises(ValidationError):
        services.save_report(author=ngo, agreement=agreement, **report_fields())
    assert agreement.reports.count() == 1


def test_a_spending_variance_must_be_explained(world, ngo):
    agreement = GrantAgreement.objects.get()
    spending = [{"item": "Оқыту", "planned": Decimal(100), "spent": Decimal(90), "variance_explanation": " "}]
    with pytest.raises(ValidationError) as error:
        services.save_report(author=ngo, agreement=agreement, **report_fields(expenditures=spending))
    assert "expenditures-0-variance_explanation" in error.value.message_dict
    assert agreement.reports.count() == 1
    spending[0]["variance_explanation"] = "Арзан сатып алынды"
    services.save_report(author=ngo, agreement=agreement, **report_fields(expenditures=spending))


def test_report_reach_and_spending_are_never_negative(world, ngo):
    agreement = GrantAgreement.objects.get()
    reach = {name: 0 for name in GrantReport.REACH_FIELDS} | {"boys_11_14": -1}
    spending = [{"item": "Оқыту", "planned": Decimal(-1), "spent": Decimal(0), "variance_explanation": "x"}]
    with pytest.raises(ValidationError) as error:
        services.save_report(
            author=ngo, agreement=agreement, **report_fields(reach=reach, expenditures=spending)
        )
    assert {"boys_11_14", "expenditures-0-planned"} <= set(error.value.message_dict)


def test_report_period_lies_within_the_agreement(world, ngo):
    with pytest.raises(ValidationError) as error:
        services.save_report(
            author=ngo, agreement=GrantAgreement.objects.get(), **report_fields(period_from=D(2025, 1, 1))
        )
    assert "period_from" in error.value.message_dict


def test_an_agreement_has_one_final_report(world, ngo):
    agreement = GrantAgreement.objects.get()
    services.save_report(author=ngo, agreement=agreement, **report_fields(kind="final"))
    with pytest.raises(ValidationError) as error:
        services.save_report(author=ngo, agreement=agreement, **report_fields(kind="final"))
    assert "kind" in error.value.message_dict


def test_only_the_grantee_reports(world, head):
    with pytest.raises(ValidationError):
        services.save_report(
            author=member(world, "mediator"), agreement=GrantAgreement.objects.get(), **report_fields()
        )


def test_region_returns_a_report_with_a_comment_then_accepts_it(world, region, ngo):
    report = services.save_report(author=ngo, agreement=GrantAgreement.objects.get(), **report_fields())
    services.submit_report(author=ngo, report=report)
    with pytest.raises(ValidationError) as error:
        services.return_report(reviewer=region, report=report, comment="")
    assert "comment" in error.value.message_dict
    services.return_report(reviewer=region, report=report, comment="Құжаттарды тіркеңіз")
    services.save_report(author=ngo, agreement=report.agreement, report=report, **report_fields())
    services.submit_report(author=ngo, report=report)
    services.accept_report(reviewer=region, report=report)
    report.refresh_from_db()
    assert report.status == GrantReport.Status.ACCEPTED
    with pytest.raises(ValidationError):
        services.save_report(author=ngo, agreement=report.agreement, report=report, **report_fields())


# ---------------------------------------------------------------- reading


def test_budget_execution_shows_planned_contracted_paid_and_spent(world, region):
    rows = {(r.project.number if r.project else None, r.year): r for r in selectors.budget_execution(region)}
    mediation_2025, mediation_2026 = rows[(4, 2025)], rows[(4, 2026)]
    assert mediation_2025.planned == Decimal("18000000.00")
    assert mediation_2025.contracted == Decimal("19810000.00")  # tranches planned in 2025
    assert mediation_2025.paid == Decimal("19810000.00")
    assert mediation_2025.spent == Decimal("11070000.00")  # the accepted interim report
    assert (mediation_2026.planned, mediation_2026.contracted, mediation_2026.paid) == (
        Decimal("20000000.00"),
        Decimal("8490000.00"),
        Decimal("0"),
    )
    assert rows[(None, 2026)].planned == Decimal("6500000.00")
    assert selectors.budget_execution(member(world, "mediator2")) == []


def test_national_table_sums_school_proposals_per_project_region_and_year(world):
    table = selectors.national_budget_table(member(world, "ministry"))
    [row] = table.rows
    assert row.project.number == 4 and row.region.code == "310000000" and row.proposals == 13
    schools = Proposal.objects.filter(organisation__parent=world.ryskulov_education)
    assert row.total == sum(p.total for p in schools)  # the district's consolidated copy is not counted twice
    assert table.years == [2025, 2026] and table.grand.total == row.total


def test_finance_rows_give_a_row_per_proposal_and_year(world):
    rows = selectors.finance_rows(member(world, "region", world.jambyl_akimat), world.ryskulov_education)
    proposals = Proposal.objects.filter(
        organisation__path__startswith=world.ryskulov_akimat.path, status="submitted"
    )
    assert len(rows) == 2 * proposals.count()
    assert {r.year for r in rows} == {2025, 2026}
    assert sum(r.amount for r in rows) == sum(p.total for p in proposals)


def test_approved_order_is_seen_in_its_region_and_a_draft_only_by_its_region(world, region, draft_order):
    ngo_member = member(world, "ngo")
    assert scoping.visible_social_orders(ngo_member).filter(status="approved").exists()
    assert not scoping.visible_social_orders(ngo_member).filter(pk=draft_order.pk).exists()
    assert scoping.visible_social_orders(region).filter(pk=draft_order.pk).exists()
    assert SocialOrder.objects.count() == 2 and Topic.objects.count() == 2
