"""Writing instructions: issue, forward down the cascade, open, assign, answer, review.

Each function is one transaction that validates, writes and records its audit entry.
"""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.orgs.models import Organisation

from .models import (
    Answer,
    AnswerMeasure,
    AnswerSpecialist,
    Directive,
    ImplementationCard,
    PlannedMeasure,
    Project,
    Recipient,
    RecipientStatus,
    RequiredResponse,
    Resolution,
    ResponseKind,
    ResponsibleSpecialist,
)

# Typed slots filled by another module (grants: the state social order proposal):
# kind → check(answer) telling whether the slot is filled. Registered in AppConfig.ready().
SLOT_CHECKS: dict[str, Callable[[Answer], bool]] = {}

OPEN_STATUSES = (RecipientStatus.SENT, RecipientStatus.RECEIVED, RecipientStatus.IN_PROGRESS,
                 RecipientStatus.RETURNED)


def _check_letter(*, issuer: Organisation, outgoing_number: str, issued_on: datetime.date,
                  deadline: datetime.date, parent_deadline: datetime.date | None = None) -> None:
    errors = {}
    if deadline < issued_on:
        errors["deadline"] = _("The deadline cannot be before the date of the letter.")
    elif parent_deadline is not None and deadline > parent_deadline:
        errors["deadline"] = _(
            "Your deadline must come before the one you were given (%(date)s)."
        ) % {"date": parent_deadline.strftime("%d.%m.%Y")}
    if outgoing_number and Directive.objects.filter(
        issuer=issuer, outgoing_number=outgoing_number, issued_year=issued_on.year
    ).exists():
        errors["outgoing_number"] = _(
            "Your organisation already has a letter No. %(number)s in %(year)s."
        ) % {"number": outgoing_number, "year": issued_on.year}
    if errors:
        raise ValidationError(errors)


def _check_recipients(issuer: Organisation, recipients: Iterable[Organisation]) -> list[Organisation]:
    recipients = list({org.pk: org for org in recipients}.values())
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one recipient.")})
    reach = scoping.reach_of(issuer)
    outside = [org for org in recipients if not org.is_within(reach) or org.pk == issuer.pk]
    if outside:
        raise ValidationError(
            {"recipients": _("%(name)s is not under your organisation: you can send only down "
                             "your own tree.") % {"name": outside[0].name}}
        )
    return recipients


def _create_letter(*, author: Membership, issuer: Organisation, recipients: list[Organisation],
                   required: Iterable[str], projects: Iterable[Project], parent=None,
                   forwarded_from: Recipient | None = None, **fields) -> Directive:
    directive = Directive(
        issuer=issuer, parent=parent, forwarded_from=forwarded_from, created_by=author,
        status=Directive.Status.SENT, sent_at=timezone.now(),
        issued_year=fields["issued_on"].year, **fields,
    )
    try:
        with transaction.atomic():
            directive.save()
    except IntegrityError:  # a concurrent letter took the number first
        raise ValidationError(
            {"outgoing_number": _("This outgoing number is already used this year.")}
        ) from None
    directive.root_id = parent.root_id if parent else directive.pk
    Directive.objects.filter(pk=directive.pk).update(root_id=directive.root_id)
    directive.projects.set(projects)
    RequiredResponse.objects.bulk_create(
        RequiredResponse(directive=directive, kind=kind) for kind in dict.fromkeys(required)
    )
    Recipient.objects.bulk_create(
        Recipient(directive=directive, organisation=org, root_id=directive.root_id,
                  deadline=directive.deadline)
        for org in recipients
    )
    return directive


@transaction.atomic
def issue_directive(*, author: Membership, recipients: Iterable[Organisation],
                    required: Iterable[str], projects: Iterable[Project] = (),
                    **fields) -> Directive:
    """Send a new letter from the author's organisation to organisations below it."""
    issuer = author.organisation
    _check_letter(issuer=issuer, outgoing_number=fields.get("outgoing_number", ""),
                  issued_on=fields["issued_on"], deadline=fields["deadline"])
    recipients = _check_recipients(issuer, recipients)
    directive = _create_letter(author=author, issuer=issuer, recipients=recipients,
                               required=required, projects=projects, **fields)
    record(action=AuditAction.CREATE, target=directive,
           details={"recipients": len(recipients)})
    return directive


