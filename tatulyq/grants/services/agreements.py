"""Grant agreements, tranches planned and paid, and the grantee's reports with their review.

The sums that must never be exceeded (tranches ≤ agreement, agreements ≤ topic) are
checked with the parent row locked (SELECT … FOR UPDATE), so two concurrent requests
cannot both squeeze under the ceiling; on PostgreSQL a trigger holds them too."""

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.accounts.models import Membership
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record

from ..models import (
    Application,
    Competition,
    GrantAgreement,
    GrantReport,
    ReportAttachment,
    ReportExpenditure,
    ReportIndicator,
    Topic,
    Tranche,
)
from .common import check_amount, check_region_level, check_writer, tenge

# ---------------------------------------------------------------- agreements and tranches


def _check_manager(author: Membership, agreement_or_competition) -> None:
    region = check_region_level(author)
    organiser_id = (
        agreement_or_competition.organiser_id
        if isinstance(agreement_or_competition, Competition)
        else agreement_or_competition.application.competition.organiser_id
    )
    if organiser_id != region.pk:
        raise ValidationError(_("Only the region that runs the competition manages its agreements."))


def _check_tranches(
    tranches: list[dict],
    *,
    amount: Decimal,
    starts_on,
    ends_on,
    errors: dict,
    already: Decimal = Decimal(0),
    prefix: str = "tranches",
) -> Decimal:
    total = already
    for index, tranche in enumerate(tranches):
        key = f"{prefix}-{index}-"
        check_amount(errors, key + "amount", tranche.get("amount"))
        planned_on = tranche.get("planned_on")
        if planned_on is None:
            errors[key + "planned_on"] = _("Give the planned date.")
        elif starts_on and ends_on and not starts_on <= planned_on <= ends_on:
            errors[key + "planned_on"] = _("The date must fall within the agreement's period.")
        if not (tranche.get("condition") or "").strip():
            errors[key + "condition"] = _("State the condition of payment.")
        if key + "amount" not in errors:
            total += tranche["amount"]
    if amount is not None and total > amount:
        errors[prefix if prefix == "tranches" else "amount"] = _(
            "The tranches add up to %(sum)s, more than the agreement's %(amount)s."
        ) % {"sum": tenge(total), "amount": tenge(amount)}
    return total


