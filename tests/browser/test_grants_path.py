"""The first half of the money path in the browser, on fresh data made through the pages:
a school head answers the district's letter with a proposal budgeted for 2025 and 2026
(Kazakh, second factor included); the district merges its schools' proposals and submits
its own (Russian); the region forms and approves a state social order with a new topic,
announces a competition with weighted criteria; the NGO applies; the commission declares
no conflict and scores; the region publishes the results (both PDFs download) and
registers the agreement with its tranches."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tatulyq.accounts.demo import DEMO_TOTP_KEY
from tatulyq.accounts.models import Membership, Role, User
from tatulyq.directives.models import Directive, Project

pytestmark = pytest.mark.browser

NO_CONFLICT = "Declare that you have no conflict of interest with the applicants before scoring."
TOPIC = "Мектептерде қалпына келтіру шеңберлерін енгізу (2-кезең)"


def t(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


def fill(page, values: dict) -> None:
    for field, value in values.items():
        page.locator(f"#id_{field}").fill(value)


def submit(page) -> None:
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_from_a_school_proposal_to_a_registered_agreement(world, new_page, log_in, artifacts, page_errors):
    from tatulyq.grants.models import (
        Application,
        CommissionMember,
        Competition,
        GrantAgreement,
        Proposal,
        SocialOrder,
        Topic,
    )

    project = Project.objects.get(number=4)
    today = timezone.localdate()

    # ---- The school head answers the district's letter with a proposal (Kazakh).
    # head@'s school answered this letter in the demo; a school that has not yet is
    # given its head (the demo's TOTP key), as the instructions journey does.
    district_letter = Directive.objects.get(parent__outgoing_number="03-4279")
    slot = district_letter.recipients.filter(status="sent").select_related("organisation").last()
    head = User.objects.create_user(
        "head-c@tatulyq.example", settings.DEMO_PASSWORD, full_name="Сәуле Әбдірова")
    Membership.objects.create(user=head, organisation=slot.organisation, role=Role.SCHOOL_HEAD, is_admin=True)
    TOTPDevice.objects.create(user=head, name="app", key=DEMO_TOTP_KEY, confirmed=True)

    school = new_page()
    log_in(school, head.email, language="kk")
    school.locator("#id_token").fill(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
    submit(school)
    school.goto(f"/kk/instructions/{district_letter.pk}/")
    school.locator(f"a[href$='/received/{slot.pk}/answer/']").click()
    school.locator("#id_report_text").fill(
        "Мектеп медиация қызметін 2025–2026 жылдары қаржыландыруды ұсынады.")
    submit(school)
    school.locator(f"a[href$='/received/{slot.pk}/answer/']").click()
    school.locator(f"a[href$='/grants/proposals/new/?recipient={slot.pk}']").click()
    school.locator("#id_project").select_option(str(project.pk))
    fill(school, {
        "title": "Қалпына келтіру шеңберлері мектепте",
        "problem": "Үзілістерде төбелес пен буллинг жиі кездеседі.",
        "evidence": "Мектеп психологының 2024 жылғы сауалнамасы.",
        "target_groups": "5–9 сынып оқушылары мен ата-аналар",
        "children_reached": "75",
        "activities": "Медиаторларды оқыту, татуластыру бөлмесін жабдықтау, шеңберлер",
        "expected_results": "Қақтығыстардың үштен бірі медиациямен шешіледі",
        "indicators": "Медиация жағдайларының саны",
    })
    rows = [
        ("2025", "Мектеп медиаторларын оқыту", "адам", "3", "85000", "255000"),
        ("2025", "Татуластыру бөлмесін жабдықтау", "жиынтық", "1", "350000", ""),
        ("2026", "Супервизия (психолог)", "сағат", "12", "9000", ""),
    ]
    for index, (year, item, unit, quantity, cost, total) in enumerate(rows):
        school.locator(f"#id_lines-{index}-year").select_option(year)
        fill(school, {
            f"lines-{index}-item": item,
            f"lines-{index}-unit": unit,
            f"lines-{index}-quantity": quantity,
            f"lines-{index}-unit_cost": cost,
            f"lines-{index}-total": total,
        })
    submit(school)
    proposal = Proposal.objects.get(recipient=slot)
    assert proposal.total == Decimal("713000.00")
    assert sorted(proposal.lines.values_list("year", flat=True)) == [2025, 2025, 2026]
    school.locator(f"form[action$='/grants/proposals/{proposal.pk}/submit/'] button").click()
    expect(school.locator(".messages")).to_contain_text(t("kk", "The proposal has been submitted."))
    expect(school.locator(".status--submitted")).to_be_visible()
    school.goto(f"/kk/instructions/{district_letter.pk}/")
    school.locator(f"form[action$='/received/{slot.pk}/sign-off/'] button").click()
    school.wait_for_load_state()
    proposal.refresh_from_db()
    slot.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert slot.status == "answered"

    # ---- The district merges its schools' proposals and submits its own (Russian).
    district = new_page()
    log_in(district, world.users.district.email, language="ru")
    district.goto("/ru/grants/")
    district.locator("main a[href$='/grants/proposals/consolidate/']").first.click()
    other = (
        Proposal.objects.filter(
            organisation__parent=slot.organisation.parent,
            status=Proposal.Status.SUBMITTED,
            is_consolidated=False,
        )
        .exclude(pk=proposal.pk)
        .order_by("pk")
        .first()
    )
    district.locator(f"#rank_{proposal.pk}").fill("1")
    district.locator(f"#rank_{other.pk}").fill("2")
    submit(district)
    merged = Proposal.objects.get(organisation=world.ryskulov_education, is_consolidated=True,
                                  status=Proposal.Status.DRAFT)
    expect(district.locator(".messages")).to_contain_text(
        t("ru", "The proposals are merged into your draft. Check it and submit it."))
    expect(district.locator("main h1")).to_contain_text(merged.title)
    assert merged.total == proposal.total + other.total
    assert set(merged.source_links.values_list("source_id", flat=True)) == {proposal.pk, other.pk}
    for source in (proposal, other):  # the merged proposal links to where its lines came from
        expect(district.locator(f"main a[href$='/grants/proposals/{source.pk}/']").first).to_be_visible()
    district.locator(f"form[action$='/grants/proposals/{merged.pk}/submit/'] button").click()
    expect(district.locator(".status--submitted")).to_be_visible()
    merged.refresh_from_db()
    assert merged.status == Proposal.Status.SUBMITTED

    # ---- The region forms its state social order from it and approves it (Kazakh).
    region = new_page()
    log_in(region, world.users.region.email, language="kk")
    region.goto("/kk/grants/orders/")
    region.locator("main a[href$='/grants/orders/new/']").click()
    fill(region, {"title": "Жамбыл облысының мемлекеттік әлеуметтік тапсырысы: қосымша тақырыптар",
                  "first_year": "2025", "last_year": "2026"})
    submit(region)
    order = SocialOrder.objects.get(title__endswith="қосымша тақырыптар")
    region.locator(f"main a[href$='/grants/orders/{order.pk}/topics/new/']").click()
    region.locator("#id_project").select_option(str(project.pk))
    fill(region, {"title": TOPIC, "expected_results": "15 мектепте шеңберлер өтеді",
                  "budget_2025": "4000000", "budget_2026": "5000000"})
    region.locator("#id_funding_source").select_option("local")
    region.locator(f"input[name=sources][value='{merged.pk}']").check()
    submit(region)
    topic = Topic.objects.get(order=order, title=TOPIC)
    assert topic.budget_total == Decimal("9000000.00")
    assert list(topic.sources.values_list("pk", flat=True)) == [merged.pk]
    expect(region.locator(f"main a[href$='/grants/proposals/{merged.pk}/']")).to_be_visible()
    region.locator(f"form[action$='/grants/orders/{order.pk}/approve/'] button").click()
    region.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == SocialOrder.Status.APPROVED

    # ---- It announces a competition with weighted criteria.
    region.locator(f"main a[href$='/grants/topics/{topic.pk}/competition/']").click()
    fill(region, {
        "title": "Қалпына келтіру шеңберлеріне грант конкурсы",
        "requirements": "Кемінде 2 жыл тіркелген ҮЕҰ; балалармен жұмыс тәжірибесі.",
        "opens_on": (today - datetime.timedelta(days=1)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=14)).isoformat(),
        "budget": "9000000",
        "scale_max": "10",
    })
    for index, (title, weight) in enumerate((("Жобаның негізділігі", "40"), ("Тәжірибе", "35"),
                                             ("Бюджеттің негізділігі", "25"))):
        fill(region, {f"criteria-{index}-title": title, f"criteria-{index}-weight": weight})
    submit(region)
    competition = Competition.objects.get(topic=topic)
    assert sorted(competition.criteria.values_list("weight", flat=True)) == [25, 35, 40]
    expect(region.locator("main h1")).to_have_text(competition.title)

    # ---- The NGO applies (Kazakh).
    ngo = new_page()
    log_in(ngo, world.users.ngo.email, language="kk")
    ngo.goto("/kk/grants/competitions/")
    ngo.locator(f"main a[href$='/grants/competitions/{competition.pk}/']").first.click()
    ngo.locator(f"main a[href$='/grants/competitions/{competition.pk}/apply/']").click()
    expect(ngo.locator("#id_bin")).not_to_have_value("")
    fill(ngo, {
        "registered_on": "2016-04-12",
        "director_name": "Бауыржан Тоқтаров",
        "experience": "2017 жылдан бері мектептерде медиация қызметін ашады.",
        "plan": "15 мектепте қалпына келтіру шеңберлерін өткізу, медиаторларды оқыту.",
    })
    ngo.locator("#id_lines-0-year").select_option(str(today.year))
    fill(ngo, {"lines-0-item": "Шеңберлер жүргізу", "lines-0-unit": "шеңбер",
               "lines-0-quantity": "60", "lines-0-unit_cost": "120000"})
    submit(ngo)
    application = Application.objects.get(competition=competition)
    assert application.ngo_id == world.users.ngo.memberships.get().organisation_id
    assert application.requested_amount == Decimal("7200000.00")

    # ---- The region names the commission. The demo's commission helpers cannot log in,
    # so three active members of the regional education department sit on it.
    members = []
    for number, name in enumerate(("Айдос Құрманов", "Лаура Әбенова", "Ерлан Жұмабаев"), start=1):
        user = User.objects.create_user(f"commission-x{number}@tatulyq.example", settings.DEMO_PASSWORD,
                                        full_name=name)
        members.append(Membership.objects.create(
            user=user, organisation=world.jambyl_education, role=Role.REGIONAL_COORDINATOR, is_admin=False))
    region.goto(f"/kk/grants/competitions/{competition.pk}/")
    region.locator(f"main a[href$='/grants/competitions/{competition.pk}/commission/']").click()
    helper = Membership.objects.get(user__email="commission-1@tatulyq.example")  # cannot log in
    expect(region.locator(f"input[name=members][value='{helper.pk}']")).to_have_count(0)
    for membership in members:
        region.locator(f"input[name=members][value='{membership.pk}']").check()
    region.locator("#id_chair").select_option(str(members[0].pk))
    submit(region)
    assert CommissionMember.objects.filter(competition=competition).count() == 3

    # Applications close; each member declares no conflict and scores alone.
    Competition.objects.filter(pk=competition.pk).update(
        opens_on=today - datetime.timedelta(days=20), closes_on=today - datetime.timedelta(days=1))
    ngo.goto(f"/kk/grants/competitions/{competition.pk}/")  # no longer offered to apply
    expect(ngo.locator(f"main a[href$='/grants/competitions/{competition.pk}/apply/']")).to_have_count(0)
    criteria = list(competition.criteria.order_by("pk"))
    for membership, scores in zip(members, ((9, 8, 8), (8, 9, 7), (10, 8, 9)), strict=True):
        member = new_page()
        log_in(member, membership.user.email, language="kk")
        member.goto(f"/kk/grants/competitions/{competition.pk}/")
        member.locator(f"main a[href$='/grants/applications/{application.pk}/score/']").click()
        for criterion, value in zip(criteria, scores, strict=True):
            member.locator(f"#id_criterion_{criterion.pk}").fill(str(value))
        submit(member)  # without the declaration: refused at the checkbox, nothing saved
        expect(member.locator("#id_no_conflict_error")).to_have_text(t("kk", NO_CONFLICT))
        assert not application.scores.filter(member__membership=membership).exists()
        member.locator("#id_no_conflict").check()
        submit(member)
        expect(member).to_have_url(re.compile(rf"/kk/grants/competitions/{competition.pk}/$"))
        seat = CommissionMember.objects.get(competition=competition, membership=membership)
        assert seat.no_conflict_declared_at is not None
        assert application.scores.filter(member=seat).count() == 3
        member.context.close()

    # ---- The region publishes the results; both PDFs download.
    region.goto(f"/kk/grants/competitions/{competition.pk}/")
    region.locator(f"main a[href$='/grants/competitions/{competition.pk}/publish/']").click()
    expect(region.locator("#id_winner")).to_have_value(str(application.pk))
    fill(region, {"summary": "Комиссия «Бейбіт бала» бірлестігін жеңімпаз деп таныды.",
                  f"reason_{application.pk}": "Орташа балл жоғары; тәжірибе дәлелденген."})
    submit(region)
    competition.refresh_from_db()
    assert competition.status == Competition.Status.PUBLISHED
    assert competition.winner_id == application.pk
    # Weighted per member (8.40, 8.10, 9.05), then averaged over the commission.
    expect(region.locator("main table").last).to_contain_text("8,52")
    for language in ("kk", "ru"):
        with region.expect_download() as download_info:
            region.locator(f"main a[href$='/results/{language}.pdf']").click()
        download = download_info.value
        assert download.suggested_filename == f"competition-{competition.pk}-results-{language}.pdf"
        download.save_as(artifacts / f"grants-path-results-{language}.pdf")
        assert (artifacts / f"grants-path-results-{language}.pdf").read_bytes().startswith(b"%PDF")

    # ---- The region registers the agreement with two tranches (Russian).
    region.goto(f"/ru/grants/applications/{application.pk}/")
    region.locator(f"main a[href$='/grants/applications/{application.pk}/agreement/']").click()
    expect(region.locator("#id_amount")).to_have_value(re.compile(r"^7\s?200\s?000"))
    fill(region, {
        "number": "ГР-07/2026", "signed_on": today.isoformat(), "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=365)).isoformat(), "amount": "7200000",
        "tranches-0-planned_on": (today + datetime.timedelta(days=10)).isoformat(),
        "tranches-0-amount": "4320000", "tranches-0-condition": "После подписания договора",
        "tranches-1-planned_on": (today + datetime.timedelta(days=200)).isoformat(),
        "tranches-1-amount": "2880000", "tranches-1-condition": "После принятия промежуточного отчёта",
    })
    submit(region)
    expect(region.locator(".messages")).to_contain_text(t("ru", "The grant agreement is registered."))
    agreement = GrantAgreement.objects.get(application=application)
    expect(region.locator("main h1")).to_contain_text(agreement.number)
    assert agreement.amount == Decimal("7200000.00")
    assert agreement.topic_id == topic.pk
    assert sorted(agreement.tranches.values_list("amount", flat=True)) == [Decimal("2880000.00"),
                                                                        Decimal("4320000.00")]
    assert [e for e in page_errors if "favicon" not in e] == []
    region.screenshot(path=artifacts / "grants-path-agreement-ru.png", full_page=True)
