"""Writing periodic reports: open (prefilled), fill, submit, accept, return, reopen;
revising the framework. Each function is one transaction that validates, writes, keeps
the aggregates fresh and records its audit entry; on any error nothing is saved."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.directives.models import ImplementationCard
from tatulyq.orgs.models import Organisation, OrganisationKind

from . import chain, rollups, sources
from .models import (
    RECEIVED,
    ApprovalStep,
    FrameworkVersion,
    Indicator,
    Period,
    Report,
    ReportStatus,
    ReportValue,
    Source,
)


def current_version() -> FrameworkVersion:
    return FrameworkVersion.objects.order_by("-number").first()


def indicators_for(report: Report) -> list[Indicator]:
    """The indicators the report's organisation fills, as its framework version defines them
    (a region: its own project's, and those of every region)."""
    level = chain.LEVEL_OF.get(report.organisation.kind)
    found = list(report.version.indicators.filter(level=level).select_related("project"))
    if level == "region":
        projects = set(
            ImplementationCard.objects.filter(region_id=report.organisation.territory_id).values_list(
                "project_id", flat=True
            )
        )
        found = [i for i in found if i.project_id is None or i.project_id in projects]
    return found


def required_codes(indicators: list[Indicator]) -> list[str]:
    """Values a complete report holds: required, not derived, from a source that exists."""
    return [
        i.code
        for i in indicators
        if i.required and not i.is_derived and (i.source == Source.ENTERED or sources.available(i.source))
    ]


def _check_period_open(period: Period) -> None:
    if not period.is_open:
        raise ValidationError(
            {
                "period": _("The period %(period)s is not open for reporting (%(status)s).")
                % {"period": period.label, "status": period.get_status_display()}
            }
        )


def _require_own(membership: Membership, organisation: Organisation) -> None:
    unit = scoping.monitoring_unit(membership)
    if unit is None or unit.pk != organisation.pk or not scoping.can_write(membership):
        raise ValidationError(
            _("Only %(organisation)s fills in this report.") % {"organisation": organisation.name}
        )


def _prefill(report: Report, indicators: list[Indicator]) -> None:
    """Computed values from their sources (replacing older ones); empty rows for the rest."""
    computed = {}
    for source in {i.source for i in indicators if i.source != Source.ENTERED}:
        computed.update(
            sources.compute(source, organisations=[report.organisation], period=report.period).get(
                report.organisation_id, {}
            )
        )
    by_code = {i.code: i for i in indicators}
    report.values.filter(is_computed=True).delete()
    rows = []
    for (code, cell), value in computed.items():
        if code in by_code:
            rows.append(
                ReportValue(
                    report=report,
                    period_id=report.period_id,
                    indicator=by_code[code],
                    code=code,
                    cell=cell,
                    value=value,
                    is_computed=True,
                )
            )
    existing = set(report.values.values_list("code", "cell"))
    for indicator in indicators:
        if indicator.is_entered and (indicator.code, "") not in existing:
            rows.append(
                ReportValue(
                    report=report,
                    period_id=report.period_id,
                    indicator=indicator,
                    code=indicator.code,
                    cell="",
                )
            )
    ReportValue.objects.bulk_create(rows)
    _count_filled(report, indicators)


def _count_filled(report: Report, indicators: list[Indicator]) -> None:
    required = required_codes(indicators)
    filled = report.values.filter(code__in=required, cell="").exclude(value=None).count()
    report.required_count, report.filled_count = len(required), min(filled, len(required))
    report.save(update_fields=["required_count", "filled_count", "updated_at"])


@transaction.atomic
def open_report(*, membership: Membership, organisation: Organisation, period: Period) -> Report:
    """The organisation's report for the period, created and prefilled when missing."""
    if not chain.is_reporting(organisation):
        raise ValidationError(_("This organisation does not file periodic reports."))
    _require_own(membership, organisation)
    report = Report.objects.filter(organisation=organisation, period=period).first()
    if report is not None:
        if report.is_editable and period.is_open:
            _prefill(report, indicators_for(report))
        return report
    _check_period_open(period)
    report = Report.objects.create(
        organisation=organisation, period=period, version=current_version(), **chain.nodes_of(organisation)
    )
    _prefill(report, indicators_for(report))
    record(action=AuditAction.CREATE, target=report, details={"period": period.label})
    return report


def _parse(raw) -> Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, Decimal):
        return raw
    try:
        value = Decimal(str(raw).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():
        raise ValueError
    return value


def _previous_value(report: Report, code: str) -> Decimal | None:
    return (
        ReportValue.objects.filter(
            report__organisation_id=report.organisation_id,
            code=code,
            cell="",
            report__period__starts_on__lt=report.period.starts_on,
        )
        .order_by("-report__period__starts_on")
        .values_list("value", flat=True)
        .first()
    )


def _check_value(report: Report, indicator: Indicator, value: Decimal | None, comment: str) -> list[str]:
    errors = []
    if value is None:
        return errors
    if indicator.unit in ("count", "children") and value != value.to_integral_value():
        errors.append(_("Enter a whole number."))
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            errors.append(_("The value must be at least %(min)s.") % {"min": _plain(low)})
        else:
            errors.append(
                _("The value must be between %(min)s and %(max)s.")
                % {"min": _plain(low or 0), "max": _plain(high)}
            )
    previous = _previous_value(report, indicator.code)
    factor = indicator.jump_factor
    if (
        not errors
        and previous
        and factor
        and not comment.strip()
        and (value > previous * factor or value * factor < previous)
    ):
        errors.append(
            _(
                "This is more than %(factor)s times above or below last quarter's "
                "%(previous)s: explain it in the comment."
            )
            % {"factor": _plain(factor), "previous": _plain(previous)}
        )
    return errors


def _plain(value) -> str:
    return f"{Decimal(value).normalize():f}" if value is not None else ""


@transaction.atomic
def save_values(
    *,
    membership: Membership,
    report: Report,
    values: dict,
    comments: dict | None = None,
    narrative: str | None = None,
) -> Report:
    """Entered values by indicator code (text or Decimal; "" empties), each checked for
    type, range and sudden jumps; all saved or none."""
    report = (
        Report.objects.select_for_update()
        .select_related("organisation", "period", "version")
        .get(pk=report.pk)
    )
    _require_own(membership, report.organisation)
    if report.is_locked:
        raise ValidationError(
            _("This report has been accepted and is locked. Ask the reviewer to reopen it for a correction.")
        )
    if not report.is_editable:
        raise ValidationError(
            _("This report has been submitted and waits for review; it cannot be changed now.")
        )
    _check_period_open(report.period)
    comments = comments or {}
    indicators = {i.code: i for i in indicators_for(report) if i.is_entered}
    errors, parsed = {}, {}
    for code, raw in values.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[f"v_{code}"] = _("This indicator is not part of your report.")
            continue
        try:
            parsed[code] = _parse(raw)
        except ValueError:
            errors[f"v_{code}"] = _("Enter a number.")
            continue
        problems = _check_value(report, indicator, parsed[code], comments.get(code, ""))
        if problems:
            errors[f"v_{code}"] = problems
    if errors:
        raise ValidationError(errors)
    changed = []
    for code, value in parsed.items():
        row, _created = ReportValue.objects.get_or_create(
            report=report,
            code=code,
            cell="",
            defaults={"period_id": report.period_id, "indicator": indicators[code]},
        )
        comment = comments.get(code, row.comment)
        if row.value != value or row.comment != comment:
            row.value, row.comment = value, comment
            row.save(update_fields=["value", "comment"])
            changed.append(code)
    if narrative is not None and narrative != report.narrative:
        report.narrative = narrative
        report.save(update_fields=["narrative", "updated_at"])
        changed.append("narrative")
    _count_filled(report, indicators_for(report))
    if changed:
        record(action=AuditAction.UPDATE, target=report, details={"fields": changed})
    return report


def expected_below(reviewer: Organisation, period: Period):
    """Organisations whose reports the reviewer must have accepted before it submits its own."""
    return chain.active_during(chain.reviewed_by(reviewer), period)


@transaction.atomic
def submit_report(*, membership: Membership, report: Report) -> Report:
    """Send the report up. A district or region may do so only when every report it
    reviews is accepted (approval is bottom-up)."""
    report = (
        Report.objects.select_for_update()
        .select_related("organisation", "period", "version")
        .get(pk=report.pk)
    )
    _require_own(membership, report.organisation)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or a returned report can be submitted."))
    _check_period_open(report.period)
    below = expected_below(report.organisation, report.period)
    accepted = set(
        Report.objects.filter(
            period=report.period, status=ReportStatus.ACCEPTED, organisation__in=below
        ).values_list("organisation_id", flat=True)
    )
    waiting = [org for org in below.order_by("name_kk") if org.pk not in accepted]
    if waiting:
        raise ValidationError(
            _(
                "%(count)s of the %(total)s reports you review are not accepted yet (first: %(name)s). "
                "Accept or return them before you approve your own."
            )
            % {"count": len(waiting), "total": below.count(), "name": waiting[0].name}
        )
    _prefill(report, indicators_for(report))
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), membership
    report.return_comment = ""
    report.save(update_fields=["status", "submitted_at", "submitted_by", "return_comment", "updated_at"])
    rollups.apply(report, received=+1, accepted=0)
    ApprovalStep.objects.create(report=report, action=ApprovalStep.Action.SUBMITTED, by=membership)
    record(action=AuditAction.UPDATE, target=report, summary="submitted")
    return report