@transaction.atomic
def forward_directive(*, author: Membership, recipient: Recipient,
                      recipients: Iterable[Organisation], required: Iterable[str] | None = None,
                      **fields) -> Directive:
    """Pass a received letter down under one's own number, text and an earlier deadline.
    The forward asks for the responses of the letter it implements unless told otherwise
    (the seed's oblast asks its districts for proposals, not for a specialist)."""
    parent = recipient.directive
    if recipient.organisation_id != author.organisation_id:
        raise ValidationError(_("Only the recipient can forward this letter."))
    if hasattr(recipient, "forward"):
        raise ValidationError(_("You have already forwarded this letter."))
    if recipient.status == RecipientStatus.ACCEPTED:
        raise ValidationError(_("This letter is already taken off control."))
    _check_letter(issuer=author.organisation, outgoing_number=fields.get("outgoing_number", ""),
                  issued_on=fields["issued_on"], deadline=fields["deadline"],
                  parent_deadline=recipient.deadline)
    recipients = _check_recipients(author.organisation, recipients)
    forward = _create_letter(
        author=author, issuer=author.organisation, recipients=recipients,
        required=(list(required) if required is not None
                  else parent.required_responses.values_list("kind", flat=True)),
        projects=parent.projects.all(), parent=parent, forwarded_from=recipient, **fields,
    )
    if recipient.status in (RecipientStatus.SENT, RecipientStatus.RECEIVED):
        _set_status(recipient, RecipientStatus.IN_PROGRESS)
    record(action=AuditAction.CREATE, target=forward,
           details={"forwarded_from": recipient.pk, "recipients": len(recipients)})
    return forward


def _set_status(recipient: Recipient, status: str, **stamps) -> None:
    recipient.status = status
    for field, value in stamps.items():
        setattr(recipient, field, value)
    recipient.save(update_fields=["status", *stamps])


def mark_opened(*, membership: Membership, recipient: Recipient) -> None:
    """The first opening by someone of the recipient organisation counts as receipt."""
    if recipient.status == RecipientStatus.SENT and membership.organisation_id == recipient.organisation_id:
        _set_status(recipient, RecipientStatus.RECEIVED, opened_at=timezone.now())


@transaction.atomic
def assign_resolution(*, author: Membership, recipient: Recipient, executors: list[Membership],
                      responsible: Membership, internal_deadline: datetime.date,
                      controller: Membership | None = None, note: str = "") -> Resolution:
    """The head assigns the letter to people of the organisation."""
    if author.organisation_id != recipient.organisation_id:
        raise ValidationError(_("Only the receiving organisation assigns its executors."))
    people = [*executors, responsible, *([controller] if controller else [])]
    if any(m.organisation_id != recipient.organisation_id or not m.is_active for m in people):
        raise ValidationError({"executors": _("Executors must work in your organisation.")})
    if responsible not in executors:
        executors = [*executors, responsible]
    if internal_deadline > recipient.deadline:
        raise ValidationError({"internal_deadline": _(
            "The internal deadline must not be later than the letter's deadline (%(date)s)."
        ) % {"date": recipient.deadline.strftime("%d.%m.%Y")}})
    resolution, _created = Resolution.objects.update_or_create(
        recipient=recipient,
        defaults={"author": author, "responsible": responsible, "controller": controller,
                  "internal_deadline": internal_deadline, "note": note},
    )
    resolution.executors.set(executors)
    if recipient.status in (RecipientStatus.SENT, RecipientStatus.RECEIVED):
        _set_status(recipient, RecipientStatus.IN_PROGRESS,
                    opened_at=recipient.opened_at or timezone.now())
    record(action=AuditAction.UPDATE, target=recipient, summary="resolution",
           details={"executors": [m.pk for m in executors]})
    return resolution


def _editable_answer(recipient: Recipient) -> Answer:
    answer, _created = Answer.objects.get_or_create(recipient=recipient)
    if answer.status in (Answer.Status.SUBMITTED, Answer.Status.ACCEPTED):
        raise ValidationError(_("The answer has been sent and can no longer be changed. "
                                "The issuer can return it for correction."))
    return answer


