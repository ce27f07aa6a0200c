"""Every message the readers and the importer can give is translated.

The fuzz tests check that each refusal they meet contains Russian; some
English messages quote Russian headers («Мероприятие»), so this checks the
catalogue itself: each text the readers pass to gettext has a Russian
translation.
"""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from .support import CYRILLIC

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "roadmaps" / "parsing").glob("*.py")),
    ROOT / "roadmaps" / "deadlines.py",
    ROOT / "roadmaps" / "imports.py",
]
GETTEXT = {"gettext", "_", "gettext_lazy"}


def msgids(path: Path) -> list[str]:
    """The literal texts a module passes to gettext."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(node.args[0].value)
    return found


MSGIDS = sorted({msgid for path in SOURCES for msgid in msgids(path)})


def test_the_readers_have_messages():
    assert len(MSGIDS) > 50


@pytest.mark.parametrize("msgid", MSGIDS, ids=lambda msgid: msgid[:40])
def test_each_message_is_translated_to_russian(msgid):
    with translation.override("ru"):
        translated = translation.gettext(msgid)
    assert translated != msgid
    assert CYRILLIC.search(translated)
