import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tatulyq.access import scoping
from tatulyq.lib.forms import add_errors

from . import services
from .forms import InviteForm, LoginForm, PasswordResetForm, SwitchMembershipForm, TokenForm
from .middleware import two_factor_exempt
from .models import Membership
from .selectors import has_confirmed_device


@method_decorator([login_not_required, two_factor_exempt], name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@method_decorator(two_factor_exempt, name="dispatch")
class LogoutView(auth_views.LogoutView):
    pass


@two_factor_exempt
def two_factor(request):
    """Set up an authenticator on first use, then ask for its code after each login."""
    if request.user.is_verified():
        return redirect("home")
    enrolling = not has_confirmed_device(request.user)
    device = services.pending_totp_device(request.user) if enrolling else None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if enrolling:
                services.confirm_totp_device(
                    request=request, device=device, token=form.cleaned_data["token"]
                )
            else:
                services.verify_second_factor(request=request, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(_safe_next(request) or "home")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["secret"] = services.totp_secret(device)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(request, "accounts/two_factor.html", context)


@require_POST
def switch_membership(request):
    form = SwitchMembershipForm(request.POST)
    if form.is_valid():
        try:
            membership = services.switch_membership(
                request=request, membership_id=form.cleaned_data["membership"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("You now act as: %(membership)s") % {"membership": membership})
    return redirect("home")


def invite(request, organisation_id: int):
    organisation = scoping.get_organisation_or_404(request.membership, organisation_id)
    if not scoping.can_administer(request.membership, organisation):
        raise PermissionDenied
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invite_user(
                inviter=request.membership, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s can now work as %(role)s.")
                % {"name": membership.user.full_name, "role": membership.get_role_display()},
            )
            return redirect("orgs:people", organisation_id=organisation.pk)
    return render(request, "accounts/invite.html", {"form": form, "organisation": organisation})


@require_POST
def end_membership(request, membership_id: int):
    """An administrator takes a role away from someone in their subtree."""
    membership = get_object_or_404(
        scoping.scope_to_organisations(
            Membership.objects.select_related("organisation", "user"),
            request.membership,
            "organisation",
        ),
        pk=membership_id,
        is_active=True,
    )
    try:
        services.end_membership(actor=request.membership, membership=membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s no longer works as %(role)s here.")
            % {"name": membership.user.full_name, "role": membership.get_role_display()},
        )
    return redirect("orgs:people", organisation_id=membership.organisation_id)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def _safe_next(request) -> str | None:
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


password_reset_views = {
    "password_reset": method_decorator([login_not_required, two_factor_exempt], name="dispatch")(
        auth_views.PasswordResetView
    ).as_view(
        form_class=PasswordResetForm,
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    ),
    "password_reset_done": login_not_required(
        two_factor_exempt(
            auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
        )
    ),
    "password_reset_confirm": login_not_required(
        two_factor_exempt(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        )
    ),
    "password_reset_complete": login_not_required(
        two_factor_exempt(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        )
    ),
}
