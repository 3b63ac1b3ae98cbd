from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def tiny_records():
    from gzie.corpus.markup import read_markup

    records, problems = read_markup(DATA / "tiny.md")
    assert not problems
    return records


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory, tiny_records):
    """The tiny corpus as train/dev JSONL files."""
    from gzie.corpus.io import write_records

    folder = tmp_path_factory.mktemp("tiny")
    write_records(tiny_records, folder / "train.jsonl")
    write_records(tiny_records[:3], folder / "dev.jsonl")
    return folder


@pytest.fixture
def blank_zh():
    import spacy

    return spacy.blank("zh")
