"""Reads behind the score-run pages: the screening funnel, the ranked entries, the list charts
and the explanation of one customer's scores. No writes here."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, Value
from django.db.models.functions import Floor, Least
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from evaluation.models import CriteriaSetVersion, ScoreEntry, ScoreRun
from evaluation.scoring.breakdown import breakdown_items, rounded_points
from organisation import permissions
from organisation.models import localised
from organisation.permissions import Action

Status = ScoreEntry.Status
ENTRIES_PER_PAGE = 50
BIN_COUNT = 10  # score distribution: 0–10, 10–20, …, 90–100 (100 counts in the last bin)


def _number(value) -> float | None:
    return None if value is None else float(value)


# --- Names ------------------------------------------------------------------------------------


def criterion_names(run: ScoreRun) -> dict[str, str]:
    """Each criterion's name in the active language, from the set version the run used."""
    version = (
        CriteriaSetVersion.objects.filter(
            criteria_set_id=run.criteria_set_id, number=run.criteria_set_version
        )
        .values_list("document", flat=True)
        .first()
    )
    criteria = (version or {}).get("criteria") or []
    if not criteria:
        criteria = list(run.criteria_set.criteria.values("key", "name_zh", "name_en"))
    names = {
        item["key"]: localised(item.get("name_zh") or item["key"], item.get("name_en") or "")
        for item in criteria
        if isinstance(item, dict) and "key" in item
    }
    return {c["key"]: names.get(c["key"], c["key"]) for c in run.criteria}


def tier_names(run: ScoreRun) -> dict[str, str]:
    return {
        tier["code"]: localised(tier.get("name_zh") or tier["code"], tier.get("name_en") or "")
        for tier in run.tiers
    }


def place_label(place: str, names: dict[str, str]) -> str:
    """A tier's "code name", or the label of general / screened out / not scored."""
    if place == Status.GENERAL:
        return str(Status.GENERAL.label)
    if place == Status.SCREENED_OUT:
        return str(Status.SCREENED_OUT.label)
    if place == "not_scored":
        return _("Not scored")
    return f"{place} {names[place]}" if names.get(place) else place


# --- The funnel -------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> int:
    """A whole percentage for the bar classes pct-0 … pct-100; a non-empty layer shows."""
    if not whole or not part:
        return 0
    return max(1, min(100, round(100 * part / whole)))


def _ordered(counts: dict, keys: list[str]) -> list[tuple[str, int]]:
    """A funnel's counts in the run's order (jsonb does not keep the order of object keys)."""
    return [(key, counts[key]) for key in keys if key in counts] + [
        (key, count) for key, count in counts.items() if key not in keys
    ]


def funnel_layers(run: ScoreRun) -> dict:
    """The run's screening funnel, layer by layer, with bar widths relative to the evaluated."""
    funnel = run.funnel or {}
    evaluated = funnel.get("evaluated", 0)
    passed = funnel.get("passed_gates", 0)
    names = criterion_names(run)
    tiers = tier_names(run)
    gates = [
        {"key": key, "name": names.get(key, key), "count": count, "pct": _pct(count, evaluated)}
        for key, count in _ordered(
            funnel.get("stopped_by_gate") or {}, [c["key"] for c in run.criteria]
        )
    ]
    tier_layers = [
        {"code": code, "name": tiers.get(code, ""), "count": count, "pct": _pct(count, evaluated)}
        for code, count in _ordered(funnel.get("tiers") or {}, [t["code"] for t in run.tiers])
    ]
    general = funnel.get("general", 0)
    return {
        "evaluated": evaluated,
        "evaluated_pct": 100 if evaluated else 0,
        "passed": passed,
        "passed_pct": _pct(passed, evaluated),
        "screened": evaluated - passed,
        "gates": gates,
        "tiers": tier_layers,
        "targets": sum(layer["count"] for layer in tier_layers),
        "general": general,
        "general_pct": _pct(general, evaluated),
    }


# --- The ranked entries -----------------------------------------------------------------------


class KnownCountPaginator(Paginator):
    """A paginator told its count: the run's funnel already holds every layer's size, so the
    page needs no COUNT(*) over 100,000 entries."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def run_entries(run: ScoreRun, *, status: str = "", tier: str = ""):
    """The run's entries in rank order, screened-out ones last by customer id."""
    entries = ScoreEntry.objects.filter(run=run)
    if status:
        entries = entries.filter(status=status)
    if tier:
        entries = entries.filter(tier=tier)
    return (
        entries.select_related("customer")
        .only(
            "run_id",
            "customer_id",
            "total",
            "completeness",
            "rank",
            "status",
            "tier",
            "screened_by",
            "breakdown",
            "customer__name_zh",
            "customer__credit_code",
        )
        .order_by(F("rank").asc(nulls_last=True), "customer_id")
    )


