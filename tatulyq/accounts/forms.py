import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.utils.translation import gettext_lazy as _

from tatulyq.orgs.models import Organisation

from .models import ROLE_ORGANISATION_KINDS, Role, User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail or the password is not right. The password is case-sensitive."),
        "inactive": _("This account is switched off. Ask your administrator."),
    }


class PasswordResetForm(BasePasswordResetForm):
    """Also sends a link to an invited person who has not chosen a password yet:
    the invitation link lapses after three days and this is where a new one comes
    from. (Django's form skips accounts without a usable password.)"""

    def get_users(self, email):
        def folded(value):
            return unicodedata.normalize("NFKC", value).casefold()

        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if folded(user.email) == folded(email))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}",
                   "autofocus": True}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code has six digits."))
        return token


class SwitchMembershipForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_admin = forms.BooleanField(
        label=_("May invite other people into this organisation and those under it"),
        required=False,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the roles that can be held at this kind of organisation.
        self.fields["role"].choices = [
            (role.value, role.label)
            for role in Role
            if organisation.kind in ROLE_ORGANISATION_KINDS[role]
            and role != Role.SYSTEM_ADMINISTRATOR
        ]
