"""The field-level audit log (django-auditlog) with who, when, from where (web, api, cli, import).

Every write goes through a service; signals of django-auditlog record single saves. Bulk writes
(imports, demo, synth) call `log_bulk_created` / `log_bulk_updated` so that they are audited too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable
from functools import partial
from itertools import groupby, repeat
from json.encoder import encode_basestring
from operator import attrgetter, itemgetter

from auditlog.context import auditlog_value, call_context_manager
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .bulk import insert_rows, reserve_ids

SOURCES = ("web", "api", "cli", "import", "system")
#: Where a write came from, as people read it (change logs, rating histories).
SOURCE_LABELS = {"web": gettext_lazy("Web"), "api": gettext_lazy("API"), "cli": gettext_lazy("Command line"),
                 "import": gettext_lazy("Import"), "system": gettext_lazy("System")}


@contextlib.contextmanager
def audit_context(*, actor=None, source: str = "system", remote_addr: str | None = None):
    """Attribute every audit entry written inside the block to `actor`, coming from `source`."""
    data = {"additional_data": {"source": source}, "remote_addr": remote_addr}
    if actor is not None and getattr(actor, "is_authenticated", False):
        data["actor"] = actor
    previous = auditlog_value.get(None)
    try:
        yield from call_context_manager(data)
    finally:
        # django-auditlog does not restore an enclosing context on exit; do it here so that a
        # nested context (an import started from a web request) neither leaks nor loses the outer one.
        if previous is not None:
            auditlog_value.set(previous)


BATCH = 5000


def acting_user(actor):
    """The user to record as the author of a write: `actor` when it is a logged-in user, else None
    (the command line, an anonymous or missing actor)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _s(v) -> str:
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


