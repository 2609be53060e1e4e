"""Documents shared between a customer and its accounting firm (issue 11 item 4), named web:<name>.
The same pages serve the firm (inside the portal's customer frame) and the customer's own users."""

from django.urls import path

from . import views

P = "t/<slug:slug>/documents/"
urlpatterns = [
    path(P, views.documents_home, name="documents"),
    path(P + "<int:firm_id>/", views.browse, name="documents_browse"),
    path(P + "<int:firm_id>/folders/new/", views.folder_create, name="documents_folder_create"),
    path(P + "<int:firm_id>/bin/", views.bin_view, name="documents_bin"),
    path(P + "<int:firm_id>/notifications/", views.notifications, name="documents_notifications"),
    path(P + "folders/<int:folder_id>/edit/", views.folder_edit, name="documents_folder_edit"),
    path(P + "folders/<int:folder_id>/delete/", views.folder_delete, name="documents_folder_delete"),
    path(P + "folders/<int:folder_id>/restore/", views.folder_restore, name="documents_folder_restore"),
    path(P + "folders/<int:folder_id>/zip/", views.folder_zip, name="documents_folder_zip"),
    path(P + "folders/<int:folder_id>/upload/", views.upload, name="documents_upload"),
    path(P + "files/<int:document_id>/", views.document_detail, name="documents_document"),
    path(P + "files/<int:document_id>/download/", views.download, name="documents_download"),
    path(P + "files/<int:document_id>/rename/", views.rename, name="documents_rename"),
    path(P + "files/<int:document_id>/move/", views.move, name="documents_move"),
    path(P + "files/<int:document_id>/delete/", views.delete, name="documents_delete"),
    path(P + "files/<int:document_id>/restore/", views.restore, name="documents_restore"),
]
