import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tatulyq.audit.models import AuditEntry
from tatulyq.directives.models import Recipient
from tatulyq.grants.models import (
    Application,
    CommissionMember,
    Competition,
    GrantAgreement,
    GrantReport,
    Proposal,
    SocialOrder,
    Topic,
)
from tatulyq.grants.printing import competition_results_pdf

from .conftest import member


def demo_ids(world):
    competition = Competition.objects.get(status="published")
    agreement = GrantAgreement.objects.get()
    return {
        "proposal": Proposal.objects.get(organisation=world.ryskulov_education, is_consolidated=True).pk,
        "school_proposal": Proposal.objects.get(organisation=world.school).pk,
        "order": SocialOrder.objects.get().pk,
        "competition": competition.pk,
        "application": competition.winner_id,
        "agreement": agreement.pk,
        "report": GrantReport.objects.get().pk,
        "topic": Topic.objects.get(project__number=4).pk,
        "tranche": agreement.tranches.get(number=3).pk,
    }


PAGES = [
    ("grants:index", None, "head"),
    ("grants:proposals", None, "district"),
    ("grants:proposal_new", None, "head"),
    ("grants:consolidate", None, "district"),
    ("grants:national", None, "ministry"),
    ("grants:orders", None, "region"),
    ("grants:order_new", None, "region"),
    ("grants:execution", None, "region"),
    ("grants:competitions", None, "ngo"),
    ("grants:proposal", "proposal", "region"),
    ("grants:proposal", "school_proposal", "head"),
    ("grants:order", "order", "region"),
    ("grants:topic_new", "order", "region"),
    ("grants:competition", "competition", "ngo"),
    ("grants:competition", "competition", "region"),
    ("grants:competition_new", "topic", "region"),
    ("grants:commission", "competition", "region"),
    ("grants:application", "application", "region"),
    ("grants:agreement", "agreement", "ngo"),
    ("grants:agreement", "agreement", "region"),
    ("grants:tranche_new", "agreement", "region"),
    ("grants:payment", "tranche", "region"),
    ("grants:report_new", "agreement", "ngo"),
    ("grants:report", "report", "region"),
]
KWARG = {
    "proposal": "proposal_id",
    "school_proposal": "proposal_id",
    "order": "order_id",
    "competition": "competition_id",
    "application": "application_id",
    "agreement": "agreement_id",
    "report": "report_id",
    "topic": "topic_id",
    "tranche": "tranche_id",
}


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize(("name", "key", "user"), PAGES)
def test_every_page_opens_for_its_user_in_kazakh_and_russian(
    world, login_as, client, name, key, user, language
):
    from django.utils import translation

    ids = demo_ids(world)
    login_as(
        getattr(world.users, user), member(world, user, world.jambyl_akimat) if user == "region" else None
    )
    with translation.override(language):
        url = reverse(name, kwargs={KWARG[key]: ids[key]} if key else None)
    response = client.get(url)
    assert response.status_code == 200, url
    assert f'lang="{language}"' in response.content.decode()


def proposal_post(**line):
    data = {
        "project": "",
        "other_project": "Спорт",
        "title": "Т",
        "problem": "П",
        "evidence": "",
        "target_groups": "Г",
        "children_reached": "10",
        "activities": "А",
        "expected_results": "Н",
        "indicators": "",
        "implementer": "ngo_grant",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-year": "2025",
        "lines-0-item": "Тренинг",
        "lines-0-unit": "адам",
        "lines-0-quantity": "3",
        "lines-0-unit_cost": "100",
        "lines-0-total": "",
    }
    data.update({f"lines-0-{k}": v for k, v in line.items()})
    return data


def test_a_wrong_line_total_is_shown_next_to_the_field_and_nothing_is_saved(world, login_as, client):
    login_as(world.users.head)
    before = Proposal.objects.count()
    response = client.post(reverse("grants:proposal_new"), proposal_post(total="400"))
    assert response.status_code == 200
    line_form = response.context["lines"].forms[0]
    assert "300.00" in line_form.errors["total"][0]
    assert 'id="id_lines-0-total_error"' in response.content.decode()
    assert Proposal.objects.count() == before


