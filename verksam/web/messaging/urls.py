"""Meddelanden between a customer and its accounting firm (issue 11 item 5), named web:<name>."""

from django.urls import path

from . import views

P = "t/<slug:slug>/messages/"
urlpatterns = [
    path(P, views.messages_home, name="messages_home"),
    path(P + "<int:firm_id>/", views.channel_view, name="messages"),
    path(P + "<int:firm_id>/thread/", views.thread, name="messages_thread"),
    path(P + "<int:firm_id>/post/", views.post, name="messages_post"),
    path(P + "<int:firm_id>/read/", views.mark_read, name="messages_read"),
    path(P + "<int:firm_id>/notifications/", views.notifications, name="messages_notifications"),
    path(P + "attachments/<int:attachment_id>/", views.attachment, name="messages_attachment"),
]
