"""Ready-made indicator sets, one per kind of stage, to start a stage's form from.

They follow the federal monitoring of the «500+» project: the entry
questionnaire with the risk profile (February), and the two stages of the
monitoring of positive changes (June, November) share their codes, so the
June and November values of a school compare indicator by indicator.
"""

from __future__ import annotations

from typing import TypedDict


class Indicator(TypedDict, total=False):
    code: str
    label: str
    kind: str  # a monitoring.models.FieldKind value
    required: bool
    min_value: int | None
    max_value: int | None
    help_text: str


ENTRY: list[Indicator] = [
    {
        "code": "pupils",
        "label": "Численность обучающихся",
        "kind": "number",
        "required": True,
        "min_value": 0,
        "help_text": "На 1 число месяца проведения анкетирования.",
    },
    {
        "code": "teachers",
        "label": "Численность педагогических работников",
        "kind": "number",
        "required": True,
        "min_value": 0,
    },
    {
        "code": "teachers_diagnosed_share",
        "label": "Доля педагогов, прошедших диагностику профессиональных дефицитов, %",
        "kind": "percent",
        "required": True,
    },
    {
        "code": "risk_questionnaire_filled",
        "label": "Анкета для формирования рискового профиля заполнена",
        "kind": "boolean",
        "required": True,
    },
    {
        "code": "director_questionnaire_filled",
        "label": "Анкета руководителя заполнена",
        "kind": "boolean",
        "required": True,
    },
    {
        "code": "failing_share",
        "label": "Доля обучающихся, имеющих неудовлетворительные отметки по итогам "
        "четверти (полугодия), %",
        "kind": "percent",
        "required": True,
    },
    {
        "code": "vacancies",
        "label": "Количество вакансий педагогических работников",
        "kind": "number",
        "required": True,
        "min_value": 0,
    },
    {
        "code": "comment",
        "label": "Комментарий школы",
        "kind": "text",
        "required": False,
    },
]

POSITIVE_CHANGES: list[Indicator] = [
    {
        "code": "pupils",
        "label": "Численность обучающихся",
        "kind": "number",
        "required": True,
        "min_value": 0,
    },
    {
        "code": "failing_share",
        "label": "Доля обучающихся, имеющих неудовлетворительные отметки по итогам "
        "учебного периода, %",
        "kind": "percent",
        "required": True,
    },
    {
        "code": "vpr_failed_share",
        "label": "Доля участников ВПР, получивших отметку «2», %",
        "kind": "percent",
        "required": True,
    },
    {
        "code": "oge_passed_share",
        "label": "Доля выпускников 9 классов, успешно сдавших ОГЭ по русскому языку "
        "и математике, %",
        "kind": "percent",
        "required": False,
        "help_text": "Заполняется по итогам ГИА; в ноябре — по итогам пересдачи.",
    },
    {
        "code": "teachers_trained",
        "label": "Количество педагогов, прошедших повышение квалификации по "
        "программам из федерального реестра",
        "kind": "number",
        "required": True,
        "min_value": 0,
    },
    {
        "code": "vacancies",
        "label": "Количество вакансий педагогических работников",
        "kind": "number",
        "required": True,
        "min_value": 0,
    },
    {
        "code": "parent_events",
        "label": "Количество мероприятий с участием родителей",
        "kind": "number",
        "required": True,
        "min_value": 0,
    },
    {
        "code": "roadmap_on_schedule",
        "label": "Мероприятия дорожной карты выполняются в установленные сроки",
        "kind": "boolean",
        "required": True,
    },
    {
        "code": "report_file",
        "label": "Отчёт о реализации антирисковых программ (файл)",
        "kind": "file",
        "required": False,
        "help_text": "PDF, Word, Excel или изображение.",
    },
    {
        "code": "comment",
        "label": "Комментарий школы",
        "kind": "text",
        "required": False,
    },
]

# Stage kind code (fixtures/reference.json) -> its ready-made form.
PRESETS: dict[str, list[Indicator]] = {
    "entry": ENTRY,
    "first": POSITIVE_CHANGES,
    "second": POSITIVE_CHANGES,
}


def preset_for(stage_type_code: str) -> list[Indicator]:
    """The ready-made indicators of a kind of stage (empty for unknown kinds)."""
    return [dict(i) for i in PRESETS.get(stage_type_code, [])]
