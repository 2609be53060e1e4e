"""Meddelanden (issue 11 item 5): who each channel reaches, both sides write with attachments, unread
counts, e-mail over real SMTP, and the page for both sides."""

import pytest
from django.urls import reverse
from django.utils import timezone

from verksam.core.errors import DomainError, NotFound
from verksam.documents.tests.helpers import PDF, actor, as_, pdf
from verksam.messaging import selectors, services
from verksam.messaging.models import Message
from verksam.partners import selectors as portal
from verksam.tenancy.models import PartnerGrant, Variant
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client
from verksam.tenancy.tests.helpers import count_queries, membership_of


def _keys(user, tenant, firm):
    with tenant_scope(tenant.pk):
        return [(r.key, r.unread) for r in selectors.channel_list(actor(user, tenant), firm.pk)]


def _post(user, tenant, firm, key, body="Hej", files=()):
    return as_(user, tenant, services.message_post, firm_id=firm.pk, key=key, body=body, files=files)


def test_the_general_channel_reaches_the_admins_of_a_pro_company(
    tenant, owner, employee, partner_full, partner_firm
):
    emp = membership_of(tenant, employee).pk
    # the firm sees the general channel and one per user; the owner (TOTAL) the general and their own
    assert ("general", 0) in _keys(partner_full, tenant, partner_firm)
    assert f"m{emp}" in [k for k, _ in _keys(partner_full, tenant, partner_firm)]
    assert [k for k, _ in _keys(owner, tenant, partner_firm)] == [
        "general",
        f"m{membership_of(tenant, owner).pk}",
    ]
    # an employee (LIGHT) in a Pro company: only their own channel
    assert [k for k, _ in _keys(employee, tenant, partner_firm)] == [f"m{emp}"]
    with pytest.raises(NotFound):
        _post(employee, tenant, partner_firm, "general")
    with pytest.raises(NotFound):  # another user's individual channel does not exist for them
        _post(employee, tenant, partner_firm, f"m{membership_of(tenant, owner).pk}")


def test_in_the_dokument_variant_every_user_is_reached(tenant, owner, employee, partner_full, partner_firm):
    tenant.variant = Variant.DOKUMENT
    tenant.save()
    assert "general" in [k for k, _ in _keys(employee, tenant, partner_firm)]


def test_both_sides_write_unread_counts_and_read_marks(
    tenant, owner, employee, partner_full, partner_firm, django_capture_on_commit_callbacks
):
    key = f"m{membership_of(tenant, employee).pk}"
    _post(employee, tenant, partner_firm, key, "Fråga om lönen", files=[pdf()])
    assert (key, 1) in _keys(partner_full, tenant, partner_firm)
    # the badge on Mina samarbeten counts it too
    (row,) = portal.collaboration_list(actor=actor(partner_full, partner_firm))
    assert row.badges["messages"] == 1
    as_(partner_full, tenant, services.channel_mark_read, firm_id=partner_firm.pk, key=key)
    assert (key, 0) in _keys(partner_full, tenant, partner_firm)
    _post(partner_full, tenant, partner_firm, key, "Svar")
    assert (key, 1) in _keys(employee, tenant, partner_firm)
    assert (key, 0) in _keys(partner_full, tenant, partner_firm)  # one's own message is never unread


def test_bad_messages_are_refused(tenant, employee, partner_full, partner_firm):
    key = f"m{membership_of(tenant, employee).pk}"
    for body, files, code in [
        ("", [], "empty_message"),
        ("x" * 10_001, [], "too_long"),
        ("hej", [pdf("tom.pdf", b"")], "empty_file"),
        ("hej", [pdf("x.exe", b"MZ" + b"\x00" * 50)], "file_type_not_allowed"),
    ]:
        with pytest.raises(DomainError) as err:
            _post(employee, tenant, partner_firm, key, body, files)
        assert err.value.code == code
    with tenant_scope(tenant.pk):
        assert not Message.objects.exists()


def test_limited_partner_and_revoked_have_no_messages(tenant, partner_limited, partner_full, partner_firm):
    with pytest.raises(NotFound):
        _post(partner_limited, tenant, partner_firm, "general")
    with tenant_scope(tenant.pk):
        PartnerGrant.objects.filter(user=partner_full).update(revoked_at=timezone.now())
    assert (
        login_client(partner_full)
        .get(reverse("web:messages", args=[tenant.slug, partner_firm.pk]))
        .status_code
        == 404
    )


def test_notification_is_delivered_over_real_smtp(
    smtp, tenant, owner, employee, partner_full, partner_firm, django_capture_on_commit_callbacks
):
    # given a real SMTP server; when the customer writes in their channel
    key = f"m{membership_of(tenant, employee).pk}"
    with django_capture_on_commit_callbacks(execute=True):
        _post(employee, tenant, partner_firm, key, "Kan ni titta på mitt kvitto?")
    # then the firm's FULL partner got the e-mail through the task queue and SMTP
    assert smtp.recipients == [partner_full.email]
    assert "Kan ni titta p" in smtp.received[0][2]
    # and the firm's answer in the general channel reaches the Pro company's TOTAL users only
    with django_capture_on_commit_callbacks(execute=True):
        _post(partner_full, tenant, partner_firm, "general", "Påminnelse: bokslut")
    assert sorted(smtp.recipients) == sorted([partner_full.email, owner.email])


