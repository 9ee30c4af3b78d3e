"""Reading a people file (load_people): its columns, and each row checked into the people it
names and the role memberships each holds. No database: the unit codes that exist are passed in.

One row per role membership; a person's rows must agree on everything but role and unit. A row
with neither role nor unit names a person who holds no role (a leaver's last row, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from organisation.models import ROLE_LEVEL, Role
from prioritizer.tabular import (
    MAX_CELL,
    Problem,
    cell_text,
    header_key,
    header_lookup,
    map_header,
    read_table,
    require_columns,
)
from prioritizer.text import control_character, control_problem

# The columns, in file order, with their Chinese headers.
COLUMNS = {
    "username": "用户名",
    "family_name": "姓",
    "given_name": "名",
    "email": "电子邮箱",
    "phone": "电话",
    "role": "角色",
    "unit": "组织单元",
    "active": "在职",
}
ALIASES = {
    "last_name": "family_name",
    "surname": "family_name",
    "first_name": "given_name",
    "e_mail": "email",
    "邮箱": "email",
    "手机": "phone",
    "单位": "unit",
    "是否在职": "active",
}
REQUIRED = ("username", "role", "unit")
# What every row of one person must agree on.
PERSON_FIELDS = ("family_name", "given_name", "email", "phone", "active")
NAME_MAX = 150  # User.first_name / last_name
EMAIL_MAX = 254
PHONE_MAX = 30  # Profile.phone
YES = frozenset({"yes", "y", "true", "1", "是", "在职"})
NO = frozenset({"no", "n", "false", "0", "否", "离职"})


@dataclass(frozen=True)
class UnitCodes:
    """The codes of the org units that exist, by level ("bg", "bu", "segment")."""

    bg: frozenset[str]
    bu: frozenset[str]
    segment: frozenset[str]

    def of(self, level: str) -> frozenset[str]:
        return getattr(self, level)


@dataclass
class Person:
    username: str
    family_name: str
    given_name: str
    email: str
    phone: str
    active: bool
    row: int  # the person's first row
    memberships: set[tuple[str, str]] = field(default_factory=set)  # (role, unit code)


@dataclass
class PeopleFile:
    people: dict[str, Person]
    problems: list[Problem]
    rows: int


def read_people_file(file_bytes: bytes, filename: str, units: UnitCodes) -> PeopleFile:
    """The file's people, or its problems (raises tabular.Refused when it cannot be read)."""
    problems: list[Problem] = []
    rows, labels = read_table(
        file_bytes, filename, lambda header: _map_columns(header, problems), problems
    )
    if problems:  # a header problem: the rows cannot be read by column
        return PeopleFile({}, problems, len(rows))
    return check_people_rows(rows, units, labels)


def _map_columns(header: list, problems: list[Problem]):
    columns, labels = map_header(header, header_lookup(COLUMNS, ALIASES), problems, _unknown)
    require_columns(labels, REQUIRED, COLUMNS, problems)
    return columns, labels


def _unknown(index: int, text: str) -> Problem:
    if control_character(text) is not None or len(text) > MAX_CELL:
        return Problem(1, f"#{index + 1}", _("This header is not a column name."))
    return Problem(
        1,
        text,
        _("Unknown column “%(column)s”: use the columns of docs/file-formats.md.")
        % {"column": text},
    )


def role_lookup() -> dict[str, str]:
    """Role code, English or Chinese name (folded as headers are) -> role code."""
    lookup = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for role in Role:
                lookup[header_key(str(role.label))] = role.value
    for role in Role:
        lookup[header_key(role.value)] = role.value
    return lookup


def check_people_rows(
    rows: list[tuple[int, dict[str, Any]]], units: UnitCodes, labels: dict[str, str] | None = None
) -> PeopleFile:
    """Every row checked: each problem with its row and column, or the people to write."""
    labels = labels or {}
    roles = role_lookup()
    people: dict[str, Person] = {}
    membership_rows: dict[tuple[str, str, str], int] = {}
    taken: dict[tuple[str, str], Person] = {}
    problems: list[Problem] = []
    for number, cells in rows:

        def problem(key: str, message: str, number=number) -> None:
            problems.append(Problem(number, labels.get(key, key), message))

        text = {key: cell_text(cells.get(key)) for key in COLUMNS}
        for key, value in text.items():
            if reason := control_problem(value):
                problem(key, reason)
                text[key] = ""
        person = _check_person(text, number, problem)
        membership = _check_membership(text, roles, units, problem)
        if person is None:
            continue
        first = people.setdefault(person.username, person)
        if first is person:
            _check_unique(person, taken, problem)
        else:
            for key in PERSON_FIELDS:
                if getattr(first, key) != getattr(person, key):
                    problem(
                        key,
                        _(
                            "“%(username)s” has “%(value)s” here but “%(first)s” in row %(row)d: a person's rows must agree."
                        )
                        % {
                            "username": person.username,
                            "value": text[key],
                            "first": _shown(getattr(first, key)),
                            "row": first.row,
                        },
                    )
        if membership is None:
            continue
        seen = membership_rows.setdefault((person.username, *membership), number)
        if seen != number:
            problem("role", _("This role membership is also in row %(row)d.") % {"row": seen})
        first.memberships.add(membership)
    return PeopleFile({} if problems else people, problems, len(rows))


