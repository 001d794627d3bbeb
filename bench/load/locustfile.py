"""Load test of Đảng vụ (locust, headless; started by bench/load/run.sh, which prepares plan.json).

Virtual users sign in with the logins of the plan (secretaries and viewers: roles without two-factor
sign-in) and browse like the staff of a 200,000-member province: member lists (pages, organizations),
diacritics-free searches (web and API), member and organization pages, reports (snapshot, flows,
badges; web and API), and, for secretaries, writes: profile edits (API PATCH with the ETag when the
server sends one, and the web form) and lifecycle actions that never collide (a party card issued
with a new number, web and API; an official transfer to a sibling chi bộ and its receipt). Each write
takes its own member from the plan's pool and is logged to writes.jsonl; check.py verifies afterwards
that every logged write is in the database and audited.

Request names start with their group — "page:", "report:", "write:" or "login:" — which check.py
holds to its own target. Every request's time and outcome go to samples.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task

OUT = Path(os.environ.get("LOAD_OUT", "/tmp/dangvu-load"))
PLAN = json.loads((OUT / "plan.json").read_text())
TODAY = dt.date.fromisoformat(PLAN["today"])
PAST = dt.date(TODAY.year - 2, 12, 31)
RUN = os.environ.get("LOAD_RUN", time.strftime("%H%M%S"))
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1,5").split(","))
#: Badge award occasions (3/2, 19/5, 2/9, 7/11): the next one, as the badges page proposes.
AWARD_DAYS = ((2, 3), (5, 19), (9, 2), (11, 7))
AWARD_DATE = min(d for y in (TODAY.year, TODAY.year + 1) for m, dd in AWARD_DAYS if (d := dt.date(y, m, dd)) >= TODAY)

_samples: list[tuple] = []
_writes = (OUT / "writes.jsonl").open("a", encoding="utf-8")
_cards_taken = set(PLAN["cards_taken"])
_counter = itertools.count(1)


def _interleaved(logins: list[dict]) -> list[dict]:
    """Roles mixed in proportion (s, s, s, v, …), so that a short run with few users has writers too."""
    rank = {}
    for role in {x["role"] for x in logins}:
        same = [x for x in logins if x["role"] == role]
        rank.update({x["username"]: (i + 0.5) / len(same) for i, x in enumerate(same)})
    return sorted(logins, key=lambda x: (rank[x["username"]], x["role"] != "secretary"))


_logins = {level: itertools.cycle(_interleaved([x for x in PLAN["logins"] if x["level"] == level]))
           for level in ("province", "commune")}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, response=None, **_kw):
    status = getattr(response, "status_code", 0) if response is not None else 0
    _samples.append((round(time.time(), 3), name.split(":", 1)[0], name, request_type, round(response_time, 1),
                     status, "" if exception is None else str(exception)[:200]))


@events.quitting.add_listener
def _save(environment, **_kw):
    with (OUT / "samples.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["time", "group", "name", "method", "ms", "status", "error"])
        w.writerows(_samples)
    _writes.close()


def _log_write(**row) -> None:
    _writes.write(json.dumps({"run": RUN, **row}, ensure_ascii=False) + "\n")
    _writes.flush()


def _new_card() -> str:
    while True:
        number = f"{random.randint(10_000_000, 99_999_999)}"
        if number not in _cards_taken:
            _cards_taken.add(number)
            return number


class _Form(HTMLParser):
    """The fields of the page's own form (the first <form method=post> that posts to the page itself, not
    the language switch or the logout of the header), as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = self._done = False
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and not a.get("action") and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            else:
                self.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def form_fields(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


_ERRORS = re.compile(r'<(?:p|div) class="(?:field-error|alert alert-error)"[^>]*>(.*?)</(?:p|div)>', re.S)


def _why(response) -> str:
    """The status and the form's error messages of a refused form post."""
    messages = " | ".join(" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in _ERRORS.findall(response.text or ""))
    return f"{response.status_code}: {messages}"[:300]


class Staff(HttpUser):
    """One member of a party committee's staff; `level` is the scope of the logins it uses."""

    abstract = True
    level = "province"
    wait_time = between(*WAIT)

    def on_start(self):
        self.login = next(_logins[self.level])
        self.org = self.login["org"]
        self.writer = self.login["role"] == "secretary"
        self.communes = PLAN["communes"] if self.level == "province" else [self.org]
        self.client.get("/accounts/login/", name="login: form")
        with self.client.post("/accounts/login/", name="login: submit", allow_redirects=False, catch_response=True,
                              data={"username": self.login["username"], "password": self.login["password"],
                                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), "next": "/"}) as r:
            if r.status_code != 302:
                r.failure(f"login of {self.login['username']} refused: {_why(r)}")

    # --- helpers ------------------------------------------------------------------------------------

    def _commune(self) -> str:
        return random.choice(self.communes)

    def _member(self) -> str:
        """A member of one of the user's communes (prepare.py draws members in every commune: a member of
        another commune is outside a commune user's scope and answers 404)."""
        return random.choice(PLAN["members"][self._commune()])

    def _search(self) -> str:
        mine = [s for s in PLAN["searches"] if s["commune"] == self.org] if self.level == "commune" else []
        return random.choice(mine or PLAN["searches"])["q"]

    def _report_org(self, province_share: float = 0.7) -> tuple[str, str]:
        """(organization, "province" or "commune"): province staff report mostly on the province,
        sometimes on one commune; commune staff on theirs."""
        if self.level == "province" and random.random() < province_share:
            return self.org, "province"
        return (self._commune() if self.level == "province" else self.org), "commune"

    def get(self, url: str, name: str, **kwargs):
        """GET a page; anything but a 200 of the page itself (an error, the login page) is a failure."""
        with self.client.get(url, name=name, catch_response=True, **kwargs) as r:
            if r.status_code != 200 or "/accounts/login/" in r.url:
                r.failure(f"{r.status_code} {r.url}")
            return r

    def _headers(self, **extra) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), **extra}

    def _take(self) -> dict | None:
        """A member of the pool nobody else writes to in this run."""
        for commune in random.sample(self.communes, min(len(self.communes), 5)):
            pool = PLAN["pool"].get(commune)
            if pool:
                return pool.pop()
        return None

    # --- pages -------------------------------------------------------------------------------------

    @task(6)
    def member_list(self):
        page = random.choice((1, 1, 1, 2, 3, random.randint(1, 40)))
        if random.random() < 0.5:
            self.get(f"/members/?page={page}", name="page: member list")
        else:
            org = random.choice([self._commune(), *PLAN["cells"].get(self._commune(), [])[:20]])
            self.get(f"/members/?org={org}&page={min(page, 3)}", name="page: member list ?org")

    @task(5)
    def search_web(self):
        self.get("/members/", params={"search": self._search()}, name="page: member search")

    @task(2)
    def search_api(self):
        self.get("/api/members/", params={"search": self._search()}, name="page: api member search")

    @task(6)
    def member_page(self):
        self.get(f"/members/{self._member()}/", name="page: member detail")

    @task(2)
    def member_api(self):
        self.get(f"/api/members/{self._member()}/", name="page: api member detail")

    @task(3)
    def organization_page(self):
        commune = self._commune()
        code = random.choice([commune, *PLAN["cells"].get(commune, [])[:30]])
        self.get(f"/organizations/{code}/", name="page: organization detail")

    @task(1)
    def organization_tree(self):
        self.get("/organizations/", name="page: organization tree")

    # --- reports -----------------------------------------------------------------------------------

    @task(1)
    def dashboard(self):
        self.get("/", name=f"report: dashboard ({self.level})")

    @task(2)
    def snapshot(self):
        org, level = self._report_org()
        params = {"org": org, "as_of": random.choice((TODAY, PAST)).isoformat()}
        via = random.choice(("web", "api"))
        self.get(f"{'/api' if via == 'api' else ''}/reports/snapshot/", params=params,
                 name=f"report: snapshot {via} ({level})")

    @task(1)
    def flows(self):
        org, level = self._report_org()
        start, end = random.choice(((dt.date(TODAY.year, 1, 1), TODAY), (dt.date(TODAY.year - 1, 1, 1),
                                                                          dt.date(TODAY.year - 1, 12, 31))))
        params = {"org": org, "from": start.isoformat(), "to": end.isoformat()}
        via = random.choice(("web", "api"))
        self.get(f"{'/api' if via == 'api' else ''}/reports/flows/", params=params,
                 name=f"report: flows {via} ({level})")

    @task(1)
    def badges(self):
        # the province-wide proposal list is a job of a few times a year, not of every visit
        org, level = self._report_org(province_share=0.1)
        params = {"org": org, "award_date": AWARD_DATE.isoformat()}
        via = random.choice(("web", "api"))
        self.get(f"{'/api' if via == 'api' else ''}/reports/badges/", params=params,
                 name=f"report: badges {via} ({level})")

    # --- writes (secretaries; viewers read a member page instead) -----------------------------------

    @task(2)
    def edit_api(self):
        m = self._take() if self.writer else None
        if m is None:
            return self.member_page()
        r = self.get(f"/api/members/{m['code']}/", name="page: api member detail")
        etag = r.headers.get("ETag")
        value = f"Thử tải {RUN}-{next(_counter)}"
        headers = self._headers(**({"If-Match": etag} if etag else {}))
        with self.client.patch(f"/api/members/{m['code']}/", json={"occupation": value}, headers=headers,
                               name="write: api member edit", catch_response=True) as r:
            if r.status_code == 200 and r.json().get("occupation") == value:
                _log_write(kind="profile", via="api", user=self.login["username"], member=m["code"],
                           field="occupation", value=value)
            else:
                r.failure(f"{r.status_code}: {r.text[:200]}")

    @task(1)
    def edit_web(self):
        m = self._take() if self.writer else None
        if m is None:
            return self.member_page()
        r = self.get(f"/members/{m['code']}/edit/", name="page: member edit form")
        data = form_fields(r.text)
        value = f"Thử tải {RUN}-{next(_counter)}"
        data["professional_qualification"] = value
        with self.client.post(f"/members/{m['code']}/edit/", data=data, allow_redirects=False,
                              name="write: web member edit", catch_response=True) as r:
            if r.status_code == 302:
                _log_write(kind="profile", via="web", user=self.login["username"], member=m["code"],
                           field="professional_qualification", value=value)
            else:
                r.failure(_why(r))

    @task(1)
    def card_api(self):
        m = self._take() if self.writer else None
        if m is None:
            return self.member_page()
        number = _new_card()
        with self.client.post(f"/api/lifecycle/members/{m['code']}/card/", headers=self._headers(),
                              json={"number": number, "issued_on": TODAY.isoformat()},
                              name="write: api card issue", catch_response=True) as r:
            if r.status_code == 201:
                _log_write(kind="event", via="api", user=self.login["username"], member=m["code"],
                           event=r.json()["id"], event_kind="card_issued", value=number)
            else:
                r.failure(f"{r.status_code}: {r.text[:200]}")

    @task(1)
    def card_web(self):
        m = self._take() if self.writer else None
        if m is None:
            return self.member_page()
        url = f"/lifecycle/members/{m['code']}/card/"
        r = self.get(url, name="page: card form")
        data = form_fields(r.text)
        number = _new_card()
        data.update(number=number, issued_on=TODAY.strftime("%d/%m/%Y"))
        with self.client.post(url, data=data, allow_redirects=False, name="write: web card issue",
                              catch_response=True) as r:
            if r.status_code == 302:
                _log_write(kind="event", via="web", user=self.login["username"], member=m["code"],
                           event_kind="card_issued", value=number)
            else:
                r.failure(_why(r))

    @task(1)
    def transfer(self):
        m = self._take() if self.writer else None
        if m is None:
            return self.member_page()
        with self.client.post(f"/api/lifecycle/members/{m['code']}/transfer/", headers=self._headers(),
                              json={"kind": "official", "issued_on": TODAY.isoformat(), "to_cell": m["to_cell"],
                                    "letter_number": f"GT-{RUN}-{next(_counter)}"},
                              name="write: api transfer issue", catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return
            transfer = r.json()["id"]
        with self.client.post(f"/api/lifecycle/transfers/{transfer}/receive/", headers=self._headers(),
                              json={"received_on": TODAY.isoformat()}, name="write: api transfer receipt",
                              catch_response=True) as r:
            received = r.status_code == 200
            if not received:
                r.failure(f"{r.status_code}: {r.text[:200]}")
        _log_write(kind="transfer", via="api", user=self.login["username"], member=m["code"], transfer=transfer,
                   from_cell=m["cell"], to_cell=m["to_cell"], received=received)


class ProvinceStaff(Staff):
    """Ban Tổ chức / secretaries of the provincial committee: the whole 200,000-member province."""

    level = "province"
    weight = 1


class CommuneStaff(Staff):
    """Secretaries and staff of a commune committee: their own commune."""

    level = "commune"
    weight = 4
