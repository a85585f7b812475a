"""Proposals, their consolidation, the state social order, the national budget table and
the budget execution. Views parse, ask `access`, call one service and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tatulyq.access import scoping
from tatulyq.directives import selectors as directive_selectors
from tatulyq.lib.forms import add_errors, saved_with_rows
from tatulyq.orgs.models import OrganisationLevel

from . import exports, selectors, services
from .forms import CommentForm, LineFormSet, ProposalForm, SocialOrderForm, TopicForm
from .models import Proposal, SocialOrder


def writer(request):
    if not scoping.can_write(request.membership):
        raise PermissionDenied
    return request.membership


def member(request):
    if request.membership is None:
        raise PermissionDenied
    return request.membership


def index(request):
    """Where each level starts: its proposals, orders, competitions and agreements."""
    membership = member(request)
    return render(
        request,
        "grants/index.html",
        {
            "proposals": selectors.proposals(membership)[:10],
            "orders": scoping.visible_social_orders(membership).select_related("organisation")[:10],
            "competitions": scoping.visible_competitions(membership)
            .select_related("organiser")
            .order_by("-opens_on")[:10],
            "agreements": scoping.visible_agreements(membership).select_related("ngo")[:10],
            "level": membership.organisation.level,
            "can_consolidate": membership.organisation.level
            in (OrganisationLevel.DISTRICT, OrganisationLevel.REGION),
            "is_region": membership.organisation.level == OrganisationLevel.REGION,
        },
    )


# ---------------------------------------------------------------- proposals


def proposal_list(request):
    membership = member(request)
    status = request.GET.get("status", "")
    if status not in Proposal.Status.values:
        status = ""
    page = Paginator(selectors.proposals(membership, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/proposal_list.html",
        {"page": page, "status": status, "statuses": Proposal.Status.choices},
    )


def _proposal_form(request, membership, proposal=None, recipient=None):
    if request.method == "POST":
        form = ProposalForm(request.POST, instance=proposal or Proposal())
        lines = LineFormSet(request.POST, prefix="lines")

        def save(data, rows):
            fields = {name: data[name] for name in ProposalForm.Meta.fields}
            fields["other_project"] = fields["other_project"] or ""
            return services.save_proposal(
                author=membership, proposal=proposal, recipient=recipient, lines=rows["lines"], **fields
            )

        saved = saved_with_rows(request, form, {"lines": lines}, save)
        if saved:
            messages.success(request, _("The proposal is saved. Submit it when it is ready."))
            return redirect("grants:proposal", saved.pk)
    else:
        form = ProposalForm(instance=proposal)
        lines = LineFormSet(
            prefix="lines",
            initial=[
                {
                    "year": x.year,
                    "item": x.item,
                    "unit": x.unit,
                    "quantity": x.quantity,
                    "unit_cost": x.unit_cost,
                    "source_id": x.source_id,
                }
                for x in (proposal.lines.all() if proposal else [])
            ],
        )
    return render(
        request,
        "grants/proposal_form.html",
        {"form": form, "lines": lines, "proposal": proposal, "recipient": recipient},
    )


def proposal_new(request):
    """A new proposal; with ?recipient= it answers that letter's proposal slot."""
    membership = writer(request)
    recipient = None
    if request.GET.get("recipient"):
        recipient = directive_selectors.get_recipient_or_404(membership, request.GET["recipient"])
        if recipient.organisation_id != membership.organisation_id:
            raise Http404
        existing = Proposal.objects.filter(recipient=recipient).first()
        if existing:
            return redirect(
                "grants:proposal_edit" if existing.is_editable else "grants:proposal", existing.pk
            )
    return _proposal_form(request, membership, recipient=recipient)


def proposal_edit(request, proposal_id: int):
    membership = writer(request)
    proposal = scoping.get_proposal_or_404(membership, proposal_id)
    if proposal.organisation_id != membership.organisation_id:
        raise Http404
    if not proposal.is_editable:
        messages.error(request, _("The proposal has been submitted and can no longer be changed."))
        return redirect("grants:proposal", proposal.pk)
    return _proposal_form(request, membership, proposal=proposal, recipient=proposal.recipient)


