"""The region's state social order and its grant competitions: topics with budgets,
announcement, applications, the commission's scores and the published results."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.directives.models import Project
from tatulyq.lib.identifiers import validate_bin

from ..models import (
    Application,
    ApplicationLine,
    CommissionMember,
    Competition,
    Criterion,
    Proposal,
    Score,
    SocialOrder,
    Topic,
    TopicBudget,
)
from ..models.proposals import FIRST_YEAR, LAST_YEAR
from .common import (
    check_amount,
    check_region_level,
    check_writer,
    clean_lines,
    region_of,
    tenge,
)

# ---------------------------------------------------------------- the state social order


@transaction.atomic
def create_social_order(*, author: Membership, title: str, first_year: int, last_year: int) -> SocialOrder:
    """Open the region's state social order for a period (a draft until approved)."""
    region = check_region_level(author)
    errors = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not FIRST_YEAR <= first_year <= LAST_YEAR:
        errors["first_year"] = _("The programme runs from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if last_year < first_year or last_year > LAST_YEAR:
        errors["last_year"] = _("The last year must not be before the first one nor after %(last)s.") % {
            "last": LAST_YEAR
        }
    if errors:
        raise ValidationError(errors)
    order = SocialOrder.objects.create(
        organisation=region,
        region=region_of(region),
        title=title.strip(),
        first_year=first_year,
        last_year=last_year,
        created_by=author,
    )
    record(action=AuditAction.CREATE, target=order)
    return order


def _check_order_owner(author: Membership, order: SocialOrder) -> None:
    region = check_region_level(author)
    if order.organisation_id != region.pk:
        raise ValidationError(_("Only the region that forms this state social order can change it."))


@transaction.atomic
def save_topic(
    *,
    author: Membership,
    order: SocialOrder,
    title: str,
    funding_source: str,
    expected_results: str,
    budgets: dict[int, Decimal | None],
    project: Project | None = None,
    sources: list[Proposal] = (),
    topic: Topic | None = None,
) -> Topic:
    """Add or change a topic of a draft order: its budget per year, funding and results."""
    _check_order_owner(author, order)
    order = SocialOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != SocialOrder.Status.DRAFT:
        raise ValidationError(_("The state social order is approved and can no longer be changed."))
    errors: dict = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not expected_results.strip():
        errors["expected_results"] = _("Say what results are expected.")
    amounts = {}
    for year in order.years:
        value = budgets.get(year)
        if value is None:
            continue
        check_amount(errors, f"budget_{year}", value)
        amounts[year] = value
    unexpected = set(budgets) - set(order.years)
    if unexpected:
        errors[f"budget_{min(unexpected)}"] = _("The order covers %(first)s–%(last)s only.") % {
            "first": order.first_year,
            "last": order.last_year,
        }
    if not amounts and not errors:
        errors[f"budget_{order.first_year}"] = _("Give the budget for at least one year.")
    for source in sources:
        if source.status != Proposal.Status.SUBMITTED or not scoping.can_see_organisation(
            author, source.organisation
        ):
            errors["sources"] = _("Only submitted proposals from your region can be linked.")
    if errors:
        raise ValidationError(errors)
    total = sum(amounts.values(), start=Decimal(0))
    if topic is None:
        number = (order.topics.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        topic = Topic(order=order, number=number)
    elif topic.order_id != order.pk:
        raise ValidationError(_("This topic belongs to another order."))
    topic.project, topic.title, topic.funding_source = project, title.strip(), funding_source
    topic.expected_results, topic.budget_total = expected_results.strip(), total
    created = topic.pk is None
    topic.save()
    topic.budgets.all().delete()
    TopicBudget.objects.bulk_create(TopicBudget(topic=topic, year=y, amount=a) for y, a in amounts.items())
    topic.sources.set(sources)
    record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=topic,
        details={"budget": str(total), "sources": len(sources)},
    )
    return topic


@transaction.atomic
def approve_social_order(*, author: Membership, order: SocialOrder) -> SocialOrder:
    """The head approves the order; its topics can then be put out to competition."""
    _check_order_owner(author, order)
    if not author.is_admin:
        raise ValidationError(_("Only the head (an administrator) approves the state social order."))
    order = SocialOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != SocialOrder.Status.DRAFT:
        raise ValidationError(_("The state social order is already approved."))
    if not order.topics.exists():
        raise ValidationError(_("Add at least one topic before approving."))
    order.status, order.approved_on, order.approved_by = (
        SocialOrder.Status.APPROVED,
        timezone.localdate(),
        author,
    )
    order.save(update_fields=["status", "approved_on", "approved_by"])
    record(action=AuditAction.UPDATE, target=order, summary="approved")
    return order


# ---------------------------------------------------------------- competitions


@transaction.atomic
def announce_competition(
    *,
    author: Membership,
    topic: Topic,
    title: str,
    requirements: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    budget: Decimal | None,
    criteria: list[dict],
    scale_max: int = 10,
) -> Competition:
    """Announce the grant competition for an approved topic, with its weighted criteria."""
    _check_order_owner(author, topic.order)
    topic = Topic.objects.select_for_update().select_related("order").get(pk=topic.pk)
    if topic.order.status != SocialOrder.Status.APPROVED:
        raise ValidationError(_("Competitions are announced only for topics of an approved order."))
    errors: dict = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not requirements.strip():
        errors["requirements"] = _("State the requirements for applicants.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The closing date cannot be before the opening date.")
    check_amount(errors, "budget", budget)
    if "budget" not in errors and budget > topic.budget_total:
        errors["budget"] = _("The budget is over the topic's ceiling of %(ceiling)s.") % {
            "ceiling": tenge(topic.budget_total)
        }
    if not 1 <= scale_max <= 100:
        errors["scale_max"] = _("The highest score must be between 1 and 100.")
    criteria = [c for c in criteria if (c.get("title") or "").strip()]
    if not criteria:
        errors["criteria"] = _("Add at least one evaluation criterion.")
    elif any(not c.get("weight") or c["weight"] < 1 for c in criteria):
        errors["criteria"] = _("Every criterion needs a weight of at least 1.")
    elif sum(c["weight"] for c in criteria) != 100:
        errors["criteria"] = _("The weights must add up to 100 (now %(sum)s).") % {
            "sum": sum(c["weight"] for c in criteria)
        }
    if errors:
        raise ValidationError(errors)
    competition = Competition.objects.create(
        topic=topic,
        organiser=topic.order.organisation,
        title=title.strip(),
        requirements=requirements.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        budget=budget,
        scale_max=scale_max,
        created_by=author,
    )
    Criterion.objects.bulk_create(
        Criterion(competition=competition, title=c["title"].strip(), weight=c["weight"], position=i)
        for i, c in enumerate(criteria)
    )
    record(action=AuditAction.CREATE, target=competition, details={"budget": str(budget)})
    return competition


def application_refusal(competition: Competition, today: datetime.date | None = None) -> str:
    """Why an application to the competition would be refused today ("" while it is open):
    the page offers to apply only while this is empty."""
    today = today or timezone.localdate()
    if competition.status != Competition.Status.ANNOUNCED or today > competition.closes_on:
        return _("Applications closed on %(date)s: this one is refused.") % {
            "date": competition.closes_on.strftime("%d.%m.%Y")
        }
    if today < competition.opens_on:
        return _("Applications open on %(date)s.") % {"date": competition.opens_on.strftime("%d.%m.%Y")}
    return ""


@transaction.atomic
def submit_application(
    *,
    author: Membership,
    competition: Competition,
    bin: str,
    registered_on: datetime.date,
    director_name: str,
    experience: str,
    plan: str,
    lines: list[dict],
    today: datetime.date | None = None,
) -> Application:
    """An NGO applies with its details, plan and budget, before the closing date."""
    check_writer(author)
    today = today or timezone.localdate()
    if author.role != Role.NGO_STAFF:
        raise ValidationError(_("Only a non-governmental organisation applies for a grant."))
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    refusal = application_refusal(competition, today)
    if refusal:
        raise ValidationError(refusal)
    if competition.applications.filter(ngo=author.organisation).exists():
        raise ValidationError(_("Your organisation has already applied to this competition."))
    errors: dict = {}
    try:
        validate_bin(bin or "")
    except ValidationError as error:
        errors["bin"] = error.messages[0]
    if registered_on is None or registered_on > today:
        errors["registered_on"] = _("The registration date cannot be in the future.")
    for name, value in (("director_name", director_name), ("experience", experience), ("plan", plan)):
        if not (value or "").strip():
            errors[name] = _("This field is required.")
    years = list(range(competition.opens_on.year, LAST_YEAR + 1))
    rows = clean_lines(lines, years=years, errors=errors)
    requested = sum((r["total"] for r in rows), start=Decimal(0))
    if not errors and requested > competition.budget:
        errors["lines"] = _(
            "The budget requested, %(requested)s, is over the competition's ceiling of %(ceiling)s."
        ) % {"requested": tenge(requested), "ceiling": tenge(competition.budget)}
    if errors:
        raise ValidationError(errors)
    application = Application.objects.create(
        competition=competition,
        ngo=author.organisation,
        bin=bin,
        registered_on=registered_on,
        director_name=director_name.strip(),
        experience=experience.strip(),
        plan=plan.strip(),
        requested_amount=requested,
        submitted_by=author,
    )
    ApplicationLine.objects.bulk_create(
        ApplicationLine(application=application, **{k: v for k, v in r.items() if k != "source_id"})
        for r in rows
    )
    record(action=AuditAction.CREATE, target=application, details={"requested": str(requested)})
    return application


def _check_organiser(author: Membership, competition: Competition) -> None:
    region = check_region_level(author)
    if competition.organiser_id != region.pk:
        raise ValidationError(_("Only the region that announced the competition manages it."))


@transaction.atomic
def name_commission(
    *, author: Membership, competition: Competition, members: list[Membership], chair: Membership
) -> list[CommissionMember]:
    """Name the commission members (replacing the list while nobody has scored)."""
    _check_organiser(author, competition)
    if competition.status != Competition.Status.ANNOUNCED:
        raise ValidationError(_("The results are published: the commission can no longer change."))
    if Score.objects.filter(member__competition=competition).exists():
        raise ValidationError(_("Scoring has begun: the commission can no longer change."))
    members = list({m.pk: m for m in [*members, chair]}.values())
    if len(members) < 3:
        raise ValidationError({"members": _("A commission has at least three members.")})
    for member in members:
        if (
            not member.is_active
            or member.role == Role.NGO_STAFF
            or not scoping.can_see_organisation(author, member.organisation)
        ):
            raise ValidationError(
                {"members": _("%(name)s cannot sit on this commission.") % {"name": member.user.full_name}}
            )
    competition.commission.all().delete()
    named = CommissionMember.objects.bulk_create(
        CommissionMember(competition=competition, membership=m, is_chair=m.pk == chair.pk) for m in members
    )
    record(
        action=AuditAction.UPDATE,
        target=competition,
        summary="commission",
        details={"members": [m.pk for m in members]},
    )
    return named


def _commission_seat(membership: Membership, competition: Competition) -> CommissionMember:
    seat = CommissionMember.objects.filter(competition=competition, membership=membership).first()
    if seat is None:
        raise ValidationError(_("You are not a member of this competition's commission."))
    return seat


@transaction.atomic
def declare_no_conflict(*, membership: Membership, competition: Competition) -> CommissionMember:
    """A member declares no conflict of interest with any applicant; only then may they score."""
    seat = _commission_seat(membership, competition)
    if seat.no_conflict_declared_at is None:
        seat.no_conflict_declared_at = timezone.now()
        seat.save(update_fields=["no_conflict_declared_at"])
        record(action=AuditAction.UPDATE, target=seat, summary="no conflict of interest declared")
    return seat


@transaction.atomic
def score_application(
    *,
    membership: Membership,
    application: Application,
    scores: dict[int, int | None],
    today: datetime.date | None = None,
) -> list[Score]:
    """A member scores each criterion of one application, alone, within the scale."""
    check_writer(membership)
    competition = Competition.objects.select_for_update().get(pk=application.competition_id)
    seat = _commission_seat(membership, competition)
    if competition.status != Competition.Status.ANNOUNCED:
        raise ValidationError(_("The results are published: scores can no longer change."))
    if (today or timezone.localdate()) <= competition.closes_on:
        raise ValidationError(
            _("Scoring begins after the closing date, %(date)s.")
            % {"date": competition.closes_on.strftime("%d.%m.%Y")}
        )
    if seat.no_conflict_declared_at is None:
        raise ValidationError(
            {
                "no_conflict": _(
                    "Declare that you have no conflict of interest with the applicants before scoring."
                )
            }
        )
    errors = {}
    criteria = list(competition.criteria.all())
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            errors[f"criterion_{criterion.pk}"] = _("Score this criterion.")
        elif not 0 <= value <= competition.scale_max:
            errors[f"criterion_{criterion.pk}"] = _("A score is between 0 and %(max)s.") % {
                "max": competition.scale_max
            }
    if errors:
        raise ValidationError(errors)
    saved = []
    for criterion in criteria:
        score, _created = Score.objects.update_or_create(
            member=seat,
            application=application,
            criterion=criterion,
            defaults={"value": scores[criterion.pk]},
        )
        saved.append(score)
    record(action=AuditAction.UPDATE, target=application, summary="scored", details={"member": seat.pk})
    return saved


@transaction.atomic
def publish_results(
    *,
    author: Membership,
    competition: Competition,
    winner: Application,
    summary: str,
    reasons: dict[int, str],
) -> Competition:
    """Publish the ranking with the winner and the reasons for every decision."""
    from ..selectors import ranking

    _check_organiser(author, competition)
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.status != Competition.Status.ANNOUNCED:
        raise ValidationError(_("The results are already published."))
    applications = list(competition.applications.all())
    if not applications:
        raise ValidationError(_("Nobody applied: there is nothing to publish."))
    seats = list(competition.commission.all())
    criteria = competition.criteria.count()
    expected = len(seats) * len(applications) * criteria
    if not seats or Score.objects.filter(member__competition=competition).count() < expected:
        raise ValidationError(_("Every commission member must score every application first."))
    errors = {}
    if winner is None or winner.competition_id != competition.pk:
        errors["winner"] = _("Choose the winner among the applications.")
    if not summary.strip():
        errors["summary"] = _("Write the commission's decision.")
    missing = [a for a in applications if not (reasons.get(a.pk) or "").strip()]
    if missing:
        errors[f"reason_{missing[0].pk}"] = _("Give the reason for this decision.")
    if errors:
        raise ValidationError(errors)
    for application in applications:
        application.result_reason = reasons[application.pk].strip()
    Application.objects.bulk_update(applications, ["result_reason"])
    competition.status = Competition.Status.PUBLISHED
    competition.winner, competition.results_summary = winner, summary.strip()
    competition.published_at = timezone.now()
    competition.save(update_fields=["status", "winner", "results_summary", "published_at"])
    record(
        action=AuditAction.UPDATE,
        target=competition,
        summary="results published",
        details={"winner": winner.pk, "ranking": [row.application.pk for row in ranking(competition)]},
    )
    return competition


def topic_commitments(topic: Topic) -> Decimal:
    """What agreements on the topic already commit."""
    return topic.agreements.aggregate(total=Sum("amount"))["total"] or Decimal(0)
