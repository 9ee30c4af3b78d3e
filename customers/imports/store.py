"""Where the customer import writes: set-based statements, each with its history records.

`customers.imports.service` works out, in Python, every customer, segment link, customer-year and
rating that a file creates or changes; a store writes them. Two stores do the same thing:

- `CopyStore` (PostgreSQL): each kind of row is streamed with one `COPY` into a temporary
  table, then written with one `INSERT … SELECT … ON CONFLICT` or `UPDATE … FROM`, and its
  django-simple-history records with one `INSERT INTO historical… SELECT` that reads the rows
  as stored. 100,000 rows cost a handful of statements instead of hundreds of multi-row inserts.
- `SqlStore` (any database, SQLite in development and tests): multi-row
  `INSERT … ON CONFLICT … RETURNING` in batches.

Both run inside the import's transaction: a failure part-way leaves nothing written. Table and
column names come from the models' metadata; values are parameters or `COPY` data, never SQL.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.db import connection

from customers.completeness import FACT_FIELDS
from customers.models import AttributeValue, Customer, CustomerYear

CUSTOMER_FIELDS = ("name_zh", "name_en", "region", "industry")
YEAR_FIELDS = (*FACT_FIELDS, "completeness")
BATCH = 1000
CREATED, CHANGED = "+", "~"


def store_for(*, now, user_id: int | None, reason: str) -> _Store:
    store = CopyStore if connection.vendor == "postgresql" else SqlStore
    return store(now=now, user_id=user_id, reason=reason)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _quote(model._meta.db_table)


class _Store:
    """What both stores share: the time stamp, who and why for history, full new rows."""

    def __init__(self, *, now, user_id: int | None, reason: str):
        self.stamp = connection.ops.adapt_datetimefield_value(now)
        self.user_id = user_id
        self.reason = reason

    def full_row(self, model, values: dict) -> dict:
        """Every column of a new row: the given values, else the field's default."""
        row = {}
        for column in model._meta.concrete_fields:
            if column.primary_key:
                continue
            if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
                row[column.attname] = self.stamp
            elif column.attname in values:
                row[column.attname] = values[column.attname]
            else:
                row[column.attname] = column.get_default()
        return row


# --- PostgreSQL ---------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search


def _copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if type(value) is str:
        # translate() maps Chinese text a character at a time: only when something needs it.
        return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE(value) else value
    if value is True or value is False:
        return "t" if value else "f"
    return str(value)


def _copy_text(rows: Iterable[tuple]) -> str:
    return "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)


