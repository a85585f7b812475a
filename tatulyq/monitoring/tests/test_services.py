"""The rules of periodic reporting, each test named after its rule."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tatulyq.audit.models import AuditEntry
from tatulyq.cases.models import Case
from tatulyq.monitoring import rollups, services, sources
from tatulyq.monitoring.models import Aggregate, Period, PeriodStatus, ReportStatus, ReportValue
from tatulyq.orgs.models import Organisation


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are matched in English (the root conftest restores Kazakh)."""
    from django.utils import translation

    translation.activate("en")


def value_of(report, code, cell=""):
    return (
        ReportValue.objects.filter(report=report, code=code, cell=cell)
        .values_list("value", flat=True)
        .first()
    )


def national(period, code, column="value_approved"):
    node = Organisation.objects.get(kind="ministry")
    row = Aggregate.objects.filter(node=node, period=period, code=code, cell="").first()
    return getattr(row, column) if row else 0


@pytest.fixture
def jambyl_q4(world, member, period):
    region = member("region", world.jambyl_education)
    return region, services.open_report(
        membership=region, organisation=world.jambyl_education, period=period(2026, 4)
    )


def test_value_of_the_wrong_type_is_refused_next_to_its_field(jambyl_q4):
    region, report = jambyl_q4
    before = value_of(report, "p4-mediators")
    with pytest.raises(ValidationError) as error:
        services.save_values(
            membership=region, report=report, values={"p4-services": "many", "p4-mediators": "400"}
        )
    assert "v_p4-services" in error.value.error_dict
    assert value_of(report, "p4-mediators") == before  # nothing half-saved


def test_value_out_of_range_is_refused_and_nothing_is_saved(jambyl_q4):
    region, report = jambyl_q4
    before = value_of(report, "p4-mediators")
    with pytest.raises(ValidationError) as error:
        services.save_values(
            membership=region, report=report, values={"p4-services": "-3", "p4-mediators": "400"}
        )
    assert "between" in " ".join(error.value.error_dict["v_p4-services"][0].messages)
    assert value_of(report, "p4-mediators") == before


def test_a_fraction_of_a_child_is_refused(jambyl_q4):
    region, report = jambyl_q4
    with pytest.raises(ValidationError) as error:
        services.save_values(membership=region, report=report, values={"p4-mediators": "2.5"})
    assert "v_p4-mediators" in error.value.error_dict


def test_a_sudden_jump_asks_for_a_comment(world, jambyl_q4, period, report_of):
    region, report = jambyl_q4
    previous = value_of(report_of(world.jambyl_education, period(2026, 3)), "p4-services")
    assert previous >= 10
    jump = str(int(previous) // 5)
    with pytest.raises(ValidationError) as error:
        services.save_values(membership=region, report=report, values={"p4-services": jump})
    assert "comment" in " ".join(error.value.error_dict["v_p4-services"][0].messages)
    services.save_values(
        membership=region,
        report=report,
        values={"p4-services": jump},
        comments={"p4-services": "Жаңа мектептер қосылды."},
    )
    assert value_of(report, "p4-services") == int(jump)


def test_a_report_for_a_period_not_open_is_refused(world, member):
    head = member("head")
    planned = Period.objects.create(
        year=2027,
        quarter=1,
        starts_on="2027-01-01",
        ends_on="2027-03-31",
        status=PeriodStatus.PLANNED,
        school_deadline="2027-04-05",
        district_deadline="2027-04-10",
        region_deadline="2027-04-15",
        national_deadline="2027-04-25",
    )
    with pytest.raises(ValidationError) as error:
        services.open_report(membership=head, organisation=world.school, period=planned)
    assert "period" in error.value.error_dict
    assert not planned.reports.exists()


def test_values_cannot_be_saved_once_the_period_is_closed(jambyl_q4, period, member):
    region, report = jambyl_q4
    services.set_period_status(
        membership=member("methodologist"), period=period(2026, 4), status=PeriodStatus.CLOSED
    )
    report.period.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.save_values(membership=region, report=report, values={"p4-mediators": "400"})
    assert "period" in error.value.error_dict


@pytest.fixture
def school_q4_submitted(world, member, period):
    head = member("head")
    report = services.open_report(membership=head, organisation=world.school, period=period(2026, 4))
    return head, services.submit_report(membership=head, report=report)


def test_approving_above_ones_level_is_refused(world, member, school_q4_submitted, period, report_of):
    _head, report = school_q4_submitted
    for name in ("region", "methodologist", "head"):
        with pytest.raises(ValidationError, match="outside your level"):
            services.accept_report(membership=member(name), report=report)
    jambyl_q3 = report_of(world.jambyl_education, period(2026, 3))
    assert jambyl_q3.status == ReportStatus.SUBMITTED
    for name in ("district", "region"):
        with pytest.raises(ValidationError, match="outside your level"):
            services.accept_report(membership=member(name), report=jambyl_q3)
    report.refresh_from_db()
    jambyl_q3.refresh_from_db()
    assert report.status == jambyl_q3.status == ReportStatus.SUBMITTED


def test_an_accepted_report_is_locked(world, member, school_q4_submitted, jambyl_q4):
    _head, report = school_q4_submitted
    services.accept_report(membership=member("district"), report=report)
    region, region_report = jambyl_q4
    services.save_values(
        membership=region,
        report=region_report,
        values={"p4-mediators": "12"},
        comments={"p4-mediators": "Оқу кезеңі аяқталды."},
    )
    accepted_region = region_report  # accepted by hand: Jambyl's districts are not all done
    accepted_region.status = ReportStatus.ACCEPTED
    accepted_region.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="locked"):
        services.save_values(membership=region, report=accepted_region, values={"p4-mediators": "13"})
    assert value_of(accepted_region, "p4-mediators") == 12


