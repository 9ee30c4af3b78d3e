"""Unified social credit code (统一社会信用代码) per GB 32100-2015. Pure functions, no Django.

18 characters from the code alphabet (digits and capitals without I, O, Z, S, V):
registration authority (1), organisation kind (1), administrative division (6 digits),
organisation code body (9), check character (1). The check character is
31 − (Σ value(cᵢ)·wᵢ mod 31), with 31 mapped to 0, for the weights below.
"""

from collections.abc import Collection

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first_17: str) -> str:
    total = sum(VALUES[char] * weight for char, weight in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` is not a valid credit code (an English key for the caller to translate),
    or None when it is valid."""
    if len(code) != LENGTH:
        return "length"
    if any(char not in VALUES for char in code):
        return "characters"
    if not code[2:8].isdigit():
        return "division"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def normalise(code: str) -> str:
    """Trim and upper-case what people type or paste (full-width characters included)."""
    import unicodedata

    return unicodedata.normalize("NFKC", code).strip().upper()


def division_code(code: str) -> str | None:
    """The registering authority's GB/T 2260 division (characters 3-8) of a valid code."""
    return code[2:8] if is_valid(code) else None


def province_code(code: str, provinces: Collection[str]) -> str | None:
    """The province-level division (the division's first two digits) of a valid code, when it is
    one of `provinces` (customers.reference_defaults.province_codes(), or the installation's)."""
    division = division_code(code)
    if division is None or division[:2] not in provinces:
        return None
    return division[:2]
