from .selectors import memberships_of


def membership(request):
    """The header's "acting as" and the switcher's choices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "active_membership": request.membership,
        "user_memberships": getattr(request, "memberships", None) or list(memberships_of(user)),
    }
