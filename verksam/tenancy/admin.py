# Only the tenant register is in the Django admin. Tenant-owned rows are managed through the product
# UI, where the tenant scope and row-level security apply (DESIGN.md rules 4 and 10).
from django.contrib import admin

from .models import Tenant


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "orgnr", "slug", "variant", "craftsman_mode", "created_at"]
    search_fields = ["name", "orgnr", "slug"]
    list_filter = ["variant"]
