"""The access matrix: every protected URL, the right user gets 200, a user of a
sibling organisation gets 404 (never 403, which would confirm the record exists).

Each later module adds its protected URLs to PROTECTED_URLS."""

import pytest
from django.urls import reverse

from tatulyq.accounts.models import Membership
from tatulyq.directives.models import Directive, Recipient


def jambyl_letter(w):
    return {"directive_id": Directive.objects.get(outgoing_number="03-4279").pk}


def district_letter(w):
    return {"directive_id": Directive.objects.get(parent__outgoing_number="03-4279").pk}


def school_answer(w):
    """School No. 1's row in the district's letter."""
    row = Recipient.objects.get(directive__parent__outgoing_number="03-4279", organisation=w.school)
    return {"recipient_id": row.pk}


def mediator_case(w):
    """A case of School No. 1 assigned to the demo mediator."""
    from tatulyq.cases.models import Case

    case = Case.objects.filter(school=w.school, mediators__membership__user=w.users.mediator).first()
    return {"case_id": case.pk}


def mediator_case_print(w):
    return {**mediator_case(w), "document": "consent", "language": "kk"}


def received_referral(w):
    from tatulyq.cases.models import Referral

    return {"referral_id": Referral.objects.filter(organisation=w.ngos[0]).first().pk}


def monitoring_node(attribute):
    return lambda w: {"node_id": getattr(w, attribute).pk}


def national_node(w):
    from tatulyq.orgs.models import Organisation

    return {"node_id": Organisation.objects.get(kind="ministry").pk}


def school_report(w):
    """School No. 1's report for 2026 Q3 (the demo has every quarter)."""
    from tatulyq.monitoring.models import Report

    return {"report_id": Report.objects.get(organisation=w.school, period__year=2026, period__quarter=3).pk}


# (url name, how to get its kwargs from the world, user who may see it, sibling who may not)
PROTECTED_URLS = [
    ("orgs:detail", lambda w: {"organisation_id": w.school.pk}, "mediator", "mediator2"),
    ("orgs:detail", lambda w: {"organisation_id": w.school.pk}, "district", "mediator2"),
    ("orgs:people", lambda w: {"organisation_id": w.school.pk}, "head", "mediator2"),
    (
        "orgs:detail",
        lambda w: {"organisation_id": w.ryskulov_education.pk},
        "district",
        "mediator",
    ),
    (
        "orgs:detail",
        lambda w: {"organisation_id": w.jambyl_education.pk},
        "region",
        "district",
    ),
    ("orgs:detail", lambda w: {"organisation_id": w.ngos[0].pk}, "ngo", "mediator"),
    ("accounts:invite", lambda w: {"organisation_id": w.school.pk}, "head", "mediator2"),
    (
        "accounts:invite",
        lambda w: {"organisation_id": w.ryskulov_education.pk},
        "district",
        "head",
    ),
    ("directives:detail", jambyl_letter, "region", "mediator2"),
    ("directives:detail", jambyl_letter, "ministry", "ngo"),
    ("directives:control", jambyl_letter, "ministry", "mediator2"),
    ("directives:detail", district_letter, "head", "ngo"),
    ("directives:control", district_letter, "district", "ngo"),
    ("directives:review", school_answer, "head", "mediator2"),
    ("directives:review", school_answer, "district", "ngo"),
    ("directives:answer", school_answer, "head", "mediator2"),
    # A child's case: the other school's mediator, the district and everyone above get 404.
    ("cases:detail", mediator_case, "mediator", "mediator2"),
    ("cases:detail", mediator_case, "psychologist", "district"),
    ("cases:detail", mediator_case, "head", "region"),
    ("cases:detail", mediator_case, "pedagogue", "methodologist"),
    ("cases:detail", mediator_case, "mediator", "ministry"),
    ("cases:detail", mediator_case, "head", "ngo"),
    ("cases:screen", mediator_case, "mediator", "mediator2"),
    ("cases:consent", mediator_case, "mediator", "district"),
    ("cases:meeting", mediator_case, "mediator", "mediator2"),
    ("cases:close", mediator_case, "mediator", "district"),
    ("cases:refer", mediator_case, "mediator", "mediator2"),
    ("cases:print", mediator_case_print, "mediator", "mediator2"),
    ("cases:print", mediator_case_print, "head", "district"),
    ("cases:received_detail", received_referral, "ngo", "mediator2"),
    ("cases:received_detail", received_referral, "ngo", "district"),
    ("monitoring:node", national_node, "methodologist", "region"),
    ("monitoring:node", monitoring_node("jambyl_akimat"), "region", "district"),
    ("monitoring:node", monitoring_node("ryskulov_akimat"), "district", "mediator2"),
    ("monitoring:node", monitoring_node("school"), "head", "mediator2"),
    ("monitoring:node", monitoring_node("school"), "district", "ngo"),
    ("monitoring:report", school_report, "head", "mediator2"),
    ("monitoring:report", school_report, "district", "ngo"),
    ("monitoring:report", school_report, "region", "mediator2"),
]


