"""The life of a mediation case. Each function is one transaction that checks the
rules of school mediation practice, writes, and records its audit entry. Audit entries
hold ids and field names only, never a child's name or the narrative."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.lib.identifiers import birth_date_from_iin, validate_iin

from .models import (
    CHILD_ROLES,
    JOINT_KINDS,
    Agreement,
    Case,
    CaseStatus,
    Child,
    Consent,
    FollowUp,
    FollowUpResult,
    MediationService,
    Meeting,
    Obligation,
    Outcome,
    Participant,
    ParticipantRole,
    PlanStatus,
    ProgressNote,
    Referral,
    ReferralStatus,
    RehabilitationPlan,
    Screening,
)

MIN_AGE, MAX_AGE = 6, 18
REPRESENTATIVE_ROLES = (ParticipantRole.PARENT, ParticipantRole.LEGAL_REPRESENTATIVE)
OPEN_STATUSES = (CaseStatus.INTAKE, CaseStatus.SCREENED, CaseStatus.PREPARATION, CaseStatus.AGREEMENT)
# Meetings happen once a case is screened as suitable, until it is closed.
MEETING_STATUSES = (CaseStatus.SCREENED, CaseStatus.PREPARATION, CaseStatus.AGREEMENT)


def _require_case_access(membership: Membership, case: Case) -> None:
    if not scoping.visible_cases(membership).filter(pk=case.pk).exists():
        raise ValidationError(_("You do not work on this case."))


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_child(data: dict, *, on: datetime.date, prefix: str = "") -> dict:
    """Validate a child's details; errors are keyed by field for the form."""
    errors = {}
    iin = (data.get("iin") or "").strip()
    birth = data.get("birth_date")
    if iin:
        try:
            validate_iin(iin)
        except ValidationError as error:
            errors[f"{prefix}iin"] = error.messages[0]
        else:
            encoded = birth_date_from_iin(iin)
            if birth and encoded != birth:
                errors[f"{prefix}iin"] = _("The IIN encodes another date of birth (%(date)s).") % {
                    "date": encoded.strftime("%d.%m.%Y")
                }
            birth = birth or encoded
    if birth:
        if birth > timezone.localdate():
            errors[f"{prefix}birth_date"] = _("The date of birth cannot be in the future.")
        elif not MIN_AGE <= _age_on(birth, on) <= MAX_AGE:
            errors[f"{prefix}birth_date"] = _(
                "A pupil in a school case is %(min)s to %(max)s years old; this date gives %(age)s."
            ) % {"min": MIN_AGE, "max": MAX_AGE, "age": _age_on(birth, on)}
    if errors:
        raise ValidationError(errors)
    return {**data, "iin": iin, "birth_date": birth}


def next_case_number(school, year: int) -> str:
    count = Case.objects.filter(school=school, number__startswith=f"{year}-").count()
    return f"{year}-{count + 1:03d}"


