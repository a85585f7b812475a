"""Pages of the programme registry: the programme, the national table, one card."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tatulyq.lib.forms import add_errors

from . import registry, services
from .forms import CardDocumentForm, CardStageForm, PlannedMeasureForm, SpecialistDesignationForm
from .models import ImplementationCard, PlannedMeasure


def overview(request):
    if request.membership is None:
        raise PermissionDenied
    programme = registry.programme()
    stages = list(programme.stages.all()) if programme else []
    return render(request, "directives/programme.html", {
        "programme": programme,
        "stages": stages,
        "current": registry.current_stage(stages),
        "cards": registry.national_table(),
    })


def _card(card_id: int) -> ImplementationCard:
    return get_object_or_404(
        ImplementationCard.objects.select_related("project", "region", "stage", "organisation"),
        pk=card_id,
    )


def card(request, card_id: int):
    """One project in one region. Everyone in the programme reads it; the region keeps it."""
    if request.membership is None:
        raise PermissionDenied
    item = _card(card_id)
    can_edit = registry.can_edit_card(request.membership, item)
    forms = {
        "specialist_form": SpecialistDesignationForm(prefix="specialist"),
        "measure_form": PlannedMeasureForm(prefix="measure"),
        "stage_form": CardStageForm(prefix="stage", stages=item.project.programme.stages.all(),
                                    initial={"stage": item.stage_id, "notes": item.notes}),
        "document_form": CardDocumentForm(prefix="document"),
    }
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        result = _handle_card_post(request, item, forms)
        if result is not None:
            return result
    return render(request, "directives/card.html", {
        "card": item,
        "can_edit": can_edit,
        "specialists": item.specialists.order_by("-is_current", "-designated_on", "-id"),
        "measures": item.measures.all(),
        "documents": item.documents.all(),
        **forms,
    })


def _handle_card_post(request, item, forms):
    action = request.POST.get("action")
    membership = request.membership
    try:
        if action == "specialist":
            form = forms["specialist_form"] = SpecialistDesignationForm(request.POST, prefix="specialist")
            if form.is_valid():
                registry.designate_specialist(membership=membership, card=item, **form.cleaned_data)
                messages.success(request, _("The responsible specialist has been designated."))
                return redirect("directives:card", item.pk)
        elif action == "measure":
            measure = None
            if request.POST.get("measure_id"):
                measure = get_object_or_404(PlannedMeasure, pk=request.POST["measure_id"], card=item)
            form = forms["measure_form"] = PlannedMeasureForm(request.POST, prefix="measure",
                                                             instance=measure)
            if form.is_valid():
                registry.save_measure(membership=membership, card=item, measure=measure,
                                      **form.cleaned_data)
                messages.success(request, _("The measure has been saved."))
                return redirect("directives:card", item.pk)
        elif action == "stage":
            form = forms["stage_form"] = CardStageForm(
                request.POST, prefix="stage", stages=item.project.programme.stages.all())
            if form.is_valid():
                registry.set_stage(membership=membership, card=item, **form.cleaned_data)
                messages.success(request, _("The card has been updated."))
                return redirect("directives:card", item.pk)
        elif action == "document":
            form = forms["document_form"] = CardDocumentForm(request.POST, request.FILES, prefix="document")
            if form.is_valid():
                services.add_attachments(user=request.user, files=form.cleaned_data["attachments"],
                                         card=item)
                messages.success(request, _("The documents have been added."))
                return redirect("directives:card", item.pk)
    except ValidationError as error:
        add_errors(form, error)
    return None
