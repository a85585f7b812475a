"""The steps of a mediation case, each a small form: a form, the case through the
scoping module (404 for anyone else), one service call, back to the case page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.lib.forms import add_errors, submitted
from tatulyq.orgs.models import Organisation

from . import forms, services
from .models import Consent, MediationService, Obligation, PlanStatus, Referral, RehabilitationPlan


def _step(request, case, form, perform, *, title, intro="", success, template="cases/step.html", **extra):
    """The shape of every case step: a form, one service call, back to the case."""
    if submitted(request, form, perform):
        messages.success(request, success)
        return redirect("cases:detail", case.pk)
    return render(request, template, {"case": case, "form": form, "title": title, "intro": intro, **extra})


# ---------------------------------------------------------------- steps


def assign(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    service = MediationService.objects.filter(school_id=case.school_id).first()
    if service is None or not service.is_active:
        messages.error(request, _("The school has no active mediation service: set it up first."))
        return redirect("cases:service")
    form = forms.MediatorsForm(
        request.POST or None, service=service, initial={"mediators": case.mediators.all()}
    )
    return _step(
        request,
        case,
        form,
        lambda d: services.assign_mediators(author=membership, case=case, mediators=list(d["mediators"])),
        title=_("Assign mediators"),
        intro=_("Only active mediators with a valid certificate take cases."),
        success=_("The mediators have been assigned."),
    )


def screen(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    screening = getattr(case, "screening", None)
    initial = (
        {f: getattr(screening, f) for f in (*screening.RED_FLAGS, "parties_willing", "notes")}
        if screening
        else {}
    )
    form = forms.ScreeningForm(request.POST or None, initial=initial)

    def perform(data):
        result = services.screen_case(author=membership, case=case, **data)
        if not services.is_mediable(case):
            messages.warning(
                request, _("This case is not suitable for mediation: refer it to the competent service.")
            )
        return result

    return _step(
        request,
        case,
        form,
        perform,
        title=_("Screening: is the case suitable for mediation?"),
        intro=_(
            "Sexual violence, a serious crime, domestic violence, acute danger or a gross imbalance "
            "of power make a case non-mediable: it is referred instead."
        ),
        success=_("The screening has been recorded."),
        template="cases/screen.html",
    )


def _receivers(school: Organisation):
    """Organisations of the school's region that take referrals (KATO codes share the
    region's two leading digits)."""
    return (
        Organisation.objects.filter(
            kind__in=scoping.REFERRAL_RECEIVER_KINDS,
            is_active=True,
            territory__code__startswith=school.territory.code[:2],
        )
        .select_related("territory")
        .order_by("kind", "name_kk")
    )