class CopyStore(_Store):
    """PostgreSQL: COPY into temporary tables, then one statement per table and per history."""

    def _stage(self, name: str, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """A temporary table `name` with `columns` of `model` and a history kind, filled by COPY.

        Dropped at commit, and before being made again: two imports in one transaction (tests)
        each get their own. Always named in `pg_temp`, so no permanent table can be meant.
        """
        names = ", ".join(_quote(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS "  # noqa: S608 - identifiers from model metadata
                f"SELECT {names}, ''::varchar(1) AS kind FROM {_table(model)} WITH NO DATA"
            )
            cursor.copy_expert(
                f"COPY {name} ({names}, kind) FROM STDIN", io.StringIO(_copy_text(rows))
            )

    def _history(self, model, name: str, keys: tuple[str, ...]) -> None:
        """History records of the rows of `model` staged in `name`, read as now stored."""
        historical = model.history.model
        extra = {
            "history_date": self.stamp,
            "history_change_reason": self.reason,
            "history_user_id": self.user_id,
        }
        targets, sources, params = [], [], []
        for field in historical._meta.concrete_fields:
            if field.primary_key:
                continue
            targets.append(_quote(field.column))
            if field.attname == "history_type":
                sources.append("staged.kind")
            elif field.attname in extra:
                sources.append("%s")
                params.append(extra[field.attname])
            else:
                sources.append(f"stored.{_quote(field.column)}")
        join = " AND ".join(f"stored.{_quote(k)} = staged.{_quote(k)}" for k in keys)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_table(historical)} ({', '.join(targets)}) "  # noqa: S608 - identifiers from model metadata
                f"SELECT {', '.join(sources)} FROM {_table(model)} AS stored "
                f"JOIN {name} AS staged ON {join}",
                params,
            )

    def _upsert(self, model, name, columns, rows, *, keys, update) -> None:
        """Insert the staged rows, updating `update` (and updated_at) where `keys` exist."""
        self._stage(name, model, columns, rows)
        names = ", ".join(_quote(c) for c in columns)
        sets = [f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in update]
        stamped = any(f.attname == "updated_at" for f in model._meta.concrete_fields)
        if stamped:
            sets.append(f"{_quote('updated_at')} = EXCLUDED.{_quote('updated_at')}")
        conflict = f"DO UPDATE SET {', '.join(sets)}" if update else "DO NOTHING"
        stamp_column = f", {_quote('updated_at')}" if stamped else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_table(model)} ({names}{stamp_column}) "  # noqa: S608 - identifiers from model metadata
                f"SELECT {names}{', %s' if stamped else ''} FROM {name} "
                f"ON CONFLICT ({', '.join(_quote(k) for k in keys)}) {conflict}",
                [self.stamp] if stamped else [],
            )

    def create_customers(self, values: list[dict]) -> list[int]:
        if not values:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [Customer._meta.db_table, Customer._meta.pk.column, len(values)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        given = tuple(values[0])
        self._stage(
            "pg_temp.import_customer_new",
            Customer,
            ("id", *given),
            [(pk, *v.values(), CREATED) for pk, v in zip(ids, values, strict=True)],
        )
        # The other columns are the same for every new customer: their defaults, given once.
        defaults = {
            name: value for name, value in self.full_row(Customer, {}).items() if name not in given
        }
        names = ", ".join(_quote(c) for c in ("id", *given))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_table(Customer)} ({names}, {', '.join(map(_quote, defaults))}) "  # noqa: S608 - identifiers from model metadata
                f"SELECT {names}, {', '.join(['%s'] * len(defaults))} FROM pg_temp.import_customer_new",
                list(defaults.values()),
            )
        self._history(Customer, "pg_temp.import_customer_new", ("id",))
        return ids

    def update_customers(self, values_by_pk: dict[int, dict]) -> None:
        if not values_by_pk:
            return
        columns = ("id", *CUSTOMER_FIELDS)
        rows = [
            (pk, *(values[f] for f in CUSTOMER_FIELDS), CHANGED)
            for pk, values in values_by_pk.items()
        ]
        self._stage("pg_temp.import_customer_changed", Customer, columns, rows)
        sets = ", ".join(f"{_quote(f)} = staged.{_quote(f)}" for f in CUSTOMER_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table(Customer)} AS stored SET {sets}, updated_at = %s "  # noqa: S608 - identifiers from model metadata
                "FROM pg_temp.import_customer_changed AS staged WHERE stored.id = staged.id",
                [self.stamp],
            )
        self._history(Customer, "pg_temp.import_customer_changed", ("id",))

    def link_segments(self, links: list[tuple[int, int]]) -> None:
        if not links:
            return
        through = Customer.segments.through
        self._upsert(
            through,
            "pg_temp.import_customer_segment",
            ("customer_id", "segment_id"),
            [(*link, CREATED) for link in links],
            keys=("customer_id", "segment_id"),
            update=(),
        )

    def write_years(self, rows: list[tuple[dict, bool]]) -> None:
        if not rows:
            return
        columns = ("customer_id", "year", *YEAR_FIELDS)
        self._upsert(
            CustomerYear,
            "pg_temp.import_customer_year",
            columns,
            [(*(v[c] for c in columns), CREATED if new else CHANGED) for v, new in rows],
            keys=("customer_id", "year"),
            update=YEAR_FIELDS,
        )
        self._history(CustomerYear, "pg_temp.import_customer_year", ("customer_id", "year"))

    def write_ratings(self, rows: list[tuple[dict, bool]]) -> None:
        if not rows:
            return
        columns = ("customer_id", "year", "attribute_id", "option_id")
        self._upsert(
            AttributeValue,
            "pg_temp.import_attribute_value",
            columns,
            [(*(v[c] for c in columns), CREATED if new else CHANGED) for v, new in rows],
            keys=("customer_id", "year", "attribute_id"),
            update=("option_id",),
        )
        self._history(
            AttributeValue,
            "pg_temp.import_attribute_value",
            ("customer_id", "year", "attribute_id"),
        )


