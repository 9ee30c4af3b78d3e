import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of each of `repeat` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times_ms: list[float]) -> None:
    ordered = sorted(times_ms)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    print(
        f"{label:<60} median {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms   (n={len(ordered)})"
    )
