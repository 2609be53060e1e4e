from django.urls import path

from . import views

# Named web:<name>; the invited person's pages need no company in the address (they are not a member).
urlpatterns = [
    path("invitations/<str:token>/", views.invitation_page, name="invitation"),
    path("invitations/<str:token>/new-link/", views.invitation_new_link, name="invitation_new_link"),
    path(
        "me/invitations/<int:invitation_id>/<str:answer>/", views.my_invitation_answer, name="my_invitation"
    ),
    path(
        "t/<slug:slug>/users/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "t/<slug:slug>/users/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
