"""The firm's badges "Kortköp ej bokförda" and "Utlägg ej bokförda" on Mina samarbeten (issue 10
item 9): attested card purchases / outlays not yet booked, per customer, counted by cards and
bookkeeping through settings.PARTNER_BADGE_COUNTERS (partners never imports cards), linked to the
customer's tab, hidden from a grant that cannot open it, and a constant number of queries for 300
customers."""

import datetime as dt
import itertools

from django.urls import reverse
from django.utils import timezone

from verksam.bookkeeping import outlays
from verksam.cards.models import Card, CardPurchase, PurchaseStatus
from verksam.expenses.models import Expense, ExpenseType, Status
from verksam.partners import selectors
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Licence, PartnerLevel
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, PartnerGrantFactory, TenantFactory
from verksam.tenancy.tests.fixtures import api_client, login_client
from verksam.tenancy.tests.helpers import count_queries

_n = itertools.count(1)
DAY = timezone.localdate() - dt.timedelta(days=10)


def _purchases(tenant, statuses) -> None:
    holder = MembershipFactory(tenant=tenant, licence=Licence.BASIC)
    with tenant_scope(tenant.pk):  # PostgreSQL's row-level security: rows are written in their scope
        card = Card.objects.create(tenant=tenant, holder=holder, last_four=f"{next(_n) % 10000:04d}")
        CardPurchase.objects.bulk_create(
            CardPurchase(
                tenant=tenant, card=card, status=s, purchase_date=DAY, amount_ore=12500, merchant="Preem"
            )
            for s in statuses
        )


def _expenses(tenant, statuses) -> list[Expense]:
    member = MembershipFactory(tenant=tenant, licence=Licence.BASIC)
    with tenant_scope(tenant.pk):
        return _expenses_in_scope(tenant, member, statuses)


def _expenses_in_scope(tenant, member, statuses) -> list[Expense]:
    kind = ExpenseType.objects.create(tenant=tenant, name=f"Drivmedel {next(_n)}", account="5611")
    return [
        Expense.objects.create(
            tenant=tenant,
            membership=member,
            expense_type=kind,
            status=s,
            purchase_date=DAY,
            amount_ore=12500,
            vat_25_ore=2500,
        )
        for s in statuses
    ]


def _customer(firm, user, level=PartnerLevel.FULL, *, attested=2):
    customer = TenantFactory(name=f"Kund {next(_n)} AB")
    MembershipFactory(tenant=customer, licence=Licence.TOTAL)
    PartnerGrantFactory(tenant=customer, partner_tenant=firm, user=user, level=level)
    _purchases(customer, [PurchaseStatus.ATTESTED] * attested + [PurchaseStatus.BOOKED, PurchaseStatus.OPEN])
    return customer


def test_the_badge_counts_attested_card_purchases_not_booked_and_links_the_tab(
    tenant, partner_full, partner_firm
):
    _purchases(
        tenant,
        [
            PurchaseStatus.ATTESTED,
            PurchaseStatus.ATTESTED,
            PurchaseStatus.ATTESTED,
            PurchaseStatus.SUBMITTED,
            PurchaseStatus.BOOKED,
            PurchaseStatus.MERGED,
        ],
    )
    [row] = selectors.collaboration_list(actor=resolve(partner_full, partner_firm))
    assert row.badges["card_purchases"] == 3
    link = row.links["card_purchases"]
    assert link.startswith(reverse("web:cards_portal", args=[tenant.slug]) + "?start=")
    # the link opens the customer's tab Inköp företagskort, showing what the badge counted
    page = login_client(partner_full).get(link)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="attested"') == 4  # the 3 to book and the booked one
    html = login_client(partner_full).get(reverse("web:portal", args=[partner_firm.slug])).content.decode()
    assert f'href="{link.replace("&", "&amp;")}" data-badge-link="card_purchases"' in html
    answer = api_client(partner_full).get(f"/api/v1/tenants/{partner_firm.pk}/collaborations").json()
    assert answer["items"][0]["badges"]["card_purchases"] == 3
    assert ("card_purchases", "Kortköp ej bokförda", True) in [
        (k, str(label), built) for k, label, built in selectors.badge_labels()
    ]


def test_the_outlay_badge_counts_attested_outlays_without_a_standing_voucher(
    tenant, owner, partner_full, partner_firm
):
    booked, *_ = _expenses(tenant, [Status.ATTESTED, Status.ATTESTED, Status.SUBMITTED])
    with tenant_scope(tenant.pk):
        outlays.outlay_book(actor=resolve(owner, tenant), expense_id=booked.pk)
    [row] = selectors.collaboration_list(actor=resolve(partner_full, partner_firm))
    assert row.badges["expenses"] == 1
    assert row.links["expenses"] == reverse("web:bookkeeping_private_outlays", args=[tenant.slug])


def test_a_limited_partner_sees_the_badge_a_stranger_firm_sees_nothing(
    tenant, partner_limited, partner_firm, other_tenant
):
    # EXPENSES_VIEW_ALL is in LIMITED's allow-list (DOMAIN.md "begränsad": receipts and expenses)
    _purchases(tenant, [PurchaseStatus.ATTESTED])
    _purchases(other_tenant, [PurchaseStatus.ATTESTED] * 5)  # no grant: never counted
    [row] = selectors.collaboration_list(actor=resolve(partner_limited, partner_firm))
    assert row.customer == tenant and row.badges["card_purchases"] == 1


def test_the_counter_is_named_in_settings_not_imported(settings):
    import ast
    from pathlib import Path

    source = Path(selectors.__file__).read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(m.startswith("verksam.cards") for m in imported)
    assert settings.PARTNER_BADGE_COUNTERS["card_purchases"] == "verksam.cards.badges.unbooked_counts"
    settings.PARTNER_BADGE_COUNTERS = {}
    assert selectors.BADGE_SOURCES["card_purchases"].counter() is None


def test_mina_samarbeten_costs_the_same_queries_for_2_and_300_customers(partner_full, partner_firm):
    client = login_client(partner_full)
    url = reverse("web:portal", args=[partner_firm.slug])
    for _ in range(2):
        _customer(partner_firm, partner_full)
    client.get(url)
    few, response = count_queries(lambda: client.get(url + "?sort=attention"))
    assert response.status_code == 200
    for _ in range(298):
        _customer(partner_firm, partner_full, attested=1)
    many, response = count_queries(lambda: client.get(url + "?sort=attention"))
    assert response.status_code == 200
    rows = selectors.collaboration_list(actor=resolve(partner_full, partner_firm))
    assert len(rows) == 301 and sum(r.badges["card_purchases"] for r in rows) == 2 * 2 + 298
    assert many == few
    inbox_few = count_queries(lambda: selectors.inbox_list(actor=resolve(partner_full, partner_firm)))[0]
    assert inbox_few <= many
