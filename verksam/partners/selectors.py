"""Reads of the accounting firm's portal (Partnerportalen): Mina samarbeten and its badges.

DESIGN.md rule 6: the one place where rows of many customer tenants are read together, through
`for_tenants(ids)`, and only for ids taken from the active grants the firm's people hold. Every read
runs inside a scope of exactly those tenants, so PostgreSQL's row-level security agrees (rule 10).
"""

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from verksam.core import timeutil
from verksam.documents.models import Document
from verksam.messaging.models import Message, ReadMark
from verksam.tenancy.access import Actor, partner_level_allows
from verksam.tenancy.models import Membership, PartnerGrant, PartnerLevel, Tenant, Variant
from verksam.tenancy.permissions import Perm
from verksam.tenancy.scope import tenant_scope, user_scope
from verksam.timereporting.models import DayLock, DayStatus, TimeEntry

# --- badges: one source per feature, one query per source however many customers ------------------

BadgeCounter = Callable[[list[int], int, int], dict[int, int]]


@dataclass(frozen=True)
class BadgeSource:
    """An attention badge on Mina samarbeten. `count(customer_ids, firm_id, user_id)` answers {customer_id: n}
    in one query; None while the feature that owns the badge is not built (the badge shows 0)."""

    key: str
    label: str | Promise
    count: BadgeCounter | None = None
    perm: Perm | None = None  # what a partner's grant must allow for the badge to concern them
    url_name: str = ""  # where to act: a page of the customer's account taking (slug, firm_id) or (slug)
    url_takes_firm: bool = False
    url_query: Callable[[], str] | None = None  # the query string the page needs to show what is counted

    def counter(self) -> BadgeCounter | None:
        """`count`, or the counter a feature above partners names in settings.PARTNER_BADGE_COUNTERS
        (DESIGN.md layers: partners never imports it; cards, for one, sits above)."""
        if self.count is not None:
            return self.count
        path = settings.PARTNER_BADGE_COUNTERS.get(self.key)
        return import_string(path) if path else None

    def url(self, customer_slug: str, firm_id: int) -> str:
        """Where to act at `customer_slug`; "" when the badge has no page."""
        if not self.url_name:
            return ""
        args = [customer_slug, firm_id] if self.url_takes_firm else [customer_slug]
        query = self.url_query() if self.url_query else ""
        return reverse(self.url_name, args=args) + (f"?{query}" if query else "")


def _time_unattested(customer_ids: list[int], firm_id: int, user_id: int) -> dict[int, int]:
    # Days up to today with time nobody has attested yet: reported but not locked, or locked (sent
    # for attestation, with time or confirmed "inget att rapportera") and waiting. All of it must be
    # attested before the payroll cut-off (DOMAIN.md "låsa / attestera", issue 11 item 1). Two
    # aggregate queries whatever the number of customers.
    today = timeutil.today()
    attested = DayLock.objects.for_tenants(customer_ids).filter(
        membership_id=OuterRef("membership_id"), date=OuterRef("date"), status=DayStatus.ATTESTED
    )
    reported = (
        TimeEntry.objects.for_tenants(customer_ids)
        .filter(date__lte=today)
        .exclude(Exists(attested))
        .values("tenant_id", "membership_id")
        .annotate(n=Count("date", distinct=True))
        .values_list("tenant_id", "n")
    )
    counts: dict[int, int] = {}
    for tenant_id, n in reported:
        counts[tenant_id] = counts.get(tenant_id, 0) + n
    entries = TimeEntry.objects.for_tenants(customer_ids).filter(
        membership_id=OuterRef("membership_id"), date=OuterRef("date")
    )
    locked_empty = (
        DayLock.objects.for_tenants(customer_ids)
        .filter(status=DayStatus.LOCKED, date__lte=today)
        .exclude(Exists(entries))
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values_list("tenant_id", "n")
    )
    for tenant_id, n in locked_empty:
        counts[tenant_id] = counts.get(tenant_id, 0) + n
    return counts


def _documents_new(customer_ids: list[int], firm_id: int, user_id: int) -> dict[int, int]:
    # Files the customer uploaded (or replaced with a new version) that no one of the firm has opened.
    rows = (
        Document.objects.for_tenants(customer_ids)
        .filter(partner_tenant_id=firm_id, deleted_at__isnull=True, partner_seen_at__isnull=True)
        .values("tenant_id")
        .annotate(n=Count("pk"))
    )
    return {r["tenant_id"]: r["n"] for r in rows}


def _messages_unread(customer_ids: list[int], firm_id: int, user_id: int) -> dict[int, int]:
    # Messages from the customers in the firm's channels that this person has not read (their read
    # marks): what the messaging feature counts as unread, over every customer in one query.
    mark = ReadMark.objects.for_tenants(customer_ids).filter(channel=OuterRef("channel"), user_id=user_id)
    rows = (
        Message.objects.for_tenants(customer_ids)
        .filter(channel__partner_tenant_id=firm_id, from_firm=False)
        .annotate(mark=Subquery(mark.values("last_read_at")[:1]))
        .filter(Q(mark__isnull=True) | Q(created_at__gt=F("mark")))
        .values("tenant_id")
        .annotate(n=Count("pk"))
    )
    return {r["tenant_id"]: r["n"] for r in rows}


