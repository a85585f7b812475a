"""Monitoring in the browser: «Өркен» opens the national dashboard, drills down to a
Jambyl school's aggregate and sees its small cells suppressed, approves Jambyl's report
for 2026 Q3 and prepares the stage-3 national summary in Kazakh and in Russian."""

import re

import pytest
from playwright.sync_api import expect

from tatulyq.monitoring.models import Period, Report, SummaryExport

pytestmark = pytest.mark.browser


def test_orken_drills_down_approves_a_region_and_prepares_the_summary(world, page, log_in, artifacts,
                                                                      page_errors):
    q3 = Period.objects.get(year=2026, quarter=3)
    log_in(page, "methodologist@tatulyq.example")
    page.locator(".main-nav a[href$='/monitoring/']").click()
    expect(page.locator("h1")).to_have_text("Мониторинг: бүкіл ел")
    expect(page.locator("svg.chart--map")).to_be_visible()
    page.locator("#period").select_option(str(q3.pk))
    page.locator("form.search button[type=submit]").click()
    page.screenshot(path=str(artifacts / "monitoring-national.png"), full_page=True)

    # National → Jambyl → T. Ryskulov district → School No. 1.
    page.locator("#children-table a", has_text=world.jambyl_akimat.territory.name_kk).click()
    expect(page.locator("h1")).to_contain_text(world.jambyl_akimat.territory.name_kk)
    expect(page.locator("#breakdown-table")).to_be_visible()
    page.locator("#children-table a", has_text=world.ryskulov_akimat.territory.name_kk).click()
    expect(page.locator("#children-table tbody tr")).to_have_count(len(world.schools))
    page.locator("#children-table a", has_text=world.school.name_kk).click()
    expect(page.locator("h1")).to_have_text(world.school.name_kk)
    overview = page.locator("#overview-table")
    expect(overview).to_contain_text("<5")
    expect(page.locator(".notice")).to_contain_text("<5")
    page.screenshot(path=str(artifacts / "monitoring-school-suppressed.png"), full_page=True)

    # Jambyl's own report for 2026 Q3 waits for «Өркен».
    page.locator("a[href*='/monitoring/reports/']").first.click()
    page.locator("#period").select_option(str(q3.pk))
    page.locator("form.search button[type=submit]").click()
    page.locator("#review-table a", has_text=world.jambyl_education.name_kk).click()
    page.locator("#accept-report").click()
    expect(page.locator("#report-status")).to_have_text("қабылданды")
    assert Report.objects.get(organisation=world.jambyl_education, period=q3).status == "accepted"

    # The stage-3 national summary, in Kazakh, then in Russian.
    for language in ("kk", "ru"):
        page.goto(f"/{language}/monitoring/summary/")
        page.locator("#id_language").select_option(language)
        page.locator("#generate-summary").click()
        expect(page).to_have_url(re.compile(rf"/{language}/monitoring/summary/\d+/$"))
        expect(page.locator("#summary-files a")).to_have_count(3, timeout=60_000)
        export = SummaryExport.objects.latest("pk")
        assert export.status == "done" and export.language == language and export.pdf
    page.screenshot(path=str(artifacts / "monitoring-summary.png"), full_page=True)
    assert not [e for e in page_errors if "favicon.ico" not in e]
