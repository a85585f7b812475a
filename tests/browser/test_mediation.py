"""A school mediator takes a case from referral to closure in the browser, in Kazakh and
then Russian, and prints its forms; the coordinator approves the closure; a case of
domestic violence is routed to a referral; another school's mediator gets 404."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from tatulyq.accounts.demo import DEMO_TOTP_KEY
from tatulyq.cases.models import Case, CaseStatus, Outcome, Referral

pytestmark = pytest.mark.browser


def log_in_with_code(page, log_in, email, language="kk"):
    log_in(page, email, language=language)
    page.locator("#id_token").fill(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()


def fill_intake(page, *, harm, children):
    today = timezone.localdate()
    page.select_option("#id_referred_by", "class_teacher")
    page.locator("#id_referred_on").fill(today.isoformat())
    page.locator("#id_happened_on").fill((today - datetime.timedelta(days=1)).isoformat())
    page.select_option("#id_place", "corridor")
    page.locator(f"input[name=harm_kinds][value={harm}]").check()
    page.locator("#id_description").fill("Үзілісте сыныптасын итеріп, телефонын сындырды.")
    for index, (role, name, sex, birth) in enumerate(children):
        page.select_option(f"#id_children-{index}-role", role)
        page.locator(f"#id_children-{index}-full_name").fill(name)
        page.select_option(f"#id_children-{index}-sex", sex)
        page.locator(f"#id_children-{index}-birth_date").fill(birth)
        page.locator(f"#id_children-{index}-grade").fill("7")


def test_mediator_takes_a_case_from_referral_to_closure(world, new_page, log_in, artifacts, page_errors):
    page = new_page()
    log_in_with_code(page, log_in, "mediator@tatulyq.example")
    page.goto("/kk/mediation/")
    page.locator("a[href$='/mediation/new/']").click()
    fill_intake(page, harm="property", children=[
        ("caused", "Нұрбол Асқарұлы", "m", "2013-04-02"),
        ("harmed", "Самат Ерланұлы", "m", "2013-07-19"),
    ])
    for index, (name, child) in enumerate((("Асқар Нұрболов", "0"), ("Ерлан Саматов", "1"))):
        page.select_option(f"#id_adults-{index}-role", "parent")
        page.locator(f"#id_adults-{index}-full_name").fill(name)
        page.select_option(f"#id_adults-{index}-represents", child)
    # A wrong IIN is refused next to its field and nothing is saved.
    page.locator("#id_children-0-iin").fill("130402500000")
    count = Case.objects.count()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_children-0-iin_error")).to_be_visible()
    assert Case.objects.count() == count
    page.locator("#id_children-0-iin").fill("")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kk/mediation/\d+/$"))
    case = Case.objects.latest("id")
    assert case.participants.count() == 4

    page.locator(f"a[href$='/mediation/{case.pk}/mediators/']").first.click()
    page.locator("input[name=mediators]").first.check()
    page.locator("main form button[type=submit]").click()
    page.locator(f"a[href$='/mediation/{case.pk}/screening/']").first.click()
    page.locator("#id_parties_willing").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#next-heading")).to_be_visible()

    children = list(case.participants.filter(child__isnull=False).order_by("id"))
    for child in children:
        for giver in (child, child.representatives.get()):
            page.goto(f"/kk/mediation/{case.pk}/consents/new/")
            page.select_option("#id_participant", str(child.pk))
            page.select_option("#id_given_by", str(giver.pk))
            page.locator("main form button[type=submit]").click()
            expect(page).to_have_url(re.compile(rf"/mediation/{case.pk}/$"))

    for kind, who in (("preparatory", children[:1]), ("circle", children)):
        page.goto(f"/kk/mediation/{case.pk}/meetings/new/")
        page.select_option("#id_kind", kind)
        for participant in who:
            page.locator(f"input[name=participants][value='{participant.pk}']").check()
        page.locator("#id_outcome").fill("Тараптар сөйлесті.")
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/mediation/{case.pk}/$"))

    page.locator(f"a[href$='/mediation/{case.pk}/agreement/']").first.click()
    page.select_option("#id_obligations-0-kind", "repair")
    page.select_option("#id_obligations-0-who", str(children[0].pk))
    page.locator("#id_obligations-0-what").fill("Телефонның жөндеу ақысын төлеу")
    due = timezone.localdate() + datetime.timedelta(days=7)
    page.locator("#id_obligations-0-due_on").fill(due.isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/mediation/{case.pk}/$"))

    # The rest in Russian: the language switcher keeps the page.
    page.locator("form.language-switcher button[value=ru]").click()
    expect(page).to_have_url(re.compile(rf"/ru/mediation/{case.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.select_option("form.inline-form select[name=result]", "fulfilled")
    page.locator("form.inline-form button[type=submit]").click()
    page.locator(f"a[href$='/mediation/{case.pk}/closure/']").first.click()
    page.select_option("#id_outcome", "resolved")
    page.locator("main form button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED

    for document, language in (("consent", "kk"), ("agreement", "ru"), ("agreement", "kk")):
        response = page.request.get(f"/ru/mediation/{case.pk}/print/{document}/{language}.pdf")
        assert response.status == 200 and response.body().startswith(b"%PDF")
    page.screenshot(path=str(artifacts / "mediation-case-ru.png"), full_page=True)

    coordinator = new_page()
    log_in_with_code(coordinator, log_in, "psychologist@tatulyq.example", language="ru")
    coordinator.goto(f"/ru/mediation/{case.pk}/")
    coordinator.locator(f"a[href$='/mediation/{case.pk}/closure/decision/']").first.click()
    coordinator.locator("button[name=decision][value=approve]").click()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.RESOLVED
    response = coordinator.request.get(f"/ru/mediation/{case.pk}/print/closure/ru.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert not [e for e in page_errors if "favicon" not in e]

    # Another school's mediator cannot tell the case exists.
    other = new_page()
    log_in_with_code(other, log_in, "mediator2@tatulyq.example")
    assert other.goto(f"/kk/mediation/{case.pk}/").status == 404


def test_domestic_violence_is_routed_to_a_referral(world, new_page, log_in, artifacts):
    page = new_page()
    log_in_with_code(page, log_in, "mediator@tatulyq.example")
    page.goto("/kk/mediation/new/")
    fill_intake(page, harm="domestic_violence", children=[("harmed", "Дана Серікқызы", "f", "2014-02-11")])
    page.locator("main form button[type=submit]").click()
    case = Case.objects.latest("id")
    expect(page).to_have_url(re.compile(rf"/mediation/{case.pk}/$"))
    # No mediation can be scheduled; the page leads to the referral.
    expect(page.locator(f"a[href$='/mediation/{case.pk}/meetings/new/']")).to_have_count(0)
    page.locator(f"#next-heading ~ p a[href$='/mediation/{case.pk}/referral/']").click()
    page.select_option("#id_target", "victim_support_centre")
    page.select_option("#id_organisation", str(world.ngos[0].pk))
    page.locator("#id_summary").fill("Отбасындағы зорлық белгілері; психологиялық көмек қажет.")
    page.locator("main form button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    page.screenshot(path=str(artifacts / "mediation-referred.png"), full_page=True)

    # The receiving NGO sees it, without the child's name, and accepts it.
    referral = Referral.objects.get(case=case)
    ngo = new_page()
    log_in(ngo, "ngo@tatulyq.example")
    ngo.goto("/kk/mediation/referrals/received/")
    ngo.locator(f"a[href$='/referrals/received/{referral.pk}/']").click()
    expect(ngo.locator("main")).not_to_contain_text("Дана Серікқызы")
    ngo.select_option("#id_status", "accepted")
    ngo.locator("main form button[type=submit]").click()
    referral.refresh_from_db()
    assert referral.status == "accepted"
