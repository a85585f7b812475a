from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("membership/", views.switch_membership, name="switch_membership"),
    path("organisations/<int:organisation_id>/invite/", views.invite, name="invite"),
    path("memberships/<int:membership_id>/end/", views.end_membership, name="end_membership"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", views.password_reset_views["password_reset"], name="password_reset"),
    path(
        "password-reset/sent/",
        views.password_reset_views["password_reset_done"],
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_views["password_reset_confirm"],
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.password_reset_views["password_reset_complete"],
        name="password_reset_complete",
    ),
]
