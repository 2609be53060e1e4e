"""The audit log reads Swedish all the way (issue 12 item 3): stored codes in words, people by name
(not ids), only the fields that changed, and no data key left in English."""

import re

from django.utils import translation

from verksam.projects import services as projects
from verksam.projects.models import PricingType
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.fixtures import login_client


def _log(tenant, owner) -> str:
    response = login_client(owner).get(f"/t/{tenant.slug}/audit/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    return response.content.decode()


def test_codes_read_as_words_people_by_name_and_only_changes(tenant, owner, attestant):
    with tenant_scope(tenant.pk):
        actor = resolve(owner, tenant)
        manager = Membership.objects.get(user=attestant)
        project = projects.project_create(
            actor=actor, name="Villa Åkesson", pricing_type=PricingType.FIXED_PRICE, fixed_price_ore=5_000_000
        )
        projects.project_update(actor=actor, project=project, manager=manager)
    page = _log(tenant, owner)
    with translation.override("sv"):
        assert str(PricingType.FIXED_PRICE.label) in page
    assert "fixed_price" not in page
    assert "Åsa Attest" in page  # the manager by name …
    assert not re.search(r"<dd>\s*\d+\s*</dd>\s*</dl>", page)  # … not as an id
    # only the changed field of the update: the manager, not the unchanged name or price again
    update = page[page.index("Projekt ändrat") :].split("</tr>")[0]
    assert "Åsa Attest" in update and "Villa Åkesson" not in update.split("</td>", 3)[-1]


def test_no_data_key_shows_in_english(tenant, owner, attestant):
    with tenant_scope(tenant.pk):
        actor = resolve(owner, tenant)
        project = projects.project_create(
            actor=actor, name="Garage", pricing_type=PricingType.TIME_AND_MATERIALS
        )
        projects.project_member_add(
            actor=actor, project=project, membership=Membership.objects.get(user=attestant)
        )
    page = _log(tenant, owner)
    for english in ("membership_id", "pricing_type", "manager", "customer_name", "time_materials"):
        assert english not in page
