"""Data for the HTTP bench (bench/over_http.py), run inside the server's own settings after `seed_demo`:

    manage.py shell --no-imports -c "from bench.http_setup import main; main()"

Prints one JSON object: the API token of a demo employee with the demo's largest company, the project
and the week to use, session cookies for the pages, and the 200-employee bench company. `tokens` holds
one API token for each active person of that company (the first is the employee's): the create bench
with 8 clients is 8 people's phones, each reporting their own time (bench/wrk/post_entry.lua).

The create and batch benches write thousands of entries, four a day (eight a day for the batch), on
days from 2000 onwards that the demo never touches. The demo's projects start a few months ago
(`verksam.demo.time_seed`), and work before a project's start date is refused (issue 8 item 5), so
those writes go to a project of their own: open-ended, time and materials (so the invoiceable default
is worked out), with the employee assigned as on any project a LIGHT user reports on. Every rule of a
real create still runs; the bench only has to pick days the rules accept.
"""

import datetime as dt
import json

N_EMPLOYEES = 200
PERIOD = "2026-10"  # the bench company's month (bench/timereporting.py builds it)


def _session(user) -> str:
    """A logged-in session for `user`, as the login form creates it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key or ""


def main() -> None:
    from django.contrib.auth import get_user_model

    from bench.timereporting import _company
    from verksam.accounts.services import api_token_create
    from verksam.core.timeutil import today
    from verksam.projects import services as project_services
    from verksam.projects.models import PricingType, Project
    from verksam.tenancy.access import resolve
    from verksam.tenancy.models import Membership, Tenant
    from verksam.tenancy.scope import tenant_scope
    from verksam.timereporting.models import TimeEntry

    users = get_user_model().objects
    bygg = Tenant.objects.get(slug="byggmastarna")  # the demo's largest company (8 people)
    employee = users.get(email="gustav@byggmastarna.test")  # LIGHT, assigned to 1001 and 1002
    owner = users.get(email="agnes@byggmastarna.test")  # TOTAL: every page
    _t, secret = api_token_create(user=employee, name="bench")
    last_monday = today() - dt.timedelta(days=today().weekday() + 7)
    with tenant_scope(bygg.pk):
        actor = resolve(owner, bygg)
        member = Membership.objects.get(user=employee)
        project = project_services.project_create(
            actor=actor,
            name="Mätprojekt (prestandatest)",
            number="9100",
            customer_name="Familjen Sundberg",
            pricing_type=PricingType.TIME_AND_MATERIALS,
            hourly_rate_ore=59_500,
        )
        project_services.project_member_add(actor=actor, project=project, membership=member)
        tokens = [secret]
        for other in (
            Membership.objects.filter(is_active=True)
            .exclude(pk=member.pk)
            .select_related("user")
            .order_by("pk")
        ):
            project_services.project_member_add(actor=actor, project=project, membership=other)
            tokens.append(api_token_create(user=other.user, name="bench")[1])
        assert Project.objects.filter(pk=project.pk, start_date__isnull=True).exists()
        week_entries = TimeEntry.objects.filter(
            membership=member, date__gte=last_monday, date__lte=last_monday + dt.timedelta(days=6)
        ).count()
    big, boss, n_entries = _company(N_EMPLOYEES, "bench200")
    worker = users.get(email="e0@bench200.test")
    iso = last_monday.isocalendar()
    print(
        json.dumps(
            {
                "tenant_id": bygg.pk,
                "slug": bygg.slug,
                "token": secret,
                "tokens": tokens,
                "project_id": project.pk,
                "week_from": last_monday.isoformat(),
                "week_to": (last_monday + dt.timedelta(days=6)).isoformat(),
                "week_key": f"{iso[0]}-W{iso[1]:02d}",
                "week_entries": week_entries,
                "owner_session": _session(owner),
                "employee_session": _session(employee),
                "big_slug": big.slug,
                "big_entries": n_entries,
                "big_boss_session": _session(boss),
                "big_worker_session": _session(worker),
                "big_period": PERIOD,
                "big_week_key": "2026-W42",
            }
        )
    )
