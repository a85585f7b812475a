"""Proposals: draft, submit (filling a directive's slot), return, and consolidate upwards."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.directives.models import Answer, Recipient, RecipientStatus, ResponseKind
from tatulyq.orgs.models import OrganisationLevel

from ..models import Implementer, Proposal, ProposalLine, ProposalSource
from ..models.proposals import FIRST_YEAR, LAST_YEAR
from .common import check_writer, clean_lines, region_of

PROPOSAL_FIELDS = (
    "project",
    "other_project",
    "title",
    "problem",
    "evidence",
    "target_groups",
    "children_reached",
    "activities",
    "expected_results",
    "indicators",
    "implementer",
)
PROPOSAL_YEARS = list(range(FIRST_YEAR + 1, LAST_YEAR + 1))


def _check_slot(author: Membership, recipient: Recipient) -> None:
    if recipient.organisation_id != author.organisation_id:
        raise ValidationError(_("Only the recipient of the letter can answer it with a proposal."))
    if not recipient.directive.required_responses.filter(kind=ResponseKind.SOCIAL_ORDER_PROPOSAL).exists():
        raise ValidationError(_("This letter does not ask for a state social order proposal."))
    if Proposal.objects.filter(recipient=recipient).exists():
        raise ValidationError(_("A proposal for this letter already exists: edit it instead."))


def _check_fields(fields: dict, errors: dict) -> None:
    if not fields.get("project") and not (fields.get("other_project") or "").strip():
        errors["project"] = _("Choose a project of the programme or name another social project.")
    children = fields.get("children_reached")
    if children is None or children < 0:
        errors["children_reached"] = _("Give the number of children the project will reach.")
    for name in ("title", "problem", "target_groups", "activities", "expected_results"):
        if not (fields.get(name) or "").strip():
            errors[name] = _("This field is required.")


@transaction.atomic
def save_proposal(
    *,
    author: Membership,
    lines: list[dict],
    proposal: Proposal | None = None,
    recipient: Recipient | None = None,
    **fields,
) -> Proposal:
    """Create or change a draft proposal and replace its budget lines (totals computed)."""
    check_writer(author)
    if proposal is None:
        if recipient is not None:
            _check_slot(author, recipient)
        proposal = Proposal(
            organisation=author.organisation,
            region=region_of(author.organisation),
            recipient=recipient,
            created_by=author,
        )
    else:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.organisation_id != author.organisation_id:
            raise ValidationError(_("Only the organisation that proposes it can change the proposal."))
        if not proposal.is_editable:
            raise ValidationError(_("The proposal has been submitted and can no longer be changed."))
    # What is not given stays as it is.
    fields = {**{name: getattr(proposal, name) for name in PROPOSAL_FIELDS if proposal.pk}, **fields}
    errors: dict = {}
    _check_fields(fields, errors)
    rows = clean_lines(lines, years=PROPOSAL_YEARS, errors=errors)
    if errors:
        raise ValidationError(errors)
    for name in PROPOSAL_FIELDS:
        if name in fields:
            setattr(proposal, name, fields[name])
    proposal.total = sum((row["total"] for row in rows), start=0)
    created = proposal.pk is None
    proposal.save()
    allowed_sources = (
        set(
            ProposalLine.objects.filter(proposal__consolidated_into__consolidated=proposal).values_list(
                "pk", flat=True
            )
        )
        if not created
        else set()
    )
    proposal.lines.all().delete()
    ProposalLine.objects.bulk_create(
        ProposalLine(
            proposal=proposal,
            **{k: v for k, v in row.items() if k != "source_id"},
            source_id=row["source_id"] if row["source_id"] in allowed_sources else None,
        )
        for row in rows
    )
    record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=proposal,
        details={"lines": len(rows), "total": str(proposal.total)},
    )
    return proposal


@transaction.atomic
def submit_proposal(*, head: Membership, proposal: Proposal) -> Proposal:
    """The head signs the proposal off: it goes up and fills its letter's proposal slot."""
    check_writer(head)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if head.organisation_id != proposal.organisation_id or not head.is_admin:
        raise ValidationError(_("Only the head (an administrator) of the organisation submits its proposal."))
    if not proposal.is_editable:
        raise ValidationError(_("The proposal has already been submitted."))
    if not proposal.lines.exists():
        raise ValidationError({"lines": _("Add at least one budget line.")})
    if proposal.recipient_id:
        answer, _created = Answer.objects.get_or_create(recipient_id=proposal.recipient_id)
        if answer.status in (Answer.Status.SUBMITTED, Answer.Status.ACCEPTED):
            raise ValidationError(_("The answer to the letter has been sent and can no longer be changed."))
        if answer.drafted_by_id is None:
            answer.drafted_by = head
            answer.save(update_fields=["drafted_by", "updated_at"])
        Recipient.objects.filter(
            pk=proposal.recipient_id, status__in=(RecipientStatus.SENT, RecipientStatus.RECEIVED)
        ).update(status=RecipientStatus.IN_PROGRESS, opened_at=timezone.now())
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_by = head
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    record(action=AuditAction.UPDATE, target=proposal, summary="submitted")
    return proposal


