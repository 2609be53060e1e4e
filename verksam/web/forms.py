"""Form base classes shared by every module."""

from django import forms

from verksam.tenancy.models import TenantOwned


class TenantFormMixin:
    """Narrow every choice field over a tenant-owned model to the tenant in scope (DESIGN.md rule 9)."""

    def narrow_tenant_choices(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, TenantOwned):
                field.queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))


class TenantForm(TenantFormMixin, forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.narrow_tenant_choices()


class TenantModelForm(TenantFormMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.narrow_tenant_choices()
