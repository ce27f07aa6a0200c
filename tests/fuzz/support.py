"""What the fuzz tests share: settings, hostile text, Office files built by hand.

Office files are assembled from their XML parts here rather than saved by
openpyxl or python-docx for every example: a minimal package is read in a
few milliseconds, so a thousand of them fit the time budget, and hand-built
XML reaches what the libraries never write (formulas with saved results,
cells out of order, spans of a billion columns, entity declarations).
"""

import io
import json
import os
import random
import re
import zipfile
from collections.abc import Callable
from functools import cache
from xml.sax.saxutils import escape

from django.utils import translation
from hypothesis import settings
from hypothesis import strategies as st

from roadmaps.imports import document_as_json
from roadmaps.parsing import ParsedDocument, ParseError

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz-deep"


def fuzz(examples: int) -> settings:
    """Settings of one property: its examples, ten times more in "fuzz-deep"."""
    return settings(max_examples=examples * (10 if DEEP else 1))


# --- what every reader must do --------------------------------------------------

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def outcome(read: Callable[..., ParsedDocument], *args, **kwargs):
    """Read in Russian: a document, or a ParseError whose message is Russian."""
    with translation.override("ru"):
        try:
            document = read(*args, **kwargs)
        except ParseError as error:
            refusal = error
        else:
            check_document(document)
            return document
    assert refusal.code, refusal
    assert CYRILLIC.search(refusal.message), refusal.message
    assert str(refusal) == refusal.message
    return refusal


# Characters an XML 1.0 part (and so a saved .xlsx or .docx) cannot hold.
XML_ILLEGAL = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_document(document: ParsedDocument) -> None:
    """What the import preview and the saver rely on in a read document."""
    data = document_as_json(document)  # deadlines are read with the plan's year
    json.dumps(data, ensure_ascii=False)
    assert document.activity_count() == len(document.activities())
    keys = [c.key for c in document.columns]
    assert len(keys) == len(set(keys)), keys
    for activity in document.activities():
        for text in (
            activity.title,
            activity.description,
            activity.deadline_text,
            activity.responsible,
            activity.indicator,
        ):
            assert isinstance(text, str)
            assert not XML_ILLEGAL.search(text), repr(text)
    for note in document.notes:
        assert isinstance(note.line, int)


def dump(result) -> str:
    """Every text of a read document (or of a refusal), for searching."""
    if isinstance(result, ParseError):
        return result.message
    return json.dumps(result.as_json(), ensure_ascii=False)


# --- hostile text ---------------------------------------------------------------

HEADERS = [
    "№",
    "№ п/п",
    "N",
    "Мероприятие",
    "Мероприятия/ события",
    "Задачи",
    "Наименование мероприятия",
    "Срок",
    "Сроки реализации",
    "Дата",
    "Ответственные",
    "Исполнители",
    "Ответственные исполнители",
    "Описание",
    "Показатель реализации",
    "Индикатор",
    "Результат",
    "Примечание",
    "Отметка о выполнении",
    "1",
    "",
]
CELLS = [
    "1.",
    "1.1.",
    "2)",
    "IV.",
    "I. Диагностика факторов риска",
    "1. Методическая поддержка школ",
    "Проведение семинара для школ- участников проекта",
    "Разработка научно- и учебно-методических материалов",
    "<p>Совещание</p>",
    "**Раздел**",
    "&laquo;500+&raquo; &#1040;&#x410; &#99999999;",
    "март-апрель",
    "Декабрь2021-январь2022",
    "До 15 мая 2022",
    "В течение 2021 г.",
    "ежеквартально",
    "0 квартал",
    "31.12.9999-январь",
    "МОУО, ОО, куратор",
    "Не менее 50 консультаций",
    "не менее 99999999999999999999 человек",
    "100 %",
    "Сроки реализации",
    "Мероприятие",
    "\u00ad\u200b\ufeff",
    "\x07\x13\x14\x15",
]
FORMULA_TEXTS = [
    '=HYPERLINK("http://evil.example/x","Нажмите")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "=1+1",
    '=CALL("kernel32","WinExec","JC","calc",0)',
    "\t=1+1",
    "\r=1+1",
]
ORDER_LINES = [
    "ПРИКАЗ",
    "П Р И К А З",
    "28.01.2022 г",
    "№12/6",
    "от 12 января 2022 г. № 5-ОД",
    "г. Смоленск",
    "Об утверждении дорожной карты на 2022 год",
    "В целях организации методической поддержки школ",
    "ПРИКАЗЫВАЮ:",
    "1. Утвердить план мероприятий.",
    " - 2.1. Обеспечить исполнение.",
    "Начальник отдела образования Е.П. Чамкаева",
    "Приложение к приказу от 28.01.2022 № 12/6",
    "в ред. приказа от 01.02.2022 № 7",
    "на основании приказа Минпросвещения России от 1 марта 2021 г. № 115",
]

