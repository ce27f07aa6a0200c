"""Orders that approve generated plans: numbers, titles, clauses, citations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schools.models import Organisation

from ..models import Level, Order, OrderClause, OrderReference
from ..orders import PLAN_WORDS
from . import names
from .state import State


@dataclass
class Owner:
    """The body whose plan is generated, and the people around it."""

    level: str
    org: int
    name: str
    short_name: str
    genitive: str
    region: int  # id
    municipality: int | None  # id
    place: str
    by_role: dict[str, int]
    author: int  # user who writes and submits
    approver: int  # user who approves
    curator: int | None = None
    school_index: int | None = None


@dataclass
class OrderInfo:
    id: int
    genitive: str
    date: date
    number: str
    title: str


ORDER_FIELDS = [
    "id",
    "issuer_id",
    "issuer_text",
    "kind_text",
    "number",
    "date",
    "date_text",
    "place",
    "title",
    "preamble",
    "signatory_position",
    "signatory_name",
    "amends_id",
    "status",
    "text_loaded",
    "created_at",
]


class Orders:
    def __init__(self, s: State):
        self.s = s
        self.numbers: dict[tuple[int, int], int] = {}
        self.suffix: dict[int, str] = {}
        w = s.writer
        self.orders = w(Order, ORDER_FIELDS)
        self.clauses = w(
            OrderClause, ["id", "order_id", "parent_id", "position", "number", "text"]
        )
        self.references = w(
            OrderReference,
            [
                "id", "order_id", "relation", "position", "text", "issuer_text",
                "date", "number", "title", "target_id",
            ],
        )  # fmt: skip
        self.based_on = w(Order.based_on.through, ["id", "from_order", "to_order"])

    def _number(self, owner: Owner, year: int) -> str:
        key = (owner.org, year)
        if owner.org not in self.suffix:
            options = {
                Level.REGIONAL: ["-ОД", "-р", ""],
                Level.MUNICIPAL: ["", "-о", "-ОД"],
                Level.SCHOOL: ["-о", "/01-07", ""],
            }[owner.level]
            self.suffix[owner.org] = self.s.rng.choice(options)
        n = self.numbers.get(key) or self.s.rng.randint(3, 120)
        self.numbers[key] = n + self.s.rng.randint(1, 9)
        return f"{n}{self.suffix[owner.org]}"

    def order(
        self, owner: Owner, year: int, day: date, basis: OrderInfo | None,
        amends: OrderInfo | None,
    ) -> OrderInfo:  # fmt: skip
        s = self.s
        pk = s.take(Order)
        number = self._number(owner, year)
        genitive, accusative = PLAN_WORDS[owner.level]
        plan_of = f"{owner.genitive} на {year} год"
        if amends is None:
            title = f"Об утверждении {genitive} {plan_of}"
            first = f"Утвердить {accusative} {plan_of} (приложение)."
        else:
            title = f"О внесении изменения в {accusative} {plan_of}"
            first = (
                f"Внести в {accusative} {plan_of}, утвержденный приказом "
                f"{owner.genitive} от {amends.date:%d.%m.%Y} № {amends.number}, "
                "изменение, изложив его в новой редакции (приложение)."
            )
        preamble = ""
        if basis is not None:
            preamble = (
                f"На основании приказа {basis.genitive} от {basis.date:%d.%m.%Y} "
                f"№ {basis.number} «{basis.title}»"
            )
        last, initials = names.person(s.rng)
        position = {
            Level.REGIONAL: "Министр",
            Level.MUNICIPAL: s.rng.choice(names.SIGNATORIES),
            Level.SCHOOL: "Директор",
        }[owner.level]
        self.orders.add(
            (
                pk, owner.org, owner.name.upper(), "ПРИКАЗ", number, day,
                f"{day:%d.%m.%Y}", owner.place, title, preamble, position,
                f"{initials} {last}", amends.id if amends else None, "signed", True,
                s.moment(day),
            )
        )  # fmt: skip
        deputy, deputy_initials = names.person(s.rng)
        clauses = [
            first,
            "Назначить ответственным за реализацию проекта «500+» "
            f"{s.rng.choice(['заместителя', 'методиста', 'координатора'])} "
            # The names are feminine: «Иванова» → «Иванову».
            f"{deputy.removesuffix('а')}у {deputy_initials}.",
            "Контроль за исполнением настоящего приказа оставляю за собой.",
        ]
        for position_, text in enumerate(clauses, start=1):
            self.clauses.add(
                (s.take(OrderClause), pk, None, position_, f"{position_}.", text)
            )
        ref = 0
        for target, relation in ((basis, "basis"), (amends, "amends")):
            if target is None:
                continue
            ref += 1
            self.references.add(
                (
                    s.take(OrderReference), pk, relation, ref,
                    f"приказ {target.genitive} от {target.date:%d.%m.%Y} "
                    f"№ {target.number}",
                    target.genitive, target.date, target.number, target.title,
                    target.id,
                )
            )  # fmt: skip
            if relation == "basis":
                self.based_on.add((s.take(Order.based_on.through), pk, target.id))
        return OrderInfo(pk, owner.genitive, day, number, title)


def unsaved(order: OrderInfo, issuer: Organisation) -> Order:
    return Order(pk=order.id, issuer=issuer, date=order.date, number=order.number)
