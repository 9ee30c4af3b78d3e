"""Pages of the customer list over 100,000 customers, without reading every row before them.

Orders that an index gives (name, credit code) cost only the rows read to reach the page, so
an OFFSET deep into the list is what costs. Instead:

- "Next" and "Previous" name the customer at the edge of the page shown (`after` / `before`,
  an id); the page starts right after that customer's sort key (keyset paging), one short
  index range at any depth. Only the name order does this: the code is often empty, and where
  empty codes sort differs between databases.
- A page asked for by number is read from whichever end of the list is nearer, so no jump
  reads more than half of it.

Any other order (region, completeness, …) sorts every filtered row anyway; its pages keep the
OFFSET and take the count from the same query, `COUNT(*) OVER ()`, instead of a second pass.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, F, Window

PAGE_SIZE = 50
# Sort keys the list accepts (a whitelist: never order by what the URL says).
SORTS = {
    "name": ["name_zh"],
    "code": ["credit_code"],
    "bu": ["business_unit__code", "name_zh"],
    "region": ["region", "name_zh"],
    "industry": ["industry", "name_zh"],
    "status": ["status", "name_zh"],
    "completeness": ["year_completeness", "name_zh"],
}
# Sorts an index gives in order, either way: the whole order reverses, ties by id included.
INDEXED = {"name": "name_zh", "code": "credit_code"}


def sort_from(value: str | None) -> str:
    value = value or "name"
    return value if value.lstrip("-") in SORTS else "name"


def ordering(sort: str) -> list:
    """ORDER BY of the list for `sort`, always ending with the id so every order is total."""
    key, descending = sort.lstrip("-"), sort.startswith("-")
    if key in INDEXED:
        column = INDEXED[key]
        return [f"-{column}", "-pk"] if descending else [column, "pk"]
    columns = list(SORTS[key])
    if columns[0] == "year_completeness":
        # Customers without facts for the year come last either way, on every database
        # (PostgreSQL would put them first when descending, SQLite last).
        first = F("year_completeness")
        columns[0] = first.desc(nulls_last=True) if descending else first.asc(nulls_last=True)
    elif descending:
        columns[0] = f"-{columns[0]}"  # only the chosen column descends; ties stay by name
    return [*columns, "pk"]


def _reverse(columns: list[str]) -> list[str]:
    return [column[1:] if column.startswith("-") else f"-{column}" for column in columns]


def customer_page(filtered, sorted_rows, *, sort: str, params) -> Page:
    """The page of customer ids that `params` (page, after, before) ask for.

    `filtered` is the list's rows unordered (for the count), `sorted_rows` the same ordered
    by `ordering(sort)`.
    """
    if sort.lstrip("-") not in INDEXED:
        return _counted_page(filtered, sorted_rows, params.get("page"))
    paginator = Paginator(sorted_rows.values_list("pk", flat=True), PAGE_SIZE)
    paginator.__dict__["count"] = filtered.count()
    if sort.lstrip("-") == "name" and (params.get("after") or params.get("before")):
        page = _keyset_page(filtered, sorted_rows, paginator, sort=sort, params=params)
        if page is not None:
            return page
    return _page_from_nearer_end(sorted_rows, paginator, sort, params.get("page"))


def _number(paginator: Paginator, wanted) -> int:
    """As Paginator.get_page reads a page number: not a number → 1, past the end → the last."""
    try:
        return paginator.validate_number(wanted)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def _page_from_nearer_end(sorted_rows, paginator: Paginator, sort: str, wanted) -> Page:
    number = _number(paginator, wanted)
    count = paginator.count
    start = (number - 1) * PAGE_SIZE
    end = min(start + PAGE_SIZE, count)
    rows = sorted_rows.values_list("pk", flat=True)
    if start <= count - end:
        pks = list(rows[start:end])
    else:  # the same rows, counted from the last one
        pks = list(rows.order_by(*_reverse(ordering(sort)))[count - end : count - start])
        pks.reverse()
    return Page(pks, number, paginator)


def _keyset_page(filtered, sorted_rows, paginator: Paginator, *, sort: str, params) -> Page | None:
    """The page after (or before) a customer, by name; None when that customer is not in
    the list (archived, filtered out, not visible), so the page number decides instead."""
    forward = bool(params.get("after"))
    try:
        edge_id = int(params.get("after") if forward else params.get("before"))
    except (TypeError, ValueError):
        return None
    edge = filtered.filter(pk=edge_id).values_list("name_zh", flat=True).first()
    if edge is None:
        return None
    # Rows past the edge in the direction of travel: larger keys when going forward through
    # an ascending list (or backward through a descending one), smaller otherwise.
    larger = forward != sort.startswith("-")
    if larger:
        rows = sorted_rows.filter(name_zh__gte=edge).exclude(name_zh=edge, pk__lte=edge_id)
    else:
        rows = sorted_rows.filter(name_zh__lte=edge).exclude(name_zh=edge, pk__gte=edge_id)
    if not forward:
        rows = rows.order_by(*_reverse(ordering(sort)))
    pks = list(rows.values_list("pk", flat=True)[:PAGE_SIZE])
    if not forward:
        if len(pks) < PAGE_SIZE:  # back at the start (or the list changed): the first page
            return _page_from_nearer_end(sorted_rows, paginator, sort, 1)
        pks.reverse()
    if not pks:
        return None  # nothing after it any more: the page number decides
    number = _number(paginator, params.get("page"))
    # The number is only shown; keep it consistent with where the page is.
    number = max(number, 2) if forward else min(number, paginator.num_pages - 1)
    return Page(pks, min(max(number, 1), paginator.num_pages), paginator)


def _counted_page(filtered, sorted_rows, wanted) -> Page:
    paginator = Paginator(sorted_rows.values_list("pk", flat=True), PAGE_SIZE)
    try:
        number = int(wanted or 1)
    except ValueError:
        number = 0  # get_page below shows the first page
    if number >= 1:
        start = (number - 1) * PAGE_SIZE
        rows = sorted_rows.annotate(total=Window(Count("pk"))).values_list("pk", "total")
        rows = list(rows[start : start + PAGE_SIZE])
        if rows:  # else past the end, or nothing matches: as below
            paginator.__dict__["count"] = rows[0][1]
            return Page([pk for pk, _total in rows], number, paginator)
    paginator.__dict__["count"] = filtered.count()
    return paginator.get_page(wanted)
