"""The visitors of the load test (`bench/load.py`): a browser (one keep-alive connection, its
cookie jar) and the journey a person makes — the questionnaire, the answer, the slot search,
the booking form and the booking — with each request timed under the name of its step."""

from __future__ import annotations

import html
import http.client
import random
import re
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import phonenumbers

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([0-9a-f]{32})"')
BOOKING_LINK = re.compile(r'href="(/rendez-vous\?commune=[^"]+)"')
SLOT_LINK = re.compile(r'href="(/rendez-vous/creneau/\d+\?[^"]*)"')
MODALITY = re.compile(r'name="modality" value="(\w+)"( checked)?')
ALTERNATIVE = re.compile(r'name="slot" value="(\d+)"')
HOME_CHOICE = re.compile(r'name="home_choice" value="(\w+)"')
# Connection errors after which a browser opens a new connection and sends the request again:
# gunicorn closes a keep-alive connection idle for 2 s, which a visitor may meet between steps.
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
              "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "N'Diaye",
              "Nguyen", "Da Silva", "Le Gall", "Müller")  # fmt: skip
FIRST_NAMES = ("Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Lucas", "Hugo", "Louis",
               "Nathan", "Karim", "Aïcha", "Jean-Pierre", "Marie-Hélène", "Zoé")  # fmt: skip
SITUATIONS = ("salarie_prive", "salarie_prive", "salarie_prive", "independant", "interimaire")
MOTIFS = ("", "", "faire_le_point", "changer_metier", "se_former", "creer_entreprise", "projet")
COMMENTS = ("", "", "", "Je préfère être appelé(e) après 17 h.", "Reconversion après 15 ans.")


BOOK = "POST /rendez-vous/reserver"


class Stop(Exception):
    """The test's time or request budget is spent: the visitor stops where it is."""


class StepFailed(Exception):
    """An answer the journey cannot go on from (recorded; the visitor starts over)."""


@dataclass
class Budget:
    """Shared by every visitor: the end of the run and the most requests it may send."""

    deadline: float
    max_requests: int
    think: float = 0.0  # mean seconds a person reads or types before each click or form
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> None:
        if time.perf_counter() >= self.deadline:
            raise Stop
        with self.lock:
            if self.sent >= self.max_requests:
                raise Stop
            self.sent += 1


@dataclass
class Tally:
    """One visitor's results, merged by the main thread at the end."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    booked: list[tuple[int, str]] = field(default_factory=list)  # (slot id, form key)
    reconnects: int = 0
    first: float = 0.0
    last: float = 0.0

    def merge(self, other: Tally) -> None:
        for step, values in other.times.items():
            self.times[step].extend(values)
        self.statuses.update(other.statuses)
        self.errors.update(other.errors)
        self.outcomes.update(other.outcomes)
        self.booked.extend(other.booked)
        self.reconnects += other.reconnects
        self.first = min(self.first or other.first, other.first or self.first)
        self.last = max(self.last, other.last)


class Browser:
    """One person's browser: a keep-alive connection to the server and a cookie jar."""

    def __init__(self, port: int, tally: Tally, budget: Budget | None = None) -> None:
        self.port, self.tally, self.budget = port, tally, budget
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def think(self, rng: random.Random) -> None:
        """A person's pause before a click or a form: uniform over [0, 2 × the mean]."""
        if self.budget is None or not self.budget.think:
            return
        left = self.budget.deadline - time.perf_counter()
        time.sleep(max(0.0, min(rng.uniform(0, 2 * self.budget.think), left)))

    def send(
        self, step: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body) of one request, timed under `step`."""
        if self.budget is not None:
            self.budget.take()
        headers = {"Accept-Language": "fr-FR,fr;q=0.9"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        self.tally.first = self.tally.first or began
        try:
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
            except STALE:
                self.tally.reconnects += 1
                self.connection.close()
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.tally.errors[f"{step}: {type(error).__name__}"] += 1
            raise StepFailed from error
        ended = time.perf_counter()
        self.tally.times[step].append((ended - began) * 1000)
        self.tally.statuses[(step, response.status)] += 1
        self.tally.last = max(self.tally.last, ended)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, response.headers.get("Location", ""), text

    def expect(
        self, step: str, method: str, path: str, wanted: int, form: dict[str, str] | None = None
    ) -> tuple[str, str]:
        status, location, text = self.send(step, method, path, form)
        if status != wanted:
            self.tally.errors[f"{step}: HTTP {status}"] += 1
            raise StepFailed
        return location, text


def first_error(page: str) -> str:
    """The first message the page shows a person next to a field, if any."""
    match = re.search(r'class="field-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)', page)
    return f"« {html.unescape(match.group(1)).strip()[:80]} »" if match else ""


def found(pattern: re.Pattern[str], text: str, what: str, tally: Tally) -> str:
    match = pattern.search(text)
    if match is None:
        tally.errors[f"no {what} on the page"] += 1
        raise StepFailed
    return html.unescape(match.group(1))


def questionnaire(rng: random.Random, token: str, key: str, label: str) -> dict[str, str]:
    """A person of working age, employed in the private sector, typing their commune as the
    autocomplete completes it (« Saint-Malo (35400) »)."""
    return {
        "csrf_token": token,
        "key": key,
        "home": label,
        "work": "",
        "situation": rng.choice(SITUATIONS),
        "cadre": "0",
        "age": str(rng.randint(26, 62)),
        "rqth": "0",
        "suivi": "0",
        "motif": rng.choice(MOTIFS),
    }


def mobile(rng: random.Random) -> str:
    """A valid French mobile number, written internationally so that it is valid in the
    overseas lots' numbering plans too (a local « 06 » number is not valid in La Réunion)."""
    while True:
        digits = f"6{rng.randint(0, 99_999_999):08d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(f"+33{digits}")):
            return f"+33 {digits[0]} " + " ".join(digits[i : i + 2] for i in range(1, 9, 2))