def test_a_correction_reopens_the_chain_from_that_level(
    world, member, period, report_of, django_capture_on_commit_callbacks
):
    q3 = period(2026, 3)
    school, district, region = (
        report_of(org, q3) for org in (world.school, world.ryskulov_education, world.jambyl_education)
    )
    assert school.status == district.status == ReportStatus.ACCEPTED
    assert region.status == ReportStatus.SUBMITTED
    referred = value_of(school, "cases-referred") or 0
    before_all = national(q3, "cases-referred", "value_all")
    entries = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        reopened = services.reopen_report(
            membership=member("region", world.jambyl_education),
            report=school,
            reason="Бір іс екі рет есептелген.",
        )
    assert {r.pk for r in reopened} == {school.pk, district.pk, region.pk}
    # Each sender is told by e-mail, in their language, with the reason.
    senders = {r.submitted_by.user.email for r in (school, district, region) if r.submitted_by}
    assert {address for m in mail.outbox for address in m.to} == senders and senders
    assert all("Бір іс екі рет есептелген." in m.body for m in mail.outbox)
    for item in (school, district, region):
        item.refresh_from_db()
        assert item.status == ReportStatus.RETURNED
    assert national(q3, "cases-referred", "value_all") == before_all - referred
    assert AuditEntry.objects.count() == entries + 3
    # The school corrects and sends it up again.
    services.submit_report(membership=member("head"), report=school)


def test_only_a_level_above_reopens_and_says_why(world, member, period, report_of):
    school = report_of(world.school, period(2026, 3))
    with pytest.raises(ValidationError):
        services.reopen_report(membership=member("head"), report=school, reason="x")
    with pytest.raises(ValidationError) as error:
        services.reopen_report(membership=member("district"), report=school, reason=" ")
    assert "reason" in error.value.error_dict


