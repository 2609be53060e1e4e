"""Seed the licence price list (SEK per user and month, excl. VAT). Later price changes are new rows
with a later valid_from, never edits of these."""

import datetime as dt

from django.db import migrations

PRICES_ORE = {"LIGHT": 9900, "BASIC": 19900, "STANDARD": 29900, "TOTAL": 39900}
VALID_FROM = dt.date(2025, 1, 1)


def seed(apps, schema_editor):
    LicencePrice = apps.get_model("billing", "LicencePrice")
    for licence, ore in PRICES_ORE.items():
        LicencePrice.objects.get_or_create(licence=licence, valid_from=VALID_FROM, defaults={"monthly_ore": ore})


def unseed(apps, schema_editor):
    LicencePrice = apps.get_model("billing", "LicencePrice")
    LicencePrice.objects.filter(valid_from=VALID_FROM, licence__in=list(PRICES_ORE)).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