def test_a_non_numeric_amount_is_refused_next_to_the_field(world, login_as, client):
    login_as(world.users.head)
    before = Proposal.objects.count()
    response = client.post(reverse("grants:proposal_new"), proposal_post(unit_cost="жүз"))
    assert response.context["lines"].forms[0].errors["unit_cost"]
    response = client.post(reverse("grants:proposal_new"), proposal_post(unit_cost="-100"))
    assert response.context["lines"].forms[0].errors["unit_cost"]
    assert Proposal.objects.count() == before


def test_a_good_proposal_is_saved_with_its_computed_total(world, login_as, client):
    login_as(world.users.head)
    response = client.post(reverse("grants:proposal_new"), proposal_post(total="300"))
    assert response.status_code == 302
    proposal = Proposal.objects.latest("pk")
    assert proposal.total == 300 and proposal.organisation == world.school


def test_the_answer_page_shows_the_proposal_slot(world, login_as, client):
    login_as(world.users.head)
    row = Recipient.objects.get(directive__parent__outgoing_number="03-4279", organisation=world.school)
    html = client.get(reverse("directives:answer", args=[row.pk])).content.decode()
    proposal = Proposal.objects.get(recipient=row)
    assert reverse("grants:proposal", args=[proposal.pk]) in html
    district_row = Recipient.objects.get(
        directive__outgoing_number="03-4279", organisation=world.ryskulov_education
    )
    login_as(world.users.district)
    html = client.get(reverse("directives:answer", args=[district_row.pk])).content.decode()
    assert reverse("grants:proposal", args=[district_row.proposal.pk]) in html


