"""Issue 12: the scoring against a small exact reference of DESIGN.md's model (pure Fraction:
points, gates, the total rounded half up to cents, rank with ties by completeness then
credit code, tiers), over adversarial values: points exactly at gates, totals at and within
1e-12 of half cents, narrow and huge linear ranges (up to the 18-digit money bound),
lower_better, values on and beside band edges."""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.scoring.points import Categories, CriterionSpec, score
from evaluation.scoring.ranking import rank_and_tier
from evaluation.scoring.tiering import TierRule

CENT = Decimal("0.01")
MONEY_BOUND = Decimal("9999999999999999.99")  # max_digits=18, decimal_places=2
RANGES = [
    (0, 100_000_000),
    (1_000_000, 1_000_003),
    (0, 10**16),
    (0, 10_000_000_000_000),
    (-50_000_000, 50_000_000),
    (0.5, 1.75),
]
BAND_RULES = [
    [(None, 1000, 10), (1000, 1_000_000, 33.335), (1_000_000, None, 100)],
    [(None, 0.3, 12.345), (0.3, None, 90)],
    [(None, 5_700_000_000_000_000, 10), (5_700_000_000_000_000, None, 57)],
    [(100, 200, 50)],  # a value in no band gets 0
]
CHOICE_POINTS = [0, 12.345, 33.335, 50, 57, 100]


# --- The exact reference --------------------------------------------------------------------


def q(number) -> Fraction:
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


def ref_points(rule: dict, value) -> Fraction:
    if value is None:
        return Fraction(0)
    if rule["type"] == "linear":
        share = (q(value) - q(rule["lo"])) / (q(rule["hi"]) - q(rule["lo"]))
        points = 100 * min(max(share, Fraction(0)), Fraction(1))
        return 100 - points if rule["direction"] == "lower_better" else points
    if rule["type"] == "bands":
        for band in rule["bands"]:
            low, high = band["min"], band["max"]
            if (low is None or q(value) >= q(low)) and (high is None or q(value) < q(high)):
                return q(band["points"])
        return Fraction(0)
    return q(rule["points"].get(value, 0))


def reference(criteria, rows, tiers):
    """Per customer (in tie-break order): (gate failed, total, rank, tier, completeness)."""
    weight_sum = sum(q(c.weight) for c in criteria)
    results = []
    for row in rows:
        total, present, failed = Fraction(0), Fraction(0), None
        for spec, value in zip(criteria, row, strict=True):
            points = ref_points(spec.rule, value)
            total += q(spec.weight) * points / 100
            present += q(spec.weight) if value is not None else 0
            if failed is None and spec.gate is not None and points < q(spec.gate):
                failed = spec.key
        cents = math.floor(total * 100 + Fraction(1, 2))
        completeness = present / weight_sum
        stored = math.floor(completeness * 10**4 + Fraction(1, 2))
        results.append([failed, Decimal(cents).scaleb(-2), None, None, completeness, stored])
    eligible = [i for i, r in enumerate(results) if r[0] is None]
    ranked = sorted(eligible, key=lambda i: (-results[i][1], -results[i][4], i))
    for rank, i in enumerate(ranked, start=1):
        results[i][2] = rank
    start = 0
    for tier in tiers:
        if tier.type == "top_n":
            take = int(tier.value)
        elif tier.type == "top_percent":
            take = math.ceil(q(tier.value) * len(ranked) / 100)
        else:
            take = 0
            while start + take < len(ranked) and results[ranked[start + take]][1] >= tier.value:
                take += 1
        for i in ranked[start : start + take]:
            results[i][3] = tier.code
        start = min(len(ranked), start + take)
    return [(r[0], r[1], r[2], r[3], r[5]) for r in results]


# --- Adversarial inputs ---------------------------------------------------------------------


def money(value: Fraction) -> Decimal:
    amount = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT)
    return max(-MONEY_BOUND, min(MONEY_BOUND, amount))


