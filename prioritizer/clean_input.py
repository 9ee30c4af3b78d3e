"""One mixin per kind of input, so every field of every form and serializer is guarded alike.

- Text (every CharField, so also e-mail, URL and slug fields): control characters are refused
  (prioritizer.text); a field shown as a textarea is multi-line and may hold tabs and line
  breaks.
- Amounts (DecimalFields that could hold more than 13 digits before the point) and counts
  (IntegerFields) keep to prioritizer.bounds on both databases; a model form's integers keep
  to their model field's portable range (PostgreSQL's: SQLite would store more).

Forms: put `CleanInputMixin` first in the bases. The fields are guarded when the form is
cleaned, so fields a form's __init__ adds are guarded too. Serializers:
`CleanInputSerializerMixin`, naming its multi-line fields in `multiline_fields`.
"""

from __future__ import annotations

import functools

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from rest_framework import serializers

from prioritizer import bounds, text


def _count_within(maximum: int, value) -> None:
    if value is not None and (problem := bounds.count_problem(int(value), maximum)):
        raise ValidationError(problem, code="count_too_large")


def _text_validators(validators: list, multiline: bool) -> list:
    """The field's validators with ours instead of the NUL check (ours names NUL too, and
    one message is enough)."""
    kept = [v for v in validators if not isinstance(v, ProhibitNullCharactersValidator)]
    return [*kept, text.validate_multiline if multiline else text.validate_line]


def _integer_maximum(model, name: str) -> int:
    """The largest value of a model's integer field on every database, else a count's."""
    if model is not None:
        try:
            internal_type = model._meta.get_field(name).get_internal_type()
        except FieldDoesNotExist:
            internal_type = None
        limits = BaseDatabaseOperations.integer_field_ranges.get(internal_type)
        if limits is not None:
            return limits[1]
    return bounds.COUNT_MAX


def _wide_decimal(max_digits: int | None, decimal_places: int | None) -> bool:
    return max_digits is None or max_digits - (decimal_places or 0) > bounds.MONEY_DIGITS


def guard_form_fields(form_fields: dict, model=None) -> None:
    """Add the validators to each field of a form (once)."""
    for name, field in form_fields.items():
        if getattr(field, "_input_guarded", False):
            continue
        field._input_guarded = True
        if isinstance(field, forms.CharField):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators = _text_validators(field.validators, multiline)
        elif isinstance(field, forms.DecimalField):
            if _wide_decimal(field.max_digits, field.decimal_places):
                field.validators.append(bounds.validate_money)
        elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
            maximum = _integer_maximum(model, name)
            if field.max_value is None or field.max_value > maximum:
                field.validators.append(functools.partial(_count_within, maximum))


class CleanInputMixin:
    """For forms and model forms: see the module's docstring."""

    def full_clean(self):
        meta = getattr(self, "_meta", None)
        guard_form_fields(self.fields, getattr(meta, "model", None))
        super().full_clean()


class CleanInputSerializerMixin:
    """For DRF serializers: see the module's docstring."""

    multiline_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if field.read_only:
                continue
            if isinstance(field, serializers.CharField):
                multiline = name in self.multiline_fields
                field.validators = _text_validators(field.validators, multiline)
            elif isinstance(field, serializers.DecimalField):
                if _wide_decimal(field.max_digits, field.decimal_places):
                    field.validators.append(bounds.validate_money)
            elif isinstance(field, serializers.IntegerField) and (
                field.max_value is None or field.max_value > bounds.COUNT_MAX
            ):
                field.validators.append(bounds.validate_count)
        return fields
