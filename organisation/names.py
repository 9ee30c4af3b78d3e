"""How a person's name reads: Chinese names family name first with no space (高鹏), others
given name first (Alice Smith). Django's own `get_full_name` writes "鹏 高"."""

import re

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def full_name(first_name: str, last_name: str) -> str:
    first, last = first_name.strip(), last_name.strip()
    if HAN.search(first) or HAN.search(last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def user_full_name(user) -> str:
    """Stands in for User.get_full_name (organisation.apps), which every page and export
    calls."""
    return full_name(user.first_name, user.last_name)
