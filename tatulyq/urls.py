from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tatulyq.lib import views as lib_views

urlpatterns = [
    path("healthz", lib_views.healthz, name="healthz"),
    path("i18n/setlang/", lib_views.set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", lib_views.home, name="home"),
    path("accounts/", include("tatulyq.accounts.urls")),
    path("organisations/", include("tatulyq.orgs.urls")),
    path("audit/", include("tatulyq.audit.urls")),
    path("instructions/", include("tatulyq.directives.urls")),
    path("mediation/", include("tatulyq.cases.urls")),
    path("monitoring/", include("tatulyq.monitoring.urls")),
    path("grants/", include("tatulyq.grants.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "tatulyq.lib.errors.forbidden"
handler404 = "tatulyq.lib.errors.not_found"
handler500 = "tatulyq.lib.errors.server_error"