@transaction.atomic
def open_case(
    *,
    author: Membership,
    referred_by: str,
    referred_on: datetime.date,
    place: str,
    harm_kinds: list[str],
    description: str = "",
    happened_on: datetime.date | None = None,
    children: list[dict],
    adults: list[dict] = (),
) -> Case:
    """Intake: the referral, what happened and who was involved.

    children: dicts with role, full_name, sex, birth_date, grade, iin (optional) or
    child (an existing Child of this school). adults: role, full_name, phone and,
    for parents and legal representatives, `represents` = index into children."""
    if not scoping.can_handle_child_data(author, author.organisation):
        raise ValidationError(_("Only the school's own staff open cases."))
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("The referral date cannot be in the future.")})
    if happened_on and happened_on > referred_on:
        raise ValidationError({"happened_on": _("It cannot have happened after it was referred.")})
    if not harm_kinds:
        raise ValidationError({"harm_kinds": _("Choose at least one kind of conflict or harm.")})
    if not children:
        raise ValidationError({"children": _("A case needs at least one child.")})
    school = author.organisation
    case = Case.objects.create(
        school=school,
        number=next_case_number(school, referred_on.year),
        referred_by=referred_by,
        referred_on=referred_on,
        happened_on=happened_on,
        place=place,
        harm_kinds=list(harm_kinds),
        description=description,
        created_by=author,
    )
    child_rows = []
    for index, data in enumerate(children):
        child = data.get("child")
        if child is None:
            clean = check_child(data, on=referred_on, prefix=f"children-{index}-")
            child = _find_or_create_child(school, clean)
        elif child.school_id != school.pk:
            raise ValidationError(_("This child is not registered at your school."))
        if data["role"] not in CHILD_ROLES:
            raise ValidationError({f"children-{index}-role": _("Choose the child's role.")})
        child_rows.append(Participant.objects.create(case=case, role=data["role"], child=child))
    for index, data in enumerate(adults):
        represents = data.get("represents")
        if data["role"] in REPRESENTATIVE_ROLES and represents is None:
            raise ValidationError(
                {f"adults-{index}-represents": _("Say whose parent or representative this is.")}
            )
        Participant.objects.create(
            case=case,
            role=data["role"],
            full_name=data["full_name"],
            phone=data.get("phone", ""),
            represents=child_rows[represents] if represents is not None else None,
        )
    record(
        action=AuditAction.CREATE, target=case, details={"children": len(child_rows), "adults": len(adults)}
    )
    return case


def _find_or_create_child(school, data: dict) -> Child:
    if data["iin"]:
        existing = Child.objects.filter(school=school, iin=data["iin"]).first()
        if existing:
            return existing
    elif data.get("birth_date") and data.get("full_name"):
        existing = Child.objects.filter(
            school=school, full_name__iexact=data["full_name"].strip(), birth_date=data["birth_date"]
        ).first()
        if existing:
            return existing
    birth = data.get("birth_date")
    return Child.objects.create(
        school=school,
        full_name=data.get("full_name", "").strip(),
        birth_date=birth,
        birth_year=birth.year if birth else None,
        sex=data["sex"],
        iin=data["iin"],
        grade=data.get("grade"),
    )


@transaction.atomic
def assign_mediators(*, author: Membership, case: Case, mediators: list) -> Case:
    """Only active mediators of the school's own service with a valid certificate."""
    _require_case_access(author, case)
    today = timezone.localdate()
    for mediator in mediators:
        if mediator.service.school_id != case.school_id or not mediator.is_active:
            raise ValidationError(
                {
                    "mediators": _("%(name)s is not an active mediator of this school.")
                    % {"name": mediator.full_name}
                }
            )
        if not mediator.is_trained_on(today):
            raise ValidationError(
                {
                    "mediators": _(
                        "%(name)s has no valid mediation certificate: "
                        "a mediator is assigned only after training."
                    )
                    % {"name": mediator.full_name}
                }
            )
    case.mediators.set(mediators)
    record(action=AuditAction.UPDATE, target=case, details={"fields": ["mediators"]})
    return case


@transaction.atomic
def screen_case(*, author: Membership, case: Case, **flags) -> Screening:
    """The suitability checklist. Violence that must go to the authorities is never mediated."""
    _require_case_access(author, case)
    if case.status not in (CaseStatus.INTAKE, CaseStatus.SCREENED):
        raise ValidationError(_("This case has already been screened and moved on."))
    screening, _created = Screening.objects.update_or_create(
        case=case, defaults={**flags, "screened_by": author}
    )
    mediable = screening.is_mediable and not case.is_never_mediated
    case.status = CaseStatus.SCREENED if mediable else CaseStatus.INTAKE
    case.save(update_fields=["status"])
    record(action=AuditAction.UPDATE, target=case, summary="screened", details={"mediable": mediable})
    return screening


def is_mediable(case: Case) -> bool:
    screening = getattr(case, "screening", None)
    return bool(screening and screening.is_mediable and not case.is_never_mediated)


def can_hold_meeting(case: Case) -> bool:
    """What record_meeting checks before anything else: suitable, and at a meeting stage."""
    return is_mediable(case) and case.status in MEETING_STATUSES


def needs_referral(case: Case) -> bool:
    """Screened as non-mediable (or a kind that is never mediated) and not yet referred."""
    screened = hasattr(case, "screening")
    return ((screened and not is_mediable(case)) or case.is_never_mediated) and not case.referrals.exists()


