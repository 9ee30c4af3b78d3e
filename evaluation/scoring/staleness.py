"""Which customers of a score run changed after it: the hint on the customer, run and list
pages that a score shown is out of date, with the offer to score the segment again.

A customer of a run counts as changed when, after the run was made (`run.created_at`):
- its facts of the run's facts year, or its rated attribute values of that year, have a
  history record (a survey form saved, an import, a value removed);
- a key decision maker among its contacts was added, changed or removed (the history of a
  contact that is or ever was one);
- a record of its master data has another region or industry than the record in force
  when the run was made;
- it left the segment or was archived (it has an entry but is no longer scored), or it joined
  the segment or was restored (it is scored now but has no entry).

Everything is read from the django-simple-history tables, which every form, service and the
bulk importer (customers/imports/store.py) write with `history_date`, indexed: the records after
a run are a range of that index, and the count is one query. Names and credit codes only order
exact ties, and are left out.

Measured on PostgreSQL, a segment of 100,000 customers: the count takes about 160 ms when
nothing changed (the members compared with the run's entries, index-only once the entries are
vacuumed; up to 0.6 s just after a run), 2.1 s after a re-import rewrote every customer; one
customer's check about 8 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from customers.models import AttributeValue, Contact, Customer, CustomerYear
from evaluation.models import ScoreEntry, ScoreRun, TargetList
from organisation import permissions
from organisation.permissions import Action


def _history(model):
    return model.history.model.objects.order_by()


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _changed_sql(run: ScoreRun, customer_id: int | None = None) -> tuple[str, list]:
    """SELECT customer_id of the run's changed customers (of one customer, if given).

    A UNION of small reads rather than one filter over every customer: the history branches
    are ranges of the `history_date` indexes, and the members compared with the run's entries
    are two anti-joins over indexes (a filter of OR-ed IN-subqueries over every customer took
    0.5 s on 100,000 customers, and over a minute after a full re-import).
    """
    one = {"customer_id": customer_id} if customer_id is not None else {}
    after = {"history_date__gt": run.created_at}
    contacts = _history(Contact)
    master = _history(Customer)
    # The customer's record in force when the run was made, to compare each later one with.
    at_run = master.filter(id=OuterRef("id"), history_date__lte=run.created_at).order_by(
        "-history_date", "-history_id"
    )
    touched = [
        _history(CustomerYear).filter(year=run.facts_year, **after, **one).values("customer_id"),
        _history(AttributeValue).filter(year=run.facts_year, **after, **one).values("customer_id"),
        contacts.filter(**after, **one)
        .filter(Exists(contacts.filter(id=OuterRef("id"), is_key_decision_maker=True)))
        .values("customer_id"),
        # A later record with another region or industry than the one in force at the run.
        master.filter(**after, **({"id": customer_id} if one else {}))
        .annotate(then=Subquery(at_run.values("history_id")[:1]))
        .exclude(
            Exists(
                master.filter(
                    history_id=OuterRef("then"),
                    region=OuterRef("region"),
                    industry=OuterRef("industry"),
                )
            )
        )
        .values("id"),
    ]
    scored = ScoreEntry.objects.order_by().filter(run=run, **one)
    members = Customer.segments.through.objects.order_by().filter(
        segment_id=run.segment_id, customer__archived_at__isnull=True, **one
    )
    left = scored.exclude(Exists(members.filter(customer_id=OuterRef("customer_id")))).values(
        "customer_id"
    )
    joined = members.exclude(
        Exists(ScoreEntry.objects.filter(run=run, customer_id=OuterRef("customer_id")))
    ).values("customer_id")
    parts = [_sql(q) for q in touched]
    scored_sql, scored_params = _sql(scored.values("customer_id"))
    left_sql, left_params = _sql(left)
    joined_sql, joined_params = _sql(joined)
    sql = (
        "SELECT t.customer_id FROM ("  # noqa: S608 - SQL compiled by the ORM, values as params
        + " UNION ".join(part for part, _params in parts)
        + f") t WHERE t.customer_id IN ({scored_sql}) UNION {left_sql} UNION {joined_sql}"
    )
    params = [p for _part, part_params in parts for p in part_params]
    return sql, params + scored_params + left_params + joined_params


def _read(sql: str, params: list) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # JIT compiling this plan costs seconds and saves nothing; after a full re-import
            # the half a million history ids are sorted in memory rather than on disk.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def changed_customer_ids(run: ScoreRun) -> set[int]:
    """The customers of the run's segment whose score inputs changed after the run."""
    return {row[0] for row in _read(*_changed_sql(run))}


