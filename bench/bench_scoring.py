"""Re-scoring 100,000 customers × 20 criteria end to end on PostgreSQL, next to the floor for
the same work measured in the same run. Target (issue 5): end to end ≤ 3× the floor, and
1,000,000 customers (BENCH_SCORING_COUNT=1000000) in under 30 s.

The floor is the same work done with nothing but psycopg2 and numpy: read the inputs with one
binary COPY, compute points, totals, completeness, gates, ranks and tiers with numpy, and write
the same rows (same columns, same breakdown shape) with COPY into a table shaped like the
score-entry table: its indexes and its two foreign keys (checked at commit), committed. Two ways
of writing are measured and the cheaper one is the floor:
- rows: each row's text, breakdown JSON included, built in Python and COPYed straight in;
- staged: the numbers COPYed in binary to a temporary table, then one INSERT … SELECT builds
  the breakdowns from them and from the inputs, kept in a temporary table as they were read.
"""

import os
import time
from contextlib import contextmanager

from django.db import connection

from bench.scoring_data import COUNT, build, criteria_document
from bench.scoring_floor import FLOOR_TABLE, floor_rows, floor_staged
from evaluation.criteria.services import criteria_set_load
from evaluation.models import ScoreEntry, ScoreRun
from evaluation.scoring import runs as score_runs
from evaluation.scoring.runs import score_run_create
from organisation.demo import seed_org_and_users
from organisation.models import BusinessUnit, Segment

REPEAT = int(os.environ.get("BENCH_SCORING_REPEAT", "2"))


# --- End to end, by phase ---------------------------------------------------------------------

PHASES = {
    "inputs_query": "query",
    "copy_inputs": "read inputs",
    "score": "points",
    "rank_and_tier": "rank + tiers",
    "copy_entries": "write entries",
}


@contextmanager
def phases(seconds: dict):
    """Time score_runs' steps (by wrapping the module's functions while the block runs)."""
    originals = {name: getattr(score_runs, name) for name in PHASES}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                label = PHASES[name]
                seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - started

        return wrapper

    for name, function in originals.items():
        setattr(score_runs, name, timed(name, function))
    PHASES["_commit"] = "commit"
    connection._commit = timed("_commit", connection._commit)  # foreign keys are checked here
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(score_runs, name, function)
        del connection._commit, PHASES["_commit"]


def end_to_end(segment) -> tuple[float, dict, ScoreRun]:
    seconds: dict = {}
    started = time.perf_counter()
    with phases(seconds):
        run = score_run_create(segment=segment, year=2027)
    total = time.perf_counter() - started
    seconds["the rest"] = total - sum(seconds.values())
    return total, seconds, run


def run() -> None:
    if connection.vendor != "postgresql":
        print("scoring: skipped (needs PostgreSQL: set DATABASE_URL)")
        return
    seed_org_and_users()
    # A segment of its own, so customers left by other benchmarks are not scored too.
    segment, _created = Segment.objects.get_or_create(
        code="BENCH",
        defaults={"name_zh": "基准", "business_unit": BusinessUnit.objects.get(code="BU1")},
    )
    started = time.perf_counter()
    build(segment, 2026)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"scoring: built {COUNT:,} customers with facts and ratings in {time.perf_counter() - started:.1f} s"
    )
    document = criteria_document(segment, 2027)
    criteria_set_load(document=document, publish=True)
    criteria, tiers = document["criteria"], document["tiers"]
    print(f"scoring: {len(criteria)} criteria, {len(tiers)} tiers")
    with connection.cursor() as cursor:
        # Shaped like the score-entry table: its indexes, and its foreign keys checked at commit.
        cursor.execute(
            f"CREATE TABLE {FLOOR_TABLE} (LIKE {ScoreEntry._meta.db_table} INCLUDING ALL)"
        )
        for column, target in (
            ("customer_id", "customers_customer"),
            ("run_id", "evaluation_scorerun"),
        ):
            cursor.execute(
                f"ALTER TABLE {FLOOR_TABLE} ADD FOREIGN KEY ({column}) REFERENCES {target} (id) "
                "DEFERRABLE INITIALLY DEFERRED"
            )
    times: dict[str, list] = {"end to end": [], "floor, rows": [], "floor, staged": []}
    by_phase: dict[str, list] = {"end to end": []}
    try:
        for _ in range(REPEAT):  # interleaved, so a busy moment hits each alike
            seconds, split, run = end_to_end(segment)
            times["end to end"].append(seconds)
            by_phase["end to end"].append(split)
            for label, floor in (("floor, rows", floor_rows), ("floor, staged", floor_staged)):
                laps = floor(run.pk, segment, 2026, criteria, tiers)
                times[label].append(sum(laps.values()))
                by_phase.setdefault(label, []).append(laps)
                with connection.cursor() as cursor:
                    cursor.execute(f"TRUNCATE {FLOOR_TABLE}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    best = {label: min(values) for label, values in times.items()}
    floor_seconds = min(best["floor, rows"], best["floor, staged"])
    lines = [
        ("floor, rows COPYed in", "floor, rows"),
        ("floor, staged, INSERT … SELECT", "floor, staged"),
        (f"end to end, score_run_create (best of {REPEAT})", "end to end"),
    ]
    for title, label in lines:
        split = by_phase[label][times[label].index(best[label])]
        ratio = f"  = {best[label] / floor_seconds:.2f}x the floor" if label == "end to end" else ""
        print(f"scoring: {title:<46} {best[label]:6.2f} s{ratio}")
        print("scoring:     " + ", ".join(f"{k} {v:.2f}" for k, v in split.items()))
