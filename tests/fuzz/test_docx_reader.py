"""Fuzzing the Word reader: any upload is read or refused in Russian, safely.

Documents are built as word/document.xml by hand (see support.py): order
paragraphs, tables with merged, spanned and shifted cells, content controls,
tracked changes, text boxes, nested tables; then truncated, damaged,
inflated or given XML entity declarations. A few are saved by python-docx
itself.
"""

import io
import random

import docx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from roadmaps.parsing.files import parse_file

from .support import (
    DOCM_MAIN,
    DOCX_MAIN,
    ENCODINGS,
    ENTITIES,
    MAX_ROWS,
    ORDER_LINES,
    XML_ILLEGAL,
    assert_entity_refused,
    docx_package,
    dump,
    fuzz,
    header,
    hostile_package,
    lying_sizes,
    many_parts,
    mutate,
    outcome,
    random_file,
    random_text,
    ratio_bomb,
    seeded,
    seeds,
    with_entity,
    word_document,
    xml_text,
)

pytestmark = pytest.mark.usefixtures("few_rows")


class Body:
    """Builds the body of one document; a broken one has impossible values."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.broken = rng.random() < 0.2

    def number(self, usual: int) -> str:
        """An attribute value: usually right, in broken documents anything."""
        if self.broken and self.rng.random() < 0.2:
            return self.rng.choice(["abc", "-3", "0", "999999999", ""])
        return str(usual)

    def run(self, text: str) -> str:
        """A run of text with tabs and breaks, now and then tracked or hidden."""
        rng = self.rng
        parts = []
        for piece in text.split("\t"):
            parts.append(f'<w:t xml:space="preserve">{xml_text(piece)}</w:t>')
            parts.append("<w:tab/>")
        parts.pop()
        if rng.random() < 0.2:
            parts.append(rng.choice(["<w:br/>", "<w:cr/>", "<w:noBreakHyphen/>"]))
        run = f"<w:r><w:rPr><w:b/></w:rPr>{''.join(parts)}</w:r>"
        wrapper = rng.randrange(12)
        if wrapper == 0:
            return f'<w:ins w:id="1" w:author="x">{run}</w:ins>'
        if wrapper == 1:
            return f'<w:hyperlink w:anchor="a">{run}</w:hyperlink>'
        if wrapper == 2:
            return (
                f'{run}<w:del w:id="2" w:author="x"><w:r><w:delText>'
                "zqhidden</w:delText></w:r></w:del>"
            )
        if wrapper == 3:
            return f"{run}<w:r><w:instrText>zqhidden</w:instrText></w:r>"
        if wrapper == 4:
            return (
                f"{run}<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>zqhidden</w:t>"
                "</w:r></w:p></w:txbxContent></w:pict></w:r>"
            )
        return run

    def paragraph(self, text: str) -> str:
        return f"<w:p><w:pPr><w:jc w:val='center'/></w:pPr>{self.run(text)}</w:p>"

    def cell(self, text: str) -> str:
        rng = self.rng
        properties = []
        if rng.random() < 0.1:
            properties.append(
                f'<w:gridSpan w:val="{self.number(rng.randrange(1, 4))}"/>'
            )
        if rng.random() < 0.1:
            merge = rng.choice(['<w:vMerge w:val="restart"/>', "<w:vMerge/>"])
            properties.append(merge)
        content = "".join(self.paragraph(line) for line in text.split("\n"))
        if rng.random() < 0.03:
            content += self.table(depth=1)
        cell = (
            f"<w:tc><w:tcPr>{''.join(properties)}</w:tcPr>{content or '<w:p/>'}</w:tc>"
        )
        if rng.random() < 0.05:
            cell = f"<w:sdt><w:sdtContent>{cell}</w:sdtContent></w:sdt>"
        return cell

    def row(self, texts: list[str]) -> str:
        rng = self.rng
        properties = ""
        if rng.random() < 0.1:
            properties = f'<w:trPr><w:gridBefore w:val="{self.number(1)}"/></w:trPr>'
        row = f"<w:tr>{properties}{''.join(self.cell(t) for t in texts)}</w:tr>"
        if rng.random() < 0.05:
            row = f'<w:customXml w:element="x">{row}</w:customXml>'
        return row

    def table(self, depth: int = 0) -> str:
        rng = self.rng
        rows = []
        if depth == 0 and rng.random() < 0.8:
            rows.append(self.row(header(rng)))
        many = rng.random() < 0.1
        for _ in range(rng.randrange(MAX_ROWS + 4 if many else 7)):
            width = rng.randrange(6)
            rows.append(self.row([text(rng) for _ in range(width)]))
        return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl>"

    def body(self) -> str:
        rng = self.rng
        blocks = []
        for _ in range(rng.randrange(1, 5)):
            kind = rng.randrange(5)
            if kind == 0:
                blocks.append(self.paragraph(rng.choice(ORDER_LINES)))
            elif kind == 1:
                blocks.append(self.paragraph(text(rng)))
            elif kind == 2 and rng.random() < 0.3:
                # A table typed as tab-separated paragraphs.
                lines = ["\t".join(header(rng))] + [
                    "\t".join(text(rng) for _ in range(4)) for _ in range(3)
                ]
                blocks.extend(self.paragraph(line) for line in lines)
            else:
                blocks.append(self.table())
        return "".join(blocks)


def text(rng: random.Random) -> str:
    return random_text(rng).replace("zq", "")


def document(rng: random.Random) -> bytes:
    main = DOCX_MAIN if rng.random() < 0.95 else rng.choice([DOCM_MAIN, "text/xml"])
    return docx_package(word_document(Body(rng).body()), main)


def saved_by_python_docx(rng: random.Random) -> bytes:
    """A document as Word-like software saves it, with a table of hostile cells."""
    word = docx.Document()
    word.add_paragraph(rng.choice(ORDER_LINES))
    rows = [header(rng)] + [
        [XML_ILLEGAL.sub("", text(rng)) for _ in range(4)] for _ in range(5)
    ]
    width = max(map(len, rows))
    table = word.add_table(rows=0, cols=width)
    for cells in rows:
        for target, value in zip(table.add_row().cells, cells, strict=False):
            target.text = value
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def declaring(rng: random.Random, entity: str = "", encoding: str = "") -> bytes:
    """A document whose main part declares and uses an entity."""
    xml = word_document(Body(rng).paragraph(text(rng)))
    entity = entity or rng.choice(ENTITIES)
    encoding = encoding or rng.choice(ENCODINGS)
    return docx_package(with_entity(xml, entity, encoding))


RECIPES = {
    "document": document,
    "damaged": lambda rng: mutate(document(rng), rng),
    "declaring": declaring,
    "bomb": lambda rng: hostile_package("word/document.xml", rng),
    "random": random_file,
}
files = st.builds(
    lambda recipe, rng: RECIPES[recipe](rng),
    st.sampled_from(["document"] * 5 + ["damaged"] * 2 + ["declaring", "random"]),
    seeds,
)


def assert_safe(result) -> None:
    text = dump(result)
    assert "zqhidden" not in text  # deleted text, field codes, text boxes
    assert "lollollol" not in text
    assert "root:" not in text


@fuzz(1000)
@given(files)
# The zip bombs are always the same files: tried once each.
@example(ratio_bomb("word/document.xml"))
@example(many_parts("word/document.xml"))
@example(lying_sizes("word/document.xml"))
def test_any_upload_is_read_or_refused_in_russian(data):
    assert_safe(outcome(parse_file, data, "plan.docx"))


@fuzz(15)
@given(seeds)
def test_documents_saved_by_python_docx(rng):
    assert_safe(outcome(parse_file, saved_by_python_docx(rng), "plan.docx"))


@fuzz(50)
@given(st.sampled_from(ENTITIES), st.sampled_from(ENCODINGS), seeds)
@example("xxe", "UTF-16", seeded(0))
@example("xxe", "UTF-32", seeded(0))
def test_entity_declarations_are_refused(entity, encoding, rng):
    result = outcome(parse_file, declaring(rng, entity, encoding), "plan.docx")
    assert_entity_refused(result, encoding)
