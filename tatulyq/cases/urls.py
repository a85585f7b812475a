from django.urls import path

from . import process_views, views

app_name = "cases"

urlpatterns = [
    path("", views.work, name="work"),
    path("new/", views.new_case, name="new"),
    path("early-warning/", views.early_warning, name="early_warning"),
    path("service/", views.service, name="service"),
    path("service/mediators/<int:mediator_id>/active/", views.mediator_active, name="mediator_active"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/mediators/", process_views.assign, name="assign"),
    path("<int:case_id>/screening/", process_views.screen, name="screen"),
    path("<int:case_id>/referral/", process_views.refer, name="refer"),
    path("<int:case_id>/consents/new/", process_views.consent, name="consent"),
    path("<int:case_id>/meetings/new/", process_views.meeting, name="meeting"),
    path("<int:case_id>/agreement/", process_views.agreement, name="agreement"),
    path("<int:case_id>/closure/", process_views.request_closure, name="close"),
    path("<int:case_id>/closure/decision/", process_views.decide_closure, name="decide_closure"),
    path("<int:case_id>/plans/new/", process_views.plan, name="plan"),
    path("<int:case_id>/plans/<int:plan_id>/", process_views.plan, name="plan_edit"),
    path("<int:case_id>/print/<str:document>/<str:language>.pdf", views.print_case, name="print"),
    path("consents/<int:consent_id>/withdraw/", process_views.withdraw, name="withdraw"),
    path("obligations/<int:obligation_id>/follow-up/", process_views.follow_up, name="follow_up"),
    path("plans/<int:plan_id>/decision/", process_views.decide_plan, name="decide_plan"),
    path("plans/<int:plan_id>/progress/", process_views.progress_note, name="progress_note"),
    path("referrals/<int:referral_id>/answer/", process_views.referral_answer, name="referral_answer"),
    path("referrals/<int:referral_id>/print/<str:language>.pdf", views.print_referral, name="print_referral"),
    path("referrals/received/", views.received, name="received"),
    path("referrals/received/<int:referral_id>/", views.received_detail, name="received_detail"),
]