def _require_reviewer(membership: Membership, report: Report) -> None:
    reviewer = chain.reviewer_of(report.organisation)
    unit = scoping.monitoring_unit(membership)
    if reviewer is None or unit is None or unit.pk != reviewer.pk or not scoping.can_write(membership):
        raise ValidationError(
            _("Only %(reviewer)s accepts or returns this report: you cannot approve outside your level.")
            % {"reviewer": reviewer.name if reviewer else "—"}
        )


@transaction.atomic
def accept_report(*, membership: Membership, report: Report) -> Report:
    """The level above accepts: the data are locked and count as approved."""
    report = Report.objects.select_for_update().select_related("organisation", "period").get(pk=report.pk)
    _require_reviewer(membership, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at, report.reviewed_by = timezone.now(), membership
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    rollups.apply(report, received=0, accepted=+1)
    ApprovalStep.objects.create(report=report, action=ApprovalStep.Action.ACCEPTED, by=membership)
    record(action=AuditAction.UPDATE, target=report, summary="accepted")
    return report


def _notify_sender(report: Report, comment: str, *, reopened: bool = False) -> None:
    """E-mail whoever submitted the report that it is back with them, and why."""
    sender = report.submitted_by
    if sender is None or not sender.user.email:
        return
    user = sender.user
    facts = {
        "reviewer": report.reviewed_by.organisation.name if report.reviewed_by else "",
        "organisation": report.organisation.name,
        "period": report.period.label,
        "comment": comment,
    }
    with translation.override(user.preferred_language or "kk"):
        if reopened:
            subject = _("Your report for %(period)s has been reopened for correction") % facts
            body = _(
                "%(reviewer)s reopened the report of %(organisation)s for %(period)s, which had "
                "been sent up, so that it can be corrected and sent again.\n\nReason: %(comment)s"
            ) % facts
        else:
            subject = _("Your report for %(period)s has been returned") % facts
            body = _(
                "%(reviewer)s returned the report of %(organisation)s for %(period)s.\n\nReason: %(comment)s"
            ) % facts
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


@transaction.atomic
def return_report(*, membership: Membership, report: Report, comment: str) -> Report:
    """Send a submitted report back with a reason; the sender is told by e-mail."""
    report = Report.objects.select_for_update().select_related("organisation", "period").get(pk=report.pk)
    _require_reviewer(membership, report)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the report is returned.")})
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned; an accepted one is reopened."))
    report.status, report.return_comment = ReportStatus.RETURNED, comment.strip()
    report.reviewed_at, report.reviewed_by = timezone.now(), membership
    report.save(update_fields=["status", "return_comment", "reviewed_at", "reviewed_by", "updated_at"])
    rollups.apply(report, received=-1, accepted=0)
    ApprovalStep.objects.create(
        report=report, action=ApprovalStep.Action.RETURNED, by=membership, comment=comment.strip()
    )
    record(action=AuditAction.UPDATE, target=report, summary="returned")
    _notify_sender(report, comment.strip())
    return report


def _reopen_one(report: Report, membership: Membership, comment: str) -> None:
    was_accepted = report.status == ReportStatus.ACCEPTED
    report.status, report.return_comment = ReportStatus.RETURNED, comment
    report.reviewed_at, report.reviewed_by = timezone.now(), membership
    report.save(update_fields=["status", "return_comment", "reviewed_at", "reviewed_by", "updated_at"])
    rollups.apply(report, received=-1, accepted=-1 if was_accepted else 0)
    ApprovalStep.objects.create(
        report=report, action=ApprovalStep.Action.REOPENED, by=membership, comment=comment
    )
    record(
        action=AuditAction.UPDATE,
        target=report,
        summary="reopened",
        details={"was": "accepted" if was_accepted else "submitted"},
    )
    _notify_sender(report, comment, reopened=True)


@transaction.atomic
def reopen_report(*, membership: Membership, report: Report, reason: str) -> list[Report]:
    """A correction: the report goes back to its organisation, and every report above it
    in the chain that was already sent up goes back too. Returns the reports reopened."""
    report = Report.objects.select_for_update().select_related("organisation", "period").get(pk=report.pk)
    unit = scoping.monitoring_unit(membership)
    above = chain.chain_above(report.organisation)
    if unit is None or unit.pk not in {org.pk for org in above} or not scoping.can_write(membership):
        raise ValidationError(_("Only a level above this organisation can reopen its report."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what must be corrected.")})
    if report.status not in RECEIVED:
        raise ValidationError(_("This report is not sent up: there is nothing to reopen."))
    reopened = [report]
    _reopen_one(report, membership, reason.strip())
    upper = (
        Report.objects.select_for_update()
        .filter(period=report.period, organisation__in=above, status__in=RECEIVED)
        .select_related("organisation")
    )
    for other in upper:
        _reopen_one(
            other,
            membership,
            _("Reopened because the report of %(organisation)s is being corrected: %(reason)s")
            % {"organisation": report.organisation.name, "reason": reason.strip()},
        )
        reopened.append(other)
    return reopened


# ---------------------------------------------------------------- the framework

EDITABLE_FIELDS = (
    "target",
    "min_value",
    "max_value",
    "jump_factor",
    "required",
    "definition_kk",
    "definition_ru",
    "definition_en",
)


def can_manage_framework(membership: Membership | None) -> bool:
    return (
        scoping.can_write(membership)
        and membership.role in (Role.METHODOLOGIST, Role.SYSTEM_ADMINISTRATOR)
        and membership.organisation.kind
        in (OrganisationKind.METHODOLOGICAL_CENTRE, OrganisationKind.MINISTRY)
    )


@transaction.atomic
def revise_indicator(*, membership: Membership, code: str, note: str, **changes) -> FrameworkVersion:
    """A new framework version: all definitions copied, this one changed. Reports filed
    earlier keep the version they were filed under."""
    if not can_manage_framework(membership):
        raise ValidationError(_("Only the methodological centre manages the indicator framework."))
    old = current_version()
    if not old.indicators.filter(code=code).exists():
        raise ValidationError(_("There is no indicator %(code)s.") % {"code": code})
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    version = FrameworkVersion.objects.create(number=old.number + 1, note=note, created_by=membership)
    copies = []
    for indicator in old.indicators.all():
        indicator.pk, indicator.id, indicator.version = None, None, version
        if indicator.code == code:
            for field, value in changes.items():
                setattr(indicator, field, value)
            indicator.full_clean(exclude=["version"])
        copies.append(indicator)
    Indicator.objects.bulk_create(copies)
    record(
        action=AuditAction.UPDATE,
        target=version,
        summary=f"indicator {code}",
        details={"fields": sorted(changes)},
    )
    return version


@transaction.atomic
def set_period_status(*, membership: Membership, period: Period, status: str) -> Period:
    if not can_manage_framework(membership):
        raise ValidationError(_("Only the methodological centre opens and closes periods."))
    period.status = status
    period.save(update_fields=["status"])
    record(action=AuditAction.UPDATE, target=period, details={"status": status})
    return period
