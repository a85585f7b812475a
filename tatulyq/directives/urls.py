from django.urls import path

from . import registry_views, views

app_name = "directives"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.issue, name="issue"),
    path("specialists/", views.specialists, name="specialists"),
    path("programme/", registry_views.overview, name="programme"),
    path("programme/cards/<int:card_id>/", registry_views.card, name="card"),
    path("<int:directive_id>/", views.detail, name="detail"),
    path("<int:directive_id>/control/", views.control, name="control"),
    path("received/<int:recipient_id>/forward/", views.forward, name="forward"),
    path("received/<int:recipient_id>/resolution/", views.resolution, name="resolution"),
    path("received/<int:recipient_id>/answer/", views.answer, name="answer"),
    path("received/<int:recipient_id>/consolidate/", views.consolidate, name="consolidate"),
    path("received/<int:recipient_id>/sign-off/", views.sign_off, name="sign_off"),
    path("received/<int:recipient_id>/review/", views.review, name="review"),
    path("received/<int:recipient_id>/accept/", views.accept, name="accept"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:directive_id>/print/<str:language>.<str:fmt>", views.print_letter, name="print"),
]