def changed_count(run: ScoreRun) -> int:
    sql, params = _changed_sql(run)
    return _read(f"SELECT COUNT(*) FROM ({sql}) changed", params)[0][0]  # noqa: S608


def customer_changed(customer: Customer, run: ScoreRun) -> bool:
    sql, params = _changed_sql(run, customer.pk)
    return bool(_read(f"SELECT EXISTS ({sql})", params)[0][0])  # noqa: S608


# --- What the pages show ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hint:
    """The context of templates/evaluation/_stale_hint.html."""

    run: ScoreRun
    count: int  # customers changed since the run (1 or 0 on a customer's page)
    for_customer: bool
    may_rescore: bool
    score_url: str
    list_state: str  # the segment's current list past draft: its state's name, else ""
    revise_how: str  # for a list past draft: how to get the new scores onto it


def score_url(run: ScoreRun) -> str:
    """The score page of the run's segment and year, with the run's facts year filled in."""
    url = reverse("evaluation:score-runs", args=[run.segment.code, run.year])
    return f"{url}?{urlencode({'facts_year': run.facts_year})}"


def revise_how(target_list: TargetList | None) -> str:
    """What to do so that a re-scoring reaches a list past draft ("" for none or a draft)."""
    if target_list is None or target_list.state == TargetList.State.DRAFT:
        return ""
    return {
        TargetList.State.SUBMITTED: _(
            "The BU VP can send it back to draft; score again after that to rebuild it."
        ),
        TargetList.State.CONSOLIDATED: _(
            "The BG VP can send it back to the BU VP, who can send it back to draft; score "
            "again after that to rebuild it."
        ),
        TargetList.State.APPROVED: _(
            "Start a revision of the approved list: scoring again then rebuilds the draft "
            "revision, and the approved list stays as it is until the revision is approved."
        ),
    }[target_list.state]


def _current_list(run: ScoreRun) -> TargetList | None:
    return TargetList.objects.newest().filter(segment_id=run.segment_id, year=run.year).first()


def _hint(run: ScoreRun, user, count: int, *, for_customer: bool) -> Hint:
    current = _current_list(run)
    past_draft = current is not None and current.state != TargetList.State.DRAFT
    return Hint(
        run=run,
        count=count,
        for_customer=for_customer,
        may_rescore=permissions.can(user, Action.MANAGE_SEGMENT_LIST, run.segment),
        score_url=score_url(run),
        list_state=current.get_state_display() if past_draft else "",
        revise_how=revise_how(current),
    )


def run_hint(run: ScoreRun, user) -> Hint | None:
    """The run page's and a list page's hint: how many customers changed since the run; None
    when nothing did."""
    count = changed_count(run)
    return _hint(run, user, count, for_customer=False) if count else None


def list_hint(target_list: TargetList, user) -> Hint | None:
    """The hint of a list's page, about the run it was made from; none on an old revision."""
    if target_list.superseded_at is not None:
        return None
    return run_hint(target_list.run, user)


def customer_hint(customer: Customer, run: ScoreRun, user) -> Hint | None:
    """A customer's score from `run`: the hint when its inputs changed after the run."""
    if not customer_changed(customer, run):
        return None
    return _hint(run, user, 1, for_customer=True)