class _Writer:
    """LogEntry rows built column by column in the table's column order and inserted in batches (COPY
    on PostgreSQL, inserts of many rows on SQLite): Django's bulk_create was the slowest step of a large import."""

    VARYING = ("content_type_id", "object_pk", "object_id", "object_repr", "changes", "additional_data")

    def __init__(self, actor, source: str, action: int, at: dt.datetime | None = None):
        user = acting_user(actor)
        fields = list(LogEntry._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        timestamp = next(f for f in fields if f.attname == "timestamp")
        self.additional = json.dumps({"source": source})  # COPY's text format parses JSON text
        self.dumps = json.JSONEncoder(ensure_ascii=False).encode
        self.constant = {
            "actor_id": user.pk if user else None,
            "actor_email": (getattr(user, "email", None) or None) if user else None,
            "action": action,
            "changes_text": "",
            "serialized_data": None,
            "cid": None,
            "remote_addr": None,
            "remote_port": None,
            "timestamp": timestamp.get_db_prep_save(at or timezone.now(), connection),
        }
        self.names = [f.attname for f in fields]
        self.values: dict[str, list] = {n: [] for n in self.VARYING}

    def add(self, ct_id: int, pks: list, reprs: Iterable[str], changes: Iterable[dict | str],
            additional: Iterable[str | None] | None = None) -> None:
        """Entries about the objects of one content type whose primary keys are `pks`, with their
        texts, their `changes` (dicts, or their JSON texts) and their `additional_data` texts (None:
        the source alone)."""
        v, n = self.values, len(pks)
        v["content_type_id"] += repeat(ct_id, n)
        v["object_pk"] += ("" if p is None else str(p) for p in pks)
        v["object_id"] += pks
        v["object_repr"] += (r[:200] for r in reprs)
        v["changes"] += (c if type(c) is str else self.dumps(c) for c in changes)
        v["additional_data"] += repeat(self.additional, n) if additional is None else \
            (a or self.additional for a in additional)
        if len(v["object_id"]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        n = len(self.values["object_id"])
        if not n:
            return
        values = {**self.values, "id": reserve_ids(LogEntry._meta.db_table, n)}
        columns = [values[name] if name in values else repeat(self.constant.get(name), n) for name in self.names]
        insert_rows(LogEntry._meta.db_table, self.columns, list(zip(*columns, strict=False)))
        self.values = {name: [] for name in self.VARYING}


def _audited(model) -> tuple[list[str], list[str]]:
    """(names, attnames) of the fields audited for `model`."""
    excluded = set(auditlog.get_model_fields(model).get("exclude_fields") or ()) if auditlog.contains(model) else set()
    fields = [f for f in model._meta.concrete_fields if f.attname != "id" and f.name not in excluded]
    return [f.name for f in fields], [f.attname for f in fields]


class _Fields:
    """The JSON text of a CREATE entry's `changes` for objects of one model: {field name: ["None",
    value as text]} with the non-empty values, as django-auditlog writes it for one save.

    `many(objects)` works column by column, in C-level loops (`map`, `zip`, `str.join`): the text of
    each (field, value) pair is kept and reused, most values repeat (sex, status, cells, dates, ...);
    the values of a field that brings more than `DISTINCT` new ones (names, codes) are written as they
    come, in one pass per type."""

    DISTINCT = 512

    def __init__(self, names: list[str], attnames: list[str]):
        self.get = attrgetter(*attnames) if len(attnames) > 1 else (lambda o: (getattr(o, attnames[0]),))
        self.pick = itemgetter(*attnames) if len(attnames) > 1 else (lambda d: (d[attnames[0]],))
        self.heads = [f'{encode_basestring(n)}: ["None", ' for n in names]
        # per field: the text of each value seen, keyed by the value (one field holds values of one
        # type: a bool field never sees the int 1); empty values (None, "") are left out of the text
        self.known: list[dict] = [{None: "", "": ""} for _ in names]

    def text(self, head: str, v) -> str:
        if v is None or v == "":
            return ""
        return f"{head}{encode_basestring(v if type(v) is str else _s(v))}]"

    def _distinct(self, head: str, values: list) -> list[str]:
        """The text of each of these non-empty values, in one pass when they are all of one plain
        type, else value by value."""
        types = set(map(type, values))
        if types == {str}:
            return [f"{head}{encode_basestring(v)}]" for v in values]
        if types == {dt.date}:  # ISO dates need no escaping
            return [f'{head}"{v.isoformat()}"]' for v in values]
        if types == {int}:
            return [f'{head}"{v}"]' for v in values]
        return [self.text(head, v) for v in values]

    def _column(self, known: dict, head: str, values: tuple) -> list[str]:
        """The text of each value of one field ("" for an empty one): the values seen before are
        remembered (`known`, seeded with the empty ones); new ones are remembered too, unless there
        are too many of them (names, codes, dates of birth), which are written as they come."""
        try:
            texts = list(map(known.get, values))
        except TypeError:  # an unhashable value (a JSON field's)
            return [self.text(head, v) for v in values]
        if None in texts:
            missed = [j for j, t in enumerate(texts) if t is None]
            new = set(map(values.__getitem__, missed))
            if len(known) + len(new) > self.DISTINCT:
                for j, t in zip(missed, self._distinct(head, [values[j] for j in missed]), strict=True):
                    texts[j] = t
                return texts
            for v in new:
                known[v] = self.text(head, v)
            for j in missed:
                texts[j] = known[values[j]]
        return texts

    def many(self, objects: list) -> list[str]:
        """The JSON text of each object."""
        if not objects:
            return []
        try:  # the values as the instances hold them (a foreign key's descriptor is a Python call)
            rows = list(map(self.pick, map(_DICT, objects)))
        except KeyError:  # a deferred field: read through the model
            rows = list(map(self.get, objects))
        values = zip(*rows, strict=True)
        columns = [self._column(known, head, col) for known, head, col in zip(self.known, self.heads, values, strict=True)]
        return list(map(_BRACED, map(", ".join, map(_NON_EMPTY, zip(*columns, strict=True)))))


_BRACED = "{{{}}}".format
_DICT = attrgetter("__dict__")
_NON_EMPTY = partial(filter, None)


def log_bulk_created(objects, *, actor=None, source: str = "import") -> int:
    """One CREATE entry per object written in bulk (bulk writes send no signals), with its non-empty
    values, as django-auditlog writes for a single save (field name → ["None", value])."""
    w = _Writer(actor, source, LogEntry.Action.CREATE)
    n = 0
    for model, same in groupby(objects, key=type):  # runs of one model: its texts column by column
        rep = model.bulk_repr() if hasattr(model, "bulk_repr") else str
        # the primary key by its attribute (the `pk` property costs a Python call per read)
        pk = attrgetter(model._meta.pk.attname) if not model._meta.parents else (lambda o: o.pk)
        ct_id, changes = ContentType.objects.get_for_model(model).pk, _Fields(*_audited(model))
        same = list(same)
        for i in range(0, len(same), BATCH):
            run = same[i:i + BATCH]
            w.add(ct_id, list(map(pk, run)), map(rep, run), changes.many(run))
            n += len(run)
    w.flush()
    return n


def batch_label(model) -> str:
    """The key of `model`'s ids in a batch entry's `additional_data["created"]`."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def log_bulk_batch(model, created: dict[type, list[int]], *, at: dt.datetime, actor=None,
                   source: str = "import") -> None:
    """One CREATE entry for a batch of `model` objects created together in bulk, with the objects
    created with them (an import's chunk of new members and their events): their ids by model in
    `additional_data["created"]` ({"members.member": [...], "members.memberevent": [...]}), no object
    id, and the time stamp `at`, which is the objects' own creation time (`created_at`): an object's
    entry is found by it (members.change_log).

    An entry per object cost an import more than any table but the events (a row with three indexes
    and two JSON documents, and their texts; bench/findings.md, session 10) and told nothing their rows
    do not: the values an object was created with are its values now, less the changes made since,
    each audited with its before and after (members.change_log shows them so)."""
    w = _Writer(actor, source, LogEntry.Action.CREATE, at=at)
    ids = ", ".join(f"{encode_basestring(batch_label(m))}: {json.dumps(list(pks))}" for m, pks in created.items())
    extra = f'{{"source": {encode_basestring(source)}, "created": {{{ids}}}}}'
    count = len(created.get(model, ()))
    w.add(ContentType.objects.get_for_model(model).pk, [None], [f"{count} × {batch_label(model)}"], ["{}"], [extra])
    w.flush()


def log_bulk_updated(entries: list[tuple[object, dict]], *, actor=None, source: str = "import") -> int:
    """One UPDATE entry per (object, {field: [old, new]}) written in bulk."""
    w = _Writer(actor, source, LogEntry.Action.UPDATE)
    for obj, changes in entries:
        ct_id = ContentType.objects.get_for_model(type(obj)).pk
        w.add(ct_id, [obj.pk], [str(obj)], [{k: [_s(a), _s(b)] for k, (a, b) in changes.items()}])
    w.flush()
    return len(entries)


def log_access(user, event: str, *, username: str = "", request=None, **details) -> LogEntry:
    """One ACCESS entry about an account (logins, logouts, failures, API tokens, downloads of files):
    on the user's row, or on the username typed when there is no such user; `details` in
    `additional_data` beside the event and the source."""
    from django.contrib.auth import get_user_model

    context = auditlog_value.get(None) or {}
    source = (context.get("additional_data") or {}).get("source", "system")
    remote_addr = context.get("remote_addr")
    if request is not None:
        source = "api" if request.path.startswith("/api/") else "web"
        remote_addr = request.META.get("REMOTE_ADDR")
    known = user is not None and getattr(user, "pk", None) is not None
    actor = acting_user(user) if event != "login_failed" else None
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_pk=str(user.pk) if known else username[:255],
        object_id=user.pk if known else None,
        object_repr=(user.get_username() if known else username)[:200],
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=actor,
        actor_email=(getattr(actor, "email", None) or None) if actor else None,
        remote_addr=remote_addr,
        additional_data={"source": source, "event": event, **details},
    )
    # bulk_create: no pre_save signal, whose audit context would replace additional_data with its own
    LogEntry.objects.bulk_create([entry])
    return entry


class AuditMiddleware:
    """Set the actor and the source (web or api) of every write done while serving a request; record
    every file handed to a logged-in user (exports of lists, reports, documents: personal data) as an
    `export` entry with the address asked and the file's name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        user = getattr(request, "user", None)
        with audit_context(actor=user, source=source, remote_addr=request.META.get("REMOTE_ADDR")):
            response = self.get_response(request)
            disposition = response.get("Content-Disposition", "")
            user = getattr(request, "user", None)  # the API's authentication sets it during the view
            if disposition.startswith("attachment") and getattr(user, "is_authenticated", False):
                log_access(user, "export", request=request, path=request.get_full_path(),
                           file=disposition.partition("filename")[2].lstrip("*=\"'").rstrip('"'))
            return response
