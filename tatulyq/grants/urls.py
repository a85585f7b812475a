from django.urls import path

from . import grant_views, views

app_name = "grants"

urlpatterns = [
    path("", views.index, name="index"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/consolidate/", views.consolidate, name="consolidate"),
    path("proposals/finance.xlsx", views.finance_xlsx, name="finance_xlsx"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:proposal_id>/submit/", views.proposal_submit, name="proposal_submit"),
    path("national/", views.national, name="national"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/topics/new/", views.topic_new, name="topic_new"),
    path("orders/<int:order_id>/approve/", views.order_approve, name="order_approve"),
    path("execution/", views.execution, name="execution"),
    path("topics/<int:topic_id>/competition/", grant_views.competition_new, name="competition_new"),
    path("competitions/", grant_views.competition_list, name="competitions"),
    path("competitions/<int:competition_id>/", grant_views.competition_detail, name="competition"),
    path("competitions/<int:competition_id>/apply/", grant_views.apply, name="apply"),
    path("competitions/<int:competition_id>/commission/", grant_views.commission, name="commission"),
    path("competitions/<int:competition_id>/publish/", grant_views.publish, name="publish"),
    path(
        "competitions/<int:competition_id>/results/<str:language>.pdf",
        grant_views.results_pdf,
        name="results_pdf",
    ),
    path("applications/<int:application_id>/", grant_views.application_detail, name="application"),
    path("applications/<int:application_id>/score/", grant_views.score, name="score"),
    path("applications/<int:application_id>/agreement/", grant_views.agreement_new, name="agreement_new"),
    path("agreements/<int:agreement_id>/", grant_views.agreement_detail, name="agreement"),
    path("agreements/<int:agreement_id>/tranches/new/", grant_views.tranche_new, name="tranche_new"),
    path("agreements/<int:agreement_id>/close/", grant_views.agreement_close, name="agreement_close"),
    path("agreements/<int:agreement_id>/reports/new/", grant_views.report_new, name="report_new"),
    path("tranches/<int:tranche_id>/payment/", grant_views.payment, name="payment"),
    path("reports/<int:report_id>/", grant_views.report_detail, name="report"),
    path("reports/<int:report_id>/edit/", grant_views.report_edit, name="report_edit"),
    path("reports/<int:report_id>/submit/", grant_views.report_submit, name="report_submit"),
    path("reports/attachments/<int:attachment_id>/", grant_views.report_attachment, name="report_attachment"),
]
