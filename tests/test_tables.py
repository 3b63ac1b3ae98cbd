"""Drift between the rule tables in gzie/data and the code: every table is read, every cue role is
used, and no word list lives in code."""

import ast
import re
from pathlib import Path

import pytest

from gzie.errors import TableError
from gzie.resources import parse_table, read_table, table_names

PACKAGE = Path(__file__).parents[1] / "gzie"
CODE = {path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_table_is_read_by_the_code():
    unused = [name for name in table_names() if not any(f'"{name}"' in source for source in CODE.values())]
    assert unused == []


def test_every_cue_role_is_used_by_the_code():
    roles = {row["role"] for row in read_table("cues.tsv")}
    unused = sorted(role for role in roles if not any(f'"{role}"' in source for source in CODE.values()))
    assert unused == []


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    bodies = [tree] + [n for n in ast.walk(tree) if isinstance(n, kinds)]
    return {id(b.body[0].value) for b in bodies
            if b.body and isinstance(b.body[0], ast.Expr) and isinstance(b.body[0].value, ast.Constant)}


def _word_lists(tree: ast.AST):
    """Literal collections of three or more Chinese words, and regexes alternating three or more."""
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            elements = node.keys if isinstance(node, ast.Dict) else node.elts
            words = [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)
                     and HAN.search(e.value)]
            if len(words) >= 3:
                yield node.lineno, words
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            alternatives = [part for part in node.value.split("|") if HAN.search(part)]
            if len(alternatives) >= 3:
                yield node.lineno, alternatives


@pytest.mark.parametrize("path", sorted(CODE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_word_list_lives_in_code(path):
    found = list(_word_lists(ast.parse(CODE[path])))
    assert found == [], f"{path.name}: word lists belong in gzie/data: {found[:3]}"


def test_a_row_with_more_cells_than_the_header_is_an_error():
    with pytest.raises(TableError, match=r"\[E050\] gzie/data/x.tsv: row 2"):
        parse_table("a\tb\n1\t2\t3\n", "x.tsv")


def test_missing_trailing_cells_read_as_empty():
    assert parse_table("# comment\na\tb\tc\n1\n", "x.tsv") == ({"a": "1", "b": "", "c": ""},)