@transaction.atomic
def save_answer(*, author: Membership, recipient: Recipient, report_text: str,
                specialists: list[dict], measures: list[dict]) -> Answer:
    """Save the draft answer (replacing its parts). Nothing is sent yet."""
    if author.organisation_id != recipient.organisation_id:
        raise ValidationError(_("Only the recipient can answer this letter."))
    answer = _editable_answer(recipient)
    answer.report_text = report_text
    answer.drafted_by = author
    answer.save()
    answer.specialists.all().delete()
    AnswerSpecialist.objects.bulk_create(AnswerSpecialist(answer=answer, **s) for s in specialists)
    answer.measures.all().delete()
    AnswerMeasure.objects.bulk_create(AnswerMeasure(answer=answer, **m) for m in measures)
    if recipient.status in (RecipientStatus.SENT, RecipientStatus.RECEIVED):
        _set_status(recipient, RecipientStatus.IN_PROGRESS,
                    opened_at=recipient.opened_at or timezone.now())
    record(action=AuditAction.UPDATE, target=answer)
    return answer


def missing_parts(answer: Answer) -> list[str]:
    """Labels of the required responses the answer does not yet give."""
    kinds = set(answer.recipient.directive.required_responses.values_list("kind", flat=True))
    missing = []
    if ResponseKind.RESPONSIBLE_SPECIALIST in kinds and not answer.specialists.exists():
        missing.append(ResponseKind.RESPONSIBLE_SPECIALIST.label)
    if ResponseKind.PLANNED_MEASURES in kinds and not answer.measures.exists():
        missing.append(ResponseKind.PLANNED_MEASURES.label)
    if ResponseKind.FREE_REPORT in kinds and not (answer.report_text.strip() or answer.attachments.exists()):
        missing.append(ResponseKind.FREE_REPORT.label)
    for kind, filled in SLOT_CHECKS.items():
        if kind in kinds and not filled(answer):
            missing.append(ResponseKind(kind).label)
    return [str(label) for label in missing]


@transaction.atomic
def sign_off_answer(*, head: Membership, recipient: Recipient) -> Answer:
    """The head signs the drafted answer off: it goes to the issuer."""
    if head.organisation_id != recipient.organisation_id or not head.is_admin:
        raise ValidationError(_("Only the head (an administrator) of the organisation signs answers off."))
    answer = _editable_answer(recipient)
    missing = missing_parts(answer)
    if missing:
        raise ValidationError(_("The answer is not complete: %(parts)s.") % {"parts": "; ".join(missing)})
    now = timezone.now()
    answer.status = Answer.Status.SUBMITTED
    answer.signed_by = head
    answer.submitted_at = now
    answer.save(update_fields=["status", "signed_by", "submitted_at", "updated_at"])
    _set_status(recipient, RecipientStatus.ANSWERED, answered_at=now)
    _update_registry_from(answer)
    record(action=AuditAction.UPDATE, target=answer, summary="signed off")
    return answer


def _update_registry_from(answer: Answer) -> None:
    """A region's named specialist and planned measures go straight into the project's
    implementation card; a corrected answer replaces what its first version put there."""
    organisation = answer.recipient.organisation
    cards = ImplementationCard.objects.filter(
        region_id=organisation.territory_id,
        project__in=answer.recipient.directive.projects.all(),
    )
    for specialist in answer.specialists.all():
        for card in cards:
            if specialist.project_id and specialist.project_id != card.project_id:
                continue
            ResponsibleSpecialist.objects.filter(card=card, is_current=True).update(is_current=False)
            ResponsibleSpecialist.objects.create(
                card=card, full_name=specialist.full_name, position=specialist.position,
                phone=specialist.phone, email=specialist.email, source_answer=answer,
                designated_on=timezone.localdate(),
            )
            if card.organisation_id is None:
                card.organisation = organisation
                card.save(update_fields=["organisation", "updated_at"])
    measures = list(answer.measures.all())
    for card in cards:
        PlannedMeasure.objects.filter(card=card, source_answer=answer).delete()
        PlannedMeasure.objects.bulk_create(
            PlannedMeasure(card=card, title=m.title, due=m.due, responsible=m.responsible,
                           budget=m.budget, source_answer=answer, position=index)
            for index, m in enumerate(measures)
        )