@transaction.atomic
def refer_case(
    *,
    author: Membership,
    case: Case,
    target: str,
    referred_on: datetime.date,
    organisation=None,
    organisation_name: str = "",
    summary: str = "",
) -> Referral:
    _require_case_access(author, case)
    if organisation is None and not organisation_name.strip():
        raise ValidationError({"organisation_name": _("Name the organisation the case goes to.")})
    referral = Referral.objects.create(
        case=case,
        target=target,
        organisation=organisation,
        organisation_name=organisation_name.strip(),
        referred_on=referred_on,
        summary=summary,
        created_by=author,
    )
    if not is_mediable(case):
        case.status = CaseStatus.REFERRED
        case.save(update_fields=["status"])
    record(action=AuditAction.CREATE, target=referral)
    return referral


@transaction.atomic
def update_referral(*, author: Membership, referral: Referral, status: str, reason: str = "") -> Referral:
    """The receiver (in Tatulyq) or the school (for a receiver outside it) records the answer."""
    receiving = referral.organisation_id and author.organisation_id == referral.organisation_id
    school_side = (
        not referral.organisation_id and scoping.visible_cases(author).filter(pk=referral.case_id).exists()
    )
    if not (receiving or school_side):
        raise ValidationError(_("Only the receiving organisation answers this referral."))
    if status == ReferralStatus.DECLINED and not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    referral.status = status
    referral.decline_reason = reason.strip() if status == ReferralStatus.DECLINED else ""
    referral.status_changed_at = timezone.now()
    referral.save(update_fields=["status", "decline_reason", "status_changed_at"])
    record(action=AuditAction.UPDATE, target=referral, details={"status": status})
    return referral


@transaction.atomic
def record_consent(
    *, author: Membership, participant: Participant, given_by: Participant, given_on: datetime.date, form: str
) -> Consent:
    """A child's own consent, or a consent from that child's parent or legal representative."""
    _require_case_access(author, participant.case)
    if given_by.case_id != participant.case_id:
        raise ValidationError({"given_by": _("The person must take part in this case.")})
    if given_by.pk != participant.pk and not (
        given_by.role in REPRESENTATIVE_ROLES and given_by.represents_id == participant.pk
    ):
        raise ValidationError(
            {
                "given_by": _(
                    "Consent is given by the child or by this child's parent or legal representative."
                )
            }
        )
    consent = Consent.objects.create(participant=participant, given_by=given_by, given_on=given_on, form=form)
    record(action=AuditAction.CREATE, target=consent)
    return consent


def missing_consents(participants) -> list[str]:
    """What is missing for these children to take part in a joint session: their own
    consent and a legal representative's, neither withdrawn."""
    missing = []
    for participant in participants:
        if not participant.is_child:
            continue
        valid = [c for c in participant.consents.all() if c.withdrawn_on is None]
        own = any(c.given_by_id == participant.pk for c in valid)
        representative = any(c.given_by_id != participant.pk for c in valid)
        missing += consent_gaps(participant, own=own, representative=representative)
    return missing


def consent_gaps(participant: Participant, *, own: bool, representative: bool) -> list[str]:
    gaps = []
    if not own:
        gaps.append(_("%(name)s's own consent") % {"name": participant})
    if not representative:
        gaps.append(_("a legal representative's consent for %(name)s") % {"name": participant})
    return gaps


@transaction.atomic
def withdraw_consent(*, author: Membership, consent: Consent, withdrawn_on: datetime.date) -> Case:
    """Anyone may withdraw at any time; the process stops and the case goes to closure."""
    case = consent.participant.case
    _require_case_access(author, case)
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    if case.status in OPEN_STATUSES:
        case.status = CaseStatus.CLOSURE_REQUESTED
        case.outcome = Outcome.CONSENT_WITHDRAWN
        case.closure_requested_by = author
        case.save(update_fields=["status", "outcome", "closure_requested_by"])
    record(action=AuditAction.UPDATE, target=consent, summary="consent withdrawn")
    return case


