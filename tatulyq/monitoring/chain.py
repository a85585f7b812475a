"""The approval chain school → district → region → «Өркен», read off the organisation tree."""

from tatulyq.access.scoping import REPORTING_KINDS
from tatulyq.orgs.models import Organisation, OrganisationKind

LEVEL_OF = {
    OrganisationKind.SCHOOL: "school",
    OrganisationKind.DISTRICT_EDUCATION: "district",
    OrganisationKind.REGIONAL_EDUCATION: "region",
}


def is_reporting(organisation: Organisation) -> bool:
    return organisation.kind in REPORTING_KINDS


def reviewer_of(organisation: Organisation) -> Organisation | None:
    """Who accepts or returns this organisation's report."""
    kind = organisation.kind
    if kind == OrganisationKind.SCHOOL:
        parent = organisation.parent
        return parent if parent and parent.kind in REPORTING_KINDS else None
    if kind == OrganisationKind.DISTRICT_EDUCATION:
        ancestors = organisation.ancestor_ids
        if len(ancestors) < 2:
            return None
        return (
            Organisation.objects.filter(parent_id=ancestors[1], kind=OrganisationKind.REGIONAL_EDUCATION)
            .order_by("pk")
            .first()
        )
    if kind == OrganisationKind.REGIONAL_EDUCATION:
        return Organisation.objects.filter(kind=OrganisationKind.METHODOLOGICAL_CENTRE).order_by("pk").first()
    return None


def chain_above(organisation: Organisation) -> list[Organisation]:
    """The reviewers from the first one up to «Өркен»."""
    chain, current = [], reviewer_of(organisation)
    while current is not None and current not in chain:
        chain.append(current)
        current = reviewer_of(current)
    return chain


def reviewed_by(reviewer: Organisation):
    """Reporting organisations whose reports this organisation accepts."""
    if reviewer.kind == OrganisationKind.DISTRICT_EDUCATION:
        return Organisation.objects.filter(parent=reviewer, kind=OrganisationKind.SCHOOL)
    if reviewer.kind == OrganisationKind.REGIONAL_EDUCATION:
        region = reviewer.parent
        return Organisation.objects.filter(
            path__startswith=region.path, kind=OrganisationKind.DISTRICT_EDUCATION
        ) | Organisation.objects.filter(parent=reviewer, kind=OrganisationKind.SCHOOL)
    if reviewer.kind == OrganisationKind.METHODOLOGICAL_CENTRE:
        return Organisation.objects.filter(kind=OrganisationKind.REGIONAL_EDUCATION)
    return Organisation.objects.none()


def active_during(queryset, period):
    """Organisations open at some point of the period (DHIS2's expected reports)."""
    return queryset.exclude(opened_on__gt=period.ends_on).exclude(closed_on__lt=period.starts_on)


def nodes_of(organisation: Organisation) -> dict[str, int | None]:
    """The aggregate nodes a report of this organisation adds up into."""
    ids = [*organisation.ancestor_ids, organisation.pk]
    kinds = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "kind"))
    found = {"national_node_id": None, "region_node_id": None, "district_node_id": None}
    for pk in ids:
        field = {
            OrganisationKind.MINISTRY: "national_node_id",
            OrganisationKind.REGIONAL_AKIMAT: "region_node_id",
            OrganisationKind.DISTRICT_AKIMAT: "district_node_id",
        }.get(kinds.get(pk))
        if field:
            found[field] = pk
    return found