@transaction.atomic
def consolidate_answer(*, author: Membership, recipient: Recipient) -> Answer:
    """Compile a draft from the subordinates' answers to one's forward of this letter.
    Items already copied are not copied again; nothing typed by hand is overwritten."""
    if author.organisation_id != recipient.organisation_id:
        raise ValidationError(_("Only the recipient can consolidate its answer."))
    forward = getattr(recipient, "forward", None)
    if forward is None:
        raise ValidationError(_("You have not forwarded this letter, so there is nothing to consolidate."))
    answer = _editable_answer(recipient)
    sources = Answer.objects.filter(
        recipient__directive=forward,
        status__in=(Answer.Status.SUBMITTED, Answer.Status.ACCEPTED),
    ).select_related("recipient__organisation")
    copied = set(answer.measures.exclude(source=None).values_list("source_id", flat=True))
    new_measures = [
        AnswerMeasure(answer=answer, title=m.title, due=m.due, responsible=m.responsible,
                      budget=m.budget, source=m, source_organisation=m.answer.recipient.organisation)
        for m in AnswerMeasure.objects.filter(answer__in=sources).select_related(
            "answer__recipient__organisation")
        if m.pk not in copied
    ]
    AnswerMeasure.objects.bulk_create(new_measures)
    reports = [
        f"{source.recipient.organisation.name}: {source.report_text.strip()}"
        for source in sources if source.report_text.strip()
    ]
    if reports:
        compiled = "\n\n".join(reports)
        if compiled not in answer.report_text:
            answer.report_text = (answer.report_text.rstrip() + "\n\n" + compiled).strip()
    answer.consolidated_at = timezone.now()
    answer.drafted_by = author
    answer.save()
    record(action=AuditAction.UPDATE, target=answer, summary="consolidated",
           details={"sources": len(sources), "measures_added": len(new_measures)})
    return answer


@transaction.atomic
def accept_answer(*, reviewer: Membership, recipient: Recipient) -> Recipient:
    """The issuer takes the answer off control."""
    _check_reviewer(reviewer, recipient)
    answer = Answer.objects.filter(recipient=recipient).first()  # never a stale cached one
    if answer is None or answer.status != Answer.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted answer can be accepted."))
    answer.status = Answer.Status.ACCEPTED
    answer.save(update_fields=["status", "updated_at"])
    _set_status(recipient, RecipientStatus.ACCEPTED, accepted_at=timezone.now())
    record(action=AuditAction.UPDATE, target=recipient, summary="accepted")
    return recipient


@transaction.atomic
def return_answer(*, reviewer: Membership, recipient: Recipient, comment: str) -> Recipient:
    """The issuer sends the answer back; a comment saying why is required."""
    _check_reviewer(reviewer, recipient)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what has to be corrected.")})
    answer = Answer.objects.filter(recipient=recipient).first()
    if answer is None or answer.status != Answer.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted answer can be returned."))
    answer.status = Answer.Status.RETURNED
    answer.review_comment = comment.strip()
    answer.save(update_fields=["status", "review_comment", "updated_at"])
    _set_status(recipient, RecipientStatus.RETURNED)
    record(action=AuditAction.UPDATE, target=recipient, summary="returned")
    return recipient


def _check_reviewer(reviewer: Membership, recipient: Recipient) -> None:
    if reviewer.organisation_id != recipient.directive.issuer_id:
        raise ValidationError(_("Only the organisation that issued the letter reviews its answers."))
    if not scoping.can_write(reviewer):
        raise ValidationError(_("Your role can read but not change anything."))


def add_attachments(*, user, files, directive: Directive | None = None,
                    answer: Answer | None = None, card: ImplementationCard | None = None) -> list:
    """Store uploaded files under random names; the type is taken from the checked extension."""
    import hashlib

    from .forms import ALLOWED_ATTACHMENT_TYPES
    from .models import Attachment

    stored = []
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower()
        attachment = Attachment(
            directive=directive, answer=answer, card=card, original_name=upload.name[:255],
            content_type=ALLOWED_ATTACHMENT_TYPES[suffix], size=upload.size,
            sha256=digest.hexdigest(), uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    if stored:
        record(action=AuditAction.CREATE, target=directive or answer or card, summary="attachments",
               details={"files": len(stored)})
    return stored


def resolve_recipients(*, issuer: Organisation, chosen, kind: str) -> list[Organisation]:
    """The chosen organisations plus, if a type is given, every organisation of that type
    under the issuer's reach."""
    recipients = list(chosen or [])
    if kind:
        reach = scoping.reach_of(issuer)
        recipients += list(
            Organisation.objects.filter(path__startswith=reach.path, kind=kind, is_active=True)
            .exclude(pk=issuer.pk)
        )
    return recipients
