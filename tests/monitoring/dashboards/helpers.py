"""Reading numbers off the dashboard page, and counting rows independently."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

from django.urls import reverse

from monitoring.models import ActivityReport
from roadmaps.models import Activity

from .factories import TODAY, YEAR


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("monitoring:dashboard"), params)


def text(html: str, testid: str, start: int = 0) -> str:
    """The text of the first element with this data-testid after `start`."""
    match = re.compile(
        rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</(?:dd|td|span)>', re.S
    ).search(html, start)
    assert match, f"no {testid}"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def number(html: str, testid: str, start: int = 0) -> int:
    return int(text(html, testid, start))


def href(html: str, testid: str) -> str:
    match = re.search(
        rf'data-testid="{re.escape(testid)}"[^>]*><a href="([^"]+)"', html
    )
    assert match, f"no link in {testid}"
    return unescape(match.group(1))


def row_start(html: str, key: int) -> int:
    index = html.find(f'data-testid="row-{key}"')
    assert index >= 0, f"no row {key}"
    return index


def expected_activities(belongs) -> Counter:
    """Activities in force of 2022 plans for which `belongs(roadmap)`, counted
    by hand from the latest reports (the rules of DOMAIN.md)."""
    counts = Counter()
    for act in Activity.objects.select_related("edition__roadmap"):
        roadmap = act.edition.roadmap
        if act.edition.status != "approved" or roadmap.period_start.year != YEAR:
            continue
        if not belongs(roadmap):
            continue
        latest = ActivityReport.objects.filter(
            roadmap=roadmap, lineage=act.lineage, is_latest=True
        ).first()
        counts["total"] += 1
        reported_done = latest is not None and latest.result == "done"
        if reported_done and latest.decision in ("not_needed", "confirmed"):
            counts["done"] += 1
        if reported_done and latest.decision == "pending":
            counts["awaiting"] += 1
        standing = reported_done and latest.decision != "rejected"
        if act.deadline_end and act.deadline_end < TODAY and not standing:
            counts["overdue"] += 1
    return counts
