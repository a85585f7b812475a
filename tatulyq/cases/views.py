"""Mediation pages: the work lists, intake, the case page (every opening audited), the
school's service, referrals received and printing. The steps of a case are in
process_views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tatulyq.access import scoping
from tatulyq.lib.forms import add_errors, submitted

from . import forms, mediators, printing, selectors, services
from .models import (
    CaseStatus,
    MediationService,
    Mediator,
    ParticipantRole,
    Referral,
)


def _staff(request):
    """Only the school's staff who handle children's data work on cases."""
    membership = request.membership
    if membership is None or not scoping.can_handle_child_data(membership, membership.organisation):
        raise PermissionDenied
    return membership


# ---------------------------------------------------------------- work lists


def work(request):
    membership = _staff(request)
    search = forms.CaseSearchForm(request.GET or None)
    status = query = ""
    if search.is_valid():
        status, query = search.cleaned_data["status"], search.cleaned_data["q"]
    page = Paginator(selectors.case_list(membership, status=status, query=query), 50).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    counts = selectors.status_counts(membership)
    return render(
        request,
        "cases/work.html",
        {
            "search": search,
            "page": page,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in CaseStatus.choices],
            "current_status": status,
            "follow_ups": selectors.follow_ups_due(membership, today),
            "reviews": selectors.reviews_due(membership, today),
            "consents_missing": selectors.consents_missing(membership),
            "today": today,
            "week_end": selectors.week_end(today),
            "sees_warnings": scoping.oversees_cases(membership),
            "can_manage_service": mediators.can_manage_service(membership, membership.organisation),
        },
    )


def early_warning(request):
    membership = _staff(request)
    if not scoping.oversees_cases(membership):
        raise PermissionDenied
    return render(
        request,
        "cases/early_warning.html",
        {
            "warnings": selectors.early_warnings(membership),
            "window": selectors.REPEAT_WINDOW_DAYS,
        },
    )


# ---------------------------------------------------------------- intake and the case page


def _apply_intake_errors(error, form, children, adults, child_rows, adult_rows) -> None:
    """The service names children and adults by their position in what it was given."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] in ("children", "adults") and parts[1].isdigit():
            formset, rows = (children, child_rows) if parts[0] == "children" else (adults, adult_rows)
            formset.forms[rows[int(parts[1])]].add_error(parts[2], errors)
        elif key == "children":
            form.add_error(None, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)


def new_case(request):
    membership = _staff(request)
    data = request.POST if request.method == "POST" else None
    form = forms.IntakeForm(data)
    children = forms.ChildFormSet(data, prefix="children")
    adults = forms.AdultFormSet(data, prefix="adults")
    valid = data is not None and form.is_valid() & children.is_valid() & adults.is_valid()
    if data is not None and form.is_valid():
        # The rules on a child (IIN, age 6–18) are checked for every row at once.
        for child_form in children.forms:
            if child_form.has_changed() and hasattr(child_form, "cleaned_data") and not child_form.errors:
                try:
                    services.check_child(child_form.cleaned_data, on=form.cleaned_data["referred_on"])
                except ValidationError as error:
                    add_errors(child_form, error)
                    valid = False
    if valid:
        child_rows = [i for i, f in enumerate(children.forms) if f.has_changed()]
        adult_rows = [i for i, f in enumerate(adults.forms) if f.has_changed()]
        if not child_rows:
            form.add_error(None, _("A case needs at least one child."))
        else:
            # A parent row points at a child row; the service counts only filled rows.
            position = {row: n for n, row in enumerate(child_rows)}
            adult_data = []
            for i in adult_rows:
                row = dict(adults.forms[i].cleaned_data)
                if row["represents"] is not None:
                    if row["represents"] not in position:
                        adults.forms[i].add_error("represents", _("There is no such child in this case."))
                        continue
                    row["represents"] = position[row["represents"]]
                adult_data.append(row)
            try:
                if any(adults.forms[i].errors for i in adult_rows):
                    raise ValidationError("")
                with transaction.atomic():
                    case = services.open_case(
                        author=membership,
                        children=[children.forms[i].cleaned_data for i in child_rows],
                        adults=adult_data,
                        **form.cleaned_data,
                    )
            except ValidationError as error:
                if error.messages != [""]:
                    _apply_intake_errors(error, form, children, adults, child_rows, adult_rows)
            else:
                messages.success(request, _("Case No. %(number)s has been opened.") % {"number": case.number})
                return redirect("cases:detail", case.pk)
    return render(request, "cases/new.html", {"form": form, "children": children, "adults": adults})


