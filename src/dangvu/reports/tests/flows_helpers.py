"""What the flows tests share: the period of most tests and three short helpers."""

import datetime as dt

from dangvu.members.services import member_record_event
from dangvu.reports.queries import FLOW_KEYS, flow_members, flows

D = dt.date
F, T = D(2024, 1, 1), D(2024, 12, 31)  # the period of most tests


def record(member, kind, day, cell=None, value=""):
    return member_record_event(member, kind=kind, effective_on=day, cell=cell, value=value)


def figures(org, start=F, end=T):
    data = flows(org, start, end)
    return {k: v for k, v in data.items() if k in FLOW_KEYS and v}


def listed(org, key, start=F, end=T, milestone=None):
    return [(e.member.code, e.kind, e.effective_on) for e in flow_members(org, start, end, key, milestone)]
