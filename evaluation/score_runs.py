"""Creating score runs: read a segment's inputs set-based, score and tier them with the pure
modules, and write the immutable run in one transaction (COPY on PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from customers.models import (
    Attribute,
    AttributeOption,
    AttributeValue,
    Contact,
    Customer,
    CustomerYear,
)
from evaluation.models import CriteriaSet, ScoreEntry, ScoreRun, TierPolicy
from evaluation.scoring import CriterionSpec, rank_order, score
from evaluation.services import tier_document
from evaluation.sources import FACT_SOURCES
from evaluation.tiering import TierRule, assign_tiers
from organisation import permissions
from organisation.permissions import Action

NUMERIC_FACTS = ("revenue", "profit", "it_budget", "it_spend", "employees", "it_staff")


def criteria_set_for(segment, year: int) -> CriteriaSet | None:
    """The segment's published override, else its BU's published default."""
    published = CriteriaSet.objects.published().filter(year=year)
    return (
        published.filter(segment=segment).first()
        or published.filter(business_unit_id=segment.business_unit_id, segment=None).first()
    )


def tier_policy_for(segment, year: int) -> TierPolicy | None:
    policies = TierPolicy.objects.filter(year=year)
    return (
        policies.filter(segment=segment).first()
        or policies.filter(business_unit_id=segment.business_unit_id, segment=None).first()
    )


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(sql: str, params: list) -> list[tuple]:
    # Plain cursor reads: at 100,000 customers the ORM's per-row work would dominate the run.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def read_inputs(
    customer_ids: list[int], facts_year: int, sources: set[str], customers: dict, segment_id: int
) -> dict[str, list]:
    """One column of raw values per source, in `customer_ids` order (None = missing)."""
    position = {pk: i for i, pk in enumerate(customer_ids)}
    count = len(customer_ids)
    columns: dict[str, list] = {source: [None] * count for source in sources}
    in_segment = (
        f"SELECT customer_id FROM {Customer.segments.through._meta.db_table} WHERE segment_id = %s"  # noqa: S608
    )
    facts = [s for s in sources if s in NUMERIC_FACTS]
    if facts:
        sql = (
            f"SELECT customer_id, {', '.join(facts)} FROM {CustomerYear._meta.db_table} "  # noqa: S608 - names from the model
            f"WHERE year = %s AND customer_id IN ({in_segment})"
        )
        for row in _rows(sql, [facts_year, segment_id]):
            i = position.get(row[0])
            if i is not None:
                for source, value in zip(facts, row[1:], strict=True):
                    columns[source][i] = value
    for source in ("region", "industry"):
        if source in sources:
            for pk in customer_ids:
                columns[source][position[pk]] = customers[pk][source] or None
    if "key_decision_maker" in sources:
        with_key = set(
            Contact.objects.filter(
                customer_id__in=customer_ids, is_key_decision_maker=True
            ).values_list("customer_id", flat=True)
        )
        columns["key_decision_maker"] = [pk in with_key for pk in customer_ids]
    attributes = [s for s in sources if s not in FACT_SOURCES]
    if attributes:
        keys = dict(
            AttributeOption.objects.filter(attribute__key__in=attributes).values_list("pk", "key")
        )
        attribute_keys = dict(Attribute.objects.filter(key__in=attributes).values_list("pk", "key"))
        if attribute_keys:
            marks = ", ".join(["%s"] * len(attribute_keys))
            sql = (
                f"SELECT customer_id, attribute_id, option_id FROM {AttributeValue._meta.db_table} "  # noqa: S608
                f"WHERE year = %s AND attribute_id IN ({marks}) AND customer_id IN ({in_segment})"
            )
            for customer_id, attribute_id, option_id in _rows(
                sql, [facts_year, *attribute_keys, segment_id]
            ):
                i = position.get(customer_id)
                if i is not None:
                    columns[attribute_keys[attribute_id]][i] = keys[option_id]
    return columns


@transaction.atomic
def score_run_create(*, segment, year: int, facts_year: int | None = None, by=None) -> ScoreRun:
    """Score every active customer of the segment with its published criteria for `year`."""
    if by is not None:
        permissions.require(by, Action.MANAGE_SEGMENT_LIST, segment)
    facts_year = facts_year if facts_year is not None else year - 1
    criteria_set = criteria_set_for(segment, year)
    if criteria_set is None:
        raise ValidationError(
            _("%(segment)s has no published criteria set for %(year)d: publish one first.")
            % {"segment": segment, "year": year}
        )
    started = time.perf_counter()
    specs = [
        CriterionSpec(c.key, c.source, c.weight, c.rule, c.gate)
        for c in criteria_set.criteria.all()
    ]
    policy = tier_policy_for(segment, year)
    tiers = list(policy.tiers.all()) if policy else []
    customers = {
        row["pk"]: row
        for row in Customer.objects.active()
        .filter(segments=segment)
        .values("pk", "name_zh", "credit_code", "region", "industry")
    }
    if not customers:
        raise ValidationError(_("%(segment)s has no customers to score.") % {"segment": segment})
    ids = list(customers)
    columns = read_inputs(ids, facts_year, {s.source for s in specs}, customers, segment.pk)
    scores = score(specs, columns, len(ids))
    order = rank_order(
        scores.total,
        scores.completeness,
        [customers[pk]["credit_code"] for pk in ids],
        [customers[pk]["name_zh"] for pk in ids],
        scores.eligible,
    )
    tier_rules = [TierRule(t.code, t.rule_type, t.rule_value) for t in tiers]
    tier_of = dict(
        zip(order, assign_tiers([scores.total[i] for i in order], tier_rules), strict=True)
    )
    rank_of = {i: rank for rank, i in enumerate(order, start=1)}

    run = ScoreRun.objects.create(
        segment=segment,
        year=year,
        facts_year=facts_year,
        criteria_set=criteria_set,
        criteria_set_version=criteria_set.version,
        criteria=[
            {
                "key": s.key,
                "source": s.source,
                "weight": str(s.weight),
                "rule": s.rule,
                "gate": None if s.gate is None else str(s.gate),
            }
            for s in specs
        ],
        tiers=[tier_document(t) for t in tiers],
        created_by=by,
    )
    rows = []
    breakdowns = _breakdown_texts(specs, columns, scores, len(ids))
    for i, pk in enumerate(ids):
        eligible = scores.gate_failed[i] is None
        tier = tier_of.get(i) if eligible else None
        rows.append(
            (
                pk,
                scores.total[i],
                Decimal(f"{scores.completeness[i]:.4f}"),
                rank_of.get(i),
                (ScoreEntry.Status.TARGET if tier else ScoreEntry.Status.GENERAL)
                if eligible
                else ScoreEntry.Status.SCREENED_OUT,
                tier or "",
                scores.gate_failed[i] or "",
                breakdowns[i],
            )
        )
    _write_entries(run, rows)
    run.funnel = _funnel(rows, specs, tiers)
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["funnel", "duration_ms"])
    return run


def _raw_json(column: list) -> list[str]:
    """JSON text of each raw value; json.dumps per value cost more than the scoring itself."""
    texts: dict = {None: "null", True: "true", False: "false"}
    out = []
    for value in column:
        text = (
            texts.get(value)
            if not isinstance(value, Decimal | float | int) or isinstance(value, bool)
            else None
        )
        if text is None:
            if isinstance(value, Decimal):
                text = f'"{value}"'
            elif isinstance(value, int | float):
                text = repr(value)
            else:
                text = texts.setdefault(value, json.dumps(value, ensure_ascii=False))
        out.append(text)
    return out


def _breakdown_texts(specs, columns, scores, count: int) -> list[str]:
    """Each customer's breakdown as JSON text, {key: [raw, points, weight, contribution]},
    built column-wise: the per-customer work is one string join."""
    parts = []
    for spec in specs:
        pts = np.round(scores.points[spec.key], 6)
        contribution = np.round(pts * float(spec.weight) / 100.0, 6).tolist()
        raw = _raw_json(columns[spec.source])
        key = json.dumps(spec.key)
        weight = float(spec.weight)
        parts.append(
            [
                f"{key}:[{r},{p!r},{weight!r},{c!r}]"
                for r, p, c in zip(raw, pts.tolist(), contribution, strict=True)
            ]
        )
    return (
        ["{" + ",".join(cells) + "}" for cells in zip(*parts, strict=True)]
        if parts
        else ["{}"] * count
    )


def _funnel(rows, specs, tiers) -> dict:
    stopped = {s.key: 0 for s in specs if s.gate is not None}
    per_tier = {t.code: 0 for t in tiers}
    general = 0
    for _pk, _total, _c, _rank, _status, tier, screened_by, _b in rows:
        if screened_by:
            stopped[screened_by] += 1
        elif tier:
            per_tier[tier] += 1
        else:
            general += 1
    screened = sum(stopped.values())
    return {
        "evaluated": len(rows),
        "passed_gates": len(rows) - screened,
        "stopped_by_gate": stopped,
        "tiers": per_tier,
        "general": general,
    }


def _write_entries(run: ScoreRun, rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        _copy_entries(run, rows)
        return
    ScoreEntry.objects.bulk_create(
        (
            ScoreEntry(
                run=run,
                customer_id=pk,
                total=total,
                completeness=completeness,
                rank=rank,
                status=status,
                tier=tier,
                screened_by=screened_by,
                breakdown=json.loads(breakdown),
            )
            for pk, total, completeness, rank, status, tier, screened_by, breakdown in rows
        ),
        batch_size=2000,
    )


def _copy_entries(run: ScoreRun, rows: list[tuple]) -> None:
    """PostgreSQL's COPY: one round trip for the whole run, inside the same transaction."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for pk, total, completeness, rank, status, tier, screened_by, breakdown in rows:
        writer.writerow(
            [
                run.pk,
                pk,
                total,
                completeness,
                r"\N" if rank is None else rank,
                status,
                tier,
                screened_by,
                breakdown,
            ]
        )
    buffer.seek(0)
    table = ScoreEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} (run_id, customer_id, total, completeness, rank, status, tier, screened_by, breakdown) "  # noqa: S608 - table name from the model
            "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


def score_segments(*, year: int, facts_year: int | None = None, segments=None) -> dict:
    """Score each segment (all by default) in its own transaction; report what was scored and
    what was skipped with the reason. Used by the `score` command and the annual re-scoring."""
    from organisation.models import Segment

    report = {"year": year, "scored": [], "skipped": []}
    for segment in (
        segments if segments is not None else Segment.objects.with_org().order_by("code")
    ):
        try:
            run = score_run_create(segment=segment, year=year, facts_year=facts_year)
        except ValidationError as error:
            report["skipped"].append({"segment": segment.code, "reason": " ".join(error.messages)})
        else:
            report["scored"].append({"segment": segment.code, "run": run.pk, **run.funnel})
    return report
