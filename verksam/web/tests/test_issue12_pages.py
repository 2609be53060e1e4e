"""Issue 12 on the pages of users, partners, billing and the design system: invited users read as
"Inbjuden" with "Skicka ny inbjudan" (limited per day), destructive actions say what will happen
before they are sent, the licence summary says when billing starts, dates read "1 dec 2026"."""

import datetime as dt

from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from verksam.tenancy import services
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Invitation, Licence, PartnerLevel
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client


def _invite(tenant, owner, email="ny@example.se", licence=Licence.LIGHT):
    with tenant_scope(tenant.pk):
        return services.membership_invite(
            actor=resolve(owner, tenant), email=email, name="Nina Ny", licence=licence
        )


def test_an_invited_user_shows_as_invited_with_send_a_new_invitation(tenant, owner):
    invitation = _invite(tenant, owner)
    page = login_client(owner).get(reverse("web:members", args=[tenant.slug])).content.decode()
    assert "Inbjudna användare" in page and ">Inbjuden<" in page and "Nina Ny" in page
    assert "Skicka ny inbjudan" in page
    resend = reverse("web:invitation_resend", args=[tenant.slug, invitation.pk])
    revoke = reverse("web:invitation_revoke", args=[tenant.slug, invitation.pk])
    assert f'action="{resend}"' in page
    # withdrawing asks first and says what happens
    form = page[page.index(f'action="{revoke}"') :].split(">", 1)[0]
    assert "data-confirm=" in form and "ny@example.se dras tillbaka och länken slutar fungera" in form


def test_send_a_new_invitation_stops_after_the_days_limit(
    tenant, owner, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_RESENDS_PER_DAY = 1
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(tenant, owner)
    client = login_client(owner)
    url = reverse("web:invitation_resend", args=[tenant.slug, invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        second = client.post(url, follow=True)
    assert len(mail.outbox) == 2  # the invitation and one new link; the second resend sends nothing
    assert "Inbjudan har redan skickats igen 1 gång i dag. Försök igen i morgon." in second.content.decode()
    with tenant_scope(tenant.pk):
        assert Invitation.objects.get(pk=invitation.pk).status == "pending"


def test_revoking_a_partner_and_deactivating_a_user_ask_first(tenant, owner, employee, partner_full):
    client = login_client(owner)
    partners = client.get(reverse("web:partner_grants", args=[tenant.slug])).content.decode()
    assert (
        "förlorar åtkomsten till företaget direkt" in partners
        and 'data-confirm-button="Återkalla åtkomst"' in partners
    )
    with tenant_scope(tenant.pk):
        membership = resolve(employee, tenant).membership
    edit = client.get(reverse("web:member_edit", args=[tenant.slug, membership.pk])).content.decode()
    assert 'data-confirm-if-unchecked="id_is_active"' in edit
    assert "Användaren förlorar åtkomsten direkt." in edit


def test_the_licence_summary_says_when_billing_starts(tenant, owner):
    _invite(tenant, owner, "a@example.se")
    _invite(tenant, owner, "b@example.se", licence=Licence.BASIC)
    page = login_client(owner).get(reverse("web:pricing", args=[tenant.slug])).content.decode()
    assert "En användare debiteras från den dag hen tackar ja till inbjudan och loggar in" in page
    assert "2 inbjudna användare debiteras inte än." in page
    invite = login_client(owner).get(reverse("web:member_invite", args=[tenant.slug])).content.decode()
    assert "debiteras från den dag hen tackar ja till inbjudan" in invite


def test_dates_and_moments_read_the_swedish_way(settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    moment = dt.datetime(2026, 12, 1, 22, 30, tzinfo=dt.UTC)  # 23:30 in Stockholm, still 1 December
    late = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 December in Stockholm
    template = Template("{% load verksam_format %}{{ m|moment }} / {{ late|day }}")
    with translation.override("sv"):
        assert template.render(Context({"m": moment, "late": late})) == "1 dec 2026 kl. 23:30 / 2 dec 2026"


def test_partner_level_is_in_words(tenant, owner, partner_full):
    page = login_client(owner).get(reverse("web:partner_grants", args=[tenant.slug])).content.decode()
    table = page.split('data-testid="grant-table"', 1)[1].split("</table>", 1)[0]
    assert "Fullständig" in table and PartnerLevel.FULL.value not in table


def test_the_audit_log_names_the_employee_of_a_time_event(tenant, owner, employee):
    from verksam.audit.services import record
    from verksam.timereporting.tests.factories import TimeEntryFactory

    with tenant_scope(tenant.pk):
        membership = resolve(employee, tenant).membership
        entry = TimeEntryFactory(tenant=tenant, membership=membership, date=dt.date(2026, 9, 25), minutes=480)
        record(actor=resolve(owner, tenant), action="time.entry_create", target=entry, data={})
    page = login_client(owner).get(reverse("web:audit", args=[tenant.slug])).content.decode()
    assert f"{employee.name} · 25 sep 2026 · 8:00" in page
    assert f"min ({membership.pk})" not in page