@transaction.atomic
def record_meeting(
    *,
    author: Membership,
    case: Case,
    kind: str,
    held_on: datetime.date,
    participants: list[Participant],
    outcome: str = "",
) -> Meeting:
    _require_case_access(author, case)
    if not is_mediable(case):
        raise ValidationError(_("This case is not suitable for mediation: refer it instead."))
    if case.status not in MEETING_STATUSES:
        raise ValidationError(
            _("No meeting can be recorded in a case that is %(status)s.")
            % {"status": case.get_status_display()}
        )
    if any(p.case_id != case.pk for p in participants) or not participants:
        raise ValidationError({"participants": _("Choose the participants of this case who took part.")})
    if kind in JOINT_KINDS:
        missing = missing_consents(participants)
        if missing:
            raise ValidationError(
                _("A joint session needs every consent. Missing: %(list)s.") % {"list": "; ".join(missing)}
            )
    meeting = Meeting.objects.create(
        case=case, kind=kind, held_on=held_on, outcome=outcome, recorded_by=author
    )
    meeting.participants.set(participants)
    if case.status == CaseStatus.SCREENED:
        case.status = CaseStatus.PREPARATION
        case.save(update_fields=["status"])
    record(action=AuditAction.CREATE, target=meeting, details={"kind": kind})
    return meeting


@transaction.atomic
def record_agreement(
    *, author: Membership, case: Case, reached_on: datetime.date, obligations: list[dict], notes: str = ""
) -> Agreement:
    """The agreement of a joint session: one or more obligations, each with who, what, by when."""
    _require_case_access(author, case)
    if not case.meetings.filter(kind__in=JOINT_KINDS).exists():
        raise ValidationError(_("An agreement comes out of a joint session: record the session first."))
    if not obligations:
        raise ValidationError({"obligations": _("An agreement needs at least one obligation.")})
    agreement = Agreement.objects.create(case=case, reached_on=reached_on, notes=notes)
    for data in obligations:
        if data["who"].case_id != case.pk:
            raise ValidationError({"obligations": _("Obligations are taken by participants of this case.")})
        if data["due_on"] < reached_on:
            raise ValidationError({"obligations": _("An obligation cannot be due before the agreement.")})
        Obligation.objects.create(agreement=agreement, **data)
    case.status = CaseStatus.AGREEMENT
    case.save(update_fields=["status"])
    record(action=AuditAction.CREATE, target=agreement, details={"obligations": len(obligations)})
    return agreement


@transaction.atomic
def record_follow_up(
    *, author: Membership, obligation: Obligation, checked_on: datetime.date, result: str, note: str = ""
) -> FollowUp:
    _require_case_access(author, obligation.agreement.case)
    follow_up = FollowUp.objects.create(
        obligation=obligation, checked_on=checked_on, result=result, note=note, recorded_by=author
    )
    obligation.result = result
    obligation.save(update_fields=["result"])
    record(action=AuditAction.CREATE, target=follow_up)
    return follow_up


def open_obligations(case: Case) -> list[Obligation]:
    agreement = getattr(case, "agreement", None)
    if agreement is None:
        return []
    return [o for o in agreement.obligations.all() if o.result != FollowUpResult.FULFILLED]


@transaction.atomic
def request_closure(*, author: Membership, case: Case, outcome: str, reason: str = "") -> Case:
    """The mediator proposes to close; the service coordinator approves."""
    _require_case_access(author, case)
    if case.status in (CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED):
        raise ValidationError(_("Closure has already been asked for."))
    if open_obligations(case) and not reason.strip():
        raise ValidationError(
            {"reason": _("Some obligations are not fulfilled: say why the case is closed anyway.")}
        )
    if outcome == Outcome.RESOLVED and open_obligations(case):
        raise ValidationError({"outcome": _("“Resolved” needs every obligation fulfilled.")})
    case.status = CaseStatus.CLOSURE_REQUESTED
    case.outcome = outcome
    case.closure_reason = reason.strip()
    case.closure_requested_by = author
    case.save(update_fields=["status", "outcome", "closure_reason", "closure_requested_by"])
    record(action=AuditAction.UPDATE, target=case, summary="closure requested", details={"outcome": outcome})
    return case


