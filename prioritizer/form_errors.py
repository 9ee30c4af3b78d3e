"""A service's ValidationError, shown where the page can show it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, else above the form (Django's add_error would raise for an unknown field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def add_service_messages(request, error: ValidationError) -> None:
    """For a page without a form to show it on: each message as an error message."""
    for message in error.messages:
        messages.error(request, message)
