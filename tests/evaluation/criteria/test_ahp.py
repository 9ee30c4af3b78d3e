"""AHP maths: weights from a pairwise matrix and its consistency ratio."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.criteria import ahp

positive_weights = st.lists(
    st.floats(min_value=0.05, max_value=20, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=ahp.MAX_SIZE,
)
scale_values = st.sampled_from(ahp.SCALE)


def consistent_matrix(weights):
    return [[wi / wj for wj in weights] for wi in weights]


@st.composite
def reciprocal_matrices(draw):
    n = draw(st.integers(min_value=1, max_value=ahp.MAX_SIZE))
    pairs = {(i, j): draw(scale_values) for i in range(n) for j in range(i + 1, n)}
    return ahp.matrix_from_pairs(n, pairs)


@given(positive_weights)
def test_a_consistent_matrix_gives_back_its_weights_and_no_inconsistency(weights):
    result = ahp.analyse(consistent_matrix(weights))
    total = sum(weights)
    for derived, original in zip(result.weights, weights, strict=True):
        assert derived == pytest.approx(original / total, rel=1e-6, abs=1e-9)
    assert result.cr == pytest.approx(0, abs=1e-6)
    assert result.consistent


@given(reciprocal_matrices())
def test_weights_are_positive_and_sum_to_one(matrix):
    result = ahp.analyse(matrix)
    assert all(weight > 0 for weight in result.weights)
    assert sum(result.weights) == pytest.approx(1)
    assert result.cr >= 0


@given(reciprocal_matrices())
def test_percentages_add_up_to_exactly_100(matrix):
    shares = ahp.percentages(ahp.analyse(matrix).weights)
    assert sum(shares) == Decimal(100)
    assert all(share.as_tuple().exponent >= -2 for share in shares)


def test_the_rounding_remainder_goes_to_the_largest_weight():
    assert ahp.percentages([1, 1, 1.0000001]) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]


def test_two_criteria_are_always_consistent():
    result = ahp.analyse(ahp.matrix_from_pairs(2, {(0, 1): 9}))
    assert result.cr == 0
    assert result.weights == pytest.approx((0.9, 0.1))


def test_contradictory_judgements_are_inconsistent():
    # A > B, B > C, but C > A strongly.
    matrix = ahp.matrix_from_pairs(3, {(0, 1): 5, (1, 2): 5, (0, 2): Fraction(1, 5)})
    assert not ahp.analyse(matrix).consistent


def test_a_textbook_matrix_has_the_known_weights():
    matrix = ahp.matrix_from_pairs(3, {(0, 1): 3, (0, 2): 5, (1, 2): 3})
    result = ahp.analyse(matrix)
    assert result.weights == pytest.approx((0.637, 0.258, 0.105), abs=1e-3)
    assert result.cr == pytest.approx(0.033, abs=1e-3)


@given(st.integers(min_value=2, max_value=6), st.data())
def test_a_matrix_that_is_not_reciprocal_is_refused(n, data):
    matrix = [[1.0] * n for _ in range(n)]
    i = data.draw(st.integers(min_value=0, max_value=n - 2))
    j = data.draw(st.integers(min_value=i + 1, max_value=n - 1))
    matrix[i][j] = data.draw(st.sampled_from([2.0, 3.0, 7.0]))
    with pytest.raises(ahp.AhpError, match="reciprocal"):
        ahp.analyse(matrix)


@pytest.mark.parametrize(
    "matrix",
    [[], [[1, 2]], [[1, -1], [-1, 1]], [[1, float("nan")], [1, 1]], [[1.0] * 16] * 16],
)
def test_malformed_matrices_are_refused(matrix):
    with pytest.raises(ahp.AhpError):
        ahp.analyse(matrix)


def test_scale_values_parse_and_others_are_refused():
    assert ahp.parse_scale("1/3") == Fraction(1, 3)
    assert ahp.parse_scale("9") == 9
    for text in ("10", "1/10", "0", "abc", "1/0", "2.5"):
        with pytest.raises(ahp.AhpError):
            ahp.parse_scale(text)
