"""The web UI: one folder per domain (verksam/web/<domain>/{views,urls,forms}.py), each listing its
own paths (company pages under "t/<slug:slug>/…"), all named web:<name>."""

from .accounting_sync import urls as accounting_sync_urls
from .app import urls as app_urls
from .attestation import urls as attestation_urls
from .audit import urls as audit_urls
from .billing import urls as billing_urls
from .bookkeeping import urls as bookkeeping_urls
from .cards import urls as cards_urls
from .documents import urls as documents_urls
from .expenses import urls as expenses_urls
from .home import urls as home_urls
from .invitations import urls as invitations_urls
from .members import urls as members_urls
from .messaging import urls as messaging_urls
from .partners import urls as partners_urls
from .payroll import urls as payroll_urls
from .portal import urls as portal_urls
from .projects import urls as projects_urls
from .schedules import urls as schedules_urls
from .styleguide import urls as styleguide_urls
from .timecodes import urls as timecodes_urls
from .timereporting import urls as timereporting_urls

app_name = "web"

urlpatterns = [
    *app_urls.urlpatterns,
    *home_urls.urlpatterns,
    *members_urls.urlpatterns,
    *invitations_urls.urlpatterns,
    *partners_urls.urlpatterns,
    *portal_urls.urlpatterns,
    *documents_urls.urlpatterns,
    *messaging_urls.urlpatterns,
    *audit_urls.urlpatterns,
    *billing_urls.urlpatterns,
    *accounting_sync_urls.urlpatterns,
    *projects_urls.urlpatterns,
    *timecodes_urls.urlpatterns,
    *schedules_urls.urlpatterns,
    *timereporting_urls.urlpatterns,
    *expenses_urls.urlpatterns,
    *cards_urls.urlpatterns,
    *attestation_urls.urlpatterns,
    *payroll_urls.urlpatterns,
    *bookkeeping_urls.urlpatterns,
    *styleguide_urls.urlpatterns,
]
