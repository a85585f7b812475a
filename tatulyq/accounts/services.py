"""Changing people and memberships. Each action writes its audit entry."""

from base64 import b32encode

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tatulyq.access.scoping import can_administer
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.orgs.models import Organisation

from .models import ROLE_ORGANISATION_KINDS, Membership, Role, User
from .selectors import SESSION_KEY, memberships_of


def switch_membership(*, request, membership_id: int) -> Membership:
    """Act through another of one's own memberships from the next page on."""
    membership = memberships_of(request.user).filter(pk=membership_id).first()
    if membership is None:
        raise ValidationError(_("You do not hold this membership."), code="not_yours")
    request.session[SESSION_KEY] = membership.pk
    request.membership = membership
    record(action=AuditAction.MEMBERSHIP_SWITCHED, target=membership, membership=membership)
    return membership


def validate_role_for_organisation(role: str, organisation: Organisation) -> None:
    if organisation.kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
        raise ValidationError(
            {
                "role": _("The role “%(role)s” cannot be held at a %(kind)s.")
                % {"role": Role(role).label, "kind": organisation.get_kind_display()}
            }
        )


@transaction.atomic
def invite_user(
    *,
    inviter: Membership,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    is_admin: bool = False,
    position: str = "",
) -> Membership:
    """Give someone a membership in the inviter's subtree; a new person gets an
    e-mail with a link to choose their password."""
    if not can_administer(inviter, organisation):
        raise ValidationError(
            {"organisation": _("You can invite people only into your own organisations.")}
        )
    validate_role_for_organisation(role, organisation)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    is_new = user is None
    if is_new:
        user = User.objects.create_user(email, None, full_name=full_name, position=position)
    elif Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise ValidationError({"email": _("This person already has this role here.")})
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, is_admin=is_admin, invited_by=inviter
    )
    record(
        action=AuditAction.INVITE,
        target=membership,
        details={"user_id": user.pk, "organisation_id": organisation.pk, "role": role,
                 "new_user": is_new},
    )
    transaction.on_commit(lambda: _send_invitation(user, membership, is_new))
    return membership


def _send_invitation(user: User, membership: Membership, is_new: bool) -> None:
    with translation.override(user.preferred_language):
        link = ""
        if is_new:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            link = settings.SITE_URL + reverse(
                "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
            )
        body = render_to_string(
            "accounts/email/invitation.txt",
            {"user": user, "membership": membership, "link": link},
        )
        send_mail(_("Your access to Tatulyq"), body, None, [user.email])


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def confirm_totp_device(*, request, device: TOTPDevice, token: str) -> None:
    """Confirm a new authenticator with its first code; the session counts as verified."""
    if not device.verify_token(token):
        # Outside any transaction that the error below would roll back: the failure
        # stays on the trail and in the device's throttling count.
        record(action=AuditAction.TWO_FACTOR_FAILED, target=device)
        raise ValidationError({"token": _("This code is not right. Try the newest one.")})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        otp_login(request, device)
        record(action=AuditAction.TWO_FACTOR_ENROLLED, target=device)


def verify_second_factor(*, request, token: str) -> None:
    """Check a code against the user's confirmed authenticators."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            return
    record(action=AuditAction.TWO_FACTOR_FAILED, target=request.user)
    raise ValidationError({"token": _("This code is not right. Try the newest one.")})


@transaction.atomic
def end_membership(*, actor: Membership, membership: Membership) -> Membership:
    """Take a role away. The person keeps their other roles; history stays in the trail."""
    if not can_administer(actor, membership.organisation):
        raise ValidationError(_("You can change people only in your own organisations."))
    if membership.pk == actor.pk:
        raise ValidationError(_("You cannot take away your own role."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record(action=AuditAction.UPDATE, target=membership, details={"fields": ["is_active"]})
    return membership
