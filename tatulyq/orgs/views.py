import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.lib.tabular import TableError, read_table

from . import selectors, services
from .forms import SchoolImportForm, SearchForm

CHILDREN_PER_PAGE = 100


def browser(request, organisation_id: int | None = None):
    """The organisation tree, one level at a time, with search within one's reach."""
    membership = request.membership
    if membership is None:
        return render(request, "orgs/no_membership.html", status=403)
    root = scoping.reach_of(membership.organisation)
    node = root if organisation_id is None else scoping.get_organisation_or_404(
        membership, organisation_id
    )
    search = SearchForm(request.GET or None)
    results = None
    if search.is_valid() and search.cleaned_data["q"]:
        found = selectors.search_organisations(
            scoping.visible_organisations(membership), search.cleaned_data["q"]
        )
        results = Paginator(found, 50).get_page(request.GET.get("page"))
    children = Paginator(selectors.children_with_counts(node), CHILDREN_PER_PAGE).get_page(
        request.GET.get("children_page")
    )
    context = {
        "node": node,
        "root": root,
        "breadcrumb": selectors.ancestors_within(node, root),
        "children": children,
        "search": search,
        "results": results,
        "can_administer": scoping.can_administer(membership, node),
    }
    if request.htmx and request.GET.get("fragment") == "children":
        return TemplateResponse(request, "orgs/browser.html#children", context)
    return TemplateResponse(request, "orgs/browser.html", context)


def people(request, organisation_id: int):
    organisation = scoping.get_organisation_or_404(request.membership, organisation_id)
    memberships = organisation.memberships.filter(is_active=True).select_related("user").order_by(
        "user__full_name"
    )
    return render(
        request,
        "orgs/people.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "can_administer": scoping.can_administer(request.membership, organisation),
        },
    )


def import_schools(request):
    """Regional administrators load a school registry; nothing is saved if a row is bad."""
    membership = request.membership
    if not scoping.can_import_schools(membership):
        raise PermissionDenied
    within = scoping.reach_of(membership.organisation)
    form = SchoolImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.read(), upload.name)
        except TableError as error:
            form.add_error("file", str(error))
        else:
            report = services.import_schools(
                table=table, dry_run=form.cleaned_data["dry_run"], within=within
            )
    return render(request, "orgs/import_schools.html", {"form": form, "report": report})


def school_import_template(request):
    """An empty workbook with the expected columns and one example row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Schools")[:31]
    sheet.append(list(services.SCHOOL_COLUMNS))
    sheet.append(["№ 1 мектеп-гимназиясы", "Школа-гимназия № 1", "", "315000000",
                  "Құлан ауылы", "kk", "rural", "850"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="schools-template.xlsx"'},
    )


