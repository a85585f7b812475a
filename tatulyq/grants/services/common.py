"""What the grants services share: money arithmetic, budget lines, who may act."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership
from tatulyq.orgs.models import Organisation, OrganisationLevel, Territory

CENT = Decimal("0.01")
# max_digits=14, decimal_places=2
MONEY_LIMIT = Decimal("999999999999.99")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def tenge(value: Decimal) -> str:
    """12 345 678.00 ₸: thin groups, as the finance department writes it."""
    return f"{value:,.2f}".replace(",", "\u00a0") + " ₸"


def check_amount(errors: dict, key: str, value, *, positive: bool = True) -> None:
    """A money amount: a number, not negative (or positive), within 14 digits."""
    if value is None:
        errors[key] = _("Enter an amount in tenge.")
    elif isinstance(value, bool) or not isinstance(value, Decimal | int) or not Decimal(value).is_finite():
        errors[key] = _("Enter the amount as a number, e.g. 150000.00.")
    elif value < 0:
        errors[key] = _("An amount cannot be negative.")
    elif positive and value == 0:
        errors[key] = _("The amount must be greater than zero.")
    elif value > MONEY_LIMIT:
        errors[key] = _("The amount is too large.")


def clean_lines(
    lines: list[dict], *, prefix: str = "lines", years: list[int] | None = None, errors: dict
) -> list[dict]:
    """Budget lines with their totals computed as quantity × unit cost. A total typed
    beside them must agree; every problem is reported at its own field."""
    rows = []
    for index, line in enumerate(lines):
        key = f"{prefix}-{index}-"
        before = len(errors)
        year, quantity, unit_cost = line.get("year"), line.get("quantity"), line.get("unit_cost")
        if not (line.get("item") or "").strip():
            errors[key + "item"] = _("Name the item.")
        if years and year not in years:
            errors[key + "year"] = _("The year must be one of %(years)s.") % {
                "years": ", ".join(str(y) for y in years)
            }
        if quantity is None or not isinstance(quantity, Decimal) or not quantity.is_finite():
            errors[key + "quantity"] = _("Enter the quantity as a number.")
        elif quantity <= 0:
            errors[key + "quantity"] = _("The quantity must be greater than zero.")
        check_amount(errors, key + "unit_cost", unit_cost, positive=False)
        if len(errors) > before:
            continue
        total = money(quantity * unit_cost)
        if total > MONEY_LIMIT:
            errors[key + "total"] = _("The amount is too large.")
            continue
        typed = line.get("total")
        if typed is not None and typed != "" and money(Decimal(typed)) != total:
            errors[key + "total"] = _(
                "The total must equal quantity × unit cost: %(quantity)s × %(unit_cost)s = %(total)s."
            ) % {"quantity": quantity.normalize(), "unit_cost": unit_cost, "total": total}
            continue
        rows.append(
            {
                "year": year,
                "item": line["item"].strip(),
                "unit": (line.get("unit") or "").strip(),
                "quantity": quantity,
                "unit_cost": unit_cost,
                "total": total,
                "position": index,
                "source_id": line.get("source_id"),
            }
        )
    if not lines:
        errors[prefix] = _("Add at least one budget line.")
    return rows


def check_writer(membership: Membership | None) -> None:
    if not scoping.can_write(membership):
        raise ValidationError(_("Your role can read but not change anything."))


def check_region_level(membership: Membership) -> Organisation:
    """The regional akimat the membership acts for (the owner of the state social order)."""
    check_writer(membership)
    if membership.organisation.level != OrganisationLevel.REGION:
        raise ValidationError(_("Only the region forms the state social order and runs its competitions."))
    return scoping.reach_of(membership.organisation)


def check_in_reach(membership: Membership, organisation: Organisation) -> None:
    if not scoping.can_see_organisation(membership, organisation):
        raise ValidationError(_("This is outside your organisation."))


def region_of(organisation: Organisation) -> Territory:
    """The oblast (or city of republican significance) an organisation lies in."""
    code = organisation.territory.code
    if code.startswith("00"):
        raise ValidationError(_("Only organisations in a region take part in its state social order."))
    return Territory.objects.get(code=f"{code[:2]}0000000")