def test_writing_a_proposal_for_a_letter_fills_its_slot(world, login_as, client):
    from tatulyq.accounts.models import Membership, Role, User

    row = Recipient.objects.filter(directive__parent__outgoing_number="03-4279", status="sent").first()
    user = User.objects.create_user("hx@tatulyq.example", "x" * 12, full_name="Директор")
    Membership.objects.create(user=user, organisation=row.organisation, role=Role.SCHOOL_HEAD, is_admin=True)
    login_as(user)
    url = reverse("grants:proposal_new") + f"?recipient={row.pk}"
    assert client.post(url, proposal_post()).status_code == 302
    proposal = Proposal.objects.get(recipient=row)
    client.post(reverse("grants:proposal_submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    html = client.get(reverse("directives:detail", args=[row.directive_id])).content.decode()
    assert "Submit a state social order proposal" not in html


def test_scoring_without_the_declaration_is_refused_at_the_declaration(world, login_as, client, region, ngo):
    from tatulyq.grants import services

    from .conftest import apply, commission

    competition = services.announce_competition(
        author=region,
        topic=Topic.objects.get(project__number=4),
        title="К",
        requirements="Т",
        opens_on=__import__("datetime").date(2026, 1, 1),
        closes_on=__import__("datetime").date(2026, 2, 1),
        budget=1000,
        criteria=[{"title": "А", "weight": 100}],
    )
    application = apply(
        ngo,
        competition,
        lines=[
            {
                "year": 2026,
                "item": "x",
                "unit": "u",
                "quantity": __import__("decimal").Decimal(1),
                "unit_cost": __import__("decimal").Decimal(10),
            }
        ],
        today=__import__("datetime").date(2026, 1, 15),
    )
    people = commission(world)
    services.name_commission(author=region, competition=competition, members=people, chair=people[0])
    login_as(world.users.region, people[0])
    criterion = competition.criteria.get()
    url = reverse("grants:score", args=[application.pk])
    response = client.post(url, {f"criterion_{criterion.pk}": "5"})
    assert response.context["form"].errors["no_conflict"]
    response = client.post(url, {f"criterion_{criterion.pk}": "50", "no_conflict": "on"})
    assert response.context["form"].errors[f"criterion_{criterion.pk}"]
    assert not CommissionMember.objects.get(
        membership=people[0], competition=competition
    ).no_conflict_declared_at
    assert client.post(url, {f"criterion_{criterion.pk}": "5", "no_conflict": "on"}).status_code == 302


def test_an_invalid_bin_is_shown_next_to_the_field(world, login_as, client, region):
    import datetime

    from django.utils import timezone

    from tatulyq.grants import services

    today = timezone.localdate()
    open_competition = services.announce_competition(
        author=region,
        topic=Topic.objects.get(project__number=4),
        title="К",
        requirements="Т",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=5),
        budget=1000,
        criteria=[{"title": "А", "weight": 100}],
    )
    login_as(world.users.ngo)
    data = {
        "bin": "123456789012",
        "registered_on": "2018-01-01",
        "director_name": "Д",
        "experience": "Т",
        "plan": "Ж",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-year": "2026",
        "lines-0-item": "x",
        "lines-0-unit": "u",
        "lines-0-quantity": "1",
        "lines-0-unit_cost": "10",
    }
    response = client.post(reverse("grants:apply", args=[open_competition.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["bin"]
    assert not Application.objects.filter(competition=open_competition).exists()
    data["bin"] = world.ngos[0].bin
    assert client.post(reverse("grants:apply", args=[open_competition.pk]), data).status_code == 302


def test_finance_export_has_a_row_per_proposal_and_year_and_totals(world, login_as, client):
    login_as(world.users.district)
    response = client.get(reverse("grants:finance_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    submitted = Proposal.objects.filter(
        organisation__path__startswith=world.ryskulov_akimat.path, status="submitted"
    )
    detail = [r for r in rows if r[1]]
    assert len(detail) == 2 * submitted.count()
    grand = rows[-1]
    assert grand[6] == pytest.approx(float(sum(p.total for p in submitted)))
    assert AuditEntry.objects.filter(action="export", details__what="proposals").exists()


def test_execution_drills_down_to_the_agreement(world, login_as, client, region):
    login_as(world.users.region, region)
    topic = Topic.objects.get(project__number=4)
    response = client.get(
        reverse("grants:execution"),
        {"region": topic.order.region_id, "project": topic.project_id, "year": 2025},
    )
    agreement = GrantAgreement.objects.get()
    assert list(response.context["drill"]) == [agreement]
    assert reverse("grants:agreement", args=[agreement.pk]) in response.content.decode()
    assert client.get(reverse("grants:execution"), {"format": "xlsx"}).status_code == 200


def test_lists_keep_their_query_count(world, login_as, client, region, django_assert_max_num_queries):
    login_as(world.users.region, region)
    for name in ("grants:proposals", "grants:execution", "grants:national", "grants:competitions"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(name)).status_code == 200


def pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize(("language", "heading"), [("kk", "Грант конкурсының"), ("ru", "Результаты")])
def test_results_print_to_pdf_with_kazakh_letters(world, language, heading):
    competition = Competition.objects.get(status="published")
    text = " ".join(pdf_text(competition_results_pdf(competition, language)).split())
    assert heading in text
    winner = competition.winner.ngo
    assert (winner.name_kk if language == "kk" else winner.name_ru) in text
    assert "Садырқұлов" in text and "Әбенова" in text  # Kazakh letters, not empty boxes
    assert "8,52" in text  # the winner's average score


def test_results_pdf_is_served_and_audited(world, login_as, client):
    login_as(world.users.ngo)
    competition = Competition.objects.get(status="published")
    response = client.get(reverse("grants:results_pdf", args=[competition.pk, "ru"]))
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", target_id=str(competition.pk)).exists()


def test_region_reviews_a_report_in_the_browser_form(world, login_as, client, region, ngo):
    from tatulyq.grants import services

    from .test_services import report_fields

    report = services.save_report(author=ngo, agreement=GrantAgreement.objects.get(), **report_fields())
    services.submit_report(author=ngo, report=report)
    login_as(world.users.region, region)
    url = reverse("grants:report", args=[report.pk])
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.context["form"].errors["comment"]
    assert client.post(url, {"decision": "return", "comment": "Толықтырыңыз"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"


def test_the_grantee_files_a_report_with_an_attachment(world, login_as, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_as(world.users.ngo)
    agreement = GrantAgreement.objects.get()
    data = {
        "kind": "interim",
        "period_from": "2025-09-01",
        "period_to": "2026-02-28",
        "activities": "Жасалды",
        "girls_6_10": "1",
        "boys_6_10": "1",
        "girls_11_14": "2",
        "boys_11_14": "2",
        "girls_15_18": "0",
        "boys_15_18": "0",
        "women": "3",
        "men": "1",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Медиаторлар",
        "indicators-0-unit": "адам",
        "indicators-0-target": "10",
        "indicators-0-actual": "9",
        "expenditures-TOTAL_FORMS": "1",
        "expenditures-INITIAL_FORMS": "0",
        "expenditures-0-item": "Оқыту",
        "expenditures-0-planned": "100",
        "expenditures-0-spent": "90",
        "expenditures-0-variance_explanation": "",
        "attachments": SimpleUploadedFile("act.pdf", b"%PDF-1.4 act", content_type="application/pdf"),
    }
    response = client.post(reverse("grants:report_new", args=[agreement.pk]), data)
    assert response.status_code == 200
    assert response.context["expenditures"].forms[0].errors["variance_explanation"]
    assert agreement.reports.count() == 1
    data["expenditures-0-variance_explanation"] = "Арзан"
    data["attachments"] = SimpleUploadedFile("act.pdf", b"%PDF-1.4 act", content_type="application/pdf")
    assert client.post(reverse("grants:report_new", args=[agreement.pk]), data).status_code == 302
    report = agreement.reports.latest("pk")
    attachment = report.attachments.get()
    assert (
        b"".join(client.get(reverse("grants:report_attachment", args=[attachment.pk])).streaming_content)
        == b"%PDF-1.4 act"
    )
    login_as(world.users.mediator2)
    assert client.get(reverse("grants:report_attachment", args=[attachment.pk])).status_code == 404


def test_the_apply_form_is_offered_only_while_applications_are_open(world, login_as, client, region):
    """Regression: after the closing date the NGO was still offered the form, and was refused
    only after filling it in."""
    import datetime

    from django.utils import timezone

    from tatulyq.grants import services

    today = timezone.localdate()
    competition = services.announce_competition(
        author=region,
        topic=Topic.objects.get(project__number=4),
        title="К",
        requirements="Т",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today,
        budget=1000,
        criteria=[{"title": "А", "weight": 100}],
    )
    apply_url = reverse("grants:apply", args=[competition.pk])
    login_as(world.users.ngo)
    page = client.get(reverse("grants:competition", args=[competition.pk]))
    assert f'href="{apply_url}"' in page.content.decode()
    assert client.get(apply_url).status_code == 200

    Competition.objects.filter(pk=competition.pk).update(closes_on=today - datetime.timedelta(days=1))
    page = client.get(reverse("grants:competition", args=[competition.pk]))
    assert f'href="{apply_url}"' not in page.content.decode()
    response = client.get(apply_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("grants:competition", args=[competition.pk])
    closed = (today - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    assert closed in " ".join(str(m) for m in response.context["messages"])
    assert client.post(apply_url, {"bin": world.ngos[0].bin}).status_code == 302
    assert not Application.objects.filter(competition=competition).exists()


def test_the_commission_picker_leaves_out_people_who_cannot_log_in(world, login_as, client, region):
    """Regression: the demo's commission helpers (inactive users) were offered; named, they
    could never score, and once scoring began the commission could no longer change."""
    import datetime

    from django.utils import timezone

    from tatulyq.accounts.models import Membership
    from tatulyq.grants import services

    today = timezone.localdate()
    competition = services.announce_competition(
        author=region,
        topic=Topic.objects.get(project__number=4),
        title="К",
        requirements="Т",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=5),
        budget=1000,
        criteria=[{"title": "А", "weight": 100}],
    )
    inactive = Membership.objects.get(user__email="commission-1@tatulyq.example")
    assert inactive.is_active and not inactive.user.is_active
    login_as(world.users.region, region)
    response = client.get(reverse("grants:commission", args=[competition.pk]))
    offered = set(response.context["form"].fields["members"].queryset.values_list("pk", flat=True))
    assert inactive.pk not in offered
    assert member(world, "region", world.jambyl_education).pk in offered
    response = client.post(
        reverse("grants:commission", args=[competition.pk]),
        {"members": [inactive.pk, *list(offered)[:2]], "chair": inactive.pk},
    )
    assert response.status_code == 200
    assert not CommissionMember.objects.filter(competition=competition).exists()
