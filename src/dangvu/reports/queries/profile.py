"""`report profile` (contracts §3): the membership of a subtree on a day by sex, age band, party-age
band, ethnicity, religion, general education and political theory (the basic statistics table of
members, HD 11-HD/BTCTW form 3).

One statement counts every breakdown (GROUP BY per breakdown over one common table of the members
placed in the subtree that day; the same SQL on SQLite and PostgreSQL). The bands are compared in
SQL against cut-off dates computed once per band from the rules' own functions (`regulations`:
`age_in_months`, `party_age_years`), so that a member is in the band the rule gives. Party age
counts from the first admission decision (`lifecycle.services.party_age_start_from`) minus the time
outside the Party (ADR 0004): only members readmitted some day can have such a gap — they are few,
and their band is computed by the rule itself from their events, after the statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.ethnicity import ethnicity_name
from dangvu.lifecycle.services import party_age_start_from
from dangvu.members import history
from dangvu.members.models import MemberEvent, PoliticalTheory, Sex
from dangvu.organizations.models import Organization, OrganizationPeriod
from dangvu.organizations.selectors import valid_on_sql

from .common import ME, MP, E, M
from .snapshot import _subtree_on

#: The key of a member whose field is empty (contracts §3).
UNKNOWN = "unknown"
#: Religion: an empty field is "none" (the import stores `Không` as empty, as the snapshot counts it).
NO_RELIGION = "Không"
#: The breakdowns of `members`, in the order of the contract.
BREAKDOWNS = ("by_sex", "by_ethnicity", "by_religion", "by_age_band", "by_party_age_band", "by_education",
              "by_political_theory")
#: Defaults of the bands (settings DANGVU_REPORT_AGE_BANDS, DANGVU_REPORT_PARTY_AGE_BANDS): the lower
#: bound of each band in whole years. Ages as in the form 3 of HD 11-HD/BTCTW (18–30, 31–35, …, 56–60,
#: over 60); party age by tens of years.
DEFAULT_AGE_BANDS = (18, 31, 36, 41, 46, 51, 56, 61)
DEFAULT_PARTY_AGE_BANDS = (0, 10, 20, 30, 40)


def bands_setting(name: str, default: Sequence[int]) -> tuple[int, ...]:
    """The lower bounds of a band setting: whole numbers ≥ 0, strictly increasing."""
    value = getattr(settings, name, None) or default
    if isinstance(value, str):
        value = value.split(",")
    try:
        bounds = tuple(int(str(v).strip()) for v in value)
    except ValueError:
        bounds = ()
    if not bounds or bounds[0] < 0 or any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)):
        raise ImproperlyConfigured(
            f"{name} must list the lower bounds of the bands in years, increasing, e.g. 18,31,41: {value!r}")
    return bounds


def band_keys(bounds: Sequence[int]) -> list[str]:
    """The key of each band: "18-30", …, "61+"; a first band from 0 is "<10"."""
    keys = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] - 1 if i + 1 < len(bounds) else None
        if high is None:
            keys.append(f"{low}+")
        elif low == 0:
            keys.append(f"<{high + 1}")
        else:
            keys.append(f"{low}-{high}")
    return keys


def _latest_start(day: dt.date, years: int, reached: Callable[[dt.date], bool]) -> dt.date:
    """The latest start date (birth, party age start) from which `years` are reached on `day`, by the
    rule's own function `reached` (monotone: an earlier start reaches them too)."""
    cut = R.add_months(day, -12 * years)
    while not reached(cut):
        cut -= dt.timedelta(days=1)
    while reached(cut + dt.timedelta(days=1)):
        cut += dt.timedelta(days=1)
    return cut


def _band_case(column: str, bounds: Sequence[int], cuts: Sequence[dt.date | None]) -> tuple[str, list]:
    """CASE giving the band key of `column` (a start date) from the cut-off dates, oldest band first."""
    keys = band_keys(bounds)
    sql, params = "CASE", []
    for key, cut in reversed(list(zip(keys, cuts, strict=True))):
        if cut is None:  # a band from 0: everyone left
            break
        sql += f" WHEN {column} <= %s THEN %s"
        params += [cut, key]
    below = keys[0] if bounds[0] == 0 else f"<{bounds[0]}"
    return sql + " ELSE %s END", [*params, below]


