"""Reading people and memberships."""

from django.db.models import QuerySet
from django_otp import devices_for_user

from .models import CHILD_DATA_ROLES, Membership, User

SESSION_KEY = "active_membership_id"


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__parent", "organisation__territory")
        .order_by("organisation__depth", "organisation__name_kk", "role")
    )


def active_membership_for(request) -> Membership | None:
    """The membership chosen in this session, else the user's first one.
    Also leaves the user's memberships on request.memberships for the header."""
    user = request.user
    if not user.is_authenticated:
        request.memberships = []
        return None
    memberships = request.memberships = list(memberships_of(user))
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.pk == chosen:
            return membership
    return memberships[0] if memberships else None


def needs_two_factor(user: User) -> bool:
    return user.is_staff or Membership.objects.filter(
        user=user, is_active=True, role__in=CHILD_DATA_ROLES
    ).exists()


def has_confirmed_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))
