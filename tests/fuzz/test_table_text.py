"""Fuzzing the reader of pasted tables: a document or a Russian refusal, fast.

Pastes are built from a seed (order lines, a header, rows of hostile cells,
any line ends, a column mapping chosen by hand now and then); arbitrary
text comes from Hypothesis itself; text files go through the upload path
with their encodings. A long cell costs linear time: a regular expression
that backtracks over a long word once took a minute for 40,000 letters.
"""

import random
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from roadmaps.parsing import ColumnKey, parse_document
from roadmaps.parsing.files import parse_file

from .support import (
    ORDER_LINES,
    any_text,
    fuzz,
    header,
    outcome,
    random_text,
    seeds,
)

MEANINGS = [key.value for key in ColumnKey] + [None, "", " TITLE ", "junk"]


def pasted(rng: random.Random) -> tuple[str, int]:
    """Order lines, a header row and rows of hostile cells, as copied from Word;
    and the number of header cells."""
    lines = [rng.choice(ORDER_LINES) for _ in range(rng.randrange(5))]
    head = header(rng)
    lines.append("\t".join(head))
    for _ in range(rng.randrange(12)):
        cells = [random_text(rng) for _ in range(rng.randrange(7))]
        lines.append("\t".join(cells))
    if rng.random() < 0.2:
        lines.append(lines[len(lines) // 2])  # a header repeated after a page break
    end = rng.choice(["\n", "\r\n", "\r", "\n\n"])
    text = rng.choice(["", "\ufeff", " \n"]) + end.join(lines)
    # A NUL anywhere makes the paste a binary file: keep most pastes text.
    return (text if rng.random() < 0.1 else text.replace("\x00", "")), len(head)


def mapping(rng: random.Random, width: int) -> list[str | None] | None:
    """Meanings chosen by hand: none, or as many as the header has cells (some
    of them wrong), or a wrong number of them."""
    if rng.random() < 0.7:
        return None
    count = width if rng.random() < 0.7 else rng.randrange(8)
    return [rng.choice(MEANINGS) for _ in range(count)]


def encoded(text: str, rng: random.Random) -> bytes:
    """The paste saved as a text file: UTF-8, UTF-16 with its mark, or cp1251."""
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"])
    return text.encode(encoding, errors="replace")


@fuzz(1000)
@given(seeds, st.sampled_from(["paste", "paste", "paste", "file"]))
def test_pasted_tables_are_read_or_refused_in_russian(rng, way):
    text, width = pasted(rng)
    chosen = mapping(rng, width)
    if way == "paste":
        outcome(parse_document, text, mapping=chosen)
    else:
        outcome(parse_file, encoded(text, rng), "plan.txt", mapping=chosen)


lines = st.lists(st.lists(any_text, max_size=5).map("\t".join), max_size=6)


@fuzz(300)
@given(st.one_of(any_text, lines.map("\n".join)))
@example("№\tМероприятие\tСрок\n1.\t" + "а" * 3000 + "\tмарт")
@example("\x00")
@example("\ufeff")
def test_any_text_is_read_or_refused_in_russian(text):
    outcome(parse_document, text)


@pytest.mark.parametrize(
    ("part", "where"),
    [
        ("а", "cell"),
        ("Аа", "above"),
        ("школ- участников ", "cell"),
        ("<a ", "cell"),
        ("от 1 ", "above"),
        ("ш- у", "cell"),
        ("1.", "row"),
    ],
)
def test_huge_pastes_take_linear_time(part, where):
    big = part * (50_000 // len(part))
    table = "№\tМероприятие\tСрок\tОтветственные"
    text = {
        "cell": f"{table}\n1.\t{big}\tмарт\t{big}",
        "above": f"{big}\n{table}\n1.\tСовещание\tмарт\tМОУО",
        "row": f"{table}\n" + "\n".join(f"{n}.\t{part}\tмарт\tОО" for n in range(5000)),
    }[where]
    started = time.perf_counter()
    outcome(parse_document, text)
    assert time.perf_counter() - started < 5
