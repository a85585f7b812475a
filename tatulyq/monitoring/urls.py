from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nodes/<int:node_id>/", views.node, name="node"),
    path("reports/", views.reports, name="reports"),
    path("reports/open/", views.open_report, name="open_report"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/<str:action>/", views.report_action, name="report_action"),
    path("framework/", views.framework, name="framework"),
    path("periods/<int:period_id>/", views.period_status, name="period_status"),
    path("summary/", views.summaries, name="summaries"),
    path("summary/<int:summary_id>/", views.summary, name="summary"),
    path("summary/<int:summary_id>/file.<str:fmt>", views.summary_file, name="summary_file"),
]