def _check_reviewer(reviewer: Membership, proposal: Proposal) -> None:
    check_writer(reviewer)
    if reviewer.organisation_id == proposal.organisation_id or not scoping.can_see_organisation(
        reviewer, proposal.organisation
    ):
        raise ValidationError(_("Only an organisation above the proposer reviews its proposal."))


@transaction.atomic
def return_proposal(*, reviewer: Membership, proposal: Proposal, comment: str) -> Proposal:
    """Send a submitted proposal back for correction; say why."""
    _check_reviewer(reviewer, proposal)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what has to be corrected.")})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted proposal can be returned."))
    proposal.status = Proposal.Status.RETURNED
    proposal.review_comment = comment.strip()
    proposal.save(update_fields=["status", "review_comment", "updated_at"])
    record(action=AuditAction.UPDATE, target=proposal, summary="returned")
    return proposal


def _joined(sources: list[Proposal], field: str) -> str:
    return "\n\n".join(
        f"{p.organisation.name}: {getattr(p, field).strip()}" for p in sources if getattr(p, field).strip()
    )


@transaction.atomic
def consolidate_proposals(
    *, author: Membership, ranked: list[Proposal], recipient: Recipient | None = None
) -> Proposal:
    """Merge the chosen proposals from below, in the order of their rank, into one draft
    proposal of the author's organisation. Every line keeps a link to the line it came
    from; lines typed by hand into an existing draft stay."""
    check_writer(author)
    if author.organisation.level not in (OrganisationLevel.DISTRICT, OrganisationLevel.REGION):
        raise ValidationError(_("Only a district or a region consolidates proposals."))
    if not ranked:
        raise ValidationError({"sources": _("Choose at least one proposal to consolidate.")})
    if len({p.pk for p in ranked}) != len(ranked):
        raise ValidationError({"sources": _("Each proposal can be ranked only once.")})
    for source in ranked:
        if (
            source.status != Proposal.Status.SUBMITTED
            or source.organisation_id == author.organisation_id
            or not scoping.can_see_organisation(author, source.organisation)
        ):
            raise ValidationError(
                {
                    "sources": _(
                        "“%(title)s” cannot be consolidated: only submitted proposals from below can be."
                    )
                    % {"title": source.title}
                }
            )
    existing = (
        Proposal.objects.select_for_update()
        .filter(
            organisation=author.organisation,
            is_consolidated=True,
            recipient=recipient,
            status__in=(Proposal.Status.DRAFT, Proposal.Status.RETURNED),
        )
        .first()
        if recipient is not None
        else None
    )
    if recipient is not None and existing is None:
        _check_slot(author, recipient)
    projects = {p.project_id for p in ranked}
    fields = {
        "project_id": ranked[0].project_id if len(projects) == 1 else None,
        "other_project": ""
        if len(projects) == 1 and ranked[0].project_id
        else "; ".join(dict.fromkeys(p.project_label for p in ranked))[:300],
        "title": _("Consolidated proposal: %(organisation)s") % {"organisation": author.organisation.name},
        "problem": _joined(ranked, "problem"),
        "evidence": _joined(ranked, "evidence"),
        "target_groups": _joined(ranked, "target_groups"),
        "children_reached": sum(p.children_reached for p in ranked),
        "activities": _joined(ranked, "activities"),
        "expected_results": _joined(ranked, "expected_results"),
        "indicators": _joined(ranked, "indicators"),
        "implementer": Implementer.NGO_GRANT
        if any(p.implementer != Implementer.OWN_STAFF for p in ranked)
        else Implementer.OWN_STAFF,
    }
    if fields["project_id"] is None and not fields["other_project"]:
        fields["other_project"] = "—"
    if existing is None:
        proposal = Proposal.objects.create(
            organisation=author.organisation,
            region=region_of(author.organisation),
            recipient=recipient,
            created_by=author,
            is_consolidated=True,
            **fields,
        )
    else:
        proposal = existing
        for name, value in fields.items():
            setattr(proposal, name, value)
        proposal.lines.exclude(source=None).delete()
        proposal.source_links.all().delete()
    ProposalSource.objects.bulk_create(
        ProposalSource(consolidated=proposal, source=source, rank=rank)
        for rank, source in enumerate(ranked, 1)
    )
    typed = list(proposal.lines.all())
    copied = [
        ProposalLine(
            proposal=proposal,
            year=line.year,
            item=f"{line.item} ({source.organisation.name})"[:300],
            unit=line.unit,
            quantity=line.quantity,
            unit_cost=line.unit_cost,
            total=line.total,
            position=rank * 100 + line.position,
            source=line,
        )
        for rank, source in enumerate(ranked, 1)
        for line in source.lines.all()
    ]
    ProposalLine.objects.bulk_create(copied)
    proposal.total = sum((line.total for line in [*typed, *copied]), start=0)
    proposal.save()
    record(
        action=AuditAction.UPDATE,
        target=proposal,
        summary="consolidated",
        details={"sources": [p.pk for p in ranked], "lines": len(copied)},
    )
    return proposal
