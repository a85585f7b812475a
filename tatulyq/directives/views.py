from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership
from tatulyq.lib.forms import add_errors, saved_with_rows
from tatulyq.orgs.models import Organisation

from . import exports, selectors, services
from .forms import (
    AnswerForm,
    DirectiveForm,
    ForwardForm,
    MeasureFormSet,
    ResolutionForm,
    ReturnForm,
    SpecialistFormSet,
)
from .models import Answer, Attachment, RecipientStatus

LETTER_FIELDS = ("outgoing_number", "issued_on", "deadline", "subject", "addressees_line",
                 "text_kk", "text_ru", "signatory_name", "signatory_position", "executor_name",
                 "executor_phone")


def _writer(request):
    if not scoping.can_write(request.membership):
        raise PermissionDenied
    return request.membership


def _recipient_candidates(membership: Membership):
    """Organisations one level below the organisation or its reach, for the checkboxes."""
    reach = scoping.reach_of(membership.organisation)
    return (
        Organisation.objects.filter(Q(parent=reach) | Q(parent=membership.organisation), is_active=True)
        .exclude(pk=membership.organisation_id)
        .select_related("territory")
        .order_by("kind", "name_kk")
    )


def inbox(request):
    membership = request.membership
    if membership is None:
        raise PermissionDenied
    received = Paginator(selectors.inbox(membership), 50).get_page(request.GET.get("page"))
    issued = (
        selectors.visible_directives(membership)
        .filter(issuer_id=membership.organisation_id)
        .select_related("issuer")
        .order_by("-issued_on", "-id")[:50]
    )
    return render(request, "directives/inbox.html", {
        "received": received, "issued": issued, "today": timezone.localdate(),
        "can_issue": scoping.can_write(membership),
    })


