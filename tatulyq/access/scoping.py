"""The one place that decides who sees what. Every view asks here first.

Two rules, kept apart on purpose:

1. Organisations. A membership sees the subtree of its organisation's *reach*.
   The reach is the organisation itself, except for the bodies that act within
   their parent's jurisdiction: «Өркен» works for the whole republic beside the
   Ministry, and an education department acts for its akimat's territory.
2. Children's personal data. Only the organisation that works with the child,
   and there only the roles that need it (head, mediator, psychologist, social
   pedagogue). Nobody above a school ever receives a child's identity, whatever
   their reach; they get aggregates from the monitoring module instead.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tatulyq.accounts.models import CHILD_DATA_ROLES, Membership, Role
from tatulyq.orgs.models import Organisation, OrganisationKind, OrganisationLevel

# Kinds whose members see what their parent organisation sees.
SHARES_PARENT_REACH = frozenset(
    {
        OrganisationKind.METHODOLOGICAL_CENTRE,
        OrganisationKind.REGIONAL_EDUCATION,
        OrganisationKind.DISTRICT_EDUCATION,
    }
)


def reach_of(organisation: Organisation) -> Organisation:
    """The organisation whose subtree a member of `organisation` may see."""
    if organisation.kind in SHARES_PARENT_REACH and organisation.parent_id:
        return organisation.parent
    return organisation


def visible_organisations(membership: Membership | None) -> QuerySet[Organisation]:
    """Organisations the membership may see (its reach's subtree)."""
    if membership is None:
        return Organisation.objects.none()
    root = reach_of(membership.organisation)
    return Organisation.objects.filter(path__startswith=root.path)


def can_see_organisation(membership: Membership | None, organisation: Organisation) -> bool:
    if membership is None:
        return False
    return organisation.is_within(reach_of(membership.organisation))


def get_organisation_or_404(membership: Membership | None, pk: int) -> Organisation:
    """The organisation if the membership may see it; otherwise 404, never 403,
    so that a stranger cannot even learn that it exists."""
    try:
        return visible_organisations(membership).select_related("territory", "parent").get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def scope_to_organisations(
    queryset: QuerySet, membership: Membership | None, organisation_field: str
) -> QuerySet:
    """Rows of a non-personal model whose organisation the membership may see."""
    if membership is None:
        return queryset.none()
    root = reach_of(membership.organisation)
    return queryset.filter(**{f"{organisation_field}__path__startswith": root.path})


def can_handle_child_data(membership: Membership | None, organisation: Organisation) -> bool:
    """True only for a child-data role at that very organisation."""
    return (
        membership is not None
        and membership.is_active
        and membership.role in CHILD_DATA_ROLES
        and membership.organisation_id == organisation.pk
    )


def scope_child_records(
    queryset: QuerySet, membership: Membership | None, organisation_field: str = "organisation"
) -> QuerySet:
    """Rows holding a child's personal data: only at the membership's own organisation,
    only for child-data roles. Everyone else gets an empty queryset."""
    if membership is None or membership.role not in CHILD_DATA_ROLES:
        return queryset.none()
    return queryset.filter(**{organisation_field: membership.organisation_id})


def can_administer(membership: Membership | None, organisation: Organisation) -> bool:
    """Organisation administrators manage people in their own subtree only."""
    if membership is None or not membership.is_active:
        return False
    if membership.role == Role.SYSTEM_ADMINISTRATOR:
        return True
    return membership.is_admin and organisation.is_within(membership.organisation)


def administrable_organisations(membership: Membership | None) -> QuerySet[Organisation]:
    if membership is None or not membership.is_active:
        return Organisation.objects.none()
    if membership.role == Role.SYSTEM_ADMINISTRATOR:
        return Organisation.objects.all()
    if not membership.is_admin:
        return Organisation.objects.none()
    return Organisation.objects.filter(path__startswith=membership.organisation.path)


def can_write(membership: Membership | None) -> bool:
    """Auditors read everything in their reach and change nothing."""
    return membership is not None and membership.is_active and not membership.is_read_only


def can_import_schools(membership: Membership | None) -> bool:
    """Registries are loaded by administrators at region or republic level."""
    if membership is None or not membership.is_active:
        return False
    if membership.role == Role.SYSTEM_ADMINISTRATOR:
        return True
    return membership.is_admin and membership.organisation.level in {
        OrganisationLevel.REPUBLIC,
        OrganisationLevel.REGION,
    }


# ---------------------------------------------------------------- mediation cases

# Staff who see every case of their school; a mediator sees only the cases assigned to them.
CASE_OVERSIGHT_ROLES = frozenset({Role.SCHOOL_HEAD, Role.SCHOOL_PSYCHOLOGIST, Role.SOCIAL_PEDAGOGUE})


def visible_cases(membership: Membership | None):
    """Cases whose content the membership may open: the school's head, psychologist and
    social pedagogue (and the service's coordinator) see all of the school's cases, a
    mediator only those assigned to them or opened by them; nobody else, in the school
    or above it, sees any."""
    from tatulyq.cases.models import Case

    if membership is None or not membership.is_active or membership.role not in CHILD_DATA_ROLES:
        return Case.objects.none()
    cases = Case.objects.filter(school_id=membership.organisation_id)
    if oversees_cases(membership):
        return cases
    # A mediator sees what they opened and what they are assigned to.
    return cases.filter(Q(mediators__membership=membership) | Q(created_by=membership)).distinct()


def oversees_cases(membership: Membership) -> bool:
    """Head, psychologist, social pedagogue or the service's coordinator: all of the
    school's cases, and the children to watch (early warning)."""
    return membership.role in CASE_OVERSIGHT_ROLES or is_case_coordinator(membership)


def is_case_coordinator(membership: Membership | None) -> bool:
    """The coordinator of the school's mediation service supervises all its cases."""
    from tatulyq.cases.models import MediationService

    return membership is not None and MediationService.objects.filter(
        school_id=membership.organisation_id, coordinator=membership
    ).exists()


def get_case_or_404(membership: Membership | None, pk: int):
    """A case the membership may open; otherwise 404, so its existence stays hidden."""
    from tatulyq.cases.models import Case

    try:
        return visible_cases(membership).select_related("school").get(pk=pk)
    except (ValueError, TypeError, Case.DoesNotExist):
        raise Http404 from None


# Organisations that receive referrals of mediation cases and answer them in Tatulyq.
REFERRAL_RECEIVER_KINDS = frozenset(
    {
        OrganisationKind.JUVENILE_POLICE,
        OrganisationKind.MINORS_COMMISSION,
        OrganisationKind.VICTIM_SUPPORT_CENTRE,
        OrganisationKind.NGO,
    }
)


def visible_referrals_received(membership: Membership | None):
    """Referrals sent to the membership's organisation: only what the receiver needs."""
    from tatulyq.cases.models import Referral

    if membership is None or not membership.is_active:
        return Referral.objects.none()
    return Referral.objects.filter(organisation_id=membership.organisation_id)


# ---------------------------------------------------------------- monitoring

# Who reports: schools, district education departments, regions' education departments.
REPORTING_KINDS = frozenset({
    OrganisationKind.SCHOOL, OrganisationKind.DISTRICT_EDUCATION, OrganisationKind.REGIONAL_EDUCATION,
})
# The nodes of the aggregate tree: the Republic, a region, a district (their akimats).
NODE_KINDS = frozenset({
    OrganisationKind.MINISTRY, OrganisationKind.REGIONAL_AKIMAT, OrganisationKind.DISTRICT_AKIMAT,
    OrganisationKind.SCHOOL,
})


def monitoring_unit(membership: Membership | None) -> Organisation | None:
    """The organisation whose periodic report the membership fills or reviews with: the
    school itself, the district's or region's education department (also for members of
    the akimat), «Өркен» for the methodologists. Ministry officers, NGOs and auditors
    read only."""
    if membership is None or not membership.is_active or membership.is_read_only:
        return None
    organisation = membership.organisation
    kind = organisation.kind
    if kind in REPORTING_KINDS:
        return organisation
    if membership.role == Role.METHODOLOGIST:
        return organisation if kind == OrganisationKind.METHODOLOGICAL_CENTRE else (
            Organisation.objects.filter(kind=OrganisationKind.METHODOLOGICAL_CENTRE).first())
    wanted = {OrganisationKind.REGIONAL_AKIMAT: OrganisationKind.REGIONAL_EDUCATION,
              OrganisationKind.DISTRICT_AKIMAT: OrganisationKind.DISTRICT_EDUCATION}.get(kind)
    if wanted is None:
        return None
    return Organisation.objects.filter(parent=organisation, kind=wanted).order_by("pk").first()


def monitoring_root(membership: Membership | None) -> Organisation | None:
    """The highest node of the aggregate tree the membership sees: the Republic, its
    region, its district or its own school; None for whom monitoring has nothing."""
    if membership is None or not membership.is_active:
        return None
    reach = reach_of(membership.organisation)
    if reach.kind in NODE_KINDS:
        return reach
    if reach.kind == OrganisationKind.METHODOLOGICAL_CENTRE:
        return reach.parent
    return None


def get_monitoring_node_or_404(membership: Membership | None, pk: int) -> Organisation:
    """A node of the aggregate tree within the membership's reach; else 404."""
    root = monitoring_root(membership)
    if root is None:
        raise Http404
    try:
        return Organisation.objects.select_related("territory").get(
            pk=pk, path__startswith=root.path, kind__in=NODE_KINDS)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sees_small_cells(membership: Membership | None, node: Organisation) -> bool:
    """Small numbers are shown only to the school's own staff, about their own school;
    above school level every cell under 5 is suppressed."""
    return (membership is not None and membership.is_active
            and node.kind == OrganisationKind.SCHOOL
            and membership.organisation_id == node.pk)


def visible_reports(membership: Membership | None):
    """Periodic reports of organisations in the membership's reach (a school: its own)."""
    from tatulyq.monitoring.models import Report

    root = monitoring_root(membership)
    if root is None:
        return Report.objects.none()
    return Report.objects.filter(organisation__path__startswith=root.path)


def get_report_or_404(membership: Membership | None, pk: int):
    from tatulyq.monitoring.models import Report

    try:
        return visible_reports(membership).select_related(
            "organisation", "period", "version").get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
# ---------------------------------------------------------------- state social order and grants


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (ValueError, TypeError, queryset.model.DoesNotExist):
        raise Http404 from None


def visible_proposals(membership: Membership | None):
    """A proposal stays with its organisation while it is a draft; once submitted, the
    organisations above it (within their reach) see it too."""
    from tatulyq.grants.models import Proposal

    if membership is None or not membership.is_active:
        return Proposal.objects.none()
    reach = reach_of(membership.organisation)
    return Proposal.objects.filter(
        Q(organisation_id=membership.organisation_id)
        | (Q(organisation__path__startswith=reach.path) & ~Q(status=Proposal.Status.DRAFT))
    )


def get_proposal_or_404(membership: Membership | None, pk: int):
    return _get_or_404(
        visible_proposals(membership).select_related("organisation", "project", "recipient__directive"), pk
    )


def visible_social_orders(membership: Membership | None):
    """Orders formed within the reach; an approved order also to everyone in its region."""
    from tatulyq.grants.models import SocialOrder

    if membership is None or not membership.is_active:
        return SocialOrder.objects.none()
    reach = reach_of(membership.organisation)
    return SocialOrder.objects.filter(
        Q(organisation__path__startswith=reach.path)
        | Q(status=SocialOrder.Status.APPROVED, organisation_id__in=membership.organisation.ancestor_ids)
    )


def get_social_order_or_404(membership: Membership | None, pk: int):
    return _get_or_404(visible_social_orders(membership).select_related("organisation", "region"), pk)


def visible_competitions(membership: Membership | None):
    """Competitions run within the reach, those the membership sits on the commission of,
    and, for NGOs, every competition (an announcement is public: any NGO may apply)."""
    from tatulyq.grants.models import Competition

    if membership is None or not membership.is_active:
        return Competition.objects.none()
    if membership.role == Role.NGO_STAFF:
        return Competition.objects.all()
    reach = reach_of(membership.organisation)
    return Competition.objects.filter(
        Q(organiser__path__startswith=reach.path) | Q(commission__membership=membership)
    ).distinct()


def get_competition_or_404(membership: Membership | None, pk: int):
    return _get_or_404(
        visible_competitions(membership).select_related("organiser", "topic__order", "topic__project"), pk
    )


def visible_applications(membership: Membership | None):
    """An application: the applicant NGO, the organiser's reach, the commission."""
    from tatulyq.grants.models import Application

    if membership is None or not membership.is_active:
        return Application.objects.none()
    reach = reach_of(membership.organisation)
    return Application.objects.filter(
        Q(ngo_id=membership.organisation_id)
        | Q(competition__organiser__path__startswith=reach.path)
        | Q(competition__commission__membership=membership)
    ).distinct()


def get_application_or_404(membership: Membership | None, pk: int):
    return _get_or_404(
        visible_applications(membership).select_related("ngo", "competition__organiser"), pk
    )


def visible_agreements(membership: Membership | None):
    """A grant agreement: the grantee and the reach holding the region that signed it."""
    from tatulyq.grants.models import GrantAgreement

    if membership is None or not membership.is_active:
        return GrantAgreement.objects.none()
    reach = reach_of(membership.organisation)
    return GrantAgreement.objects.filter(
        Q(ngo_id=membership.organisation_id) | Q(topic__order__organisation__path__startswith=reach.path)
    )


def get_agreement_or_404(membership: Membership | None, pk: int):
    return _get_or_404(
        visible_agreements(membership).select_related("ngo", "topic__order", "topic__project",
                                                      "application__competition"), pk
    )


def visible_grant_reports(membership: Membership | None):
    """A grantee report: the grantee; above it, once submitted."""
    from tatulyq.grants.models import GrantReport

    if membership is None or not membership.is_active:
        return GrantReport.objects.none()
    reach = reach_of(membership.organisation)
    return GrantReport.objects.filter(
        Q(agreement__ngo_id=membership.organisation_id)
        | (Q(agreement__topic__order__organisation__path__startswith=reach.path)
           & ~Q(status=GrantReport.Status.DRAFT))
    )


def get_grant_report_or_404(membership: Membership | None, pk: int):
    return _get_or_404(
        visible_grant_reports(membership).select_related("agreement__ngo", "agreement__topic__order"), pk
    )