def _age_cuts(day: dt.date, bounds: Sequence[int]) -> list[dt.date | None]:
    return [None if years == 0 else
            _latest_start(day, years, lambda birth, n=years: R.age_in_months(birth, day) >= 12 * n)
            for years in bounds]


def _party_age_cuts(day: dt.date, bounds: Sequence[int]) -> list[dt.date | None]:
    return [None if years == 0 else
            _latest_start(day, years, lambda start, n=years: R.party_age_years(start, day) >= n)
            for years in bounds]


def _profile_sql(org_id: int, day: dt.date, age_bounds, party_bounds) -> tuple[str, list]:
    """One statement: rows (breakdown, key, count) of the members placed in the subtree on `day`;
    party band NULL for the members readmitted some day (their gaps: `_gap_bands`)."""
    sub_sql, sub_params = _subtree_on(org_id, day)
    age_case, age_params = _band_case("starts.birth_date", age_bounds, _age_cuts(day, age_bounds))
    party_case, party_params = _band_case("starts.party_start", party_bounds, _party_age_cuts(day, party_bounds))
    # party age counts from the date in the first admission decision when one is on file and not after the
    # ceremony (lifecycle.services.party_age_start_from), else from the first admission: a join (not a
    # subquery per member), which the planner runs as a hash join for a province and by index for a
    # commune; a member has one ADMITTED event on the day of the first admission (the status machine
    # refuses an admission of a member), so the join adds no row
    columns = {"by_sex": "mem.sex", "by_ethnicity": "mem.ethnicity", "by_religion": "mem.religion",
               "by_education": "mem.general_education", "by_political_theory": "mem.political_theory_level",
               "by_age_band": "mem.age_band", "by_party_age_band": "mem.party_band"}
    parts = ["SELECT 'total', NULL, COUNT(*) FROM mem"]
    parts += [f"SELECT '{key}', {column}, COUNT(*) FROM mem GROUP BY {column}" for key, column in columns.items()]
    sql = (
        f"WITH s(id) AS ({sub_sql}),"
        f" starts AS (SELECT mp.sex, mp.ethnicity, mp.religion, m.general_education, m.political_theory_level,"
        f"  m.birth_date, m.readmitted_on, COALESCE(e.decision_date, m.admitted_on) AS party_start"
        f"  FROM {MP} mp JOIN {M} m ON m.id = mp.member_id"
        f"  LEFT JOIN {ME} e ON e.member_id = m.id AND e.kind = %s AND e.effective_on = m.admitted_on"
        f"   AND e.decision_date < m.admitted_on"
        f"  WHERE mp.cell_id IN (SELECT id FROM s) AND {valid_on_sql('mp')}),"
        f" mem AS (SELECT starts.*, {age_case} AS age_band,"
        f"  CASE WHEN starts.readmitted_on IS NOT NULL THEN NULL ELSE"
        f"  {party_case} END AS party_band FROM starts)"
        f" " + " UNION ALL ".join(parts)
    )
    params = [*sub_params, E.ADMITTED.value, day, day, *age_params, *party_params]
    return sql, params