# Any character, control characters and lone combining marks included.
any_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)


# Files are built from a seed: a drawn value costs Hypothesis far more than a
# call to random, and a thousand files must be built in seconds.
def seeded(seed: int) -> random.Random:
    """A generator of test data, the same for the same seed."""
    return random.Random(seed)  # noqa: S311 - reproducible test data, no secret


seeds = st.integers(0, 2**32 - 1).map(seeded)

_ALPHABETS = [
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙ ",
    "0123456789.,;:-–—/№()«»\"' ",
    "\t\n\r\x0b\x0c\x00\x07\x1f\x7f\u00ad\u200b\ufeff\u2028\ufffd",
    "<>&*#=+@|!%",
]
_LONG_PARTS = ["а", "Аа", "школ- участников ", "<a ", "1.", "\t", "от 1 ", "ш- у"]


def random_text(rng: random.Random) -> str:
    """Hostile cell text: known phrases, formulas, junk, any code point, huge."""
    kind = rng.randrange(8)
    if kind == 0:
        return rng.choice(CELLS)
    if kind == 1:
        return rng.choice(FORMULA_TEXTS)
    if kind == 2:
        return rng.choice(HEADERS + ORDER_LINES)
    if kind == 3:
        return rng.choice(_LONG_PARTS) * rng.randrange(1, 300)
    if kind == 4:
        # Any code point but surrogates, which no file can carry.
        return "".join(
            chr(rng.choice([rng.randrange(0x20), rng.randrange(0xD800), 0x10FFFF]))
            for _ in range(rng.randrange(12))
        )
    alphabet = "".join(rng.sample(_ALPHABETS, rng.randrange(1, 4)))
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))


def header(rng: random.Random) -> list[str]:
    """Mostly a header the reader knows (activities and deadlines or executors)."""
    if rng.random() < 0.2:
        return rng.sample(HEADERS, rng.randrange(1, 8))
    cells = ["Мероприятие", rng.choice(["Срок", "Сроки реализации", "Исполнители"])]
    cells += rng.sample([h for h in HEADERS if h and h != "1"], rng.randrange(4))
    rng.shuffle(cells)
    return cells


def xml_text(text: str) -> str:
    """Text that can stand in an XML part: illegal characters dropped, escaped."""
    return escape(XML_ILLEGAL.sub("", text))


# --- packages ---------------------------------------------------------------------


def package(parts: dict[str, str | bytes]) -> bytes:
    """A deflated zip of the parts, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT = "application/vnd.openxmlformats-officedocument"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MAIN = f"{_CT}.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def content_types(overrides: dict[str, str]) -> str:
    items = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>'
        for name, kind in overrides.items()
    )
    return (
        f"{XML_HEAD}<Types "
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def relationships(targets: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, start=1)
    )
    return f'{XML_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">{items}</Relationships>'


# Cell styles 0-3: general, a date, a percentage of one decimal, a percentage.
STYLES = (
    f'{XML_HEAD}<styleSheet xmlns="{SHEET_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
    '<fonts count="1"><font/></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="9" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def xlsx_package(
    sheets: list[tuple[str, str, str | bytes]], shared: list[str] | None = None
) -> bytes:
    """A workbook of (name, state, sheet XML) sheets and optional shared strings."""
    overrides = {"xl/workbook.xml": f"{_CT}.spreadsheetml.sheet.main+xml"}
    targets = []
    entries = []
    for index, (name, state, _xml) in enumerate(sheets, start=1):
        overrides[f"xl/worksheets/sheet{index}.xml"] = (
            f"{_CT}.spreadsheetml.worksheet+xml"
        )
        targets.append(("worksheet", f"worksheets/sheet{index}.xml"))
        hidden = f' state="{state}"' if state != "visible" else ""
        entries.append(
            f'<sheet name="{xml_text(name)}" sheetId="{index}"{hidden} '
            f'r:id="rId{index}"/>'
        )
    overrides["xl/styles.xml"] = f"{_CT}.spreadsheetml.styles+xml"
    targets.append(("styles", "styles.xml"))
    parts: dict[str, str | bytes] = {}
    if shared is not None:
        overrides["xl/sharedStrings.xml"] = f"{_CT}.spreadsheetml.sharedStrings+xml"
        targets.append(("sharedStrings", "sharedStrings.xml"))
        items = "".join(
            f'<si><t xml:space="preserve">{xml_text(s)}</t></si>' for s in shared
        )
        parts["xl/sharedStrings.xml"] = (
            f'{XML_HEAD}<sst xmlns="{SHEET_NS}" count="{len(shared)}">{items}</sst>'
        )
    parts = {
        "[Content_Types].xml": content_types(overrides),
        "_rels/.rels": relationships([("officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": (
            f'{XML_HEAD}<workbook xmlns="{SHEET_NS}" xmlns:r="{_REL}">'
            f"<sheets>{''.join(entries)}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": relationships(targets),
        "xl/styles.xml": STYLES,
        **parts,
    }
    for index, (_name, _state, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{index}.xml"] = xml
    return package(parts)


def sheet_xml(rows: str) -> str:
    data = f"<sheetData>{rows}</sheetData>"
    return f'{XML_HEAD}<worksheet xmlns="{SHEET_NS}">{data}</worksheet>'


def docx_package(document_xml: str | bytes, main_type: str = DOCX_MAIN) -> bytes:
    """A Word document of one part, word/document.xml."""
    return package(
        {
            "[Content_Types].xml": content_types({"word/document.xml": main_type}),
            "_rels/.rels": relationships([("officeDocument", "word/document.xml")]),
            "word/document.xml": document_xml,
        }
    )


def word_document(body: str) -> str:
    content = f"<w:body>{body}</w:body>"
    return f'{XML_HEAD}<w:document xmlns:w="{WORD_NS}">{content}</w:document>'


# --- hostile packages ---------------------------------------------------------------


def _laughs() -> str:
    """Billion laughs: ten to the ninth «lol» from a few hundred bytes."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return f"<!DOCTYPE lolz [{''.join(entities)}]>"


