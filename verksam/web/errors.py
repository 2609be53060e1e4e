"""Map domain errors onto forms so the page re-renders with a Swedish message and status 422."""

from django import forms
from django.core.exceptions import ValidationError

from verksam.core.errors import DomainError


def add_error(form: forms.BaseForm, exc: DomainError | ValidationError) -> None:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    target = exc.extra.get("field")
    form.add_error(target if target in form.fields else None, exc.message)