# ---------------------------------------------------------------- state social order and grants


def _draft_order(w):
    """A draft order is seen only within the region (an approved one by all of it)."""
    from tatulyq.grants import services
    from tatulyq.grants.models import SocialOrder

    region = Membership.objects.get(user=w.users.region, organisation=w.jambyl_akimat)
    return SocialOrder.objects.filter(status="draft").first() or services.create_social_order(
        author=region, title="2027", first_year=2027, last_year=2027)


def _grants(name: str, key: str):
    def kwargs(w):
        from tatulyq.grants.models import Competition, GrantAgreement, GrantReport, Proposal

        competition = Competition.objects.get(status="published")
        objects = {
            "proposal_id": lambda: Proposal.objects.get(organisation=w.school).pk,
            "district_proposal_id": lambda: Proposal.objects.get(
                organisation=w.ryskulov_education, is_consolidated=True).pk,
            "order_id": lambda: _draft_order(w).pk,
            "competition_id": lambda: competition.pk,
            "application_id": lambda: competition.winner_id,
            "agreement_id": lambda: GrantAgreement.objects.get().pk,
            "report_id": lambda: GrantReport.objects.get().pk,
        }
        return {key.replace("district_", ""): objects[key]()}

    return kwargs


PROTECTED_URLS += [
    ("grants:proposal", _grants("grants:proposal", "proposal_id"), "head", "mediator2"),
    ("grants:proposal", _grants("grants:proposal", "proposal_id"), "district", "ngo"),
    ("grants:proposal", _grants("grants:proposal", "district_proposal_id"), "region", "head"),
    ("grants:order", _grants("grants:order", "order_id"), "region", "district"),
    ("grants:competition", _grants("grants:competition", "competition_id"), "ngo", "mediator2"),
    ("grants:competition", _grants("grants:competition", "competition_id"), "region", "district"),
    ("grants:application", _grants("grants:application", "application_id"), "ngo", "district"),
    ("grants:agreement", _grants("grants:agreement", "agreement_id"), "ngo", "mediator"),
    ("grants:agreement", _grants("grants:agreement", "agreement_id"), "ministry", "district"),
    ("grants:report", _grants("grants:report", "report_id"), "region", "mediator2"),
    ("grants:report", _grants("grants:report", "report_id"), "ngo", "head"),
]


@pytest.mark.parametrize(("name", "kwargs", "allowed", "sibling"), PROTECTED_URLS)
def test_sibling_gets_404_and_owner_gets_200(world, login_as, client, name, kwargs, allowed, sibling):
    url = reverse(name, kwargs=kwargs(world))
    login_as(getattr(world.users, sibling))
    assert client.get(url).status_code == 404
    client.logout()
    login_as(getattr(world.users, allowed))
    assert client.get(url).status_code == 200


def test_every_membership_kind_of_demo_user_is_covered_by_the_matrix(world):
    """A new role or demo user must be added to the matrix above."""
    covered = {row[2] for row in PROTECTED_URLS} | {row[3] for row in PROTECTED_URLS}
    roles_covered = set(
        Membership.objects.filter(user__email__in=[f"{u}@tatulyq.example" for u in covered])
        .values_list("role", flat=True)
    )
    assert {"school_head", "school_mediator", "district_specialist", "regional_coordinator",
            "ngo_staff"} <= roles_covered