def detail(request, case_id: int):
    membership = request.membership  # scoping answers 404 to anyone else
    case = selectors.case_page(membership, case_id)
    services.record_case_view(membership=membership, case=case)
    participants = list(case.participants.all())
    children = [p for p in participants if p.is_child]
    agreement = getattr(case, "agreement", None)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "children": children,
            "adults": [p for p in participants if not p.is_child],
            "screening": getattr(case, "screening", None),
            "agreement": agreement,
            "obligations": list(agreement.obligations.all()) if agreement else [],
            "missing": services.missing_consents(children),
            "needs_referral": services.needs_referral(case),
            "mediable": services.is_mediable(case),
            "is_coordinator": scoping.is_case_coordinator(membership),
            "is_open": case.status not in (CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED),
            "can_meet": services.can_hold_meeting(case),
            "follow_up_form": forms.FollowUpForm(),
            "print_languages": printing.LANGUAGES,
            "has_children_who_caused_harm": any(
                p.role in (ParticipantRole.CAUSED_HARM, ParticipantRole.BOTH) for p in children
            ),
        },
    )


# ---------------------------------------------------------------- the mediation service


def service(request):
    membership = _staff(request)
    school = membership.organisation
    item = (
        MediationService.objects.filter(school=school)
        .select_related("coordinator__user")
        .prefetch_related("mediators__trainings", "mediators__membership__user")
        .first()
    )
    manage = mediators.can_manage_service(membership, school)
    data = request.POST if request.method == "POST" and manage else None
    which = request.POST.get("form") if data is not None else None
    mediator_form = forms.MediatorForm(data if which == "mediator" else None, school=school)
    training_form = forms.TrainingForm(data if which == "training" else None, service=item)
    # Only the form that was sent is bound; the other stays empty and is never valid.
    if submitted(request, mediator_form, lambda d: mediators.add_mediator(author=membership, **d)):
        messages.success(request, _("The mediator has been added."))
        return redirect("cases:service")
    if submitted(request, training_form, lambda d: mediators.add_training(author=membership, **d)):
        messages.success(request, _("The training has been recorded."))
        return redirect("cases:service")
    today = timezone.localdate()
    roster = list(item.mediators.all()) if item else []
    for mediator in roster:
        mediator.trained_now = mediator.is_trained_on(today)
    return render(
        request,
        "cases/service.html",
        {
            "service": item,
            "mediators": roster,
            "manage": manage,
            "mediator_form": mediator_form,
            "training_form": training_form,
            "today": today,
        },
    )


@require_POST
def mediator_active(request, mediator_id: int):
    membership = _staff(request)
    mediator = get_object_or_404(Mediator, pk=mediator_id, service__school_id=membership.organisation_id)
    try:
        mediators.set_mediator_active(
            author=membership, mediator=mediator, active=request.POST.get("active") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:service")


# ---------------------------------------------------------------- referrals received


def received(request):
    membership = request.membership
    if membership is None:
        raise PermissionDenied
    page = Paginator(selectors.received_referrals(membership), 50).get_page(request.GET.get("page"))
    return render(request, "cases/received.html", {"page": page})


def received_detail(request, referral_id: int):
    """What a receiving organisation sees of a referral: no more than it needs."""
    membership = request.membership
    referral = get_object_or_404(selectors.received_referrals(membership), pk=referral_id)
    if request.method == "GET":
        services.record_referral_view(membership=membership, referral=referral)
    form = forms.ReferralAnswerForm(request.POST or None, initial={"status": referral.status})
    if submitted(
        request, form, lambda d: services.update_referral(author=membership, referral=referral, **d)
    ):
        messages.success(request, _("Your answer has been sent to the school."))
        return redirect("cases:received")
    return render(request, "cases/received_detail.html", {"referral": referral, "form": form})


# ---------------------------------------------------------------- printing


def print_case(request, case_id: int, document: str, language: str):
    membership = request.membership  # scoping answers 404 to anyone else
    if language not in ("kk", "ru") or document not in printing.CASE_DOCUMENTS:
        raise Http404
    case = selectors.case_page(membership, case_id)
    return printing.case_document(request, case, document, language)


def print_referral(request, referral_id: int, language: str):
    membership = request.membership  # scoping answers 404 to anyone else
    if language not in ("kk", "ru"):
        raise Http404
    referral = get_object_or_404(
        Referral.objects.filter(case__in=scoping.visible_cases(membership)).select_related(
            "case__school", "organisation", "created_by__user"
        ),
        pk=referral_id,
    )
    return printing.referral_note(request, referral, language)