DOCTYPES = {
    "lol9": _laughs(),
    "xxe": '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
}
# The text element every builder here writes; an entity reference goes into it.
PRESERVED = 'xml:space="preserve">'


ENTITIES = list(DOCTYPES)
ENCODINGS = ["UTF-8", "UTF-16", "UTF-32", "cp037"]
# The row limit of the reader fuzzing (the `few_rows` fixture): small files
# reach «too many rows».
MAX_ROWS = 15


def assert_entity_refused(result, encoding: str) -> None:
    """A part declaring an entity is refused; as unsafe XML where the
    encoding lets the scan read the declaration."""
    assert isinstance(result, ParseError)
    if encoding.startswith("UTF"):
        assert result.code == "unsafe_xml"


def with_entity(xml: str, entity: str, encoding: str) -> bytes:
    """The part declaring and using an entity, in an encoding XML allows."""
    head, _, rest = xml.partition("?>")
    declared = head.replace('encoding="UTF-8"', f'encoding="{encoding}"')
    rest = rest.replace(PRESERVED, f"{PRESERVED}&{entity};", 1)
    return f"{declared}?>{DOCTYPES[entity]}{rest}".encode(encoding, "xmlcharrefreplace")


def _zeros_package(main: str, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(main, "<x/>")
        archive.writestr("media/zeros.xml", bytes(size))
    return buffer.getvalue()


@cache
def ratio_bomb(main: str) -> bytes:
    """A package with a 4 MB part of zeros that packs to a few kilobytes."""
    return _zeros_package(main, 4 * 2**20)


@cache
def many_parts(main: str) -> bytes:
    """A package of 2,002 tiny parts (the limit is 2,000)."""
    return package({main: "<x/>", **{f"p/{n}.bin": b"" for n in range(2001)}})


@cache
def lying_sizes(main: str) -> bytes:
    """A package whose 20 MB part claims, in the central directory, 100 bytes."""
    data = bytearray(_zeros_package(main, 20 * 2**20))
    entry = data.rfind(b"PK\x01\x02")
    while entry != -1:
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length] == b"media/zeros.xml":
            data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
        entry = data.rfind(b"PK\x01\x02", 0, entry)
    return bytes(data)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A valid file truncated, with bytes flipped, or with junk appended."""
    kind = rng.randrange(3)
    if kind == 0:
        return data[: rng.randrange(len(data))]
    if kind == 1:
        out = bytearray(data)
        for _ in range(rng.randrange(1, 9)):
            out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
        return bytes(out)
    return data + rng.randbytes(rng.randrange(1, 64))


SAMPLES = [
    b"MZ\x90\x00" + bytes(600),
    b"%PDF-1.7\n<html><script>alert(1)</script>",
    b"\x89PNG\r\n\x1a\n" + bytes(32),
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"<html><body onload=alert(1)>",
    b"\xff\xfe" + "№\tМероприятие\tСрок\n".encode("utf-16-le"),
    "№\tМероприятие\tСрок\n1\tСовещание\tмарт\n".encode("cp1251"),
    b"",
]


def random_file(rng: random.Random) -> bytes:
    """Bytes of no format, or of a format that is not a roadmap document."""
    kind = rng.randrange(4)
    if kind == 0:
        return rng.randbytes(rng.randrange(400))
    if kind == 1:
        return b"PK\x03\x04" + rng.randbytes(rng.randrange(300))
    if kind == 2:
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(rng.randrange(600))
    return rng.choice(SAMPLES)


def hostile_package(main: str, rng: random.Random) -> bytes:
    """A zip bomb of one kind or another around the main part."""
    return rng.choice([ratio_bomb, many_parts, lying_sizes])(main)
