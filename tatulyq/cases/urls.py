from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.work, name="work"),
    path("new/", views.new_case, name="new"),
    path("early-warning/", views.early_warning, name="early_warning"),
    path("service/", views.service, name="service"),
    path("service/mediators/<int:mediator_id>/active/", views.mediator_active, name="mediator_active"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/mediators/", views.assign, name="assign"),
    path("<int:case_id>/screening/", views.screen, name="screen"),
    path("<int:case_id>/referral/", views.refer, name="refer"),
    path("<int:case_id>/consents/new/", views.consent, name="consent"),
    path("<int:case_id>/meetings/new/", views.meeting, name="meeting"),
    path("<int:case_id>/agreement/", views.agreement, name="agreement"),
    path("<int:case_id>/closure/", views.request_closure, name="close"),
    path("<int:case_id>/closure/decision/", views.decide_closure, name="decide_closure"),
    path("<int:case_id>/plans/new/", views.plan, name="plan"),
    path("<int:case_id>/plans/<int:plan_id>/", views.plan, name="plan_edit"),
    path("<int:case_id>/print/<str:document>/<str:language>.pdf", views.print_case, name="print"),
    path("consents/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path("obligations/<int:obligation_id>/follow-up/", views.follow_up, name="follow_up"),
    path("plans/<int:plan_id>/decision/", views.decide_plan, name="decide_plan"),
    path("plans/<int:plan_id>/progress/", views.progress_note, name="progress_note"),
    path("referrals/<int:referral_id>/answer/", views.referral_answer, name="referral_answer"),
    path("referrals/<int:referral_id>/print/<str:language>.pdf", views.print_referral, name="print_referral"),
    path("referrals/received/", views.received, name="received"),
    path("referrals/received/<int:referral_id>/", views.received_detail, name="received_detail"),
]
