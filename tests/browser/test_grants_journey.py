"""The money path in the browser: the region follows the budget execution down to the
agreement and is stopped at the ceiling (Russian); the NGO files a report, is told at the
field to explain a variance, and submits it (Kazakh); the region accepts it (Russian)."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def t(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


def test_region_and_ngo_follow_the_money_from_execution_to_an_accepted_report(
    world, new_page, page_errors, artifacts, live_server, log_in
):
    from tatulyq.grants.models import GrantAgreement, GrantReport

    agreement = GrantAgreement.objects.get()
    region = new_page()
    log_in(region, world.users.region.email, language="ru")
    region.locator("nav.main-nav a", has_text=t("ru", "Social order and grants")).click()
    expect(region.locator("main h1")).to_have_text(t("ru", "State social order and grants"))
    region.get_by_role("link", name=t("ru", "Budget execution")).first.click()
    expect(region.locator("main table").first).to_contain_text("18 000 000,00")
    region.locator("main table a").first.click()  # drill down: the agreements behind the row
    region.get_by_role("link", name=f"№ {agreement.number}").click()
    expect(region.locator("main h1")).to_contain_text(agreement.number)

    # A tranche over what the agreement leaves: refused at the amount field, nothing saved.
    region.get_by_role("link", name=t("ru", "Plan a tranche")).click()
    region.locator("#id_planned_on").fill("2026-06-01")
    region.locator("#id_amount").fill("1000")
    region.locator("#id_condition").fill("Дополнительный транш")
    region.locator("main form button[type=submit]").click()
    expect(region.locator("#id_amount_error")).to_contain_text("28")
    assert agreement.tranches.count() == 3

    # The grantee writes a report in Kazakh; an unexplained variance is caught at its field.
    ngo = new_page()
    log_in(ngo, world.users.ngo.email, language="kk")
    ngo.goto(f"/kk/grants/agreements/{agreement.pk}/")
    ngo.get_by_role("link", name=t("kk", "Write a report")).click()
    ngo.locator("#id_kind").select_option("interim")
    ngo.locator("#id_period_from").fill("2025-09-01")
    ngo.locator("#id_period_to").fill("2026-02-28")
    ngo.locator("#id_activities").fill("Медиаторлар супервизиясы, 12 шеңбер")
    ngo.locator("#id_girls_11_14").fill("40")
    ngo.locator("#id_boys_11_14").fill("45")
    ngo.locator("#id_expenditures-0-spent").fill("1")
    ngo.locator("#id_expenditures-1-DELETE").check()  # not spent in this period
    ngo.locator("main form button[type=submit]").click()
    expect(ngo.locator("#id_expenditures-0-variance_explanation_error")).to_have_text(
        t("kk", "Explain why the spending differs from the plan."))
    assert agreement.reports.count() == 1
    ngo.locator("#id_expenditures-0-variance_explanation").fill("Оқыту кейінге шегерілді")
    ngo.locator("main form button[type=submit]").click()
    ngo.locator("main form button[type=submit]", has_text=t("kk", "Submit to the region")).click()
    expect(ngo.locator(".messages")).to_contain_text(t("kk", "The report has been submitted to the region."))
    report = agreement.reports.latest("pk")
    assert report.status == GrantReport.Status.SUBMITTED

    # The region accepts it, in Russian.
    region.goto(f"/ru/grants/reports/{report.pk}/")
    region.locator("input[name=decision][value=accept]").check()
    region.locator("main form button[type=submit]").last.click()
    expect(region.locator(".messages")).to_contain_text(t("ru", "Your decision on the report is recorded."))
    report.refresh_from_db()
    assert report.status == GrantReport.Status.ACCEPTED
    assert [e for e in page_errors if "favicon" not in e] == []
    region.screenshot(path=artifacts / "grants-report-accepted-ru.png", full_page=True)