@st.composite
def linear_criterion(draw, key):
    lo, hi = draw(st.sampled_from(RANGES))
    direction = draw(st.sampled_from(["higher_better", "lower_better"]))
    rule = {"type": "linear", "lo": lo, "hi": hi, "direction": direction}
    span = q(hi) - q(lo)

    def at(share: Fraction) -> Decimal:
        return money(q(lo) + span * share)

    value = st.one_of(
        st.none(),
        # points exactly at whole numbers (gates), and a cent either side
        st.integers(0, 100).map(lambda k: at(Fraction(k, 100))),
        st.tuples(st.integers(0, 100), st.sampled_from([-1, 1])).map(
            lambda kd: at(Fraction(kd[0], 100)) + kd[1] * CENT
        ),
        # points at and within 1e-12 of a half cent
        st.tuples(
            st.integers(0, 9999),
            st.sampled_from(
                [Fraction(0), Fraction(1, 10**12), -Fraction(1, 10**12), Fraction(1, 10**13)]
            ),
        ).map(lambda kd: at((Fraction(2 * kd[0] + 1, 200) + kd[1]) / 100)),
        # anywhere, and outside the range
        st.fractions(Fraction(-1, 10), Fraction(11, 10)).map(at),
    )
    gate = draw(
        st.one_of(
            st.none(),
            st.sampled_from([Decimal(0), Decimal(45), Decimal(57), Decimal("12.35"), Decimal(100)]),
        )
    )
    return rule, value, gate


@st.composite
def bands_criterion(draw, key):
    bands = draw(st.sampled_from(BAND_RULES))
    rule = {"type": "bands", "bands": [{"min": a, "max": b, "points": p} for a, b, p in bands]}
    edges = [q(e) for a, b, _p in bands for e in (a, b) if e is not None]
    value = st.one_of(
        st.none(),
        st.sampled_from(edges).map(money),
        st.tuples(st.sampled_from(edges), st.sampled_from([-1, 1])).map(
            lambda ed: money(ed[0]) + ed[1] * CENT
        ),
        st.sampled_from(edges).map(lambda e: money(e) - Decimal("0.01") if e > 1e15 else money(e)),
        st.fractions(Fraction(-10), Fraction(2_000_000)).map(money),
    )
    gate = draw(st.one_of(st.none(), st.sampled_from([Decimal(50), Decimal(57), Decimal("33.34")])))
    return rule, value, gate


@st.composite
def choice_criterion(draw, key):
    points = draw(st.lists(st.sampled_from(CHOICE_POINTS), min_size=3, max_size=3))
    rule = {"type": "choice", "points": dict(zip("abc", points, strict=True))}
    value = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "unknown"]))
    gate = draw(st.one_of(st.none(), st.sampled_from([Decimal(50), Decimal(57), Decimal("12.35")])))
    return rule, value, gate


@st.composite
def cases(draw):
    count = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=count - 1, max_size=count - 1)))
    weights = [Decimal(b - a).scaleb(-2) for a, b in zip([0, *cuts], [*cuts, 10_000], strict=True)]
    criteria, value_strategies = [], []
    for i, weight in enumerate(weights):
        kind = draw(st.sampled_from([linear_criterion, bands_criterion, choice_criterion]))
        rule, values, gate = draw(kind(f"c{i}"))
        criteria.append(CriterionSpec(f"c{i}", f"s{i}", weight, rule, gate))
        value_strategies.append(values)
    rows = draw(st.lists(st.tuples(*value_strategies), min_size=1, max_size=12))
    tiers = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("top_n"), st.integers(0, 5).map(Decimal)),
                st.tuples(
                    st.just("top_percent"),
                    st.sampled_from([Decimal(10), Decimal("33.3"), Decimal(50)]),
                ),
                st.tuples(
                    st.just("min_score"),
                    st.sampled_from(
                        [Decimal("18.24"), Decimal("57.00"), Decimal("16.67"), Decimal(50)]
                    ),
                ),
            ),
            max_size=3,
        )
    )
    return criteria, rows, [TierRule(str(i), kind, value) for i, (kind, value) in enumerate(tiers)]


def columns_of(criteria, rows):
    """Numeric sources as float columns (as PostgreSQL's COPY gives them) with the exact
    Decimals behind them; categorical ones as Categories."""
    columns, exact = {}, {}
    for j, spec in enumerate(criteria):
        values = [row[j] for row in rows]
        if spec.rule["type"] == "choice":
            columns[spec.source] = Categories.of(values)
        else:
            columns[spec.source] = np.array([np.nan if v is None else float(v) for v in values])
            exact[spec.source] = values

    def exact_values(indexes, sources):
        return {s: [exact[s][i] for i in indexes.tolist()] for s in sources if s in exact}

    return columns, exact_values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_scoring_equals_the_exact_reference(case):
    criteria, rows, tiers = case
    columns, exact_values = columns_of(criteria, rows)
    scores = score(criteria, columns, len(rows), exact_values)
    results = rank_and_tier(scores, tiers, None)
    got = [
        (
            scores.gate_failed[i],
            scores.total[i],
            int(results.rank[i]) or None,
            results.tier_codes[results.tier[i]] if results.tier[i] >= 0 else None,
            int(results.completeness[i]),
        )
        for i in range(len(rows))
    ]
    assert got == reference(criteria, rows, tiers)
