"""Activity reports on plans in force: done, partly, not done; confirmed,
awaiting confirmation or rejected by the curator; earlier accounts kept."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from monitoring.models import ActivityReport, ReportDecision, ReportResult

from ..models import Level
from .orders import Owner
from .state import State

REPORT_FIELDS = [
    "id",
    "roadmap_id",
    "lineage",
    "activity_id",
    "result",
    "done_on",
    "actual_value",
    "comment",
    "reporter_id",
    "reporter_organisation_id",
    "decision",
    "decided_by_id",
    "decided_at",
    "decision_comment",
    "is_latest",
    "version",
    "created_at",
]
DONE_COMMENTS = [
    "Мероприятие проведено, материалы размещены на официальном сайте.",
    "Проведено совещание, протокол прилагается.",
    "Выполнено в установленный срок.",
    "Приказ издан, размещён на сайте.",
    "Проведено, приняли участие все педагоги.",
    "",
]
PARTLY_COMMENTS = [
    "Выполнено частично: не все педагоги прошли обучение.",
    "Перенесено на следующий квартал в части мероприятий с родителями.",
    "Проведено частично, работа продолжается.",
]
REJECT_COMMENTS = [
    "Не приложены подтверждающие материалы.",
    "Отчёт не соответствует показателю мероприятия.",
]


class Reports:
    def __init__(self, s: State):
        self.s = s
        self.writer = s.writer(ActivityReport, REPORT_FIELDS)

    def write(self, owner: Owner, roadmap: int, year: int, activities) -> None:
        s = self.s
        today = s.today
        last = year == s.last_year
        weights = (
            [("done", 45), ("partly", 12), ("not_done", 5), (None, 38)]
            if last
            else [("done", 80), ("partly", 7), ("not_done", 3), (None, 10)]
        )
        school = owner.level == Level.SCHOOL
        for activity, lineage, understood, target in activities:
            begins = understood.start or date(year, 1, 1)
            if begins > today:
                continue
            result = s.weighted(weights)
            if result is None:
                continue
            end = min(understood.end or date(year, 12, 31), today)
            low = max(begins, end - timedelta(days=25))
            done_on = low + timedelta(days=s.rng.randint(0, max((end - low).days, 0)))
            if s.rng.random() < 0.15:
                # An earlier account, superseded by the one that stands now.
                earlier = done_on - timedelta(days=s.rng.randint(10, 40))
                self._report(
                    owner, roadmap, lineage, activity, ReportResult.PARTLY, earlier,
                    target, school, latest=False,
                )  # fmt: skip
            self._report(
                owner, roadmap, lineage, activity, result, done_on, target, school,
                latest=True,
            )  # fmt: skip

    def _report(
        self, owner, roadmap, lineage, activity, result, done_on, target, school,
        latest,
    ) -> None:  # fmt: skip
        s = self.s
        decision = ReportDecision.NOT_NEEDED
        decided_by = decided_at = None
        comment = ""
        created = s.moment(done_on)
        if school and result == ReportResult.DONE:
            decision = s.weighted(
                [
                    (ReportDecision.CONFIRMED, 75),
                    (ReportDecision.PENDING, 15),
                    (ReportDecision.REJECTED, 10),
                ]
            )
            if not latest:
                decision = ReportDecision.CONFIRMED
        elif school and result == ReportResult.PARTLY:
            decision = (
                ReportDecision.CONFIRMED
                if s.rng.random() < 0.7
                else (ReportDecision.PENDING)
            )
        if decision in (ReportDecision.CONFIRMED, ReportDecision.REJECTED):
            decided_by = owner.curator
            decided_at = created + timedelta(days=s.rng.randint(1, 10))
            if decided_at > s.now:
                decided_at = s.now
        if decision == ReportDecision.REJECTED:
            comment = s.rng.choice(REJECT_COMMENTS)
        actual = None
        if target is not None:
            share = Decimal("1") if result == ReportResult.DONE else Decimal("0.6")
            actual = (target * share).quantize(Decimal("0.01"))
        text = {
            ReportResult.DONE: DONE_COMMENTS,
            ReportResult.PARTLY: PARTLY_COMMENTS,
            ReportResult.NOT_DONE: ["Не выполнено: перенесено на следующий год."],
        }[result]
        self.writer.add(
            (
                s.take(ActivityReport), roadmap, lineage, activity, result, done_on,
                actual, s.rng.choice(text), owner.author, owner.org, decision,
                decided_by, decided_at, comment, latest, 1, created,
            )
        )  # fmt: skip