def _check_unique(person: Person, seen: dict[tuple[str, str], Person], problem) -> None:
    """Sign-in through the directory matches a person by username or e-mail, either without
    regard to case: two people of the file may not share one. `seen`: (column, folded value)
    -> the person first giving it."""
    other = seen.setdefault(("username", person.username.casefold()), person)
    if other is not person:
        problem(
            "username",
            _("“%(username)s” differs only in case from “%(other)s” in row %(row)d.")
            % {"username": person.username, "other": other.username, "row": other.row},
        )
    if person.email:
        other = seen.setdefault(("email", person.email.casefold()), person)
        if other is not person:
            problem(
                "email",
                _("This e-mail address is also given to “%(other)s” in row %(row)d.")
                % {"other": other.username, "row": other.row},
            )


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _check_person(text: dict[str, str], number: int, problem) -> Person | None:
    username = text["username"]
    valid = True
    if not username:
        problem("username", _("The username is required."))
        valid = False
    else:
        try:
            UnicodeUsernameValidator()(username)
            if len(username) > NAME_MAX:
                raise ValidationError("too long")
        except ValidationError:
            problem(
                "username",
                _(
                    "“%(value)s” is not a username: up to %(max)d letters, digits and @ . + - _ only."
                )
                % {"value": username, "max": NAME_MAX},
            )
            valid = False
    for key in ("family_name", "given_name"):
        if len(text[key]) > NAME_MAX:
            problem(key, _("At most %(max)d characters.") % {"max": NAME_MAX})
            valid = False
    email = text["email"]
    if email:
        try:
            validate_email(email)
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
        except ValidationError:
            problem("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
            valid = False
    if len(text["phone"]) > PHONE_MAX:
        problem("phone", _("At most %(max)d characters.") % {"max": PHONE_MAX})
        valid = False
    active = text["active"].casefold()
    if active and active not in YES | NO:
        problem(
            "active",
            _("“%(value)s” is not yes or no (是/否, true/false, 1/0); empty means yes.")
            % {"value": text["active"]},
        )
        valid = False
    if not valid:
        return None
    return Person(
        username=username,
        family_name=text["family_name"],
        given_name=text["given_name"],
        email=email,
        phone=text["phone"],
        active=active not in NO,
        row=number,
    )


def _level_names() -> dict[str, str]:
    return {"bg": _("business group"), "bu": _("business unit"), "segment": _("market segment")}


def _check_membership(
    text: dict[str, str], roles: dict[str, str], units: UnitCodes, problem
) -> tuple[str, str] | None:
    """(role, unit code), or None for a row without a role (or with a problem)."""
    given_role, code = text["role"], text["unit"]
    if not given_role and not code:
        return None
    if not given_role:
        problem("role", _("Give the role held over this unit."))
        return None
    role = roles.get(header_key(given_role))
    if role is None:
        problem(
            "role",
            _("Unknown role “%(value)s”: use one of %(roles)s, or its Chinese name.")
            % {"value": given_role, "roles": ", ".join(Role.values)},
        )
        return None
    level = ROLE_LEVEL[role]
    names = _level_names()
    if not code:
        problem("unit", _("Give the %(level)s this role is held for.") % {"level": names[level]})
        return None
    if code in units.of(level):
        return role, code
    other = next((other for other in names if code in units.of(other)), None)
    if other is not None:
        problem(
            "unit",
            _("%(role)s is held for a %(level)s, but “%(code)s” is a %(other)s.")
            % {
                "role": Role(role).label,
                "level": names[level],
                "code": code,
                "other": names[other],
            },
        )
    else:
        problem(
            "unit",
            _("No %(level)s has the code “%(code)s” (codes are case-sensitive).")
            % {"level": names[level], "code": code},
        )
    return None
