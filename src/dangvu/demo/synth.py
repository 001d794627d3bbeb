"""Synthetic data at scale (benchmarks, load tests): a realistic organization of N members, fast.

Shape (after the 2025 restructuring): a provincial committee → commune/ward committees of
1,000–3,000 members with chi bộ of ~22 members (8–36), plus about 12% of the members in agencies'
chi bộ cơ sở (~20 members) directly under the province. Above 300,000 members the root holds
"regions" of about 200,000 members each (kind: district-level committee), each shaped like a province.

Organizations are written with `core.bulk.bulk_insert` (each with its ESTABLISHED event and one open
period, exactly what the services would derive); members and their events with
`members.bulk.bulk_write` in chunks, so they follow the same replay rules as everything else.
Synthetic data are not audited (audit=False): they describe no real decision.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from dangvu import regulations as R
from dangvu.core.bulk import assign_ids, bulk_insert, instance_factory, page_cache
from dangvu.core.dates import BEGINNING
from dangvu.core.errors import DomainError
from dangvu.core.text import fold
from dangvu.members.bulk import bulk_write
from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.models import (
    Organization,
    OrganizationEvent,
    OrganizationEventKind,
    OrganizationPeriod,
)
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.models import UnitKind as U
from dangvu.organizations.services import tree_path

from .names import DAO, HOA, KHMU, KINH, MONG, THAI, full_name

D = dt.date
END = D(2026, 6, 30)
REGION_SIZE = 200_000
AGENCY_SHARE = 0.12
#: National mix (approximate): groups without their own name pool get Kinh-style names.
ETHNIC_MIX = {KINH: 84, "02": 2, THAI: 3, "06": 2, "05": 1.5, MONG: 2, "07": 1.5, HOA: 1, DAO: 1, KHMU: 0.5,
              "10": 0.75, "12": 0.75}
RELIGIONS = (("Phật giáo", 5), ("Công giáo", 3), ("Tin Lành", 1), ("Cao Đài", 1))
_SYL = ("An Bình Hòa Phú Tân Thịnh Hưng Long Xuân Thanh Đông Tây Nam Bắc Trung Hợp Quang Minh Thành Phúc Lộc"
        " Thọ Vĩnh Kim Ngọc Hồng Đức Nghĩa Thái Sơn Hải Hà Lâm Mỹ Yên Định Khánh Lạc Cẩm Gia").split()
_ADMITTED, _OFFICIAL, _CARD, _MOVED, _DIED, _OUT = (E.ADMITTED.value, E.MADE_OFFICIAL.value, E.CARD_ISSUED.value,
                                                   E.MOVED.value, E.DIED.value, E.TRANSFERRED_OUT.value)
_CELL_KINDS = (("thôn", 60), ("tổ dân phố", 15), ("Trường", 12), ("Trạm Y tế", 3), ("Công an", 5), ("Quân sự", 5))


@dataclass
class Node:
    code: str
    name: str
    kind: str
    unit_kind: str = ""
    size: int = 0  # members (cells only)
    children: list[Node] = field(default_factory=list)
    obj: Organization | None = None


def _commune_name(rng: random.Random, used: set) -> str:
    while True:
        name = f"{rng.choice(_SYL)} {rng.choice(_SYL)}"
        if name.split()[0] != name.split()[1] and name not in used:
            used.add(name)
            return name
        if len(used) > len(_SYL) ** 2 // 2:  # very large trees: number them
            name = f"{name} {len(used)}"
            used.add(name)
            return name


def _cells(rng: random.Random, prefix: str, place: str, n_members: int) -> list[Node]:
    cells, k = [], 0
    while n_members > 0:
        k += 1
        size = min(n_members, rng.randint(8, 36))
        if n_members - size < 5:
            size = n_members
        n_members -= size
        label = rng.choices([c[0] for c in _CELL_KINDS], weights=[c[1] for c in _CELL_KINDS])[0]
        name = {"thôn": f"Chi bộ thôn {place} {k}", "tổ dân phố": f"Chi bộ tổ dân phố số {k}",
                "Trường": f"Chi bộ Trường {rng.choice(('Mầm non', 'Tiểu học', 'THCS'))} {place} {k}",
                "Trạm Y tế": f"Chi bộ Trạm Y tế {place}", "Công an": f"Chi bộ Công an {place}",
                "Quân sự": f"Chi bộ Quân sự {place}"}[label]
        unit = {"thôn": U.VILLAGE, "tổ dân phố": U.VILLAGE, "Trường": U.SCHOOL, "Trạm Y tế": U.PUBLIC_SERVICE,
                "Công an": U.POLICE, "Quân sự": U.ARMY}[label]
        cells.append(Node(f"{prefix}-C{k:03d}", name, K.SUBORDINATE_CELL, unit, size))
    return cells


def plan_tree(n_members: int, seed: int) -> Node:
    """The organization tree for `n_members` members (cells carry their member counts)."""
    rng = random.Random(seed)
    root_code = f"SYN{seed}"
    used: set = set()
    if n_members > 300_000:
        k = max(2, round(n_members / REGION_SIZE))
        root = Node(root_code, f"Đảng bộ tổng hợp SYN{seed}", K.PROVINCIAL)
        sizes = [n_members // k + (1 if i < n_members % k else 0) for i in range(k)]
        regions = [Node(f"{root_code}-R{i + 1:02d}", f"Đảng bộ khu vực {i + 1} (SYN{seed})", K.DISTRICT)
                   for i in range(k)]
        root.children = regions
    else:
        root = Node(root_code, f"Đảng bộ tỉnh tổng hợp SYN{seed}", K.PROVINCIAL)
        sizes, regions = [n_members], [root]
    for region, size in zip(regions, sizes, strict=True):
        agencies = int(size * AGENCY_SHARE) if size >= 500 else 0
        communes = size - agencies
        i = 0
        while communes > 0:
            i += 1
            n = min(communes, rng.randint(1000, 3000))
            if communes - n < 300:
                n = communes
            communes -= n
            place = _commune_name(rng, used)
            is_ward = rng.random() < 0.2
            code = f"{region.code}-X{i:03d}"
            node = Node(code, f"Đảng bộ {'phường' if is_ward else 'xã'} {place}", K.GRASSROOTS_COMMITTEE,
                        U.WARD if is_ward else U.COMMUNE)
            node.children = _cells(rng, code, place, n)
            region.children.append(node)
        j = 0
        while agencies > 0:
            j += 1
            n = min(agencies, rng.randint(10, 30))
            agencies -= n
            region.children.append(Node(f"{region.code}-A{j:03d}", f"Chi bộ cơ quan số {j} ({region.code})",
                                        K.GRASSROOTS_CELL, U.AGENCY, n))
    return root


def _walk(node: Node, depth: int = 0):
    yield node, depth
    for c in node.children:
        yield from _walk(c, depth + 1)


def write_tree(root: Node) -> list[Node]:
    """Insert the organizations level by level (parents get their ids first); returns the cells."""
    levels: dict[int, list[tuple[Node, Node | None]]] = {}
    stack = [(root, None, 0)]
    while stack:
        node, parent, depth = stack.pop()
        levels.setdefault(depth, []).append((node, parent))
        stack.extend((c, node, depth + 1) for c in reversed(node.children))
    for depth in sorted(levels):
        rows = levels[depth]
        objs = []
        for node, parent in rows:
            node.obj = Organization(code=node.code, name=node.name, name_folded=fold(node.name), kind=node.kind,
                                    unit_kind=node.unit_kind, parent_id=parent.obj.pk if parent else None)
            objs.append(node.obj)
        assign_ids(Organization, objs)
        for node, parent in rows:
            node.obj.path = tree_path(parent.obj.path if parent else "/", node.obj.pk)
        bulk_insert(Organization, objs)
        bulk_insert(OrganizationEvent, [
            OrganizationEvent(organization_id=o.pk, kind=OrganizationEventKind.ESTABLISHED, effective_on=BEGINNING,
                              payload={"parent_id": o.parent_id, "kind": o.kind, "name": o.name}, note="")
            for o in objs
        ])
        bulk_insert(OrganizationPeriod, [
            OrganizationPeriod(organization_id=o.pk, parent_id=o.parent_id, kind=o.kind, name=o.name,
                               valid_from=BEGINNING, valid_to=None)
            for o in objs
        ])
    return [n for n, _ in _walk(root) if n.kind in (K.SUBORDINATE_CELL, K.GRASSROOTS_CELL)]


_new_member = instance_factory(Member)
_new_event = instance_factory(MemberEvent)


def _event(member: Member, **values) -> MemberEvent:
    ev = _new_event(**values)
    ev._state.fields_cache["member"] = member  # bulk_write reads ev.member
    return ev


def _day_between(rng: random.Random, a: dt.date, b: dt.date) -> dt.date:
    span = (b - a).days
    return a + dt.timedelta(days=rng.randint(0, max(span, 0)))


def _member(rng: random.Random, code: str, cell: Node, siblings: list[Node], eth_pop, eth_cum):
    sex = "F" if rng.random() < 0.35 else "M"
    eth = rng.choices(eth_pop, cum_weights=eth_cum)[0]
    admitted = _day_between(rng, D(1965, 1, 1), END) if rng.random() < 0.25 else _day_between(rng, D(2000, 1, 1), END)
    age = rng.randint(R.REGULATIONS[-1].min_age_months // 12, 45)
    birth = D(admitted.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
    religion = ""
    if rng.random() < 0.05:
        religion = rng.choices([r[0] for r in RELIGIONS], weights=[r[1] for r in RELIGIONS])[0]
    m = _new_member(code=code, full_name=full_name(rng, eth, sex), birth_date=birth, sex=sex, ethnicity=eth,
                    religion=religion, admitted_on=admitted, cell_id=cell.obj.pk, status="probationary")
    events = [_event(m, kind=_ADMITTED, effective_on=admitted, cell_id=cell.obj.pk)]
    official = R.probation_end(admitted, R.rules_on(admitted))
    if official > END:
        return m, events
    events.append(_event(m, kind=_OFFICIAL, effective_on=official))
    last = official
    x = rng.random()
    if x < 0.3:
        last = _day_between(rng, official, END)
        events.append(_event(m, kind=_CARD, effective_on=last, value=f"{rng.randint(0, 99999999):08d}"))
    if len(siblings) > 1 and rng.random() < 0.1 and last < END:
        dest = rng.choice(siblings)
        if dest is not cell:
            last = _day_between(rng, last + dt.timedelta(days=1), END)
            events.append(_event(m, kind=_MOVED, effective_on=last, cell_id=dest.obj.pk))
    y = rng.random()
    if y < 0.06 and last < END:
        kind = _DIED if y < 0.03 else _OUT
        events.append(_event(m, kind=kind, effective_on=_day_between(rng, last + dt.timedelta(days=1), END)))
    return m, events


def synth(n_members: int, seed: int = 1, *, batch: int = 50_000,
          progress: Callable[[int], None] | None = None, rating_years: tuple[int, ...] = ()) -> dict:
    """Generate `n_members` members (and their organization) into the database; returns counts.
    `rating_years`: also the recorded ratings of those years (`demo.ratings`), members and
    organizations, where each stood at the end of the year (not audited either)."""
    if n_members < 1:
        raise DomainError("Số đảng viên phải lớn hơn 0.", field="members")
    root = plan_tree(n_members, seed)
    if Organization.objects.filter(code=root.code).exists():
        raise DomainError(f"Đã có dữ liệu tổng hợp {root.code}; dùng --seed khác.", field="seed")
    with transaction.atomic():
        cells = write_tree(root)
    parents: dict[str, list[Node]] = {}
    for node, _depth in _walk(root):
        for c in node.children:
            if c.kind == K.SUBORDINATE_CELL:
                parents.setdefault(node.code, []).append(c)
    sibling_of = {c.code: parents.get(c.code.rsplit("-C", 1)[0], [c]) for c in cells}
    rng = random.Random(seed * 7919 + 1)
    eth_pop = list(ETHNIC_MIX)
    eth_cum = []
    acc = 0.0
    for w in ETHNIC_MIX.values():
        acc += w
        eth_cum.append(acc)
    members: list[Member] = []
    events: list[MemberEvent] = []
    written = {"members": 0, "events": 0, "periods": 0}

    def flush():
        counts = bulk_write(members, events, source="system", audit=False)
        for k in written:
            written[k] += counts[k]
        if progress:
            progress(len(members))
        members.clear()
        events.clear()

    n = 0
    with page_cache():
        for cell in cells:
            for _ in range(cell.size):
                n += 1
                m, evs = _member(rng, f"S{seed}-{n:07d}", cell, sibling_of[cell.code], eth_pop, eth_cum)
                members.append(m)
                events.extend(evs)
                if len(members) >= batch:
                    flush()
        if members:
            flush()
        written["ratings"] = synth_ratings(root.obj.path, rating_years, seed)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {"root": root.code, "organizations": sum(1 for _ in _walk(root)), "cells": len(cells), **written}


def synth_ratings(root_path: str, years, seed: int = 1) -> int:
    """The ratings of `years` for the subtree at `root_path` (`demo.ratings.year_ratings`), bulk
    inserted (synthetic: not audited); the number written."""
    from dangvu.assessment.models import Rating

    from .ratings import year_ratings

    n = 0
    for year in years:
        with transaction.atomic():
            ratings = year_ratings(year, seed=seed, root_path=root_path)
            bulk_insert(Rating, ratings)
        n += len(ratings)
    return n