def refer(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    form = forms.ReferralForm(request.POST or None, receivers=_receivers(case.school))
    return _step(
        request,
        case,
        form,
        lambda d: services.refer_case(author=membership, case=case, **d),
        title=_("Refer the case"),
        intro=_(
            "The receiving organisation sees only what you write below; in Tatulyq it answers "
            "itself, otherwise you record its answer."
        ),
        success=_("The referral has been recorded."),
    )


def referral_answer(request, referral_id: int):
    """The school records the answer of a receiver that does not work in Tatulyq."""
    membership = request.membership  # scoping answers 404 to anyone else
    referral = get_object_or_404(
        Referral.objects.filter(case__in=scoping.visible_cases(membership), organisation__isnull=True),
        pk=referral_id,
    )
    form = forms.ReferralAnswerForm(request.POST or None, initial={"status": referral.status})
    return _step(
        request,
        referral.case,
        form,
        lambda d: services.update_referral(author=membership, referral=referral, **d),
        title=_("Record the receiver's answer"),
        success=_("The answer has been recorded."),
    )


def consent(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    form = forms.ConsentRecordForm(request.POST or None, case=case)
    return _step(
        request,
        case,
        form,
        lambda d: services.record_consent(author=membership, **d),
        title=_("Record a consent"),
        intro=_(
            "Each child consents, and so does a parent or legal representative of each minor. "
            "Consent is voluntary and informed; it can be withdrawn at any time."
        ),
        success=_("The consent has been recorded."),
    )


def withdraw(request, consent_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    item = get_object_or_404(
        Consent.objects.filter(
            participant__case__in=scoping.visible_cases(membership), withdrawn_on__isnull=True
        ).select_related("participant__case", "participant__child", "given_by__child"),
        pk=consent_id,
    )
    case = item.participant.case
    form = forms.WithdrawForm(request.POST or None)
    return _step(
        request,
        case,
        form,
        lambda d: services.withdraw_consent(author=membership, consent=item, **d),
        title=_("Withdraw a consent"),
        intro=_(
            "%(who)s withdraws consent to the participation of %(child)s. The process stops and "
            "the case goes to the coordinator for closure."
        )
        % {"who": item.given_by, "child": item.participant},
        success=_("The consent has been withdrawn; the case awaits closure."),
    )


def meeting(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    form = forms.MeetingForm(request.POST or None, case=case)
    return _step(
        request,
        case,
        form,
        lambda d: services.record_meeting(author=membership, case=case, **d),
        title=_("Record a meeting"),
        intro=_(
            "First separate preparatory meetings with each side; a joint mediation, restorative "
            "circle or family group conference only with every consent."
        ),
        success=_("The meeting has been recorded."),
    )


def agreement(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    data = request.POST if request.method == "POST" else None
    form = forms.AgreementForm(data)
    obligations = forms.ObligationFormSet(data, prefix="obligations", form_kwargs={"case": case})
    if data is not None and form.is_valid() & obligations.is_valid():
        rows = [f.cleaned_data for f in obligations.forms if f.has_changed()]
        try:
            services.record_agreement(author=membership, case=case, obligations=rows, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            if hasattr(error, "error_dict") and "obligations" in error.error_dict:
                form.add_error(None, error.error_dict["obligations"])
        else:
            messages.success(request, _("The agreement has been recorded."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/agreement.html", {"case": case, "form": form, "obligations": obligations})


def follow_up(request, obligation_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    obligation = get_object_or_404(
        Obligation.objects.filter(agreement__case__in=scoping.visible_cases(membership)).select_related(
            "agreement__case", "who__child"
        ),
        pk=obligation_id,
    )
    case = obligation.agreement.case
    form = forms.FollowUpForm(request.POST or None)
    return _step(
        request,
        case,
        form,
        lambda d: services.record_follow_up(author=membership, obligation=obligation, **d),
        title=_("Follow-up check"),
        intro=f"{obligation.who}: {obligation.what} ({obligation.get_kind_display()})",
        success=_("The follow-up has been recorded."),
    )


def request_closure(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    form = forms.ClosureForm(request.POST or None, initial={"outcome": case.outcome or None})
    open_items = services.open_obligations(case)
    return _step(
        request,
        case,
        form,
        lambda d: services.request_closure(author=membership, case=case, **d),
        title=_("Ask to close the case"),
        intro=_("The coordinator of the mediation service approves the closure."),
        success=_("Closure has been asked for; the coordinator will decide."),
        template="cases/closure.html",
        open_items=open_items,
    )


def decide_closure(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    if not scoping.is_case_coordinator(membership):
        raise PermissionDenied
    form = forms.ClosureDecisionForm(request.POST or None)
    approve = request.POST.get("decision") == "approve"
    return _step(
        request,
        case,
        form,
        lambda d: services.decide_closure(coordinator=membership, case=case, approve=approve, **d),
        title=_("Decide on closing the case"),
        success=_("The case has been closed.")
        if approve
        else _("The case has been sent back with your comment."),
        template="cases/decision.html",
    )


def plan(request, case_id: int, plan_id: int | None = None):
    membership = request.membership  # scoping answers 404 to anyone else
    case = scoping.get_case_or_404(membership, case_id)
    existing = get_object_or_404(RehabilitationPlan, pk=plan_id, case=case) if plan_id else None
    initial = {}
    if existing:
        initial = {
            f: getattr(existing, f)
            for f in ("participant", "goals", "activities", "responsible", "next_review_on")
        }
    form = forms.PlanForm(request.POST or None, case=case, initial=initial)
    return _step(
        request,
        case,
        form,
        lambda d: services.save_plan(author=membership, case=case, plan=existing, **d),
        title=_("Rehabilitation plan"),
        intro=_("For a child who caused harm; the coordinator approves it."),
        success=_("The plan has been sent to the coordinator for approval."),
    )


def decide_plan(request, plan_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    item = get_object_or_404(
        RehabilitationPlan.objects.filter(case__in=scoping.visible_cases(membership)).select_related(
            "case", "participant__child", "responsible__user"
        ),
        pk=plan_id,
    )
    if not scoping.is_case_coordinator(membership):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST or None)
    approve = request.POST.get("decision") == "approve"
    return _step(
        request,
        item.case,
        form,
        lambda d: services.decide_plan(coordinator=membership, plan=item, approve=approve, **d),
        title=_("Decide on the rehabilitation plan"),
        success=_("The plan has been approved.")
        if approve
        else _("The plan has been sent back with your comment."),
        template="cases/decision.html",
        plan=item,
    )


def progress_note(request, plan_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    item = get_object_or_404(
        RehabilitationPlan.objects.filter(case__in=scoping.visible_cases(membership)).select_related("case"),
        pk=plan_id,
        status=PlanStatus.APPROVED,
    )
    form = forms.ProgressNoteForm(request.POST or None)
    return _step(
        request,
        item.case,
        form,
        lambda d: services.add_progress_note(author=membership, plan=item, **d),
        title=_("Progress note"),
        success=_("The progress note has been saved."),
    )
