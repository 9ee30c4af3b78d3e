"""AHP weights (层次分析法): priorities and consistency from a pairwise-comparison matrix.

Pure module (no Django). `matrix[i][j]` says how much more important criterion i is than j on
Saaty's 1–9 scale (1/9 … 9); the matrix must be reciprocal (`a[j][i] = 1 / a[i][j]`, ones on the
diagonal). The weights are its principal eigenvector, found by power iteration; the consistency
ratio is CR = CI / RI with CI = (λmax − n) / (n − 1) and Saaty's random index RI. A CR of 0.1 or
more means the judgements contradict each other too much to trust the weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Saaty's random consistency index for n = 1 … 15.
RANDOM_INDEX = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)
MAX_SIZE = len(RANDOM_INDEX)
CONSISTENT_BELOW = 0.1
# The scale as the form offers it: 1/9 … 1/2, 1, 2 … 9.
SCALE = tuple(Fraction(1, n) for n in range(9, 1, -1)) + tuple(Fraction(n) for n in range(1, 10))


class AhpError(ValueError):
    """The matrix is not a usable pairwise-comparison matrix."""


@dataclass(frozen=True)
class AhpResult:
    weights: tuple[float, ...]  # positive, summing to 1
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        return self.cr < CONSISTENT_BELOW


def check_matrix(matrix) -> list[list[float]]:
    """The matrix as floats; AhpError unless square, positive, reciprocal, 1 ≤ n ≤ 15."""
    n = len(matrix)
    if not 1 <= n <= MAX_SIZE:
        raise AhpError(f"size must be 1 to {MAX_SIZE}, not {n}")
    rows = []
    for row in matrix:
        if len(row) != n:
            raise AhpError("the matrix must be square")
        rows.append([float(value) for value in row])
    for i in range(n):
        for j in range(n):
            value = rows[i][j]
            if not math.isfinite(value) or value <= 0:
                raise AhpError(f"entry ({i + 1}, {j + 1}) must be a positive number")
            if not math.isclose(value * rows[j][i], 1.0, rel_tol=1e-9):
                raise AhpError(
                    f"entries ({i + 1}, {j + 1}) and ({j + 1}, {i + 1}) are not reciprocal"
                )
    return rows


def matrix_from_pairs(n: int, pairs: dict[tuple[int, int], float | Fraction]) -> list[list[float]]:
    """The full reciprocal matrix from the judgements above the diagonal (i < j); 1 where missing."""
    matrix = [[1.0] * n for _ in range(n)]
    for (i, j), value in pairs.items():
        if not 0 <= i < j < n:
            raise AhpError(f"pair ({i}, {j}) is not above the diagonal")
        matrix[i][j] = float(value)
        matrix[j][i] = 1.0 / float(value)
    return matrix


def _multiply(matrix: list[list[float]], vector: list[float]) -> list[float]:
    return [sum(a * v for a, v in zip(row, vector, strict=True)) for row in matrix]


def principal_eigenvector(
    matrix, *, tolerance: float = 1e-12, max_iterations: int = 10_000
) -> tuple[float, ...]:
    """Power iteration to convergence; a positive matrix has a positive principal eigenvector
    (Perron), so the iteration converges from the uniform start."""
    rows = check_matrix(matrix)
    n = len(rows)
    vector = [1.0 / n] * n
    for _ in range(max_iterations):
        product = _multiply(rows, vector)
        total = sum(product)
        following = [value / total for value in product]
        if max(abs(a - b) for a, b in zip(following, vector, strict=True)) < tolerance:
            return tuple(following)
        vector = following
    return tuple(vector)


def analyse(matrix) -> AhpResult:
    rows = check_matrix(matrix)
    n = len(rows)
    weights = principal_eigenvector(rows)
    if n <= 2:
        # Any reciprocal 1×1 or 2×2 matrix is perfectly consistent.
        return AhpResult(weights, float(n), 0.0, 0.0)
    product = _multiply(rows, list(weights))
    lambda_max = sum(p / w for p, w in zip(product, weights, strict=True)) / n
    ci = max((lambda_max - n) / (n - 1), 0.0)
    return AhpResult(weights, lambda_max, ci, ci / RANDOM_INDEX[n - 1])


def percentages(weights, places: int = 2) -> list[Decimal]:
    """Weights as percentages rounded to `places` that add up to exactly 100; the rounding
    remainder goes to the largest weight."""
    quantum = Decimal(1).scaleb(-places)
    total = sum(weights)
    rounded = [
        (Decimal(str(w)) * 100 / Decimal(str(total))).quantize(quantum, rounding=ROUND_HALF_UP)
        for w in weights
    ]
    if rounded:
        largest = max(range(len(rounded)), key=lambda index: weights[index])
        rounded[largest] += Decimal(100) - sum(rounded)
    return rounded


def scale_label(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"1/{value.denominator}"


def parse_scale(text: str) -> Fraction:
    """ "1/3" or "5" -> a value of the scale; AhpError otherwise."""
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise AhpError(f"not on the scale: {text!r}") from error
    if value not in SCALE:
        raise AhpError(f"not on the scale: {text!r}")
    return value
