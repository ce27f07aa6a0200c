"""The audit log as one list: every audited table, newest first.

A page costs two queries whatever its length and however many tables exist:

1. keys — a UNION ALL of (when, source, id) of every table's rows that pass
   the filters, ordered and cut to the page by the database; each table gives
   only its newest rows down to the page's end (read from its date index), so
   the sort never covers the whole history;
2. details — a UNION ALL, over the tables present on the page, of those rows
   only: who, the action, the record's fields and those of the previous
   record of the same object (for the diff), and the names its label needs.
   Tables of different shapes fit one result because the fields travel as
   JSON objects.

No table is counted for the page (the log of a whole country is long): the
page knows only whether an older one follows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import F, IntegerField, JSONField, OuterRef, Subquery, Value
from django.db.models.functions import JSONObject
from django.utils import timezone

from .entries import Entry, entry
from .sources import TARGET_NAMES, Source, sources

EVENT = "event"  # the action filter's value for workflow moves
HISTORY_TYPES = ("+", "~", "-")
PAGE_SIZE = 50


def can_read_log(user) -> bool:
    """The log shows every region's plans, forms and people: superusers only."""
    return bool(user.is_active and user.is_superuser)


@dataclass(frozen=True)
class Criteria:
    """The log's filters; empty ones do not filter."""

    date_from: date | None = None
    date_to: date | None = None
    username: str = ""
    subject: str = ""  # a source key: "roadmaps.order"
    action: str = ""  # "+", "~", "-" or EVENT


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _columns(source: Source) -> tuple[str, str, str]:
    """(when, who, id) of a table."""
    if source.is_event:
        return "created_at", "actor", "pk"
    return "history_date", "history_user", "history_id"


def _filtered(source: Source, criteria: Criteria):
    """One table's rows that pass the filters, or None when they exclude it."""
    if criteria.subject and criteria.subject != source.key:
        return None
    if criteria.action and (criteria.action == EVENT) != source.is_event:
        return None
    when, who, _pk = _columns(source)
    rows = source.table._default_manager.all()
    if criteria.action in HISTORY_TYPES:
        rows = rows.filter(history_type=criteria.action)
    if criteria.date_from:
        rows = rows.filter(**{f"{when}__gte": _day_start(criteria.date_from)})
    if criteria.date_to:
        end = _day_start(criteria.date_to + timedelta(days=1))
        rows = rows.filter(**{f"{when}__lt": end})
    if criteria.username:
        users = get_user_model().objects.filter(username__iexact=criteria.username)
        rows = rows.filter(**{f"{who}__in": users.values("pk")})
    return rows


def _keys_branch(source: Source, criteria: Criteria, newest: int | None):
    """One table's part of the keys, or None when the filters exclude it.

    With `newest`, only the table's newest rows that many: each table reads
    them from its date index, and the union sorts a few rows per table, not
    the whole history.
    """
    rows = _filtered(source, criteria)
    if rows is None:
        return None
    when, _who, pk = _columns(source)
    if newest is not None:
        first = rows.order_by(f"-{when}", f"-{pk}").values(pk)[:newest]
        rows = source.table._default_manager.filter(**{f"{pk}__in": first})
    return rows.order_by().values(
        at=F(when), src=Value(source.index, IntegerField()), hid=F(pk)
    )


def log_keys(criteria: Criteria, newest: int | None = None):
    """The filtered log's keys {at, src, hid}, newest first (a queryset);
    with `newest`, only that many from the top are sure to be there."""
    branches = [
        branch
        for source in sources()
        if (branch := _keys_branch(source, criteria, newest)) is not None
    ]
    if not branches:
        return None
    if len(branches) > 1:
        branches = [branches[0].union(*branches[1:], all=True)]
    return branches[0].order_by("-at", "-src", "-hid")


def _data(source: Source) -> dict:
    """lookup -> expression of everything a row of the table shows."""
    prefix = f"{source.via}__" if source.is_event else ""
    pairs = {"id": F(f"{source.via}_id" if source.is_event else "id")}
    if source.is_event:
        pairs.update(
            _action=F("action"),
            _from=F("from_status"),
            _to=F("to_status"),
            _comment=F("comment"),
        )
    else:
        for f in source.diff_fields:
            pairs[f.attname] = F(f.attname)
            name = f.is_relation and TARGET_NAMES.get(f.related_model._meta.label_lower)
            if name:
                pairs[f"{f.name}__{name}"] = F(f"{f.name}__{name}")
    for lookup in source.describe.reads:
        pairs.setdefault(lookup, F(prefix + lookup))
    return pairs


def _details_branch(source: Source, rows):
    """The given rows of one table with when, who, what and the previous record."""
    when, who, pk = _columns(source)
    rows = rows.order_by()
    data = JSONObject(**_data(source))
    if source.is_event:
        action, prev = F("action"), Value(None, JSONField())
    else:
        older = (
            source.table._default_manager.filter(
                id=OuterRef("id"), history_id__lt=OuterRef("history_id")
            )
            .order_by("-history_id")
            .values(j=JSONObject(**_data(source)))[:1]
        )
        action, prev = F("history_type"), Subquery(older, output_field=JSONField())
    return rows.values(
        at=F(when),
        src=Value(source.index, IntegerField()),
        hid=F(pk),
        who=F(f"{who}__username"),
        act=action,
        data=data,
        prev=prev,
    )


def _by_ids(source: Source, ids: list[int]):
    _when, _who, pk = _columns(source)
    return source.table._default_manager.filter(**{f"{pk}__in": ids})


def entries_for(keys: list[dict]) -> list[Entry]:
    """The entries of the given keys, in their order (one query)."""
    if not keys:
        return []
    table = sources()
    ids = defaultdict(list)
    for key in keys:
        ids[key["src"]].append(key["hid"])
    branches = [
        _details_branch(table[src], _by_ids(table[src], hids))
        for src, hids in ids.items()
    ]
    if len(branches) > 1:
        # A union takes the first model's default ordering: none is wanted.
        branches = [branches[0].union(*branches[1:], all=True).order_by()]
    details = {(row["src"], row["hid"]): row for row in branches[0]}
    return [
        entry(table[key["src"]], key["at"], details[key["src"], key["hid"]])
        for key in keys
        if (key["src"], key["hid"]) in details
    ]


@dataclass
class LogPage:
    entries: list[Entry]
    number: int
    has_next: bool
    size: int = PAGE_SIZE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.entries) - 1


def log_page(criteria: Criteria, number: int, size: int | None = None) -> LogPage:
    """One page of the log, and whether an older page follows."""
    size = size or PAGE_SIZE
    offset = (number - 1) * size
    keys = log_keys(criteria, newest=offset + size + 1)
    if keys is None:
        return LogPage([], number, False, size)
    rows = list(keys[offset : offset + size + 1])
    return LogPage(entries_for(rows[:size]), number, len(rows) > size, size)


def log_count(criteria: Criteria) -> int:
    keys = log_keys(criteria)
    return 0 if keys is None else keys.count()


def log_entries(criteria: Criteria) -> Iterator[Entry]:
    """Every entry of the filtered log, newest first, in one streamed query
    (a UNION ALL of every table's details), whatever the log's length."""
    table = sources()
    branches = [
        _details_branch(source, rows)
        for source in table
        if (rows := _filtered(source, criteria)) is not None
    ]
    if not branches:
        return
    if len(branches) > 1:
        branches = [branches[0].union(*branches[1:], all=True)]
    for row in branches[0].order_by("-at", "-src", "-hid").iterator(chunk_size=500):
        yield entry(table[row["src"]], row["at"], row)
