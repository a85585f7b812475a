from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views import i18n

from tatulyq.access import scoping
from tatulyq.accounts.middleware import two_factor_exempt


@login_not_required
@two_factor_exempt
def set_language(request):
    """Django's set_language, resolving `next` in the language of its own /kk/ prefix.

    translate_url() resolves with the request's language (cookie or Accept-Language),
    so a Russian or English browser on a /kk/ page stayed on it (Django ticket #28567).
    """
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(language or translation.get_language()):
        return i18n.set_language(request)


@login_not_required
@two_factor_exempt
def healthz(request):
    """For operators and load balancers: the database answers and no migration is pending."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(error.__class__.__name__)},
                            status=503)
    if pending:
        return JsonResponse({"status": "error", "pending_migrations": len(pending)}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    membership = request.membership
    return render(
        request,
        "home.html",
        {
            "reach": scoping.reach_of(membership.organisation) if membership else None,
            "can_import_schools": scoping.can_import_schools(membership),
            "receives_referrals": membership is not None
            and membership.organisation.kind in scoping.REFERRAL_RECEIVER_KINDS,
        },
    )
