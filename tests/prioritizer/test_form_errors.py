"""add_service_errors / add_service_messages: a service's ValidationError shown on the page."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from prioritizer.form_errors import add_service_errors, add_service_messages


class QuotaForm(forms.Form):
    quota = forms.IntegerField()


def bound_form() -> QuotaForm:
    form = QuotaForm({"quota": "3"})
    assert form.is_valid()
    return form


def test_an_error_naming_a_field_of_the_form_goes_on_that_field():
    form = bound_form()
    add_service_errors(form, ValidationError({"quota": "Too many."}))
    assert (form.errors["quota"], form.non_field_errors()) == (["Too many."], [])


def test_an_error_naming_a_field_the_form_lacks_goes_above_the_form():
    form = bound_form()
    add_service_errors(form, ValidationError({"segment": "Not yours."}))
    assert form.non_field_errors() == ["Not yours."]


def test_an_error_without_a_field_goes_above_the_form():
    form = bound_form()
    add_service_errors(form, ValidationError(["First.", "Second."]))
    assert form.non_field_errors() == ["First.", "Second."]


def test_without_a_form_each_message_becomes_an_error_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    add_service_messages(request, ValidationError({"quota": "Too many.", "year": "Closed."}))
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("danger", "Too many."),  # Bootstrap's name for the error colour
        ("danger", "Closed."),
    ]
