from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .selectors import active_membership_for


class ActiveMembershipMiddleware:
    """Puts the membership the user currently acts through on request.membership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Resolved eagerly (one query): a lazy object wrapping None would not be `None`.
        request.membership = active_membership_for(request)
        return self.get_response(request)


def two_factor_exempt(view):
    """Mark a view reachable before the second factor (login, logout, the 2FA pages)."""
    view.two_factor_exempt = True
    return view


class TwoFactorRequiredMiddleware:
    """Someone who may see children's data (or administers the system) must pass a
    TOTP check after the password before any other page opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or getattr(view_func, "two_factor_exempt", False):
            return None
        if getattr(view_func, "login_required", True) is False:  # public pages
            return None
        from .selectors import needs_two_factor

        if needs_two_factor(user) and not user.is_verified():
            # Keep where the person was going, so the code leads straight there.
            target = reverse("accounts:two_factor")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return None