class RankedEntries:
    """The entries a filter matches, as a sequence the paginator slices, read by rank range.

    Tiers take prefixes of the rank order and general customers follow them, so every filter is
    one run of consecutive ranks, whose bounds the funnel gives; screened-out customers (no
    rank) come after, by customer id. A page is then an index range scan on (run, rank), or on
    (run, customer) for the screened out — never an OFFSET over the ranks before it.
    """

    def __init__(self, run: ScoreRun, *, status: str = "", tier: str = ""):
        funnel = run.funnel or {}
        evaluated = funnel.get("evaluated", 0)
        passed = funnel.get("passed_gates", 0)
        counts = dict(_ordered(funnel.get("tiers") or {}, [t["code"] for t in run.tiers]))
        targets = sum(counts.values())
        first, ranked, unranked = 1, 0, 0
        if tier:
            if status in ("", Status.TARGET) and tier in counts:
                before = list(counts)[: list(counts).index(tier)]
                first, ranked = 1 + sum(counts[code] for code in before), counts[tier]
        elif status == Status.TARGET:
            ranked = targets
        elif status == Status.GENERAL:
            first, ranked = targets + 1, passed - targets
        elif status == Status.SCREENED_OUT:
            unranked = evaluated - passed
        elif not status:
            ranked, unranked = passed, evaluated - passed
        self.first, self.ranked, self.unranked = first, max(ranked, 0), max(unranked, 0)
        self.entries = run_entries(run, status=status, tier=tier)

    def __len__(self) -> int:
        return self.ranked + self.unranked

    def count(self) -> int:
        return len(self)

    def __getitem__(self, index: slice) -> list[ScoreEntry]:
        start, stop = index.start or 0, min(index.stop, len(self))
        found: list[ScoreEntry] = []
        if start < self.ranked:
            found += self.entries.filter(
                rank__gte=self.first + start,
                rank__lte=self.first + min(stop, self.ranked) - 1,
            )
        if stop > self.ranked:
            found += self.entries.filter(rank__isnull=True)[
                max(start - self.ranked, 0) : stop - self.ranked
            ]
        return found


def entry_count(run: ScoreRun, *, status: str = "", tier: str = "") -> int:
    """How many entries a filter matches, from the funnel (no query)."""
    return len(RankedEntries(run, status=status, tier=tier))


def entries_page(run: ScoreRun, *, status: str, tier: str, page_number, names: dict) -> tuple:
    """One page of entries, each with its points in the run's criteria order (`point_list`)
    and the name of the gate that screened it out (`gate_name`)."""
    entries = RankedEntries(run, status=status, tier=tier)
    paginator = KnownCountPaginator(entries, ENTRIES_PER_PAGE, count=len(entries))
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    # Rounded once, to the one place the page shows, from the exact points.
    shown = rounded_points(run.criteria, [entry.breakdown for entry in page.object_list], 1)
    for entry, point_list in zip(page.object_list, shown, strict=True):
        entry.point_list = point_list
        entry.gate_name = names.get(entry.screened_by, entry.screened_by)
    return paginator, page


# --- Charts of a run --------------------------------------------------------------------------


def _histogram_rows(run: ScoreRun) -> list[tuple[str, str, int, int]]:
    """(status, tier, bin, customers) from one aggregate over the run's entries. A run never
    changes, so the rows are cached: at 100,000 entries the scan is most of the page's time."""
    key = f"evaluation:histogram:{run.pk}:{run.created_at.timestamp() if run.created_at else ''}"
    rows = cache.get(key)
    if rows is None:
        rows = [
            (row["status"], row["tier"], int(row["bin"] or 0), row["n"])
            for row in ScoreEntry.objects.filter(run=run)
            .annotate(
                bin=Least(
                    Floor(F("total") / Value(Decimal(10))),
                    Value(BIN_COUNT - 1),
                    output_field=IntegerField(),
                )
            )
            .values("status", "tier", "bin")
            .annotate(n=Count("pk"))
            .order_by()
        ]
        cache.set(key, rows, timeout=None)
    return rows