@transaction.atomic
def conclude_agreement(
    *,
    author: Membership,
    application: Application,
    number: str,
    signed_on: datetime.date,
    starts_on: datetime.date,
    ends_on: datetime.date,
    amount: Decimal | None,
    tranches: list[dict],
) -> GrantAgreement:
    """Sign the grant agreement with the winner: amount within the topic, period, tranches."""
    competition = Competition.objects.get(pk=application.competition_id)  # never a stale cached one
    _check_manager(author, competition)
    if competition.status != Competition.Status.PUBLISHED or competition.winner_id != application.pk:
        raise ValidationError(_("An agreement is signed only with the published winner."))
    if GrantAgreement.objects.filter(application=application).exists():
        raise ValidationError(_("The agreement for this application is already signed."))
    # Lock the topic: concurrent agreements on it are checked one after another.
    topic = Topic.objects.select_for_update().get(pk=competition.topic_id)
    errors: dict = {}
    if not number.strip():
        errors["number"] = _("This field is required.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The period cannot end before it starts.")
    check_amount(errors, "amount", amount)
    if "amount" not in errors:
        committed = topic.agreements.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        remaining = topic.budget_total - committed
        if amount > remaining:
            errors["amount"] = _(
                "The amount is over the topic's budget: %(remaining)s remains of %(budget)s."
            ) % {"remaining": tenge(remaining), "budget": tenge(topic.budget_total)}
    _check_tranches(
        tranches,
        amount=amount if "amount" not in errors else None,
        starts_on=starts_on,
        ends_on=ends_on,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    agreement = GrantAgreement.objects.create(
        application=application,
        topic=topic,
        ngo=application.ngo,
        number=number.strip(),
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        amount=amount,
        created_by=author,
    )
    Tranche.objects.bulk_create(
        Tranche(
            agreement=agreement,
            number=i,
            planned_on=t["planned_on"],
            amount=t["amount"],
            condition=t["condition"].strip(),
        )
        for i, t in enumerate(tranches, 1)
    )
    record(
        action=AuditAction.CREATE,
        target=agreement,
        details={"amount": str(amount), "tranches": len(tranches)},
    )
    return agreement


@transaction.atomic
def add_tranche(
    *,
    author: Membership,
    agreement: GrantAgreement,
    planned_on: datetime.date,
    amount: Decimal | None,
    condition: str,
) -> Tranche:
    """Plan one more tranche; the tranches together never exceed the agreement."""
    _check_manager(author, agreement)
    agreement = GrantAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != GrantAgreement.Status.ACTIVE:
        raise ValidationError(_("The agreement is closed."))
    errors: dict = {}
    already = agreement.tranches.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    _check_tranches(
        [{"planned_on": planned_on, "amount": amount, "condition": condition}],
        amount=agreement.amount,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        errors=errors,
        already=already,
        prefix="new",
    )
    if errors:
        raise ValidationError({key.removeprefix("new-0-"): value for key, value in errors.items()})
    number = (agreement.tranches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    tranche = Tranche.objects.create(
        agreement=agreement, number=number, planned_on=planned_on, amount=amount, condition=condition.strip()
    )
    record(action=AuditAction.CREATE, target=tranche, details={"amount": str(amount)})
    return tranche


@transaction.atomic
def record_payment(
    *, author: Membership, tranche: Tranche, paid_on: datetime.date | None, paid_amount: Decimal | None
) -> Tranche:
    """Record that a tranche was paid: when and how much (never more than planned)."""
    _check_manager(author, tranche.agreement)
    GrantAgreement.objects.select_for_update().get(pk=tranche.agreement_id)
    tranche = Tranche.objects.get(pk=tranche.pk)
    errors: dict = {}
    check_amount(errors, "paid_amount", paid_amount)
    if "paid_amount" not in errors and paid_amount > tranche.amount:
        errors["paid_amount"] = _("More than the tranche's %(amount)s cannot be paid.") % {
            "amount": tenge(tranche.amount)
        }
    if paid_on is None:
        errors["paid_on"] = _("Give the date of payment.")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("A payment date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    tranche.paid_on, tranche.paid_amount = paid_on, paid_amount
    tranche.save(update_fields=["paid_on", "paid_amount"])
    record(action=AuditAction.UPDATE, target=tranche, summary="paid", details={"paid": str(paid_amount)})
    return tranche


@transaction.atomic
def close_agreement(*, author: Membership, agreement: GrantAgreement) -> GrantAgreement:
    """Close the agreement: no more tranches or reports."""
    _check_manager(author, agreement)
    agreement = GrantAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == GrantAgreement.Status.CLOSED:
        raise ValidationError(_("The agreement is already closed."))
    agreement.status, agreement.closed_at = GrantAgreement.Status.CLOSED, timezone.now()
    agreement.save(update_fields=["status", "closed_at"])
    record(action=AuditAction.UPDATE, target=agreement, summary="closed")
    return agreement


# ---------------------------------------------------------------- grantee reports


def _check_lines(indicators: list[dict], expenditures: list[dict], errors: dict) -> None:
    for index, row in enumerate(indicators):
        key = f"indicators-{index}-"
        if not (row.get("name") or "").strip():
            errors[key + "name"] = _("Name the indicator.")
        for name in ("target", "actual"):
            value = row.get(name)
            if value is None:
                errors[key + name] = _("Enter a number.")
            elif value < 0:
                errors[key + name] = _("A value cannot be negative.")
    for index, row in enumerate(expenditures):
        key = f"expenditures-{index}-"
        if not (row.get("item") or "").strip():
            errors[key + "item"] = _("Name the budget line.")
        check_amount(errors, key + "planned", row.get("planned"), positive=False)
        check_amount(errors, key + "spent", row.get("spent"), positive=False)
        if (
            key + "planned" not in errors
            and key + "spent" not in errors
            and row["planned"] != row["spent"]
            and not (row.get("variance_explanation") or "").strip()
        ):
            errors[key + "variance_explanation"] = _("Explain why the spending differs from the plan.")


@transaction.atomic
def save_report(
    *,
    author: Membership,
    agreement: GrantAgreement,
    kind: str,
    period_from: datetime.date,
    period_to: datetime.date,
    activities: str,
    reach: dict[str, int],
    indicators: list[dict],
    expenditures: list[dict],
    report: GrantReport | None = None,
) -> GrantReport:
    """The grantee drafts an interim or final report (its parts are replaced)."""
    check_writer(author)
    agreement = GrantAgreement.objects.select_for_update().get(pk=agreement.pk)
    if author.organisation_id != agreement.ngo_id:
        raise ValidationError(_("Only the grantee reports on its agreement."))
    if agreement.status != GrantAgreement.Status.ACTIVE:
        raise ValidationError(_("The agreement is closed: no report can be filed for it."))
    if report is not None:
        report = GrantReport.objects.select_for_update().get(pk=report.pk, agreement=agreement)
        if not report.is_editable:
            raise ValidationError(_("The report has been submitted and can no longer be changed."))
    errors: dict = {}
    if (
        kind == GrantReport.Kind.FINAL
        and agreement.reports.filter(kind=kind).exclude(pk=report.pk if report else None).exists()
    ):
        errors["kind"] = _("The final report of this agreement already exists.")
    if period_to < period_from:
        errors["period_to"] = _("The period cannot end before it starts.")
    elif period_from < agreement.starts_on or period_to > agreement.ends_on:
        errors["period_from"] = _("The period must fall within the agreement's, %(start)s–%(end)s.") % {
            "start": agreement.starts_on.strftime("%d.%m.%Y"),
            "end": agreement.ends_on.strftime("%d.%m.%Y"),
        }
    if not activities.strip():
        errors["activities"] = _("Describe the activities carried out.")
    for name in GrantReport.REACH_FIELDS:
        if reach.get(name) is None or reach[name] < 0:
            errors[name] = _("Enter a number, zero or more.")
    _check_lines(indicators, expenditures, errors)
    if errors:
        raise ValidationError(errors)
    created = report is None
    report = report or GrantReport(agreement=agreement, created_by=author)
    report.kind, report.period_from, report.period_to = kind, period_from, period_to
    report.activities = activities.strip()
    for name in GrantReport.REACH_FIELDS:
        setattr(report, name, reach[name])
    report.save()
    report.indicators.all().delete()
    ReportIndicator.objects.bulk_create(ReportIndicator(report=report, **row) for row in indicators)
    report.expenditures.all().delete()
    ReportExpenditure.objects.bulk_create(ReportExpenditure(report=report, **row) for row in expenditures)
    record(action=AuditAction.CREATE if created else AuditAction.UPDATE, target=report)
    return report


@transaction.atomic
def submit_report(*, author: Membership, report: GrantReport) -> GrantReport:
    """The grantee sends the report to the region for review."""
    check_writer(author)
    report = GrantReport.objects.select_for_update().select_related("agreement").get(pk=report.pk)
    if author.organisation_id != report.agreement.ngo_id:
        raise ValidationError(_("Only the grantee reports on its agreement."))
    if report.agreement.status != GrantAgreement.Status.ACTIVE:
        raise ValidationError(_("The agreement is closed: no report can be filed for it."))
    if not report.is_editable:
        raise ValidationError(_("The report has already been submitted."))
    if not report.expenditures.exists():
        raise ValidationError(_("Report the expenditure by budget line before submitting."))
    report.status, report.submitted_at = GrantReport.Status.SUBMITTED, timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    record(action=AuditAction.UPDATE, target=report, summary="submitted")
    return report


def _review(reviewer: Membership, report: GrantReport) -> GrantReport:
    _check_manager(reviewer, report.agreement)
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    if report.status != GrantReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    return report


@transaction.atomic
def accept_report(*, reviewer: Membership, report: GrantReport, comment: str = "") -> GrantReport:
    """The region accepts the report."""
    report = _review(reviewer, report)
    report.status, report.review_comment = GrantReport.Status.ACCEPTED, comment.strip()
    report.reviewed_by, report.reviewed_at = reviewer, timezone.now()
    report.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    record(action=AuditAction.UPDATE, target=report, summary="accepted")
    return report


@transaction.atomic
def return_report(*, reviewer: Membership, report: GrantReport, comment: str) -> GrantReport:
    """The region returns the report for correction, saying why."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what has to be corrected.")})
    report = _review(reviewer, report)
    report.status, report.review_comment = GrantReport.Status.RETURNED, comment.strip()
    report.reviewed_by, report.reviewed_at = reviewer, timezone.now()
    report.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    record(action=AuditAction.UPDATE, target=report, summary="returned")
    return report


def add_report_attachments(*, user, report: GrantReport, files) -> list[ReportAttachment]:
    """Store uploaded files under random names, as directive attachments are stored."""
    from tatulyq.directives.forms import ALLOWED_ATTACHMENT_TYPES

    stored = []
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower()
        attachment = ReportAttachment(
            report=report,
            original_name=upload.name[:255],
            content_type=ALLOWED_ATTACHMENT_TYPES[suffix],
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    if stored:
        record(
            action=AuditAction.CREATE, target=report, summary="attachments", details={"files": len(stored)}
        )
    return stored