# --- Any database -------------------------------------------------------------------------


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqlStore(_Store):
    """Multi-row INSERT … ON CONFLICT … RETURNING, on PostgreSQL and SQLite alike.

    Django's bulk_create spends most of an import's time preparing each value in Python; these
    statements take the values as they are (Decimal, int, str, and datetimes adapted once).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # SQLite allows at most 32766 parameters in one statement.
        self.max_params = 30_000 if connection.vendor == "sqlite" else 60_000

    def _insert(self, model, rows: list[dict], *, conflict=None, update=None, returning=False):
        if not rows:
            return []
        columns = list(rows[0])
        names = ", ".join(_quote(c) for c in columns)
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        tail = ""
        if conflict is not None:
            target = ", ".join(_quote(c) for c in conflict)
            if update:
                sets = ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in update)
                tail = f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
            else:
                tail = f" ON CONFLICT ({target}) DO NOTHING"
        if returning:
            tail += f" RETURNING {_quote(model._meta.pk.column)}"
        size = max(1, min(BATCH * 2, self.max_params // len(columns)))
        ids = []
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, size):
                statement = (
                    f"INSERT INTO {_table(model)} ({names}) "  # noqa: S608 - identifiers from model metadata
                    f"VALUES {', '.join([one] * len(chunk))}{tail}"
                )
                cursor.execute(statement, [row[c] for row in chunk for c in columns])
                if returning:
                    ids.extend(r[0] for r in cursor.fetchall())
        return ids

    def _history(self, model, rows: list[dict], kind: str) -> None:
        """django-simple-history records of `rows` (full rows with their ids)."""
        if not rows:
            return
        historical = model.history.model
        extra = {
            "history_date": self.stamp,
            "history_change_reason": self.reason,
            "history_type": kind,
            "history_user_id": self.user_id,
        }
        columns = [f.attname for f in historical._meta.concrete_fields if not f.primary_key]
        records = [{c: extra[c] if c in extra else row.get(c) for c in columns} for row in rows]
        self._insert(historical, records)

    def create_customers(self, values: list[dict]) -> list[int]:
        rows = [self.full_row(Customer, v) for v in values]
        ids = self._insert(Customer, rows, returning=True)
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
        self._history(Customer, rows, CREATED)
        return ids

    def update_customers(self, values_by_pk: dict[int, dict]) -> None:
        rows = []
        for chunk in _chunks(list(values_by_pk), BATCH):
            for stored in Customer.objects.filter(pk__in=chunk).values():
                stored.update({f: values_by_pk[stored["id"]][f] for f in CUSTOMER_FIELDS})
                stored["updated_at"] = self.stamp
                rows.append(stored)
        self._insert(Customer, rows, conflict=["id"], update=[*CUSTOMER_FIELDS, "updated_at"])
        self._history(Customer, rows, CHANGED)

    def link_segments(self, links: list[tuple[int, int]]) -> None:
        rows = [{"customer_id": customer, "segment_id": segment} for customer, segment in links]
        through = Customer.segments.through
        self._insert(through, rows, conflict=["customer_id", "segment_id"], update=[])

    def _upsert_with_history(self, model, rows: list[tuple[dict, bool]], *, keys, update):
        full = [self.full_row(model, values) for values, _new in rows]
        ids = self._insert(model, full, conflict=keys, update=update, returning=True)
        for row, pk in zip(full, ids, strict=True):
            row["id"] = pk
        self._history(model, [r for r, (_v, new) in zip(full, rows, strict=True) if new], CREATED)
        self._history(
            model, [r for r, (_v, new) in zip(full, rows, strict=True) if not new], CHANGED
        )

    def write_years(self, rows: list[tuple[dict, bool]]) -> None:
        self._upsert_with_history(
            CustomerYear,
            rows,
            keys=["customer_id", "year"],
            update=[*YEAR_FIELDS, "updated_at"],
        )

    def write_ratings(self, rows: list[tuple[dict, bool]]) -> None:
        self._upsert_with_history(
            AttributeValue,
            rows,
            keys=["customer_id", "year", "attribute_id"],
            update=["option_id"],
        )