def test_a_district_approves_only_when_all_its_schools_are_accepted(world, member, period):
    district = member("district")
    report = services.open_report(
        membership=district, organisation=world.ryskulov_education, period=period(2026, 4)
    )
    with pytest.raises(ValidationError, match="not accepted yet"):
        services.submit_report(membership=district, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_returning_needs_a_reason_and_notifies_the_sender(
    world, member, school_q4_submitted, django_capture_on_commit_callbacks
):
    head, report = school_q4_submitted
    with pytest.raises(ValidationError) as error:
        services.return_report(membership=member("district"), report=report, comment="  ")
    assert "comment" in error.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(membership=member("district"), report=report, comment="Толтырылмаған.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert [m.to for m in mail.outbox] == [[head.user.email]]
    assert "Толтырылмаған." in mail.outbox[0].body


def test_an_acceptance_is_in_the_national_figures_at_once(world, member, period, report_of):
    q3 = period(2026, 3)
    region = report_of(world.jambyl_education, q3)
    own = value_of(region, "p4-services")
    before = national(q3, "p4-services")
    services.accept_report(membership=member("methodologist"), report=region)
    assert national(q3, "p4-services") == before + own
    # The incremental figures are exactly what a full rebuild gives.
    snapshot = sorted(
        Aggregate.objects.values_list("node_id", "period_id", "code", "cell", "value_all", "value_approved")
    )
    rollups.rebuild()
    again = sorted(
        Aggregate.objects.values_list("node_id", "period_id", "code", "cell", "value_all", "value_approved")
    )
    assert [row for row in snapshot if any(row[4:])] == [row for row in again if any(row[4:])]


def test_a_report_keeps_the_framework_version_it_was_filed_under(world, member, period, report_of):
    filed = report_of(world.school, period(2026, 3))
    version = services.revise_indicator(
        membership=member("methodologist"), code="cases-referred", note="Нысана өзгерді", target=2000
    )
    filed.refresh_from_db()
    assert filed.version.number == 1 and version.number == 2
    assert version.indicators.get(code="cases-referred").target == 2000
    report_of(world.other_school, period(2026, 4)).delete()  # the demo's draft
    fresh = services.open_report(
        membership=member("mediator2"), organisation=world.other_school, period=period(2026, 4)
    )
    assert fresh.version == version


def test_only_the_methodological_centre_changes_the_framework(member):
    with pytest.raises(ValidationError):
        services.revise_indicator(membership=member("region"), code="cases-referred", note="x", target=1)


def test_case_indicators_are_computed_from_the_cases(world, period, report_of):
    q = period(2026, 1)
    report = report_of(world.school, q)
    referred = Case.objects.filter(
        school=world.school, referred_on__gte=q.starts_on, referred_on__lte=q.ends_on
    ).count()
    assert value_of(report, "cases-referred") == referred
    children = value_of(report, "cases-children") or 0
    assert sum(value_of(report, "cases-children", f"sex:{s}") or 0 for s in "fm") == children


def test_grant_figures_come_from_the_grants_of_the_region(world, period):
    """Money and reach are read from the state social order, agreements, tranches and
    accepted grantee reports, never typed again."""
    from django.db.models import Sum

    from tatulyq.grants.models import GrantAgreement, ReportExpenditure, TopicBudget, Tranche
    from tatulyq.grants.monitoring import compute_for_monitoring

    assert sources.available("grants")
    q = period(2026, 4)
    jambyl = world.jambyl_education
    values = compute_for_monitoring(organisations=[jambyl], period=q)[jambyl.pk]
    region = {"topic__order__region": jambyl.territory}
    planned = TopicBudget.objects.filter(
        topic__order__status="approved", topic__order__region=jambyl.territory, year__lte=2026
    ).aggregate(s=Sum("amount"))["s"]
    assert planned and values[("grants-planned", "")] == planned
    contracted = GrantAgreement.objects.filter(signed_on__lte=q.ends_on, **region).aggregate(s=Sum("amount"))[
        "s"
    ]
    assert contracted and values[("grants-contracted", "")] == contracted
    paid = Tranche.objects.filter(paid_on__lte=q.ends_on, agreement__topic__order__region=jambyl.territory)
    assert values[("grants-paid", "")] == (paid.aggregate(s=Sum("paid_amount"))["s"] or 0)
    spent = ReportExpenditure.objects.filter(
        report__status="accepted", report__agreement__topic__order__region=jambyl.territory
    ).aggregate(s=Sum("spent"))["s"]
    assert values[("grants-spent", "")] == (spent or 0)
    assert values[("grants-ngos", "")] >= 1
    # A region without an order has zeros, not gaps.
    elsewhere = Organisation.objects.filter(kind="regional_education").exclude(pk=jambyl.pk).first()
    figures = compute_for_monitoring(organisations=[elsewhere], period=q)[elsewhere.pk]
    assert set(figures.values()) == {0}


def test_completeness_expects_only_organisations_open_during_the_period(world, period):
    from tatulyq.monitoring import selectors

    q = period(2026, 3)
    node = world.ryskulov_akimat
    before = selectors.completeness(node, q, [])["node"].expected
    Organisation.objects.filter(pk=world.schools[-1].pk).update(closed_on="2026-06-30")
    Organisation.objects.filter(pk=world.schools[-2].pk).update(opened_on="2026-10-01")
    assert selectors.completeness(node, q, [])["node"].expected == before - 2


def test_an_acceptance_prepares_the_quarters_suppression_in_the_background(
    world, member, period, report_of, django_capture_on_commit_callbacks
):
    from tatulyq.monitoring.models import SuppressionMap

    q3 = period(2026, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_report(
            membership=member("methodologist"), report=report_of(world.jambyl_education, q3)
        )
    q3.refresh_from_db()
    stored = SuppressionMap.objects.filter(period=q3)
    assert stored.count() >= 2 and all(m.version == q3.data_version for m in stored)


def test_case_indicators_are_split_urban_and_rural_for_a_region(world, period):
    """Every child of an urban school counts in its urban cell, of a rural one in its rural
    cell; the region's urban and rural cells add up to its total."""
    from tatulyq.orgs.models import Locality

    q = period(2026, 1)
    Organisation.objects.filter(pk=world.other_school.pk).update(locality=Locality.URBAN)
    schools = list(Organisation.objects.filter(pk__in=[world.school.pk, world.other_school.pk]))
    computed = sources.compute("cases", organisations=schools, period=q)
    for school in schools:
        cells = computed[school.pk]
        for code in ("cases-children", "cases-repeat-90", "cases-rehab-plans"):
            own, other = ("urban", "rural") if school.locality == Locality.URBAN else ("rural", "urban")
            assert cells.get((code, f"area:{own}"), 0) == cells[(code, "")]
            assert (code, f"area:{other}") not in cells
    rollups.rebuild([q.pk])
    rows = dict(
        Aggregate.objects.filter(node=world.jambyl_akimat, period=q, code="cases-children").values_list(
            "cell", "value_all"
        )
    )
    assert rows[""] > 0
    assert rows.get("area:urban", 0) + rows.get("area:rural", 0) == rows[""]


def test_a_school_whose_locality_is_not_recorded_has_no_urban_or_rural_cell(world, period):
    q = period(2026, 1)
    Organisation.objects.filter(pk=world.school.pk).update(locality="")
    school = Organisation.objects.get(pk=world.school.pk)
    cells = sources.compute("cases", organisations=[school], period=q)[school.pk]
    assert not [cell for _code, cell in cells if cell.startswith("area:")]
    assert ("cases-children", "") in cells


def test_the_two_views_never_show_a_small_difference(world):
    """Wherever a district, region or the Republic is shown both in "approved only" and in
    "all data", the difference — what is received but not yet accepted — is 5 or more, or
    nobody below sent anything not yet accepted; and "all data" hides a cell exactly as the
    approved and the pending parts combined say (suppression.combine)."""
    from tatulyq.monitoring import selectors, suppression
    from tatulyq.monitoring.models import Report

    accepted = Report.objects.filter(organisation__kind="school", status=ReportStatus.ACCEPTED).first()
    # One school's accepted report back to "submitted": its district gets a pending part.
    Report.objects.filter(pk=accepted.pk).update(status=ReportStatus.SUBMITTED)
    rollups.rebuild()
    tree = selectors._tree()
    with_pending = 0
    for indicator in selectors.indicators():
        if not indicator.counts_children or indicator.aggregation != "sum":
            continue
        for quarter in Period.objects.all():
            part = selectors._part_suppression
            approved, approved_cells = part(indicator, quarter.pk, selectors.APPROVED, tree)
            pending, pending_cells = part(indicator, quarter.pk, selectors.PENDING, tree)
            shown_all = selectors.suppression_map(indicator, quarter.pk, selectors.ALL)
            assert shown_all == suppression.combine((approved, approved_cells), (pending, pending_cells))
            assert selectors.suppression_map(indicator, quarter.pk, selectors.APPROVED) == approved
            rows = Aggregate.objects.filter(period=quarter, code=indicator.code, cell="")
            for node, value_all, value_approved in rows.values_list("node_id", "value_all", "value_approved"):
                key = ("n", node)
                if key in shown_all or key in approved or key not in approved_cells:
                    continue
                difference = value_all - value_approved
                assert key not in pending_cells or difference >= suppression.THRESHOLD, (indicator.code, node)
            with_pending += bool(pending_cells)
    assert with_pending, "the world has no pending part to compare"


def test_a_cumulative_summary_figure_says_nothing_the_quarters_do_not(world):
    """The stage-3 summary's figures about children are sums of quarters: one is shown
    only where every quarter of it is shown on the dashboards ("approved only"), so
    setting the summary beside the quarterly figures gives no small quarter away."""
    import datetime

    from tatulyq.monitoring import selectors, summary

    content = summary.build(as_of=datetime.date(2026, 12, 1), language="en")
    national = selectors.national_node()
    lines = [line for line in content.overview if line.indicator.counts_children]
    assert lines
    shown = 0
    for line in lines:
        if line.figure.is_hidden or line.figure.value is None or line.indicator.aggregation != "sum":
            continue
        shown += 1
        for period in content.periods:
            quarter = selectors.suppression_map(line.indicator, period.pk, selectors.APPROVED)
            assert ("n", national.pk) not in quarter, (line.indicator.code, period)
    assert shown, "no cumulative figure about children is shown at all"


def test_a_stock_in_the_summary_is_each_regions_latest_approved_quarter(world):
    """Money contracted since the programme began, or centres operating, is not added up
    over quarters: each region's figure is its latest quarter with an accepted value and
    the Republic's is the sum of the regions'. A flow is still the sum of its quarters."""
    import datetime
    from collections import defaultdict
    from decimal import Decimal

    from tatulyq.monitoring import summary
    from tatulyq.monitoring.models import OverTime

    as_of = datetime.date(2026, 12, 1)
    content = summary.build(as_of=as_of, language="en")
    latest = defaultdict(dict)  # code: {region node: (period start, value)}
    added_up = defaultdict(Decimal)  # code: sum over every accepted quarter
    for code, region, starts_on, value in (
        ReportValue.objects.filter(
            cell="", report__status=ReportStatus.ACCEPTED, period__starts_on__lte=as_of
        )
        .exclude(value=None)
        .values_list("code", "report__region_node_id", "period__starts_on", "value")
    ):
        added_up[code] += value
        if region not in latest[code] or latest[code][region][0] < starts_on:
            latest[code][region] = (starts_on, value)
    overview = {line.indicator.code: line for line in content.overview}
    stocks = [code for code, line in overview.items() if line.indicator.over_time == OverTime.LAST]
    assert {"grants-contracted", "p7-centres", "registry-measures-done"} <= set(stocks)
    differs = 0
    for code in stocks:
        expected = sum((value for _start, value in latest[code].values()), Decimal(0))
        assert overview[code].figure.value == expected, code
        differs += expected != added_up[code]
    assert differs, "no stock whose quarters add up to something else: the test would prove nothing"
    # The demo's state social order was approved before the agreements it funds.
    assert overview["grants-planned"].figure.value >= overview["grants-contracted"].figure.value > 0
    regions = {part.region: part for block in content.projects for part in block["regions"]}
    akimat = world.jambyl_akimat
    jambyl = regions[akimat.territory.name]
    for line in jambyl.lines:
        if line.indicator.over_time == OverTime.LAST and line.figure.value is not None:
            assert line.figure.value == latest[line.indicator.code][akimat.pk][1], line.indicator.code
    flow = next(
        line
        for line in content.overview
        if line.indicator.over_time == OverTime.SUM
        and not line.indicator.counts_children
        and line.indicator.aggregation == "sum"
        and added_up[line.indicator.code]
    )
    assert flow.figure.value == added_up[flow.indicator.code]


def test_a_hidden_cumulative_figure_shows_only_the_range_the_quarters_published_give(world, member):
    """Instead of "×" the summary shows what the quarterly dashboards ("approved only")
    already say of the sum: the range holds the true value and is exactly the one a
    reader adds up from the dashboard's trend of the node ("<5" is 0–4, "×" 5 or more,
    "…" anything, "—" nothing), so it gives nothing away; no sum is left a bare "×"."""
    import datetime

    from tatulyq.monitoring import dashboard, selectors, summary

    def published(text):
        marks = {"<5": (0, 4), "×": (5, None), "…": (0, None), "—": (0, 0)}
        if text in marks:
            return marks[text]
        number = int(text.replace("\u202f", ""))
        return number, number

    content = summary.build(as_of=datetime.date(2026, 12, 1), language="en")
    orken = member("methodologist")
    indicators, periods = selectors.indicators(), selectors.periods()
    nodes = {"national": selectors.national_node(), "jambyl": world.jambyl_akimat}
    regions = {part.region: part for block in content.projects for part in block["regions"]}
    lines = [("national", line) for line in content.overview]
    lines += [("jambyl", line) for line in regions[world.jambyl_akimat.territory.name].lines]
    ranged = 0
    for where, line in lines:
        indicator, node = line.indicator, nodes[where]
        if not indicator.counts_children or indicator.aggregation != "sum":
            continue
        assert line.figure.text != "×", (where, indicator.code)
        if not line.figure.bounds:
            continue
        ranged += 1
        page = dashboard.build(
            membership=orken,
            node=node,
            period=periods[0],
            basis=selectors.APPROVED,
            indicator=indicator,
            all_indicators=indicators,
            periods=periods,
            query="",
        )
        low, high = 0, 0
        for _label, shown in page["trend"][: len(content.periods)]:
            q_low, q_high = published(shown.text)
            low += q_low
            high = None if high is None or q_high is None else high + q_high
        assert line.figure.bounds == (low, high), (where, indicator.code)
        true = sum(
            Aggregate.objects.filter(
                node=node, code=indicator.code, cell="", period__in=content.periods
            ).values_list("value_approved", flat=True)
        )
        assert low <= true and (high is None or true <= high), (where, indicator.code)
    assert ranged, "no hidden cumulative figure in the world: the test would prove nothing"


def test_migrating_an_older_framework_publishes_a_new_version_for_the_stocks(world):
    """Migration 0004 on an installation loaded before: the flag on every version, and
    version 1's untouched wording and targets of the stocks replaced in a new version
    (reports keep theirs); a changed target is left alone; a fresh one needs nothing."""
    from importlib import import_module

    from django.apps import apps

    from tatulyq.monitoring.models import FrameworkVersion, Indicator

    migration = import_module("tatulyq.monitoring.migrations.0004_over_time")
    current = FrameworkVersion.objects.order_by("-number").first()
    assert current.number == 1, "a fresh installation gets version 1 with the new wording"
    migration.mark_stocks(apps, None)
    assert FrameworkVersion.objects.count() == 1
    # As the framework stood before the migration:
    current.indicators.filter(code__in=["p7-centres", "p4-services", "grants-paid"]).update(over_time="sum")
    current.indicators.filter(code="p7-centres").update(
        target=48, definition_en="Entered each quarter by the region's education department."
    )
    current.indicators.filter(code="p4-services").update(target=999)  # a methodologist's
    current.indicators.filter(code="grants-paid").update(
        definition_ru="Транши, выплаченные грантополучателям, тенге."
    )
    migration.mark_stocks(apps, None)
    new = FrameworkVersion.objects.order_by("-number").first()
    assert new.number == 2 and new.indicators.count() == current.indicators.count()
    centres = new.indicators.get(code="p7-centres")
    assert centres.target == 12 and centres.over_time == "last"
    assert centres.definition_en.endswith("the number at the quarter's end.")
    assert new.indicators.get(code="p4-services").target == 999
    assert "с начала программы" in new.indicators.get(code="grants-paid").definition_ru
    old = Indicator.objects.get(version=current, code="p7-centres")
    assert old.target == 48 and old.over_time == "last"  # the old version keeps its target
    migration.mark_stocks(apps, None)
    assert FrameworkVersion.objects.count() == 2  # nothing left to change


def test_a_stock_older_than_the_latest_approved_quarter_names_its_quarter(world):
    """Jambyl's 2026 Q3 report is still with «Өркен» while other regions' are accepted:
    its stocks are from 2026 Q2 and say so; a region up to date prints the bare figure."""
    import datetime

    from tatulyq.monitoring import summary

    content = summary.build(as_of=datetime.date(2026, 12, 1), language="en")
    accepted = ReportValue.objects.filter(
        cell="", report__status=ReportStatus.ACCEPTED, code="registry-measures-done"
    ).exclude(value=None)
    newest = accepted.order_by("-period__starts_on").values_list("period__starts_on", flat=True).first()
    jambyl_latest = (
        accepted.filter(report__region_node=world.jambyl_akimat).order_by("-period__starts_on").first().period
    )
    assert jambyl_latest.starts_on < newest, "the world has Jambyl up to date: the test would prove nothing"
    regions = {part.region: part for block in content.projects for part in block["regions"]}
    up_to_date = None
    for name, part in regions.items():
        line = next(line for line in part.lines if line.indicator.code == "registry-measures-done")
        if name == world.jambyl_akimat.territory.name:
            assert line.figure.text.endswith(f"({jambyl_latest.label})")
            assert dict(part.grants)[next(iter(dict(part.grants)))].endswith(f"({jambyl_latest.label})")
        elif line.figure.value is not None and "(" not in line.figure.text:
            up_to_date = name
    assert up_to_date
