"""Reads of criteria sets and tier policies as chainable QuerySet methods (the models use
them as their managers, evaluation/criteria/models.py).

Two lookups of a scope's row, different on purpose: `for_scope` is exactly one scope (what
its editor reads and writes), `in_force_for` is what scoring a segment uses (the segment's
override, else its BU's default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from evaluation.criteria.models import CriteriaSet, TierPolicy


class _ScopeQuerySet(models.QuerySet):
    """Rows of a scope (a BU default, segment empty, or a segment override) and a year."""

    def for_scope(self, *, business_unit, segment, year: int):
        """Exactly this scope's rows of the year, with no falling back to the BU default: what
        an editor of the scope reads and writes (`in_force_for` falls back)."""
        return self.filter(business_unit=business_unit, segment=segment, year=year)

    def _override_else_default(self, segment, year: int):
        of_year = self.filter(year=year)
        return (
            of_year.filter(segment=segment).first()
            or of_year.filter(business_unit_id=segment.business_unit_id, segment=None).first()
        )


class CriteriaSetQuerySet(_ScopeQuerySet):
    def published(self):
        return self.filter(status__in=[self.model.Status.PUBLISHED, self.model.Status.LOCKED])

    def in_force_for(self, segment, year: int) -> CriteriaSet | None:
        """The set scoring uses: the segment's published override, else its BU's published
        default (a newer draft version of a set does not count until it is published)."""
        return self.published()._override_else_default(segment, year)


class TierPolicyQuerySet(_ScopeQuerySet):
    def in_force_for(self, segment, year: int) -> TierPolicy | None:
        """The tiers scoring uses: the segment's own policy, else its BU's default."""
        return self._override_else_default(segment, year)
