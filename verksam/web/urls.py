from django.urls import path

from . import audit_views, billing_views, home_views, members_views, partners_views
from .attestation import urls as attestation_urls
from .projects import urls as projects_urls
from .timecodes import urls as timecodes_urls
from .timereporting import urls as timereporting_urls

app_name = "web"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("t/<slug:slug>/", home_views.dashboard, name="dashboard"),
    path("t/<slug:slug>/users/", members_views.member_list, name="members"),
    path("t/<slug:slug>/users/invite/", members_views.member_invite, name="member_invite"),
    path("t/<slug:slug>/users/<int:membership_id>/", members_views.member_edit, name="member_edit"),
    path("t/<slug:slug>/partners/", partners_views.partner_grant_list, name="partner_grants"),
    path(
        "t/<slug:slug>/partners/<int:grant_id>/revoke/",
        partners_views.partner_grant_revoke,
        name="partner_grant_revoke",
    ),
    path("t/<slug:slug>/audit/", audit_views.audit_log, name="audit"),
    path("t/<slug:slug>/balances/", billing_views.balances, name="balances"),
    path("t/<slug:slug>/balances/topup/", billing_views.balances_topup, name="balances_topup"),
    path(
        "t/<slug:slug>/balances/topups/<int:payment_id>/",
        billing_views.balances_topup_detail,
        name="balances_topup_detail",
    ),
    path("t/<slug:slug>/balances/return/", billing_views.balances_return, name="balances_return"),
    path("t/<slug:slug>/pricing/", billing_views.pricing, name="pricing"),
]

# Module pages: each module lists its own paths (all under "t/<slug:slug>/…"), named web:<name>.
urlpatterns += projects_urls.urlpatterns
urlpatterns += timecodes_urls.urlpatterns
urlpatterns += timereporting_urls.urlpatterns
urlpatterns += attestation_urls.urlpatterns
