"""Reading the organisation tree. Callers pass in what `access` lets them see."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast, StrIndex, Substr

from tatulyq.lib.collation import sort_key

from .models import Organisation, OrganisationKind

KIND_ORDER = {kind: index for index, kind in enumerate(OrganisationKind)}
NGO_LIKE = (OrganisationKind.NGO, OrganisationKind.VICTIM_SUPPORT_CENTRE)


@dataclass
class BranchCounts:
    organisations: int = 0
    schools: int = 0
    ngos: int = 0


def children_with_counts(node: Organisation) -> list[tuple[Organisation, BranchCounts]]:
    """The node's children, each with what lies under it — two queries at any size.

    The counts group the whole subtree by the path segment just below the node,
    so the Ministry's page costs one indexed scan, not one query per region.
    """
    children = sorted(
        node.children.select_related("territory"),
        key=lambda org: (KIND_ORDER.get(org.kind, 99), sort_key(org.name)),
    )
    if not children:
        return []
    rest = Substr("path", len(node.path) + 1)
    child_id = Cast(Substr(rest, 1, StrIndex(rest, Value("/")) - 1), IntegerField())
    rows = (
        Organisation.objects.filter(path__startswith=node.path, depth__gt=node.depth + 1)
        .annotate(child_id=child_id)
        .values("child_id")
        .annotate(
            organisations=Count("id"),
            schools=Count("id", filter=Q(kind=OrganisationKind.SCHOOL)),
            ngos=Count("id", filter=Q(kind__in=NGO_LIKE)),
        )
        .order_by()
    )
    counts = {
        row["child_id"]: BranchCounts(row["organisations"], row["schools"], row["ngos"])
        for row in rows
    }
    return [(child, counts.get(child.pk, BranchCounts())) for child in children]


def ancestors_within(node: Organisation, root: Organisation) -> list[Organisation]:
    """The breadcrumb from `root` down to the node's parent (one query)."""
    by_id = Organisation.objects.in_bulk(node.ancestor_ids)
    return [
        by_id[pk] for pk in node.ancestor_ids if pk in by_id and by_id[pk].depth >= root.depth
    ]


def search_organisations(visible: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    query = query.strip()
    if not query:
        return visible.none()
    # search_text is kept case-folded, because SQLite folds only ASCII letters.
    condition = Q(search_text__contains=query.casefold())
    if query.isdigit():
        condition |= Q(bin__startswith=query)
    return visible.filter(condition).select_related("territory").order_by("depth", "name_kk")
