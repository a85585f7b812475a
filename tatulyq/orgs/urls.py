from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.browser, name="browser"),
    path("<int:organisation_id>/", views.browser, name="detail"),
    path("<int:organisation_id>/people/", views.people, name="people"),
    path("import-schools/", views.import_schools, name="import_schools"),
    path("import-schools/template.xlsx", views.school_import_template, name="import_template"),
]