def _last_year() -> str:
    # the tab Inköp företagskort shows a chosen period of at most a year: the badge opens the last one
    today = timeutil.today()
    return f"start={today - dt.timedelta(days=365):%Y-%m-%d}&end={today:%Y-%m-%d}"


# The badge order is the column order of Mina samarbeten. A feature that lands fills its `count`
# here (each feature registers its own source: `badge_source_register`).
BADGE_SOURCES: dict[str, BadgeSource] = {
    s.key: s
    for s in [
        BadgeSource(
            "messages", _("Unread messages"), _messages_unread, Perm.MESSAGES_PARTNER, "web:messages", True
        ),
        BadgeSource(
            "documents",
            _("New documents"),
            _documents_new,
            Perm.DOCUMENTS_SHARE,
            "web:documents_browse",
            True,
        ),
        BadgeSource(
            "time", _("Time waiting for attestation"), _time_unattested, Perm.TIME_ATTEST, "web:attest_queue"
        ),
        BadgeSource("payroll", _("Payroll basis ready"), perm=Perm.PAYROLL_VIEW),
        # counted by bookkeeping and cards (settings.PARTNER_BADGE_COUNTERS)
        BadgeSource(
            "expenses",
            _("Expenses not booked"),
            perm=Perm.EXPENSES_VIEW_ALL,
            url_name="web:bookkeeping_private_outlays",
        ),
        BadgeSource(
            "card_purchases",
            _("Card purchases not booked"),
            perm=Perm.EXPENSES_VIEW_ALL,
            url_name="web:cards_portal",
            url_query=_last_year,
        ),
    ]
}


def badge_source_register(source: BadgeSource) -> None:
    """Let a feature supply its badge and inbox line (replaces the placeholder of the same key)."""
    BADGE_SOURCES[source.key] = source


def _badge_counts(customer_ids: list[int], firm_id: int, user_id: int) -> dict[str, dict[int, int]]:
    if not customer_ids:
        return {key: {} for key in BADGE_SOURCES}
    counters = {key: source.counter() for key, source in BADGE_SOURCES.items()}
    with tenant_scope(firm_id, *customer_ids):
        return {
            key: (count(customer_ids, firm_id, user_id) if count else {}) for key, count in counters.items()
        }


# --- Mina samarbeten -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """One person of the firm and their level at a customer."""

    user_id: int
    name: str
    level: str

    @property
    def level_label(self) -> str:
        return str(PartnerLevel(self.level).label)


@dataclass
class Collaboration:
    """A customer the firm works with, as one row of Mina samarbeten."""

    customer: Tenant
    level: str  # this user's level; "" when they hold no grant (the firm's overview)
    badges: dict[str, int] = field(default_factory=dict)
    people: list[Access] = field(default_factory=list)  # filled in the firm's overview
    links: dict[str, str] = field(default_factory=dict)  # badge key -> where to act (grant holders only)

    @property
    def badge_cells(self) -> list[tuple[str, int, str, str | Promise]]:
        """(key, count, link or "", label) per badge, in column order."""
        return [(key, n, self.links.get(key, ""), BADGE_SOURCES[key].label) for key, n in self.badges.items()]

    @property
    def attention(self) -> int:
        return sum(self.badges.values())

    @property
    def level_label(self) -> str:
        return str(PartnerLevel(self.level).label) if self.level else ""


SORTS: dict[str, Callable[[Collaboration], Any]] = {
    "name": lambda c: c.customer.name.casefold(),
    "orgnr": lambda c: c.customer.orgnr,
    "attention": lambda c: (-c.attention, c.customer.name.casefold()),
    "created": lambda c: c.customer.created_at,
}


def firm_of(actor: Actor) -> Tenant | None:
    """The accounting firm `actor` works for in its own account, or None (not a firm's member)."""
    if actor.is_partner or actor.membership is None or actor.tenant.variant != Variant.PARTNER:
        return None
    return actor.tenant


def _grants(firm_id: int, user_id: int | None):
    # The firm's active grants whose holder is still an active member of the firm (rule 7: access
    # ends with the person's membership, as in tenancy.access.resolve). `user_id` narrows to one person.
    with tenant_scope(firm_id), user_scope(user_id) if user_id else nullcontext():
        qs = PartnerGrant.all_tenants.filter(
            partner_tenant_id=firm_id,
            revoked_at__isnull=True,
            user__memberships__tenant_id=F("partner_tenant_id"),
            user__memberships__is_active=True,
        )
        if user_id is not None:
            qs = qs.filter(user_id=user_id)
        return list(qs.select_related("tenant", "user").order_by("tenant__name", "user__name"))