def person(rng: random.Random, token: str, page: str, tally: Tally) -> dict[str, str]:
    """The booking form as a person fills it in, from the page the server sent."""
    key = found(KEY, page, "form key", tally)
    offered = MODALITY.findall(page)
    chosen = next((m for m, checked in offered if checked), None)
    last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
    return {
        "csrf_token": token,
        "key": key,
        "commune": found(re.compile(r'name="commune" value="([^"]+)"'), page, "commune", tally),
        "last_name": last,
        "first_name": first,
        "email": f"{first.lower()[:3]}.{uuid.uuid4().hex[:12]}@exemple.fr",
        "phone": mobile(rng),
        "birth_date": date(
            rng.randint(1962, 2001), rng.randint(1, 12), rng.randint(1, 28)
        ).isoformat(),
        "modality": chosen or (offered[0][0] if offered else "presentiel"),
        "motif": rng.choice(MOTIFS),
        "comment": rng.choice(COMMENTS),
        "consent": "y",
    }


def front_door(browser: Browser, rng: random.Random, label: str) -> str:
    """GET /, POST / (303), GET /resultat: the answer page."""
    tally = browser.tally
    browser.think(rng)  # arriving
    _, page = browser.expect("GET /", "GET", "/", 200)
    token = found(CSRF, page, "CSRF token", tally)
    form = questionnaire(rng, token, found(KEY, page, "questionnaire key", tally), label)
    browser.think(rng)  # answering the questions
    status, location, page = browser.send("POST / (questionnaire)", "POST", "/", form)
    if status == 422 and HOME_CHOICE.search(page):
        # Several communes fit what was typed: the person picks theirs and sends again.
        form["home_choice"] = found(HOME_CHOICE, page, "commune choice", tally)
        status, location, page = browser.send("POST / (questionnaire)", "POST", "/", form)
    if status != 303 or not location.endswith("/resultat"):
        tally.errors[f"POST / (questionnaire): HTTP {status}"] += 1
        raise StepFailed
    return browser.expect("GET /resultat", "GET", "/resultat", 200)[1]


def journey(browser: Browser, rng: random.Random, label: str, static: str) -> None:
    """One person from the front door to a booked appointment (or as far as it goes)."""
    tally = browser.tally
    browser.cookies.clear()  # a new person on the same connection
    answer = front_door(browser, rng, label)
    browser.expect("GET /static (bare)", "GET", static, 200)  # the stylesheet, not yet cached
    link = BOOKING_LINK.search(answer)
    if link is None:
        tally.outcomes["answer without a booking link"] += 1
        return
    browser.think(rng)  # reading the answer
    _, slots = browser.expect("GET /rendez-vous (search)", "GET", html.unescape(link[1]), 200)
    offered = SLOT_LINK.findall(slots)
    if not offered:
        tally.outcomes["no slot offered (waiting request form)"] += 1
        return
    browser.think(rng)  # choosing a slot
    _, form_page = browser.expect(
        "GET /rendez-vous/creneau (form)", "GET", html.unescape(rng.choice(offered)), 200
    )
    token = found(CSRF, form_page, "CSRF token", tally)
    form = person(rng, token, form_page, tally)
    form["slot"] = found(re.compile(r'name="slot" value="(\d+)"'), form_page, "slot", tally)
    for attempt in range(2):
        browser.think(rng)  # typing their details, or choosing the alternative
        status, location, page = browser.send(BOOK, "POST", "/rendez-vous/reserver", form)
        if status == 303 and "/rendez-vous/gerer/" in location:
            tally.booked.append((int(form["slot"]), form["key"]))
            tally.outcomes["booked" if attempt == 0 else "booked an alternative after 409"] += 1
            path = urllib.parse.urlsplit(location).path
            browser.expect("GET /rendez-vous/gerer (confirmation)", "GET", path, 200)
            return
        if status == 409 and attempt == 0 and ALTERNATIVE.search(page):
            # Someone took it first: the page offers the next slots; take the first one.
            tally.outcomes["409 slot taken, alternatives offered"] += 1
            form["slot"] = found(ALTERNATIVE, page, "alternative", tally)
            form["key"] = found(KEY, page, "form key", tally)
            continue
        if status == 409:
            tally.outcomes["409 slot taken, gave up"] += 1
            return
        tally.errors[f"{BOOK}: HTTP {status} {first_error(page)}"] += 1
        raise StepFailed
