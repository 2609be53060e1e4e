"""Idempotency records become tenant-owned (issue 7 item 4): scoped to user and tenant, protected by
row-level security, and claimed before the request runs.

The old table held replay answers keyed by user alone, with no tenant to place them under; they are
a 24-hour retry cache, so the migration drops them instead of guessing a tenant. A client retrying
across the upgrade runs its request once more, exactly as after the keys' expiry."""

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("tenancy", "0002_membership_work_day_minutes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name="IdempotencyRecord"),
        migrations.CreateModel(
            name="IdempotencyRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=255)),
                ("fingerprint", models.CharField(max_length=64)),
                ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("content_type", models.CharField(blank=True, default="", max_length=100)),
                ("body", models.BinaryField(default=b"")),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("completed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "tenant",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tenancy.tenant",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tenant", "user", "key"), name="api_idempotencyrecord_tenant_user_key"
                    )
                ],
            },
            managers=[("all_tenants", django.db.models.manager.Manager())],
        ),
    ]