def test_the_page_for_both_sides(tenant, employee, partner_full, partner_firm):
    key = f"m{membership_of(tenant, employee).pk}"
    customer, firm = login_client(employee), login_client(partner_full)
    url = reverse("web:messages", args=[tenant.slug, partner_firm.pk]) + f"?channel={key}"
    response = customer.post(
        reverse("web:messages_post", args=[tenant.slug, partner_firm.pk]),
        {"channel": key, "body": "Hej byrån", "files": [pdf()]},
    )
    assert response.status_code == 302
    page = firm.get(url).content.decode()
    assert "Hej byrån" in page and "avtal.pdf" in page
    # the thread alone, as htmx polls it
    thread = firm.get(reverse("web:messages_thread", args=[tenant.slug, partner_firm.pk]) + f"?channel={key}")
    assert "Hej byrån" in thread.content.decode() and "<html" not in thread.content.decode()
    assert (
        firm.post(
            reverse("web:messages_read", args=[tenant.slug, partner_firm.pk]), {"channel": key}
        ).status_code
        == 204
    )
    with tenant_scope(tenant.pk):
        attachment_id = Message.objects.get().attachments.get().pk
    download = firm.get(reverse("web:messages_attachment", args=[tenant.slug, attachment_id]))
    assert b"".join(download.streaming_content) == PDF
    # the portal tab opens the messages
    tab = firm.get(reverse("web:portal_customer_tab", args=[tenant.slug, "messages"]))
    assert tab.status_code == 302 and tab["Location"].endswith(f"/messages/{partner_firm.pk}/")


@pytest.mark.parametrize("who", ["stranger", "attestant"])
def test_others_cannot_read_a_channel_or_its_attachment(
    request, tenant, employee, partner_full, partner_firm, who
):
    key = f"m{membership_of(tenant, employee).pk}"
    _post(employee, tenant, partner_firm, key, "privat", files=[pdf()])
    with tenant_scope(tenant.pk):
        attachment_id = Message.objects.get().attachments.get().pk
    client = login_client(request.getfixturevalue(who))
    url = reverse("web:messages", args=[tenant.slug, partner_firm.pk]) + f"?channel={key}"
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("web:messages_attachment", args=[tenant.slug, attachment_id])).status_code == 404
    )
    response = client.post(
        reverse("web:messages_post", args=[tenant.slug, partner_firm.pk]), {"channel": key, "body": "x"}
    )
    assert response.status_code == 404
    with tenant_scope(tenant.pk):
        assert Message.objects.count() == 1


def test_the_channel_page_has_a_constant_query_count(tenant, employee, partner_full, partner_firm):
    key = f"m{membership_of(tenant, employee).pk}"
    url = reverse("web:messages", args=[tenant.slug, partner_firm.pk]) + f"?channel={key}"
    client = login_client(partner_full)
    _post(employee, tenant, partner_firm, key, "1", files=[pdf()])
    _post(employee, tenant, partner_firm, key, "2")
    few, _ = count_queries(lambda: client.get(url))
    for i in range(28):
        _post(employee, tenant, partner_firm, key, f"m{i}", files=[pdf()])
    many, response = count_queries(lambda: client.get(url))
    assert response.content.count(b"data-message=") == 30
    assert few == many


def test_the_api_for_both_sides(tenant, employee, partner_full, partner_firm, stranger):
    from verksam.tenancy.tests.fixtures import api_client

    key = f"m{membership_of(tenant, employee).pk}"
    base = f"/api/v1/tenants/{tenant.pk}/message-collaborations/{partner_firm.pk}/channels"
    customer, firm = api_client(employee), api_client(partner_full)
    answer = customer.post(f"{base}/{key}/messages", {"body": "Hej", "files": [pdf()]})
    assert answer.status_code == 201, answer.content
    first = answer.json()["id"]
    assert answer.json()["attachments"][0]["name"] == "avtal.pdf"
    channels = {c["key"]: c["unread"] for c in firm.get(base).json()}
    assert channels[key] == 1 and "general" in channels
    assert [m["body"] for m in firm.get(f"{base}/{key}/messages").json()] == ["Hej"]
    assert firm.post(f"{base}/{key}/read").status_code == 204
    assert {c["key"]: c["unread"] for c in firm.get(base).json()}[key] == 0
    firm.post(f"{base}/{key}/messages", {"body": "Svar"})
    assert [m["body"] for m in customer.get(f"{base}/{key}/messages?after_id={first}").json()] == ["Svar"]
    attachment = answer.json()["attachments"][0]["id"]
    download = firm.get(f"/api/v1/tenants/{tenant.pk}/message-attachments/{attachment}")
    assert b"".join(download.streaming_content) == PDF
    # the customer may not write in the general channel of a Pro company; strangers see nothing
    assert customer.post(f"{base}/general/messages", {"body": "x"}).status_code == 404
    other = api_client(stranger)
    assert other.get(base).status_code == 404
    assert other.get(f"/api/v1/tenants/{tenant.pk}/message-attachments/{attachment}").status_code == 404
    assert customer.post(f"{base}/{key}/messages", {"body": ""}).json()["code"] == "empty_message"


def test_each_person_may_turn_message_mail_off(
    tenant, owner, employee, partner_full, partner_firm, django_capture_on_commit_callbacks
):
    from django.core import mail

    from verksam.tenancy.tests.fixtures import api_client

    base = f"/api/v1/tenants/{tenant.pk}/message-collaborations/{partner_firm.pk}/notifications"
    answer = api_client(partner_full).put(base, {"email_on_message": False}, content_type="application/json")
    assert answer.json() == {"email_on_message": False}
    with django_capture_on_commit_callbacks(execute=True):
        _post(employee, tenant, partner_firm, f"m{membership_of(tenant, employee).pk}", "Hej")
    assert mail.outbox == []
    # the page's checkbox turns it on again
    response = login_client(partner_full).post(
        reverse("web:messages_notifications", args=[tenant.slug, partner_firm.pk]), {"email_on_message": "on"}
    )
    assert response.status_code == 302
    assert api_client(partner_full).get(base).json() == {"email_on_message": True}