def issue(request):
    membership = _writer(request)
    form = DirectiveForm(request.POST or None, request.FILES or None,
                         candidates=_recipient_candidates(membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                directive = services.issue_directive(
                    author=membership,
                    recipients=services.resolve_recipients(
                        issuer=membership.organisation, chosen=data["recipients"],
                        kind=data["recipient_kind"]),
                    required=data["required"], projects=data["projects"],
                    **{f: data[f] for f in LETTER_FIELDS},
                )
                services.add_attachments(user=request.user, files=data["attachments"],
                                         directive=directive)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The letter has been sent to %(count)s recipients.")
                             % {"count": directive.recipients.count()})
            return redirect("directives:detail", directive.pk)
    return render(request, "directives/issue.html", {"form": form})


def detail(request, directive_id: int):
    membership = request.membership
    directive = selectors.get_directive_or_404(membership, directive_id)
    mine = (
        directive.recipients.filter(organisation_id=membership.organisation_id)
        .select_related("answer", "resolution", "forward").first()
    )
    if mine is not None:
        services.mark_opened(membership=membership, recipient=mine)
    chain = []
    parent = directive.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = parent.parent
    return render(request, "directives/detail.html", {
        "directive": directive,
        "chain": chain,
        "mine": mine,
        "forwards": directive.forwards.select_related("issuer").order_by("issuer__name_kk"),
        "required": directive.required_responses.all(),
        "attachments": directive.attachments.all(),
        "is_issuer": membership.organisation_id == directive.issuer_id,
        "can_write": scoping.can_write(membership),
        "answer_missing": services.missing_parts(mine.answer) if mine and hasattr(mine, "answer") else [],
    })


def forward(request, recipient_id: int):
    membership = _writer(request)
    recipient = selectors.get_recipient_or_404(membership, recipient_id)
    if recipient.organisation_id != membership.organisation_id:
        raise Http404
    initial = {"subject": recipient.directive.subject, "deadline": recipient.deadline,
               "issued_on": timezone.localdate(), "text_kk": recipient.directive.text_kk,
               "text_ru": recipient.directive.text_ru,
               "required": list(recipient.directive.required_responses.values_list("kind", flat=True))}
    form = ForwardForm(request.POST or None, request.FILES or None, initial=initial,
                       candidates=_recipient_candidates(membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                directive = services.forward_directive(
                    author=membership, recipient=recipient, required=data["required"],
                    recipients=services.resolve_recipients(
                        issuer=membership.organisation, chosen=data["recipients"],
                        kind=data["recipient_kind"]),
                    **{f: data[f] for f in LETTER_FIELDS},
                )
                services.add_attachments(user=request.user, files=data["attachments"],
                                         directive=directive)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Forwarded to %(count)s recipients.")
                             % {"count": directive.recipients.count()})
            return redirect("directives:detail", directive.pk)
    return render(request, "directives/forward.html", {"form": form, "recipient": recipient})


def resolution(request, recipient_id: int):
    membership = _writer(request)
    recipient = selectors.get_recipient_or_404(membership, recipient_id)
    if recipient.organisation_id != membership.organisation_id or not membership.is_admin:
        raise PermissionDenied
    people = Membership.objects.filter(organisation_id=membership.organisation_id, is_active=True) \
        .select_related("user").order_by("user__full_name")
    form = ResolutionForm(request.POST or None, people=people,
                          initial={"internal_deadline": recipient.deadline})
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_resolution(author=membership, recipient=recipient, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The executors have been assigned."))
            return redirect("directives:detail", recipient.directive_id)
    return render(request, "directives/resolution.html", {"form": form, "recipient": recipient})


def answer(request, recipient_id: int):
    """Draft the answer: the typed parts the letter asks for, as data."""
    membership = _writer(request)
    recipient = selectors.get_recipient_or_404(membership, recipient_id)
    if recipient.organisation_id != membership.organisation_id:
        raise Http404
    existing = Answer.objects.filter(recipient=recipient).first()
    kinds = set(recipient.directive.required_responses.values_list("kind", flat=True))
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        specialists = SpecialistFormSet(request.POST, prefix="specialists")
        measures = MeasureFormSet(request.POST, prefix="measures")

        @transaction.atomic
        def save(data, rows):
            saved = services.save_answer(
                author=membership, recipient=recipient, report_text=data["report_text"],
                specialists=rows["specialists"], measures=rows["measures"],
            )
            services.add_attachments(user=request.user, answer=saved, files=data["attachments"])
            return saved

        if saved_with_rows(request, form, {"specialists": specialists, "measures": measures}, save):
            messages.success(request, _("The draft answer is saved."))
            return redirect("directives:detail", recipient.directive_id)
    else:
        form = AnswerForm(initial={"report_text": existing.report_text if existing else ""})
        specialists = SpecialistFormSet(prefix="specialists", initial=[
            {"project": s.project_id, "full_name": s.full_name, "position": s.position,
             "phone": s.phone, "email": s.email}
            for s in (existing.specialists.all() if existing else [])
        ])
        measures = MeasureFormSet(prefix="measures", initial=[
            {"title": m.title, "due": m.due, "responsible": m.responsible, "budget": m.budget}
            for m in (existing.measures.all() if existing else [])
        ])
    return render(request, "directives/answer.html", {
        "recipient": recipient, "form": form, "specialists": specialists, "measures": measures,
        "kinds": kinds, "answer": existing,
    })


def _post_action(request, recipient_id: int, action, success: str):
    membership = _writer(request)
    recipient = selectors.get_recipient_or_404(membership, recipient_id)
    try:
        action(membership, recipient)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return recipient


@require_POST
def consolidate(request, recipient_id: int):
    recipient = _post_action(
        request, recipient_id,
        lambda m, r: services.consolidate_answer(author=m, recipient=r),
        _("The answers from below have been added to your draft. Check and edit it before signing."),
    )
    return redirect("directives:answer", recipient.pk)


@require_POST
def sign_off(request, recipient_id: int):
    recipient = _post_action(
        request, recipient_id,
        lambda m, r: services.sign_off_answer(head=m, recipient=r),
        _("The answer has been signed and sent."),
    )
    return redirect("directives:detail", recipient.directive_id)


@require_POST
def accept(request, recipient_id: int):
    recipient = _post_action(
        request, recipient_id,
        lambda m, r: services.accept_answer(reviewer=m, recipient=r),
        _("The answer is accepted and taken off control."),
    )
    return redirect("directives:review", recipient.pk)


def review(request, recipient_id: int):
    """The issuer reads an answer and accepts it or returns it with a comment."""
    membership = request.membership
    recipient = selectors.get_recipient_or_404(membership, recipient_id)
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        _writer(request)
        if form.is_valid():
            try:
                services.return_answer(reviewer=membership, recipient=recipient,
                                       comment=form.cleaned_data["comment"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The answer has been returned for correction."))
                return redirect("directives:review", recipient.pk)
    answer_obj = Answer.objects.filter(recipient=recipient).prefetch_related(
        "specialists__project", "measures__source_organisation", "attachments").first()
    return render(request, "directives/review.html", {
        "recipient": recipient, "answer": answer_obj, "form": form,
        "can_review": membership.organisation_id == recipient.directive.issuer_id
        and scoping.can_write(membership),
    })


def control(request, directive_id: int):
    membership = request.membership
    directive = selectors.get_directive_or_404(membership, directive_id)
    root = directive.root or directive
    under = None
    if request.GET.get("under"):
        under = scoping.get_organisation_or_404(membership, request.GET["under"])
    status = request.GET.get("status", "")
    if status not in RecipientStatus.values:
        status = ""
    sheet = selectors.control_sheet(root=root, membership=membership, under=under, status=status,
                                    overdue_only=request.GET.get("overdue") == "1")
    if request.GET.get("format") == "xlsx":
        return exports.control_sheet_xlsx(request, sheet)
    page = Paginator(sheet.rows, 100).get_page(request.GET.get("page"))
    return render(request, "directives/control.html", {
        "sheet": sheet, "page": page, "root": root, "under": under, "status": status,
        "statuses": RecipientStatus.choices, "overdue": request.GET.get("overdue") == "1",
    })


def attachment(request, attachment_id: int):
    """Files are served only to those who may see the letter or the answer."""
    item = get_object_or_404(Attachment.objects.select_related("directive", "answer__recipient"),
                             pk=attachment_id)
    if item.card_id:
        if request.membership is None:  # cards are open to everyone in the programme
            raise Http404
    elif item.directive_id:
        selectors.get_directive_or_404(request.membership, item.directive_id)
    else:
        selectors.get_recipient_or_404(request.membership, item.answer.recipient_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                         content_type=item.content_type)


def specialists(request):
    """The Ministry's table of the responsible specialists of all 20 project regions."""
    if request.membership is None:
        raise PermissionDenied
    cards = selectors.specialists_table()
    if request.GET.get("format") == "xlsx":
        return exports.specialists_xlsx(request, cards)
    return render(request, "directives/specialists.html", {"cards": cards})




def print_letter(request, directive_id: int, language: str, fmt: str):
    """The letter in the official layout, as PDF or DOCX, in Kazakh or Russian."""
    from . import printing

    directive = selectors.get_directive_or_404(request.membership, directive_id)
    if language not in {"kk", "ru"} or fmt not in {"pdf", "docx"}:
        raise Http404
    if fmt == "pdf":
        return printing.print_pdf(request, directive, language)
    return printing.print_docx(request, directive, language)
