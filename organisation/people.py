"""Writing the people file (load_people) and reading it back out (dump_people).

The file is the truth for the people it names: their names, e-mail, phone, whether they are
active, and every role membership they hold (one not in the file is ended). People it does not
name are left alone. A leaver (`active = no`) is deactivated, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from organisation.models import (
    ROLE_LEVEL,
    BusinessGroup,
    BusinessUnit,
    Profile,
    Role,
    RoleMembership,
    Segment,
)
from organisation.password_links import directory_sign_in, password_link_send
from organisation.people_file import (
    COLUMNS,
    PeopleFile,
    Person,
    UnitCodes,
    check_people_rows,
    read_people_file,
)
from prioritizer.spreadsheets import Sheet
from prioritizer.tabular import Problem, Refused, refusal

UNIT_FIELD = {"bg": "business_group", "bu": "business_unit", "segment": "segment"}
UNIT_MODEL = {"bg": BusinessGroup, "bu": BusinessUnit, "segment": Segment}


@dataclass
class PeopleLoadResult:
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    memberships_added: int = 0
    memberships_ended: int = 0
    invited: int = 0  # new people e-mailed a link to set their password
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def people_load(
    *,
    file_bytes: bytes | None = None,
    rows: list[tuple[int, dict[str, Any]]] | None = None,
    filename: str = "",
    by=None,
    dry_run: bool = False,
) -> PeopleLoadResult:
    """Load a people file (its bytes, or rows already read: (row number, {column: value}));
    all or nothing: any problem refuses the whole file and nothing is written."""
    units = {level: _units_by_code(model) for level, model in UNIT_MODEL.items()}
    codes = UnitCodes(**{level: frozenset(found) for level, found in units.items()})
    if file_bytes is not None:
        refused = refusal(file_bytes)
        if refused is not None:
            return PeopleLoadResult(problems=[refused])
        try:
            checked = read_people_file(file_bytes, filename, codes)
        except Refused as exc:
            return PeopleLoadResult(problems=[exc.problem])
    else:
        checked = check_people_rows(rows or [], codes)
    if not checked.problems:
        checked.problems.extend(_username_case_clashes(checked))
    if not checked.problems and by is not None:
        checked.problems.extend(_self_deactivation(checked, by))
    result = PeopleLoadResult(problems=checked.problems, rows=checked.rows, dry_run=dry_run)
    if result.ok:
        with transaction.atomic():
            _write(checked.people, units, result, by)
            if dry_run:
                transaction.set_rollback(True)
    return result


def _units_by_code(model) -> dict[str, Any]:
    return {unit.code: unit for unit in model.objects.all()}


def _username_case_clashes(checked: PeopleFile) -> list[Problem]:
    """A new username that differs only in case from an existing one would be a second
    account for one person (directory sign-in matches usernames without regard to case)."""
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    existing = {username.casefold(): username for username in sorted(usernames)}
    problems = []
    for person in checked.people.values():
        other = existing.get(person.username.casefold())
        if other is not None and person.username not in usernames:
            problems.append(
                Problem(
                    person.row,
                    "username",
                    _("“%(username)s” differs only in case from the existing user “%(other)s”.")
                    % {"username": person.username, "other": other},
                )
            )
    return problems


def _self_deactivation(checked: PeopleFile, by) -> list[Problem]:
    person = checked.people.get(by.username)
    if person is None or person.active:
        return []
    return [Problem(person.row, "active", _("You cannot deactivate yourself."))]


def _write(people: dict[str, Person], units: dict[str, dict], result: PeopleLoadResult, by) -> None:
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in=list(people))
        .select_related("profile")
        .prefetch_related("role_memberships__business_group")
        .prefetch_related("role_memberships__business_unit", "role_memberships__segment")
    }
    for person in people.values():
        user = users.get(person.username)
        changed, deactivated_before = False, result.deactivated
        if user is None:
            user = _user_create(person)
            result.created += 1
            if user.email and user.is_active and not result.dry_run and not directory_sign_in():
                password_link_send(user=user)
                result.invited += 1
        else:
            changed = _user_update(user, person, result)
        changed = _phone_write(user, person.phone) or changed
        deactivated = result.deactivated != deactivated_before
        added, ended = _memberships_write(user, person.memberships, units, by)
        result.memberships_added += added
        result.memberships_ended += ended
        if changed:
            result.updated += 1
        elif person.username in users and not (added or ended or deactivated):
            result.unchanged += 1


def _user_values(person: Person) -> dict[str, Any]:
    return {
        "last_name": person.family_name,
        "first_name": person.given_name,
        "email": person.email,
        "is_active": person.active,
    }


def _user_create(person: Person):
    user = get_user_model()(username=person.username, **_user_values(person))
    # New people set their own password (a reset link) or sign in through the directory.
    user.set_unusable_password()
    user.save()
    return user


def _user_update(user, person: Person, result: PeopleLoadResult) -> bool:
    """Whether anything but deactivation changed (a deactivation is counted on its own)."""
    values = _user_values(person)
    differing = [key for key, value in values.items() if getattr(user, key) != value]
    if not differing:
        return False
    if user.is_active and not person.active:
        result.deactivated += 1
    for key in differing:
        setattr(user, key, values[key])
    user.save(update_fields=differing)
    return differing != ["is_active"] or person.active


def _phone_write(user, phone: str) -> bool:
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        profile = None
    if profile is None:
        if not phone:
            return False
        Profile.objects.create(user=user, phone=phone)
        return True
    if profile.phone == phone:
        return False
    profile.phone = phone
    profile.save(update_fields=["phone"])
    return True


def _memberships_write(user, wanted: set[tuple[str, str]], units: dict, by) -> tuple[int, int]:
    """Add the memberships the file gives, end (delete) those it does not; (added, ended).
    Both are recorded in the memberships' history, with who loaded the file."""
    held = {(m.role, m.unit.code): m for m in user.role_memberships.all()}
    ended = [membership for key, membership in held.items() if key not in wanted]
    for membership in ended:
        membership._history_user = by
        membership.delete()
    new = []
    for role, code in sorted(wanted - set(held)):
        level = ROLE_LEVEL[role]
        new.append(RoleMembership(user=user, role=role, **{UNIT_FIELD[level]: units[level][code]}))
    bulk_create_with_history(new, RoleMembership, default_user=by)
    return len(new), len(ended)


# --- The dump ------------------------------------------------------------------------------

ROLE_ORDER = {role.value: index for index, role in enumerate(Role)}


def people_sheet() -> Sheet:
    """Every person, one row per role membership (a person without one: one row without a
    role), in the columns load_people reads."""
    return Sheet(key="people", title="people", headers=list(COLUMNS), rows=_dump_rows())


def _dump_rows():
    users = (
        get_user_model()
        .objects.order_by("username")
        .select_related("profile")
        .prefetch_related(
            "role_memberships__business_group",
            "role_memberships__business_unit",
            "role_memberships__segment",
        )
    )
    for user in users:
        try:
            phone = user.profile.phone
        except Profile.DoesNotExist:
            phone = ""
        person = [user.username, user.last_name, user.first_name, user.email, phone]
        active = "yes" if user.is_active else "no"
        memberships = sorted(
            ((m.role, m.unit.code) for m in user.role_memberships.all()),
            key=lambda item: (ROLE_ORDER[item[0]], item[1]),
        )
        for role, code in memberships or [("", "")]:
            yield [*person, role, code, active]
