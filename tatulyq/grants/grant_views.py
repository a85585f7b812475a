"""Competitions, applications, evaluation, agreements, tranches and grantee reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role
from tatulyq.lib.forms import add_errors, saved_with_rows, submitted

from . import printing, selectors, services
from .forms import (
    AgreementForm,
    ApplicationForm,
    CommissionForm,
    CompetitionForm,
    CriterionFormSet,
    ExpenditureFormSet,
    IndicatorFormSet,
    LineFormSet,
    PaymentForm,
    PublishForm,
    ReportForm,
    ReviewForm,
    ScoreForm,
    TrancheForm,
    TrancheFormSet,
)
from .models import (
    CommissionMember,
    Competition,
    GrantAgreement,
    GrantReport,
    ReportAttachment,
    Topic,
    Tranche,
)
from .views import member, writer


def _is_organiser(membership: Membership, organiser_id: int) -> bool:
    return scoping.can_write(membership) and scoping.reach_of(membership.organisation).pk == organiser_id


def competition_new(request, topic_id: int):
    membership = writer(request)
    try:
        topic = Topic.objects.select_related("order").get(
            pk=topic_id, order__in=scoping.visible_social_orders(membership)
        )
    except (Topic.DoesNotExist, ValueError):
        raise Http404 from None
    form = CompetitionForm(request.POST or None, initial={"title": topic.title, "budget": topic.budget_total})
    criteria = CriterionFormSet(request.POST or None, prefix="criteria")
    competition = saved_with_rows(
        request,
        form,
        {"criteria": criteria},
        lambda data, rows: services.announce_competition(
            author=membership, topic=topic, criteria=rows["criteria"], **data
        ),
    )
    if competition:
        messages.success(request, _("The competition is announced."))
        return redirect("grants:competition", competition.pk)
    return render(
        request, "grants/competition_form.html", {"form": form, "criteria": criteria, "topic": topic}
    )


def competition_list(request):
    membership = member(request)
    competitions = scoping.visible_competitions(membership).select_related("organiser", "topic__project")
    return render(
        request, "grants/competition_list.html", {"competitions": competitions.order_by("-opens_on")}
    )


def competition_detail(request, competition_id: int):
    membership = member(request)
    competition = scoping.get_competition_or_404(membership, competition_id)
    organiser = _is_organiser(membership, competition.organiser_id)
    seat = CommissionMember.objects.filter(competition=competition, membership=membership).first()
    published = competition.status == Competition.Status.PUBLISHED
    sees_ranking = published or organiser or seat is not None
    mine = competition.applications.filter(ngo_id=membership.organisation_id).first()
    return render(
        request,
        "grants/competition_detail.html",
        {
            "competition": competition,
            "criteria": competition.criteria.all(),
            "ranking": selectors.ranking(competition) if sees_ranking else None,
            "commission": competition.commission.select_related(
                "membership__user", "membership__organisation"
            ),
            "organiser": organiser,
            "seat": seat,
            "mine": mine,
            "can_apply": membership.role == Role.NGO_STAFF
            and mine is None
            and not services.application_refusal(competition)
            and scoping.can_write(membership),
            "agreement": GrantAgreement.objects.filter(application_id=competition.winner_id).first(),
        },
    )


def apply(request, competition_id: int):
    membership = writer(request)
    competition = scoping.get_competition_or_404(membership, competition_id)
    refusal = services.application_refusal(competition)
    if refusal:  # closed (or not yet open): no form to fill in vain
        messages.error(request, refusal)
        return redirect("grants:competition", competition.pk)
    form = ApplicationForm(request.POST or None, initial={"bin": membership.organisation.bin})
    lines = LineFormSet(request.POST or None, prefix="lines")
    application = saved_with_rows(
        request,
        form,
        {"lines": lines},
        lambda data, rows: services.submit_application(
            author=membership, competition=competition, lines=rows["lines"], **data
        ),
    )
    if application:
        messages.success(request, _("Your application has been submitted."))
        return redirect("grants:application", application.pk)
    return render(request, "grants/apply.html", {"form": form, "lines": lines, "competition": competition})


def application_detail(request, application_id: int):
    membership = member(request)
    application = scoping.get_application_or_404(membership, application_id)
    competition = application.competition
    seat = CommissionMember.objects.filter(competition=competition, membership=membership).first()
    own_scores = application.scores.filter(member=seat).select_related("criterion") if seat else []
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "competition": competition,
            "lines": application.lines.all(),
            "seat": seat,
            "own_scores": own_scores,
            "organiser": _is_organiser(membership, competition.organiser_id),
            "is_winner": competition.winner_id == application.pk,
            "agreement": GrantAgreement.objects.filter(application=application).first(),
        },
    )


def commission(request, competition_id: int):
    membership = writer(request)
    competition = scoping.get_competition_or_404(membership, competition_id)
    if not _is_organiser(membership, competition.organiser_id):
        raise PermissionDenied
    people = selectors.commission_candidates(membership)
    current = list(competition.commission.values_list("membership_id", flat=True))
    form = CommissionForm(request.POST or None, people=people, initial={"members": current})
    if submitted(
        request, form, lambda d: services.name_commission(author=membership, competition=competition, **d)
    ):
        messages.success(request, _("The commission is named."))
        return redirect("grants:competition", competition.pk)
    return render(
        request,
        "grants/simple_form.html",
        {
            "form": form,
            "title": _("Commission"),
            "subtitle": competition.title,
            "back": ("grants:competition", competition.pk),
        },
    )


def score(request, application_id: int):
    """A commission member scores one application alone, after declaring no conflict."""
    membership = writer(request)
    application = scoping.get_application_or_404(membership, application_id)
    competition = application.competition
    seat = CommissionMember.objects.filter(competition=competition, membership=membership).first()
    if seat is None:
        raise Http404
    criteria = list(competition.criteria.all())
    initial = {f"criterion_{s.criterion_id}": s.value for s in application.scores.filter(member=seat)}
    declared = seat.no_conflict_declared_at is not None
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        scale_max=competition.scale_max,
        declared=declared,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if not declared and form.cleaned_data.get("no_conflict"):
                    services.declare_no_conflict(membership=membership, competition=competition)
                services.score_application(
                    membership=membership, application=application, scores=form.scores()
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("grants:competition", competition.pk)
    return render(
        request,
        "grants/simple_form.html",
        {
            "form": form,
            "title": _("Scores"),
            "subtitle": f"{application.ngo.name} — {competition.title}",
            "back": ("grants:application", application.pk),
        },
    )


def publish(request, competition_id: int):
    membership = writer(request)
    competition = scoping.get_competition_or_404(membership, competition_id)
    if not _is_organiser(membership, competition.organiser_id):
        raise PermissionDenied
    applications = competition.applications.select_related("ngo")
    ranking = selectors.ranking(competition)
    initial = {"winner": ranking[0].application.pk if ranking and ranking[0].average is not None else None}
    form = PublishForm(request.POST or None, applications=applications, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_results(
                author=membership,
                competition=competition,
                winner=form.cleaned_data["winner"],
                summary=form.cleaned_data["summary"],
                reasons=form.reasons(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The results are published."))
            return redirect("grants:competition", competition.pk)
    return render(
        request,
        "grants/simple_form.html",
        {
            "form": form,
            "title": _("Publish the results"),
            "subtitle": competition.title,
            "ranking": ranking,
            "back": ("grants:competition", competition.pk),
        },
    )


def results_pdf(request, competition_id: int, language: str):
    competition = scoping.get_competition_or_404(member(request), competition_id)
    if language not in {"kk", "ru"} or competition.status != Competition.Status.PUBLISHED:
        raise Http404
    return printing.results_pdf(competition, language)


# ---------------------------------------------------------------- agreements and tranches


def agreement_new(request, application_id: int):
    membership = writer(request)
    application = scoping.get_application_or_404(membership, application_id)
    form = AgreementForm(request.POST or None, initial={"amount": application.requested_amount})
    tranches = TrancheFormSet(request.POST or None, prefix="tranches")
    agreement = saved_with_rows(
        request,
        form,
        {"tranches": tranches},
        lambda data, rows: services.conclude_agreement(
            author=membership, application=application, tranches=rows["tranches"], **data
        ),
    )
    if agreement:
        messages.success(request, _("The grant agreement is registered."))
        return redirect("grants:agreement", agreement.pk)
    return render(
        request,
        "grants/agreement_form.html",
        {"form": form, "tranches": tranches, "application": application},
    )


def agreement_detail(request, agreement_id: int):
    membership = member(request)
    agreement = scoping.get_agreement_or_404(membership, agreement_id)
    tranches = list(agreement.tranches.all())
    return render(
        request,
        "grants/agreement_detail.html",
        {
            "agreement": agreement,
            "tranches": tranches,
            "planned": sum((t.amount for t in tranches), start=0),
            "paid": sum((t.paid_amount or 0 for t in tranches), start=0),
            "reports": scoping.visible_grant_reports(membership).filter(agreement=agreement),
            "manager": _is_organiser(membership, agreement.topic.order.organisation_id),
            "grantee": agreement.ngo_id == membership.organisation_id and scoping.can_write(membership),
            "tranche_form": TrancheForm(),
        },
    )


def tranche_new(request, agreement_id: int):
    membership = writer(request)
    agreement = scoping.get_agreement_or_404(membership, agreement_id)
    form = TrancheForm(request.POST or None)
    if submitted(request, form, lambda d: services.add_tranche(author=membership, agreement=agreement, **d)):
        messages.success(request, _("The tranche is planned."))
        return redirect("grants:agreement", agreement.pk)
    return render(
        request,
        "grants/simple_form.html",
        {
            "form": form,
            "title": _("New tranche"),
            "subtitle": str(agreement),
            "back": ("grants:agreement", agreement.pk),
        },
    )


def payment(request, tranche_id: int):
    membership = writer(request)
    tranche = get_object_or_404(
        Tranche.objects.filter(agreement__in=scoping.visible_agreements(membership)).select_related(
            "agreement"
        ),
        pk=tranche_id,
    )
    form = PaymentForm(request.POST or None, initial={"paid_amount": tranche.amount})
    if submitted(request, form, lambda d: services.record_payment(author=membership, tranche=tranche, **d)):
        messages.success(request, _("The payment is recorded."))
        return redirect("grants:agreement", tranche.agreement_id)
    return render(
        request,
        "grants/simple_form.html",
        {
            "form": form,
            "title": _("Record the payment of tranche %(number)s") % {"number": tranche.number},
            "subtitle": str(tranche.agreement),
            "back": ("grants:agreement", tranche.agreement_id),
        },
    )


@require_POST
def agreement_close(request, agreement_id: int):
    membership = writer(request)
    agreement = scoping.get_agreement_or_404(membership, agreement_id)
    try:
        services.close_agreement(author=membership, agreement=agreement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement is closed."))
    return redirect("grants:agreement", agreement.pk)


# ---------------------------------------------------------------- grantee reports


def _report_form(request, membership, agreement, report=None):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        indicators = IndicatorFormSet(request.POST, prefix="indicators")
        expenditures = ExpenditureFormSet(request.POST, prefix="expenditures")

        @transaction.atomic
        def save(data, rows):
            saved = services.save_report(
                author=membership,
                agreement=agreement,
                report=report,
                kind=data["kind"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                activities=data["activities"],
                indicators=rows["indicators"],
                expenditures=rows["expenditures"],
                reach={name: data[name] for name in GrantReport.REACH_FIELDS},
            )
            services.add_report_attachments(user=request.user, report=saved, files=data["attachments"])
            return saved

        saved = saved_with_rows(request, form, {"indicators": indicators, "expenditures": expenditures}, save)
        if saved:
            messages.success(request, _("The report is saved. Submit it when it is ready."))
            return redirect("grants:report", saved.pk)
    else:
        initial = (
            {
                name: getattr(report, name)
                for name in ("kind", "period_from", "period_to", "activities", *GrantReport.REACH_FIELDS)
            }
            if report
            else {}
        )
        form = ReportForm(initial=initial)
        indicators = IndicatorFormSet(
            prefix="indicators",
            initial=[
                {"name": i.name, "unit": i.unit, "target": i.target, "actual": i.actual}
                for i in (report.indicators.all() if report else [])
            ],
        )
        expenditures = ExpenditureFormSet(
            prefix="expenditures",
            initial=[
                {
                    "item": e.item,
                    "planned": e.planned,
                    "spent": e.spent,
                    "variance_explanation": e.variance_explanation,
                }
                for e in (report.expenditures.all() if report else [])
            ]
            or [{"item": line.item, "planned": line.total} for line in agreement.application.lines.all()],
        )
    return render(
        request,
        "grants/report_form.html",
        {
            "form": form,
            "indicators": indicators,
            "expenditures": expenditures,
            "agreement": agreement,
            "report": report,
            "reach_fields": GrantReport.REACH_FIELDS,
        },
    )


def report_new(request, agreement_id: int):
    membership = writer(request)
    agreement = scoping.get_agreement_or_404(membership, agreement_id)
    if agreement.ngo_id != membership.organisation_id:
        raise Http404
    return _report_form(request, membership, agreement)


def report_edit(request, report_id: int):
    membership = writer(request)
    report = scoping.get_grant_report_or_404(membership, report_id)
    if report.agreement.ngo_id != membership.organisation_id:
        raise Http404
    return _report_form(request, membership, report.agreement, report)


def report_detail(request, report_id: int):
    membership = member(request)
    report = scoping.get_grant_report_or_404(membership, report_id)
    agreement = report.agreement
    manager = _is_organiser(membership, agreement.topic.order.organisation_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        writer(request)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    services.accept_report(
                        reviewer=membership, report=report, comment=form.cleaned_data["comment"]
                    )
                else:
                    services.return_report(
                        reviewer=membership, report=report, comment=form.cleaned_data["comment"]
                    )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your decision on the report is recorded."))
                return redirect("grants:report", report.pk)
    return render(
        request,
        "grants/report_detail.html",
        {
            "report": report,
            "agreement": agreement,
            "form": form,
            "indicators": report.indicators.all(),
            "expenditures": report.expenditures.all(),
            "attachments": report.attachments.all(),
            "grantee": agreement.ngo_id == membership.organisation_id and scoping.can_write(membership),
            "can_review": manager and report.status == GrantReport.Status.SUBMITTED,
        },
    )


@require_POST
def report_submit(request, report_id: int):
    membership = writer(request)
    report = scoping.get_grant_report_or_404(membership, report_id)
    try:
        services.submit_report(author=membership, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report has been submitted to the region."))
    return redirect("grants:report", report.pk)


def report_attachment(request, attachment_id: int):
    """Files are served only to those who may see the report."""
    item = get_object_or_404(ReportAttachment, pk=attachment_id)
    scoping.get_grant_report_or_404(request.membership, item.report_id)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