def proposal_detail(request, proposal_id: int):
    membership = member(request)
    proposal = scoping.get_proposal_or_404(membership, proposal_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        writer(request)
        if form.is_valid():
            try:
                services.return_proposal(
                    reviewer=membership, proposal=proposal, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The proposal has been returned for correction."))
                return redirect("grants:proposal", proposal.pk)
    own = proposal.organisation_id == membership.organisation_id
    return render(
        request,
        "grants/proposal_detail.html",
        {
            "proposal": proposal,
            "own": own,
            "form": form,
            "lines": proposal.lines.select_related("source__proposal__organisation"),
            "sources": proposal.source_links.select_related("source__organisation", "source__project"),
            "used_in": proposal.consolidated_into.select_related("consolidated__organisation"),
            "can_write": scoping.can_write(membership),
            "can_review": not own
            and proposal.status == Proposal.Status.SUBMITTED
            and scoping.can_write(membership),
        },
    )


@require_POST
def proposal_submit(request, proposal_id: int):
    membership = writer(request)
    proposal = scoping.get_proposal_or_404(membership, proposal_id)
    try:
        services.submit_proposal(head=membership, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposal has been submitted."))
    return redirect("grants:proposal", proposal.pk)


def consolidate(request):
    """A district (or region) merges and ranks the proposals from below into its own."""
    membership = writer(request)
    if membership.organisation.level not in (OrganisationLevel.DISTRICT, OrganisationLevel.REGION):
        raise PermissionDenied
    recipient = None
    if request.GET.get("recipient"):
        recipient = directive_selectors.get_recipient_or_404(membership, request.GET["recipient"])
        if recipient.organisation_id != membership.organisation_id:
            raise Http404
    candidates = list(selectors.consolidation_candidates(membership))
    error_text = ""
    if request.method == "POST":
        ranks = {}
        for proposal in candidates:
            value = request.POST.get(f"rank_{proposal.pk}", "").strip()
            if value:
                if not value.isdigit() or int(value) < 1:
                    error_text = _("A rank is a whole number from 1.")
                    break
                ranks[proposal.pk] = int(value)
        if not error_text:
            ordered = sorted((p for p in candidates if p.pk in ranks), key=lambda p: (ranks[p.pk], p.pk))
            try:
                merged = services.consolidate_proposals(
                    author=membership, ranked=ordered, recipient=recipient
                )
            except ValidationError as error:
                error_text = " ".join(error.messages)
            else:
                messages.success(
                    request, _("The proposals are merged into your draft. Check it and submit it.")
                )
                return redirect("grants:proposal", merged.pk)
    for proposal in candidates:
        proposal.posted_rank = request.POST.get(f"rank_{proposal.pk}", "")
    return render(
        request,
        "grants/consolidate.html",
        {
            "candidates": candidates,
            "recipient": recipient,
            "error": error_text,
        },
    )


def finance_xlsx(request):
    """The submitted proposals under an organisation in the finance department's layout."""
    membership = member(request)
    under = scoping.get_organisation_or_404(
        membership, request.GET.get("under") or membership.organisation_id
    )
    return exports.finance_xlsx(selectors.finance_rows(membership, under), under)


def national(request):
    """Proposals summed per project and region, by year (the Ministry's table)."""
    membership = member(request)
    table = selectors.national_budget_table(membership)
    if request.GET.get("format") == "xlsx":
        return exports.national_xlsx(table)
    return render(request, "grants/national.html", {"table": table})


# ---------------------------------------------------------------- the state social order


def order_list(request):
    membership = member(request)
    orders = scoping.visible_social_orders(membership).select_related("organisation", "region")
    return render(
        request,
        "grants/order_list.html",
        {
            "orders": orders,
            "can_create": membership.organisation.level == OrganisationLevel.REGION
            and scoping.can_write(membership),
        },
    )


def order_new(request):
    membership = writer(request)
    form = SocialOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.create_social_order(author=membership, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("grants:order", order.pk)
    return render(
        request,
        "grants/simple_form.html",
        {"form": form, "title": _("New state social order"), "back": ("grants:orders", None)},
    )


def order_detail(request, order_id: int):
    membership = member(request)
    order = scoping.get_social_order_or_404(membership, order_id)
    topics = list(
        order.topics.select_related("project").prefetch_related(
            "budgets", "sources__organisation", "competitions"
        )
    )
    return render(
        request,
        "grants/order_detail.html",
        {
            "order": order,
            "topics": topics,
            "years": order.years,
            "can_edit": order.status == SocialOrder.Status.DRAFT
            and scoping.can_write(membership)
            and scoping.reach_of(membership.organisation).pk == order.organisation_id,
            "can_announce": order.status == SocialOrder.Status.APPROVED
            and scoping.can_write(membership)
            and scoping.reach_of(membership.organisation).pk == order.organisation_id,
        },
    )


def topic_new(request, order_id: int):
    membership = writer(request)
    order = scoping.get_social_order_or_404(membership, order_id)
    sources = selectors.consolidation_candidates(membership)
    form = TopicForm(request.POST or None, years=order.years, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_topic(
                author=membership,
                order=order,
                project=data["project"],
                title=data["title"],
                funding_source=data["funding_source"],
                expected_results=data["expected_results"],
                budgets=form.budgets(),
                sources=list(data["sources"]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The topic has been added."))
            return redirect("grants:order", order.pk)
    return render(
        request,
        "grants/simple_form.html",
        {"form": form, "title": _("New topic"), "subtitle": order.title, "back": ("grants:order", order.pk)},
    )


@require_POST
def order_approve(request, order_id: int):
    membership = writer(request)
    order = scoping.get_social_order_or_404(membership, order_id)
    try:
        services.approve_social_order(author=membership, order=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The state social order is approved."))
    return redirect("grants:order", order.pk)


# ---------------------------------------------------------------- budget execution


def execution(request):
    """Planned, contracted, paid and reported spent per region, project and year; a row
    opens the agreements behind it."""
    membership = member(request)
    rows = selectors.budget_execution(membership)
    drill = None
    params = {k: request.GET.get(k) for k in ("region", "project", "year")}
    if any(params.values()):
        try:
            drill = selectors.agreements(membership, **{k: int(v) for k, v in params.items() if v})
        except ValueError:
            raise Http404 from None
    if request.GET.get("format") == "xlsx":
        return exports.execution_xlsx(rows)
    return render(request, "grants/execution.html", {"rows": rows, "drill": drill, "params": params})