def _require_coordinator(membership: Membership, case: Case) -> None:
    service = MediationService.objects.filter(school_id=case.school_id).first()
    if service is None or service.coordinator_id != membership.pk:
        raise ValidationError(_("Only the coordinator of the school's mediation service approves this."))


@transaction.atomic
def decide_closure(
    *,
    coordinator: Membership,
    case: Case,
    approve: bool,
    comment: str = "",
    closed_on: datetime.date | None = None,
) -> Case:
    _require_coordinator(coordinator, case)
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(_("Nobody has asked to close this case."))
    if approve:
        closed_on = closed_on or timezone.localdate()
        if closed_on < case.referred_on or closed_on > timezone.localdate():
            raise ValidationError({"closed_on": _("A case closes between its referral and today.")})
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.closure_approved_by = coordinator
    else:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what has to be done before closing.")})
        case.status = CaseStatus.AGREEMENT if hasattr(case, "agreement") else CaseStatus.PREPARATION
        case.outcome = ""
    case.supervisor_comment = comment.strip()
    case.save()
    record(
        action=AuditAction.UPDATE, target=case, summary="closure approved" if approve else "closure returned"
    )
    return case


@transaction.atomic
def save_plan(
    *,
    author: Membership,
    case: Case,
    participant: Participant,
    goals: str,
    activities: str,
    responsible: Membership,
    next_review_on: datetime.date,
    plan: RehabilitationPlan | None = None,
) -> RehabilitationPlan:
    """A rehabilitation plan for a child who caused harm; saved as a draft."""
    _require_case_access(author, case)
    if participant.case_id != case.pk or participant.role not in (
        ParticipantRole.CAUSED_HARM,
        ParticipantRole.BOTH,
    ):
        raise ValidationError(
            {"participant": _("A rehabilitation plan is made for a child who caused harm.")}
        )
    if responsible.organisation_id != case.school_id:
        raise ValidationError({"responsible": _("The responsible person must work at the school.")})
    plan = plan or RehabilitationPlan(case=case, participant=participant)
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(_("An approved plan is changed by a new plan, not edited."))
    plan.goals, plan.activities, plan.responsible, plan.next_review_on = (
        goals,
        activities,
        responsible,
        next_review_on,
    )
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    record(action=AuditAction.UPDATE if plan.pk else AuditAction.CREATE, target=plan)
    return plan


@transaction.atomic
def decide_plan(
    *, coordinator: Membership, plan: RehabilitationPlan, approve: bool, comment: str = ""
) -> RehabilitationPlan:
    _require_coordinator(coordinator, plan.case)
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what has to change in the plan.")})
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.approved_by = coordinator if approve else None
    plan.supervisor_comment = comment.strip()
    plan.save(update_fields=["status", "approved_by", "supervisor_comment"])
    record(action=AuditAction.UPDATE, target=plan, summary="approved" if approve else "returned")
    return plan


def record_case_view(*, membership: Membership, case: Case) -> None:
    """Opening a case is an audited event (ids only)."""
    record(action=AuditAction.VIEW_CHILD_RECORD, target=case, membership=membership)


@transaction.atomic
def add_progress_note(
    *, author: Membership, plan: RehabilitationPlan, written_on: datetime.date, text: str
) -> ProgressNote:
    """A review of an approved plan: what the child did, what changed."""
    _require_case_access(author, plan.case)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Progress is noted on an approved plan."))
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": _("The date cannot be in the future.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what has changed.")})
    note = ProgressNote.objects.create(plan=plan, written_on=written_on, text=text.strip(), author=author)
    record(action=AuditAction.CREATE, target=note)
    return note


def record_referral_view(*, membership: Membership, referral: Referral) -> None:
    """A receiving organisation reading a referral is reading about a child: audited."""
    record(action=AuditAction.VIEW_CHILD_RECORD, target=referral, membership=membership)
    if referral.status == ReferralStatus.SENT:
        referral.status = ReferralStatus.RECEIVED
        referral.status_changed_at = timezone.now()
        referral.save(update_fields=["status", "status_changed_at"])