def _gap_bands(org_id: int, day: dt.date, bounds: Sequence[int]) -> dict[str, int]:
    """The party-age bands of the members placed in the subtree on `day` who were readmitted some
    day (`Member.readmitted_on`): the rule itself on their events (history.gaps, party_age_start_from)."""
    sub_sql, sub_params = _subtree_on(org_id, day)
    with connection.cursor() as cur:
        cur.execute(
            f"WITH s(id) AS ({sub_sql}) SELECT m.id, m.admitted_on FROM {MP} mp JOIN {M} m ON m.id = mp.member_id"
            f" WHERE mp.cell_id IN (SELECT id FROM s) AND {valid_on_sql('mp')} AND m.readmitted_on IS NOT NULL",
            [*sub_params, day, day])
        admitted = dict(cur.fetchall())
    if not admitted:
        return {}
    events: dict[int, list[MemberEvent]] = {}
    for ev in MemberEvent.objects.filter(member_id__in=admitted, kind__in=history.GAP_EVENT_KINDS,
                                         effective_on__lte=day).only(
            "id", "member_id", "kind", "effective_on", "decision_date"):
        events.setdefault(ev.member_id, []).append(ev)
    keys = band_keys(bounds)
    counts: dict[str, int] = {}
    for member_id, admitted_on in admitted.items():  # the readmitted few: the rule per member
        own = events.get(member_id, [])
        years = R.party_age_years(party_age_start_from(own, admitted_on), day, history.gaps(own))
        index = max((i for i, low in enumerate(bounds) if years >= low), default=None)
        key = keys[index] if index is not None else f"<{bounds[0]}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _labels() -> dict[str, dict]:
    """The Vietnamese names the keys take (contracts §3: groups keyed by their Vietnamese names)."""
    with translation.override("vi"):
        return {"by_political_theory": {value: str(label) for value, label in PoliticalTheory.choices if value}}


def profile(org: Organization, as_of: dt.date) -> dict:
    """Contracts §3 `report profile`: the members placed in `org`'s subtree on `as_of`, their total and
    each breakdown (every `by_*` adds up to the total; an empty field counts under "unknown"). Bands
    always list every configured band (0 included); "unknown" and a band below the first bound appear
    only when some member is there."""
    name = OrganizationPeriod.objects.active_on(as_of).filter(organization=org).values_list("name", flat=True).first()
    if name is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(as_of)},
                          field="as_of")
    age_bounds = bands_setting("DANGVU_REPORT_AGE_BANDS", DEFAULT_AGE_BANDS)
    party_bounds = bands_setting("DANGVU_REPORT_PARTY_AGE_BANDS", DEFAULT_PARTY_AGE_BANDS)
    sql, params = _profile_sql(org.pk, as_of, age_bounds, party_bounds)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    total = next((int(n) for key, _v, n in rows if key == "total"), 0)
    members: dict = {"total": total, **{key: {} for key in BREAKDOWNS}}
    members["by_sex"] = {"male": 0, "female": 0}
    members["by_age_band"] = dict.fromkeys(band_keys(age_bounds), 0)
    members["by_party_age_band"] = dict.fromkeys(band_keys(party_bounds), 0)
    sexes = {Sex.MALE.value: "male", Sex.FEMALE.value: "female"}
    theory = _labels()["by_political_theory"]
    for breakdown, value, n in rows:
        if breakdown == "total" or (breakdown == "by_party_age_band" and value is None):
            continue
        text = (value or "").strip() if isinstance(value, str) else value
        if breakdown == "by_sex":
            key = sexes.get(text, UNKNOWN)
        elif breakdown == "by_ethnicity":
            key = ethnicity_name(text) if text else UNKNOWN
        elif breakdown == "by_religion":
            key = text or NO_RELIGION
        elif breakdown == "by_political_theory":
            key = theory.get(text, text) if text else UNKNOWN
        else:
            key = text or UNKNOWN
        group = members[breakdown]
        group[key] = group.get(key, 0) + int(n)
    if sum(members["by_party_age_band"].values()) < total:
        for key, n in _gap_bands(org.pk, as_of, party_bounds).items():
            members["by_party_age_band"][key] = members["by_party_age_band"].get(key, 0) + n
    for breakdown in ("by_ethnicity", "by_religion", "by_education", "by_political_theory"):
        members[breakdown] = dict(sorted(members[breakdown].items(), key=lambda kv: (kv[0] == UNKNOWN, -kv[1], kv[0])))
    return {"org": {"code": org.code, "name": name}, "as_of": as_of.isoformat(), "members": members,
            "bands": {"age": list(age_bounds), "party_age": list(party_bounds)}}
