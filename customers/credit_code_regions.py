"""The province a credit code was registered in, in the customers' region vocabulary.

Characters 3–8 of a unified social credit code are the registering authority's GB/T 2260
division (`credit_code.division_code`); its first two digits are the province. That is where the
customer registered, not necessarily where it is served: an empty region is filled from it, but a
region that says otherwise is kept and only flagged for a person to look at.
"""

from __future__ import annotations

from functools import cache

from customers import credit_code, reference_defaults


@cache
def _region_by_province() -> dict[str, str]:
    """GB/T 2260 province code -> the region key customers store (customers.reference.Region)."""
    legacy = reference_defaults.legacy_codes()["regions"]
    return {code: key for key, code in legacy.items() if code.isdigit()}


def registered_region(code: str) -> str | None:
    """The region key of the province a valid credit code was registered in, else None."""
    province = credit_code.province_code(code, reference_defaults.province_codes())
    return _region_by_province().get(province) if province else None


def region_disagreement(code: str, region: str) -> str | None:
    """The credit code's region when the customer's region is another province, else None (no
    region, an overseas region, or no valid code say nothing)."""
    registered = registered_region(code)
    if registered is None or not region or region == registered:
        return None
    return registered if region in _region_by_province().values() else None
