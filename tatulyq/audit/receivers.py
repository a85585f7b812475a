"""Authentication events arrive only as signals; this turns them into audit entries."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import client_address
from .models import AuditAction
from .services import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    from tatulyq.accounts.selectors import active_membership_for

    # request.membership was worked out before the login, for an anonymous visitor.
    if hasattr(request, "user"):  # not on the bare request of the test client's force_login
        request.membership = active_membership_for(request)
    record(
        action=AuditAction.LOGIN, user=user, membership=getattr(request, "membership", None),
        ip_address=client_address(request),
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=AuditAction.LOGOUT, user=user, ip_address=client_address(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted e-mail is kept in details, never the password.
    record(
        action=AuditAction.LOGIN_FAILED,
        details={"username": str(credentials.get("username", ""))[:254]},
        ip_address=client_address(request) if request is not None else None,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record(
        action=AuditAction.LOCKED_OUT,
        details={"username": str(username or "")[:254]},
        ip_address=ip_address,
    )
