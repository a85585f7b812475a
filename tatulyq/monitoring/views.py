"""Monitoring pages: the dashboard with drill-down, periodic reports and their approval,
the indicator framework, the stage-3 national summary. Views parse, ask `access`, call
one service and render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tatulyq.access import scoping
from tatulyq.lib.forms import add_errors, submitted
from tatulyq.orgs.models import OrganisationKind

from . import chain, selectors, services
from . import dashboard as dashboard_data
from . import summary as summary_module
from .forms import IndicatorRevisionForm, ReopenForm, ReportValuesForm, ReturnForm, SummaryForm
from .models import ApprovalStep, Period, PeriodStatus, Report, ReportStatus, SummaryExport


def dashboard(request):
    root = scoping.monitoring_root(request.membership)
    if root is None:
        raise Http404
    query = request.GET.urlencode()
    return redirect(dashboard_data.node_url(root, query))


def _choices(request):
    periods = selectors.periods()
    period = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    period = period or dashboard_data.default_period(periods)
    indicators = selectors.indicators()
    indicator = next((i for i in indicators if i.code == request.GET.get("indicator")), None)
    indicator = indicator or next((i for i in indicators if i.code == "cases-referred"), indicators[0])
    basis = (
        request.GET.get("basis")
        if request.GET.get("basis") in (selectors.ALL, selectors.APPROVED)
        else selectors.ALL
    )
    return periods, period, indicators, indicator, basis


def node(request, node_id: int):
    membership = request.membership
    organisation = scoping.get_monitoring_node_or_404(membership, node_id)
    periods, period, indicators, indicator, basis = _choices(request)
    if period is None:
        raise Http404
    query = urlencode({"period": period.pk, "indicator": indicator.code, "basis": basis})
    context = dashboard_data.build(
        membership=membership,
        node=organisation,
        period=period,
        basis=basis,
        indicator=indicator,
        all_indicators=indicators,
        periods=periods,
        query=query,
    )
    context.update(
        {
            "periods": periods,
            "period": period,
            "indicators": indicators,
            "indicator": indicator,
            "basis": basis,
            "query": query,
            "root": scoping.monitoring_root(membership),
        }
    )
    return render(request, "monitoring/node.html", context)


# ---------------------------------------------------------------- reports


def _period_from(request) -> Period | None:
    periods = selectors.periods()
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    return chosen or dashboard_data.default_period(periods)


def reports(request):
    membership = request.membership
    unit = scoping.monitoring_unit(membership)
    if scoping.monitoring_root(membership) is None:
        raise Http404
    period = _period_from(request)
    mine = Report.objects.filter(organisation=unit, period=period).first() if unit else None
    to_review = []
    if unit is not None and period is not None:
        expected = services.expected_below(unit, period).order_by("name_kk")
        filed = {
            r.organisation_id: r
            for r in scoping.visible_reports(membership)
            .filter(period=period, organisation__in=expected)
            .select_related("organisation")
        }
        to_review = [(org, filed.get(org.pk)) for org in expected]
    return render(
        request,
        "monitoring/reports.html",
        {
            "unit": unit,
            "period": period,
            "periods": selectors.periods(),
            "mine": mine,
            "to_review": to_review,
            "can_file": unit is not None and chain.is_reporting(unit) and scoping.can_write(membership),
            "deadline": selectors.deadline_for(unit.kind, period) if unit and period else None,
        },
    )


@require_POST
def open_report(request):
    membership = request.membership
    unit = scoping.monitoring_unit(membership)
    period = get_object_or_404(Period, pk=request.POST.get("period"))
    if unit is None:
        raise Http404
    try:
        report = services.open_report(membership=membership, organisation=unit, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse_with_period(period))
    return redirect("monitoring:report", report.pk)


def reverse_with_period(period: Period) -> str:
    from django.urls import reverse

    return reverse("monitoring:reports") + f"?period={period.pk}"


def _report_context(membership, report: Report) -> dict:
    unit = scoping.monitoring_unit(membership)
    own = unit is not None and unit.pk == report.organisation_id
    reviewer = chain.reviewer_of(report.organisation)
    indicators = services.indicators_for(report)
    values, report_comments = {}, {}
    for code, cell, value, comment in report.values.values_list("code", "cell", "value", "comment"):
        values.setdefault(code, {})[cell] = value
        if cell == "" and comment:
            report_comments[code] = comment
    exact = scoping.sees_small_cells(membership, report.organisation) or own
    figures = selectors.report_figures(report, indicators, values, exact=exact)
    computed = [
        (
            i,
            figures[i.code],
            selectors.breakdown(
                i,
                values,
                node_id=report.organisation_id,
                maps={},
                exact=True,
                school=report.organisation.kind == OrganisationKind.SCHOOL,
            )
            if exact and i.dimensions
            else [],
        )
        for i in indicators
        if not i.is_entered
    ]
    return {
        "report": report,
        "own": own,
        "reviewer": reviewer,
        "computed": computed,
        "entered": [i for i in indicators if i.is_entered],
        "values": values,
        "comments": report_comments,
        "can_edit": own and report.is_editable and report.period.is_open and scoping.can_write(membership),
        "can_review": reviewer is not None
        and unit is not None
        and unit.pk == reviewer.pk
        and report.status == ReportStatus.SUBMITTED
        and scoping.can_write(membership),
        "can_reopen": unit is not None
        and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        and unit.pk in {o.pk for o in chain.chain_above(report.organisation)}
        and scoping.can_write(membership),
        "entered_figures": [
            (i, figures[i.code], report_comments.get(i.code, "")) for i in indicators if i.is_entered
        ],
        "steps": report.steps.select_related("by__user", "by__organisation"),
        "deadline": selectors.deadline_for(report.organisation.kind, report.period),
        "grants_missing": not _grants_available(),
    }


def _grants_available() -> bool:
    from . import sources

    return sources.available("grants")


def report(request, report_id: int):
    membership = request.membership
    item = scoping.get_report_or_404(membership, report_id)
    context = _report_context(membership, item)
    entered = context["entered"]
    form = ReportValuesForm(
        request.POST or None,
        indicators=entered,
        values={i.code: context["values"].get(i.code, {}).get("") for i in entered},
        comments=context["comments"],
        with_narrative=item.organisation.kind != "school",
        narrative=item.narrative,
    )
    if request.method == "POST" and not context["own"]:
        raise PermissionDenied
    if submitted(
        request,
        form,
        lambda data: services.save_values(
            membership=membership,
            report=item,
            values=form.values(),
            comments=form.comments(),
            narrative=data.get("narrative"),
        ),
    ):
        messages.success(request, _("The report is saved."))
        return redirect("monitoring:report", item.pk)
    return render(
        request,
        "monitoring/report.html",
        {**context, "form": form, "return_form": ReturnForm(), "reopen_form": ReopenForm()},
    )


@require_POST
def report_action(request, report_id: int, action: str):
    membership = request.membership
    item = scoping.get_report_or_404(membership, report_id)
    try:
        if action == "submit":
            services.submit_report(membership=membership, report=item)
            messages.success(request, _("The report has been submitted."))
        elif action == "accept":
            services.accept_report(membership=membership, report=item)
            messages.success(request, _("The report is accepted and locked."))
        elif action == "return":
            services.return_report(
                membership=membership, report=item, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("The report has been returned; the sender is notified."))
        elif action == "reopen":
            reopened = services.reopen_report(
                membership=membership, report=item, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("Reopened for correction: %(count)s reports.") % {"count": len(reopened)}
            )
        else:
            raise Http404
    except ValidationError as error:
        if action not in ("return", "reopen"):
            messages.error(request, " ".join(error.messages))
            return redirect("monitoring:report", item.pk)
        context = _report_context(membership, item)
        return_form, reopen_form = ReturnForm(request.POST), ReopenForm(request.POST)
        return_form.is_valid()
        reopen_form.is_valid()
        add_errors(return_form if action == "return" else reopen_form, error)
        entered = context["entered"]
        form = ReportValuesForm(
            indicators=entered,
            values={i.code: context["values"].get(i.code, {}).get("") for i in entered},
            comments=context["comments"],
            with_narrative=item.organisation.kind != "school",
            narrative=item.narrative,
        )
        return render(
            request,
            "monitoring/report.html",
            {**context, "form": form, "return_form": return_form, "reopen_form": reopen_form},
            status=400,
        )
    return redirect("monitoring:report", item.pk)


# ---------------------------------------------------------------- framework


def framework(request):
    membership = request.membership
    if scoping.monitoring_root(membership) is None:
        raise Http404
    can_manage = services.can_manage_framework(membership)
    editing = request.GET.get("edit") or request.POST.get("code", "")
    current = next((i for i in selectors.indicators() if i.code == editing), None)
    initial = {}
    if current is not None:
        initial = {
            "code": current.code,
            "target": current.target,
            "min_value": current.min_value,
            "max_value": current.max_value,
            "jump_factor": current.jump_factor,
        }
    form = IndicatorRevisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    published = []

    def publish(data):
        data = dict(data)
        code, note = data.pop("code"), data.pop("note")
        published.append(services.revise_indicator(membership=membership, code=code, note=note, **data))

    if submitted(request, form, publish):
        messages.success(
            request, _("Framework version %(number)s is published.") % {"number": published[0].number}
        )
        return redirect("monitoring:framework")
    version = services.current_version()
    return render(
        request,
        "monitoring/framework.html",
        {
            "version": version,
            "indicators": selectors.indicators(),
            "can_manage": can_manage,
            "form": form,
            "versions": version.__class__.objects.all()[:10] if version else [],
            "editing": current,
            "periods": selectors.periods(),
            "period_statuses": PeriodStatus.choices,
        },
    )


@require_POST
def period_status(request, period_id: int):
    """«Өркен» opens a quarter for reporting or closes it."""
    period = get_object_or_404(Period, pk=period_id)
    if request.POST.get("status") not in PeriodStatus.values:
        raise Http404
    try:
        services.set_period_status(
            membership=request.membership, period=period, status=request.POST["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(period)s: %(status)s.") % {"period": period.label, "status": period.get_status_display()},
        )
    return redirect("monitoring:framework")


# ---------------------------------------------------------------- stage-3 summary


def _summary_reader(membership):
    root = scoping.monitoring_root(membership)
    if root is None or root.kind != "ministry":
        raise Http404
    return root


def summaries(request):
    membership = request.membership
    _summary_reader(membership)
    # The document in the reader's language unless asked otherwise (English pages: Kazakh).
    language = translation.get_language() if translation.get_language() in ("kk", "ru") else "kk"
    form = SummaryForm(request.POST or None, initial={"language": language})
    if request.method == "POST" and not scoping.can_write(membership):
        raise PermissionDenied
    requested = []
    if submitted(
        request,
        form,
        lambda data: requested.append(summary_module.request_summary(membership=membership, **data)),
    ):
        return redirect("monitoring:summary", requested[0].pk)
    return render(
        request,
        "monitoring/summaries.html",
        {
            "form": form,
            "exports": SummaryExport.objects.all()[:20],
            "can_generate": scoping.can_write(membership),
            "today": timezone.localdate(),
        },
    )


def summary(request, summary_id: int):
    _summary_reader(request.membership)
    export = get_object_or_404(SummaryExport, pk=summary_id)
    return render(request, "monitoring/summary.html", {"export": export})


def summary_file(request, summary_id: int, fmt: str):
    _summary_reader(request.membership)
    export = get_object_or_404(SummaryExport, pk=summary_id, status=SummaryExport.Status.DONE)
    if fmt not in ("docx", "pdf", "xlsx"):
        raise Http404
    stored = getattr(export, fmt)
    if not stored:
        raise Http404
    summary_module.record_download(export, fmt)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=summary_module.filename(export, fmt))


__all__ = ["ApprovalStep"]
