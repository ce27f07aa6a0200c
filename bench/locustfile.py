"""Locust users of the load test (run by bench/loadtest.py, not by hand).

The plan (BENCH_LOAD_PLAN, JSON written by the setup on a copy of the
database) lists accounts per role with their pages, and the schools that
fill the open monitoring stage. Every user logs in through the login form.

    ReaderUser  mixed reads of logged-in users of several roles
    FormUser    a school saving its monitoring form twice, then sending it
    WriterUser  one school saving its monitoring-form draft every
                BENCH_WRITE_EVERY seconds (1 s) while the readers read
"""

import collections
import itertools
import json
import os
import random
import re

from gevent.event import Event
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d*)"')
_readers = itertools.cycle(PLAN["readers"])
_schools = itertools.count()
_logged_in = collections.Counter()
_all_in = Event()
# How the measured reads were answered: X-Page-Cache "hit", "miss" or none.
_page_cache = collections.Counter()


@events.test_stop.add_listener
def _write_page_cache_counts(**_kwargs):
    out = os.environ.get("BENCH_PAGE_CACHE_OUT")
    if out:
        with open(out, "w") as f:
            json.dump(dict(_page_cache), f)


def _arrived(user) -> None:
    """Once every user is logged in, start the statistics afresh.

    Logging in costs a deliberately slow password hash (PBKDF2): the
    measured window holds only the traffic of users already logged in.
    """
    _logged_in["all"] += 1
    expected = user.environment.runner.target_user_count
    if isinstance(user, FormUser):
        expected = min(expected, len(PLAN["forms"]))
    if _logged_in["all"] >= expected and not _all_in.is_set():
        user.environment.runner.stats.reset_all()
        _all_in.set()


def log_in(user, username: str) -> bool:
    page = user.client.get("/accounts/login/", name="login form")
    found = CSRF.search(page.text or "")
    if not found:
        return False
    with user.client.post(
        "/accounts/login/",
        data={
            "username": username,
            "password": PLAN["password"],
            "csrfmiddlewaretoken": found.group(1),
        },
        name="login",
        catch_response=True,
    ) as response:
        # A good login redirects home; a wrong one shows the form again.
        if 'name="password"' in (response.text or ""):
            response.failure("login refused")
            return False
    return True


class ReaderUser(FastHttpUser):
    wait_time = between(0, float(os.environ.get("BENCH_WAIT", "0.2")))

    def on_start(self):
        account = next(_readers)
        self.pages = account["pages"]
        if not log_in(self, account["username"]):
            raise StopUser
        _arrived(self)

    @task
    def read(self):
        name, url = random.choice(self.pages)  # noqa: S311 (not security)
        response = self.client.get(url, name=name)
        if _all_in.is_set():
            _page_cache[response.headers.get("X-Page-Cache") or "not cached"] += 1


def _fill(user, form: dict, *, send: bool, name: str) -> None:
    """Open the school's monitoring form and save its draft (or send it)."""
    url = form["url"]
    page = user.client.get(url, name=f"{name}monitoring form")
    text = page.text or ""
    csrf, version = CSRF.search(text), VERSION.search(text)
    if not csrf:
        raise StopUser
    data = {
        **form["values"],
        "csrfmiddlewaretoken": csrf.group(1),
        "version": version.group(1) if version else "",
        "do": "submit" if send else "save",
    }
    label = f"{name}monitoring form: {'send' if send else 'save'}"
    with user.client.post(url, data=data, name=label, catch_response=True) as r:
        if r.status_code != 200 or "errorlist" in (r.text or ""):
            r.failure(f"form refused ({r.status_code})")


class FormUser(FastHttpUser):
    wait_time = between(0, 0.5)
    saves = 2

    def on_start(self):
        n = next(_schools)
        forms = PLAN["forms"]
        if n >= len(forms):
            raise StopUser
        self.form = forms[n]
        self.done = 0
        if not log_in(self, self.form["username"]):
            raise StopUser
        _arrived(self)

    @task
    def fill(self):
        _all_in.wait()  # every school presses the button at about the same time
        send = self.done >= self.saves
        _fill(self, self.form, send=send, name="")
        self.done += 1
        if send:
            raise StopUser


class WriterUser(FastHttpUser):
    """A committed write about every BENCH_WRITE_EVERY seconds during the
    reads (each write changes the snapshot the page cache is keyed by)."""

    fixed_count = 1
    wait_time = constant(float(os.environ.get("BENCH_WRITE_EVERY", "1.0")))

    def on_start(self):
        self.form = PLAN["forms"][-1]
        if not log_in(self, self.form["username"]):
            raise StopUser
        _arrived(self)

    @task
    def save(self):
        _all_in.wait()
        _fill(self, self.form, send=False, name="writer: ")