def list_chart_data(run: ScoreRun, overrides=()) -> dict:
    """The tier pyramid and the score distribution (10-point bins stacked by tier, then general
    and screened out), from one aggregate query over the run's entries.

    `overrides` are a target list's (scored tier, tier, total) where the two differ: each moves
    its customer from the run's place to the list's, so a list's charts agree with its table.
    """
    rows = list(_histogram_rows(run))
    for scored_tier, tier, total in overrides:
        bin_ = int(Decimal(total) // 10)
        rows.append((Status.TARGET if scored_tier else Status.GENERAL, scored_tier, bin_, -1))
        rows.append((Status.TARGET if tier else Status.GENERAL, tier, bin_, 1))
    names = tier_names(run)
    keys = [tier["code"] for tier in run.tiers] + [Status.GENERAL, Status.SCREENED_OUT]
    histogram = {key: [0] * BIN_COUNT for key in keys}
    for status, tier, bin_, count in rows:
        key = tier if status == Status.TARGET else status
        if key not in histogram:  # a tier no longer in the run's list: keep it visible
            histogram[key] = [0] * BIN_COUNT
            keys.insert(len(run.tiers), key)
        histogram[key][max(0, min(BIN_COUNT - 1, bin_))] += count
    layers = [
        {"key": key, "label": place_label(key, names), "count": sum(histogram[key])} for key in keys
    ]
    return {
        "pyramid": {
            "labels": [layer["label"] for layer in layers],
            "keys": keys,
            "counts": [layer["count"] for layer in layers],
            "title": _("Customers per tier"),
        },
        "histogram": {
            "labels": [f"{i * 10}–{(i + 1) * 10}" for i in range(BIN_COUNT)],
            "datasets": [
                {"key": layer["key"], "label": layer["label"], "data": histogram[layer["key"]]}
                for layer in layers
            ],
            "x_title": _("Total score"),
            "y_title": _("Customers"),
        },
        "layers": layers,
        "total": sum(layer["count"] for layer in layers),
    }


# --- One customer's explanation ---------------------------------------------------------------


def shown_value(raw) -> str:
    """A raw value as the explanation shows it: 250,000,000 rather than "250000000.00"."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return _("yes") if raw else _("no")
    try:
        number = Decimal(str(raw))
    except ArithmeticError:
        return str(raw)
    if not number.is_finite():
        return str(raw)
    return (
        f"{number.normalize():,f}" if number != number.to_integral_value() else f"{int(number):,}"
    )


def _explain(entry: ScoreEntry, names: dict[str, str], tiers: dict[str, str]) -> dict:
    items = [dict(item) for item in breakdown_items(entry.run.criteria, entry.breakdown)]
    for item in items:
        # Points and contribution as the export's cells: rounded half up to cents once, from
        # the exact values (rounding the 6-place points again could move a cent).
        item["points"], item["contribution"] = item["shown_points"], item["shown_contribution"]
        for field in ("points", "weight", "contribution", "gate"):
            item[field] = _number(item.get(field))
        item["name"] = names.get(item["key"], item["key"])
        item["shown"] = shown_value(item["raw"])
        item["missing"] = item["raw"] is None
        item["lost"] = round(item["weight"] - item["contribution"], 6)
    gate = next((item for item in items if item["key"] == entry.screened_by), None)
    missing = [item for item in items if item["missing"]]
    return {
        "entry": entry,
        "run": entry.run,
        "segment": entry.run.segment,
        "tier_name": tiers.get(entry.tier, ""),
        "eligible": (entry.run.funnel or {}).get("passed_gates"),
        "completeness_pct": round(float(entry.completeness) * 100),
        "items": items,
        "gate": gate,
        "missing": missing,
        "missing_points": round(sum(item["weight"] for item in missing), 2),
        "chart_id": f"contributions-{entry.pk}",
        "chart": {
            "labels": [item["name"] for item in items],
            "earned": [round(item["contribution"], 2) for item in items],
            "lost": [round(item["lost"], 2) for item in items],
            "earned_label": _("Points earned"),
            "lost_label": _("Points not earned"),
        },
    }


def customer_explanations(customer, user) -> list[dict]:
    """Per segment the viewer may see: the customer's entry in the newest run of the latest
    year, explained, and its rank and tier in the newest run of the year before."""
    segments = permissions.segments_where(user, Action.VIEW_CUSTOMERS).values("pk")
    entries = list(
        ScoreEntry.objects.filter(customer=customer, run__segment__in=segments)
        .select_related("run__segment__business_unit__business_group")
        .order_by("run__segment__code", "-run__year", "-run__created_at", "-run_id")
    )
    newest: dict[tuple[int, int], ScoreEntry] = {}
    for entry in entries:  # newest first within each segment and year
        newest.setdefault((entry.run.segment_id, entry.run.year), entry)
    explanations = []
    shown: set[int] = set()
    for (segment_id, year), entry in newest.items():
        if segment_id in shown:
            continue  # an older year of a segment already shown
        shown.add(segment_id)
        run = entry.run
        tiers = tier_names(run)
        explanation = _explain(entry, criterion_names(run), tiers)
        explanation["may_view_run"] = permissions.can(user, Action.VIEW_TARGET_LISTS, run)
        last = newest.get((segment_id, year - 1))
        explanation["last_year"] = last
        if last is not None:
            explanation["last_tier_name"] = tier_names(last.run).get(last.tier, "")
            if last.rank is not None and entry.rank is not None:
                climbed = last.rank - entry.rank
                explanation["rank_up"], explanation["rank_down"] = max(climbed, 0), max(-climbed, 0)
        explanations.append(explanation)
    return explanations
