"""The monitoring pages: drill-down, suppression as each viewer sees it, reports and their
actions, the framework, the stage-3 summary; query counts that do not grow with rows."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tatulyq.monitoring.models import ReportStatus, SummaryExport
from tatulyq.orgs.models import Organisation


def node_url(organisation, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return reverse("monitoring:node", args=[organisation.pk]) + (f"?{params}" if params else "")


def cell(html, table_id):
    return html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


def test_orken_opens_the_national_dashboard_with_map_trend_and_pairs(
    world, login_as, client, django_assert_max_num_queries, period
):
    login_as(world.users.methodologist)
    response = client.get(reverse("monitoring:dashboard"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="chart chart--map"' in html and 'class="chart chart--line"' in html
    assert html.count('<path d="M') == 17 and html.count('r="9"') == 3  # 17 regions, 3 cities
    assert 'id="pairs-table"' in html and world.jambyl_akimat.territory.name_kk in html
    national = Organisation.objects.get(kind="ministry")
    with django_assert_max_num_queries(60):
        assert client.get(node_url(national, period=period(2026, 3).pk)).status_code == 200


def test_the_query_count_of_a_district_page_does_not_grow_with_its_schools(world, login_as, client, period):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(world.users.methodologist)
    url = node_url(world.ryskulov_akimat, period=period(2026, 3).pk)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for school in world.schools[:5]:  # five more schools to list (save() keeps the tree's paths)
        school.pk, school.bin, school.name_kk = None, "", school.name_kk + " (2)"
        school.save()
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_above_school_level_small_cells_are_suppressed(world, login_as, client, period):
    login_as(world.users.district)
    html = client.get(
        node_url(world.ryskulov_akimat, period=period(2026, 3).pk, indicator="cases-referred")
    ).content.decode()
    table = cell(html, "children-table")
    assert "&lt;5" in table
    school_html = client.get(node_url(world.school, period=period(2026, 3).pk)).content.decode()
    assert "&lt;5" in cell(school_html, "overview-table")


def test_school_staff_see_their_own_school_exactly_and_nothing_else(world, login_as, client, period):
    login_as(world.users.head)
    response = client.get(reverse("monitoring:dashboard"), follow=True)
    assert response.redirect_chain[-1][0].startswith(node_url(world.school))
    html = client.get(node_url(world.school, period=period(2026, 1).pk)).content.decode()
    assert "&lt;5" not in cell(html, "overview-table")
    assert client.get(node_url(world.other_school)).status_code == 404
    assert client.get(node_url(world.ryskulov_akimat)).status_code == 404


def test_a_region_sees_its_own_subtree_only(world, login_as, client):
    login_as(world.users.region)
    assert client.get(node_url(world.jambyl_akimat)).status_code == 200
    other = Organisation.objects.filter(kind="regional_akimat").exclude(pk=world.jambyl_akimat.pk).first()
    assert client.get(node_url(other)).status_code == 404
    assert client.get(node_url(Organisation.objects.get(kind="ministry"))).status_code == 404


def test_an_ngo_has_no_monitoring(world, login_as, client):
    login_as(world.users.ngo)
    assert client.get(reverse("monitoring:dashboard")).status_code == 404


def test_the_region_page_shows_breakdowns_by_sex_and_age(world, login_as, client, period):
    login_as(world.users.region)
    html = client.get(node_url(world.jambyl_akimat, period=period(2026, 1).pk)).content.decode()
    assert 'id="breakdown-table"' in html


def test_a_wrong_value_is_explained_next_to_its_field(world, login_as, client, period):
    login_as(world.users.region)
    client.post(reverse("monitoring:open_report"), {"period": period(2026, 4).pk})
    report = world.jambyl_education.monitoring_reports.get(period=period(2026, 4))
    response = client.post(
        reverse("monitoring:report", args=[report.pk]), {"v_p4-services": "сорок", "c_p4-services": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_v_p4-services_error"', html)


def test_returning_without_a_reason_is_explained_and_changes_nothing(world, login_as, client, period, member):
    from tatulyq.monitoring import services

    head = member("head")
    report = services.open_report(membership=head, organisation=world.school, period=period(2026, 4))
    services.submit_report(membership=head, report=report)
    login_as(world.users.district)
    url = reverse("monitoring:report_action", args=[report.pk, "return"])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 400
    assert 'id="id_comment_error"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert client.post(reverse("monitoring:report_action", args=[report.pk, "accept"])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_the_district_lists_the_reports_it_reviews(world, login_as, client, period):
    login_as(world.users.district)
    html = client.get(reverse("monitoring:reports") + f"?period={period(2026, 3).pk}").content.decode()
    assert cell(html, "review-table").split("<tbody>")[1].count("<tr>") == len(world.schools)


def test_the_framework_page_lists_the_indicators(world, login_as, client):
    login_as(world.users.methodologist)
    html = client.get(reverse("monitoring:framework") + "?edit=cases-referred").content.decode()
    assert 'id="framework-table"' in html and 'name="jump_factor"' in html


def test_the_framework_page_says_how_each_indicator_adds_up_over_quarters(world, login_as, client):
    from django.utils import translation

    login_as(world.users.methodologist)
    with translation.override("ru"):
        html = client.get(reverse("monitoring:framework")).content.decode()
    assert "значение последнего квартала" in html and "суммируется по кварталам" in html
    assert "городская / сельская школа" in html  # the urban/rural breakdown, not "kind of service"


def test_the_summary_form_offers_the_readers_language_first(world, login_as, client):
    from django.utils import translation

    login_as(world.users.methodologist)
    with translation.override("ru"):
        html = client.get(reverse("monitoring:summaries")).content.decode()
    assert '<option value="ru" selected>' in html


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_stage_3_summary_is_prepared_in_both_languages(world, login_as, client, language):
    from docx import Document
    from openpyxl import load_workbook

    login_as(world.users.methodologist)
    response = client.post(reverse("monitoring:summaries"), {"as_of": "2026-12-01", "language": language})
    export = SummaryExport.objects.latest("pk")
    assert response.status_code == 302 and export.language == language
    assert export.status == SummaryExport.Status.DONE and export.progress == 100
    assert export.data_version is not None
    page = client.get(reverse("monitoring:summary", args=[export.pk])).content.decode()
    assert 'id="summary-files"' in page
    pdf = b"".join(client.get(reverse("monitoring:summary_file", args=[export.pk, "pdf"])).streaming_content)
    assert pdf.startswith(b"%PDF")
    docx = b"".join(
        client.get(reverse("monitoring:summary_file", args=[export.pk, "docx"])).streaming_content
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    mediation = {"kk": "медиация", "ru": "Медиация"}[language]
    assert mediation.lower() in text.lower()
    xlsx = b"".join(
        client.get(reverse("monitoring:summary_file", args=[export.pk, "xlsx"])).streaming_content
    )
    workbook = load_workbook(io.BytesIO(xlsx))
    assert len(workbook.worksheets) == 3
    values = [row[1] for row in workbook.worksheets[0].iter_rows(min_row=3, values_only=True) if len(row) > 1]
    # Shown figures are numbers to add up; hidden ones keep their mark or range as text.
    assert any(isinstance(v, int | float) and v > 0 for v in values)
    assert any(isinstance(v, str) and "–" in v for v in values)  # a hidden sum's range


def test_a_summary_before_the_first_quarter_is_refused_at_the_date(world, login_as, client):
    from django.utils import translation

    from tatulyq.monitoring.models import SummaryExport

    login_as(world.users.methodologist)
    with translation.override("ru"):
        response = client.post(reverse("monitoring:summaries"), {"as_of": "2024-06-01", "language": "ru"})
    html = response.content.decode()
    assert response.status_code == 200 and "Ни один отчётный квартал" in html
    assert not SummaryExport.objects.exists()


def test_only_the_republic_level_prepares_the_summary(world, login_as, client):
    login_as(world.users.region)
    assert client.get(reverse("monitoring:summaries")).status_code == 404


def test_a_report_seen_above_school_level_hides_small_figures(world, login_as, client, period, member):
    from tatulyq.monitoring import services
    from tatulyq.monitoring.models import Report, ReportValue

    school = Report.objects.get(organisation=world.school, period=period(2026, 3))
    small = ReportValue.objects.filter(report=school, code="cases-referred", cell="").get().value
    assert small < 5
    login_as(world.users.district)
    html = client.get(reverse("monitoring:report", args=[school.pk])).content.decode()
    assert "&lt;5" in cell(html, "computed-table")
    # A region's draft is in no published total: its small figures are hidden all the same.
    from tatulyq.accounts.models import Membership, Role

    abai = Organisation.objects.get(kind="regional_education", territory__code="100000000")
    coordinator = Membership.objects.create(
        user=world.users.region, organisation=abai, role=Role.REGIONAL_COORDINATOR
    )
    draft = services.open_report(membership=coordinator, organisation=abai, period=period(2026, 4))
    ReportValue.objects.filter(report=draft, code="p1-screened").update(value=3)
    client.logout()
    login_as(world.users.methodologist)
    html = client.get(reverse("monitoring:report", args=[draft.pk])).content.decode()
    assert "&lt;5" in cell(html, "entered-table")


def test_editing_an_accepted_report_is_refused_with_a_message(world, login_as, client, period):
    from tatulyq.monitoring.models import Report, ReportValue

    report = Report.objects.get(organisation=world.jambyl_education, period=period(2026, 2))
    assert report.status == ReportStatus.ACCEPTED
    before = list(ReportValue.objects.filter(report=report).values_list("code", "value"))
    login_as(world.users.region)
    response = client.post(reverse("monitoring:report", args=[report.pk]), {"v_p4-services": "1"})
    assert response.status_code == 200
    assert 'role="alert"' in cell(response.content.decode(), "entered-heading")
    assert list(ReportValue.objects.filter(report=report).values_list("code", "value")) == before


def test_orken_changes_an_indicator_and_closes_a_quarter(world, login_as, client, period):
    from tatulyq.monitoring.models import FrameworkVersion

    login_as(world.users.methodologist)
    html = client.get(reverse("monitoring:framework") + "?edit=cases-referred").content.decode()
    assert 'name="code" value="cases-referred"' in html
    response = client.post(
        reverse("monitoring:framework"),
        {
            "code": "cases-referred",
            "target": "2000",
            "min_value": "0",
            "max_value": "500",
            "jump_factor": "4",
            "note": "Нысана жаңартылды",
        },
    )
    assert response.status_code == 302
    assert (
        FrameworkVersion.objects.order_by("-number").first().indicators.get(code="cases-referred").target
        == 2000
    )
    q4 = period(2026, 4)
    assert (
        client.post(reverse("monitoring:period_status", args=[q4.pk]), {"status": "closed"}).status_code
        == 302
    )
    q4.refresh_from_db()
    assert q4.status == "closed"


def test_a_region_cannot_approve_its_own_report(world, login_as, client, period):
    from tatulyq.monitoring.models import Report

    report = Report.objects.get(organisation=world.jambyl_education, period=period(2026, 3))
    login_as(world.users.region)
    response = client.post(reverse("monitoring:report_action", args=[report.pk, "accept"]), follow=True)
    assert response.status_code == 200
    assert "message--error" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_share_never_gives_a_small_count_away():
    from decimal import Decimal

    from tatulyq.monitoring import selectors
    from tatulyq.monitoring.models import Indicator

    share = Indicator(code="share", unit="percent", aggregation="ratio", numerator="n", denominator="d")
    data = {"n": {"": Decimal(3)}, "d": {"": Decimal(40)}}
    assert selectors.figure(share, data, node_id=1, maps={}, exact=False).is_hidden
    assert selectors.figure(share, data, node_id=1, maps={}, exact=True).text == "7.5"


def breakdown_rows(html):
    return cell(html, "breakdown-table")


def test_the_region_page_shows_the_urban_and_rural_breakdown_next_to_sex_and_age(
    world, login_as, client, period
):
    from tatulyq.monitoring.selectors import CELL_LABELS, DIMENSION_LABELS

    login_as(world.users.region)
    html = client.get(node_url(world.jambyl_akimat, period=period(2026, 1).pk)).content.decode()
    table = breakdown_rows(html)
    for dim in ("sex", "age", "area"):
        assert str(DIMENSION_LABELS[dim]) in table
    assert f"{CELL_LABELS['area:urban']}: " in table and f"{CELL_LABELS['area:rural']}: " in table


def test_a_small_urban_or_rural_cell_of_a_region_is_hidden(world, login_as, client, period):
    """A small urban or rural cell shows "<5"; withheld (a school behind it is hidden) it
    shows "…" whatever its value, not even "<5"."""
    from tatulyq.monitoring import selectors, suppression
    from tatulyq.monitoring.models import Indicator

    indicator = Indicator.objects.filter(code="cases-children").order_by("-version__number").first()
    assert "area" in indicator.dimensions
    region = world.jambyl_akimat.pk
    data = {"cases-children": {"": Decimal(12), "area:urban": Decimal(3), "area:rural": Decimal(9)}}

    def area_texts(maps):
        rows = dict(selectors.breakdown(indicator, data, node_id=region, maps=maps, exact=False))
        return [f.text for _label, f in rows[selectors.DIMENSION_LABELS["area"]]]

    assert area_texts({}) == ["<5", "9"]
    withheld = {("c", region, f"area:{a}"): suppression.WITHHELD for a in ("urban", "rural")}
    assert area_texts({"cases-children": withheld}) == ["…", "…"]
    login_as(world.users.region)
    html = client.get(node_url(world.jambyl_akimat, period=period(2026, 1).pk)).content.decode()
    urban = breakdown_rows(html).split(f"{selectors.CELL_LABELS['area:urban']}: ", 1)[1][:80]
    assert "&lt;5" in urban or "…" in urban


def test_a_school_sees_no_urban_or_rural_cell_repeating_its_total(world, login_as, client, period):
    from tatulyq.monitoring.selectors import CELL_LABELS, DIMENSION_LABELS

    login_as(world.users.head)
    html = client.get(node_url(world.school, period=period(2026, 1).pk)).content.decode()
    assert 'id="breakdown-table"' in html and str(DIMENSION_LABELS["sex"]) in breakdown_rows(html)
    assert str(DIMENSION_LABELS["area"]) not in breakdown_rows(html)
    assert str(CELL_LABELS["area:rural"]) not in breakdown_rows(html)


def test_the_urban_and_rural_breakdown_adds_no_query_to_the_region_page(world, login_as, client, period):
    """Same number of queries with and without the new dimension, the suppression computed
    afresh each time (the region page: breakdowns and the country's suppression map)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tatulyq.monitoring import rollups
    from tatulyq.monitoring.models import Indicator

    login_as(world.users.region)
    url = node_url(world.jambyl_akimat, period=period(2026, 1).pk)
    client.get(url)

    def count():
        rollups.bump_version()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the first recomputation creates the stored maps, later ones update them
    with_area = count()
    for indicator in Indicator.objects.all():
        if "area" in indicator.dimensions:
            indicator.dimensions = [d for d in indicator.dimensions if d != "area"]
            indicator.save(update_fields=["dimensions"])
    assert count() == with_area


def test_orken_is_shown_its_own_deadline_to_approve_not_the_regions(world, login_as, client):
    from tatulyq.monitoring.models import Period

    period = Period.objects.get(year=2026, quarter=3)
    login_as(world.users.methodologist)
    html = client.get(reverse("monitoring:reports") + f"?period={period.pk}").content.decode()
    assert f"<strong>{period.national_deadline:%d.%m.%Y}</strong>" in html