def collaboration_list(
    *, actor: Actor, query: str = "", sort: str = "name", whole_firm: bool = False
) -> list[Collaboration]:
    """Mina samarbeten: the customers `actor` has access to (or, for the firm's administrators with
    `whole_firm`, every customer of the firm and who has which access), with their badges. A
    constant number of queries however many customers."""
    firm = firm_of(actor)
    if firm is None:
        return []
    whole_firm = whole_firm and actor.has(Perm.COLLABORATIONS_VIEW_ALL)
    grants = _grants(firm.pk, None if whole_firm else actor.user.pk)
    query = query.strip().casefold()
    by_customer: dict[int, Collaboration] = {}
    for grant in grants:
        customer = grant.tenant
        if query and query not in customer.name.casefold() and query.replace("-", "") not in customer.orgnr:
            continue
        row = by_customer.get(customer.pk)
        if row is None:
            row = by_customer[customer.pk] = Collaboration(customer=customer, level="")
        if grant.user_id == actor.user.pk:
            row.level = grant.level
        if whole_firm:
            row.people.append(Access(user_id=grant.user_id, name=grant.user.name, level=grant.level))
    counts = _badge_counts(list(by_customer), firm.pk, actor.user.pk)
    for customer_id, row in by_customer.items():
        # a badge counts only what this person's grant lets them act on (a LIMITED partner has no
        # documents or messages); in the firm's overview, rows without a grant of mine show all
        row.badges = {key: per_customer.get(customer_id, 0) for key, per_customer in counts.items()}
        if row.level:
            for key, source in BADGE_SOURCES.items():
                if source.perm is not None and not partner_level_allows(row.level, source.perm):
                    row.badges[key] = 0
                elif row.badges[key]:
                    row.links[key] = source.url(row.customer.slug, firm.pk)
    return sorted(by_customer.values(), key=SORTS.get(sort, SORTS["name"]))


def collaboration_firm_ids(customer_id: int) -> list[int]:
    """The accounting firms that work with customer `customer_id` (in scope): one per firm with an
    active grant, for the customer's side of documents and messages."""
    return list(
        PartnerGrant.objects.filter(tenant_id=customer_id, revoked_at__isnull=True)
        .values_list("partner_tenant_id", flat=True)
        .distinct()
        .order_by("partner_tenant_id")
    )


def firm_member_count(firm_id: int) -> int:
    with tenant_scope(firm_id):
        return Membership.objects.filter(is_active=True).count()


def badge_labels() -> list[tuple[str, str | Promise, bool]]:
    """(key, label, built) of each badge in column order."""
    return [(s.key, s.label, s.counter() is not None) for s in BADGE_SOURCES.values()]


# --- the exceptions inbox -------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxLine:
    """One thing to act on at one customer, with the page where to act."""

    customer: Tenant
    key: str
    label: str | Promise
    count: int
    url: str


def inbox_list(*, actor: Actor) -> list[InboxLine]:
    """What needs action across every customer of `actor` (their own grants), most first: one line
    per customer and feature with something waiting. A feature shows up here once it registers its
    badge source with a count; the queries are those of Mina samarbeten (constant)."""
    lines = []
    for row in collaboration_list(actor=actor, sort="attention"):
        for key, count in row.badges.items():
            source = BADGE_SOURCES[key]
            if not count or not source.url_name:
                continue
            url = source.url(row.customer.slug, actor.tenant_id)
            lines.append(InboxLine(row.customer, key, source.label, count, url))
    return lines


# --- the customer view inside the portal -----------------------------------------------------------


@dataclass(frozen=True)
class PortalTab:
    """A tab of the customer view. `built` is False while the feature it shows does not exist."""

    key: str
    label: str | Promise
    perm: Perm
    built: bool
    pending: str | Promise = ""  # what the tab says while not built


PORTAL_TABS: list[PortalTab] = [
    PortalTab("documents", _("Documents"), Perm.DOCUMENTS_SHARE, built=True),
    PortalTab("messages", _("Messages"), Perm.MESSAGES_PARTNER, built=True),
    PortalTab("payroll", _("Payroll basis"), Perm.PAYROLL_VIEW, built=True),
    PortalTab("expenses", _("Private expenses"), Perm.EXPENSES_VIEW_ALL, built=True),
    PortalTab("card_purchases", _("Company card purchases"), Perm.EXPENSES_VIEW_ALL, built=True),
    PortalTab(
        "esign",
        _("E-signing"),
        Perm.DOCUMENTS_SHARE,
        built=False,
        pending=_("E-signing of documents is not built yet."),
    ),
]


def portal_tabs(actor: Actor) -> list[PortalTab]:
    """The tabs of the customer view `actor` (a partner in the customer's account) may open: a
    LIMITED partner only what DOMAIN.md lists for "begränsad" (payroll basis, expenses, purchases)."""
    return [tab for tab in PORTAL_TABS if actor.has(tab.perm)]


def portal_may_log_in(actor: Actor) -> bool:
    """ "Logga in hos kunden": only with full access (DOMAIN.md "fullständig")."""
    return actor.is_partner and actor.partner_level == PartnerLevel.FULL
