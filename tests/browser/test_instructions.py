"""The seed's workflow in the browser: the Ministry sees who in Jambyl is late; a school
head answers the district's letter (second factor included); the district consolidates
and answers up to the oblast."""

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tatulyq.accounts.demo import DEMO_TOTP_KEY
from tatulyq.directives.models import Answer, Directive, Recipient

pytestmark = pytest.mark.browser


def test_ministry_opens_the_seed_letter_and_sees_who_in_jambyl_is_late(world, page, log_in, artifacts):
    log_in(page, "ministry@tatulyq.example")
    ministry_letter = Directive.objects.get(outgoing_number="3-05-4/3494-И")
    page.goto(f"/kk/instructions/{ministry_letter.pk}/")
    expect(page.locator("h1")).to_contain_text("зорлық-зомбылықтың алдын алу")
    page.locator("a[href$='/control/']").first.click()
    # Jambyl's row: 13 of 31 below it answered, 18 late.
    jambyl_row = page.locator("tr", has_text="Жамбыл облысы әкімінің аппараты")
    expect(jambyl_row).to_contain_text("13 / 31 (18)")
    jambyl_row.locator("a", has_text="13 / 31").click()
    # Drilled down into Jambyl: its district departments, T. Ryskulov's forwarded on.
    ryskulov_row = page.locator("tr", has_text="Тұрар Рысқұлов ауданы бойынша білім бөлімі")
    expect(ryskulov_row).to_contain_text("12 / 20")
    ryskulov_row.locator("a", has_text="12 / 20").click()
    page.locator("#overdue").check()
    page.locator("form.search button[type=submit]").click()
    expect(page.locator("tbody tr")).to_have_count(10)
    page.screenshot(path=str(artifacts / "instructions-control-ryskulov-late.png"), full_page=True)


def test_school_head_answers_and_the_district_consolidates(world, new_page, log_in, artifacts):
    district_letter = Directive.objects.get(parent__outgoing_number="03-4279")
    silent = district_letter.recipients.filter(status="sent").select_related("organisation").first()
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tatulyq.accounts.models import Membership, Role, User

    head = User.objects.create_user("head-b@tatulyq.example", settings.DEMO_PASSWORD, full_name="Әлия Досова")
    Membership.objects.create(
        user=head, organisation=silent.organisation, role=Role.SCHOOL_HEAD, is_admin=True
    )
    TOTPDevice.objects.create(user=head, name="app", key=DEMO_TOTP_KEY, confirmed=True)

    page = new_page()
    log_in(page, head.email)
    page.locator("#id_token").fill(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"/kk/instructions/{district_letter.pk}/")
    page.locator(f"a[href$='/received/{silent.pk}/answer/']").click()
    page.locator("#id_report_text").fill("Мектеп медиация қызметін қаржыландыруды ұсынады: 2 медиатор.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kk/instructions/{district_letter.pk}/$"))
    # The letter also asks for a state social order proposal: written from the answer's slot.
    page.locator(f"a[href$='/received/{silent.pk}/answer/']").click()
    page.locator(f"a[href$='/grants/proposals/new/?recipient={silent.pk}']").click()
    from tatulyq.directives.models import Project

    page.locator("#id_project").select_option(str(Project.objects.get(number=4).pk))
    for field, value in (("title", "Мектептегі медиация"), ("problem", "Қақтығыстар"),
                         ("target_groups", "Оқушылар"), ("children_reached", "60"),
                         ("activities", "Медиаторларды оқыту"), ("expected_results", "Қақтығыстар азаяды"),
                         ("lines-0-item", "Медиаторларды оқыту"), ("lines-0-unit", "адам"),
                         ("lines-0-quantity", "2"), ("lines-0-unit_cost", "85000")):
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_lines-0-year").select_option("2025")
    page.locator("main form button[type=submit]").click()
    page.locator("form[action$='/submit/'] button").click()
    expect(page.locator(".status--submitted")).to_be_visible()
    page.goto(f"/kk/instructions/{district_letter.pk}/")
    page.locator(f"form[action$='/received/{silent.pk}/sign-off/'] button").click()
    silent.refresh_from_db()
    assert silent.status == "answered"
    page.screenshot(path=str(artifacts / "instructions-school-answered.png"), full_page=True)

    # The district compiles the schools' answers into its own draft to the oblast.
    district_page = new_page()
    log_in(district_page, "district@tatulyq.example")
    ryskulov_row = Recipient.objects.get(
        directive__outgoing_number="03-4279", organisation=world.ryskulov_education
    )
    Answer.objects.filter(recipient=ryskulov_row).update(status=Answer.Status.DRAFT)
    Recipient.objects.filter(pk=ryskulov_row.pk).update(status="in_progress")
    district_page.goto(f"/kk/instructions/{ryskulov_row.directive_id}/")
    district_page.locator(f"form[action$='/received/{ryskulov_row.pk}/consolidate/'] button").click()
    expect(district_page.locator("#id_report_text")).to_contain_text("2 медиатор")
    district_page.screenshot(path=str(artifacts / "instructions-district-consolidated.png"), full_page=True)
