import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.util import get_words_and_spaces, load_model_from_config

from gzie.tokenizer import BigramChineseTokenizer, characters_and_spaces
from gzie.training.config import read_config


def make_nlp():
    config = read_config("configs/bigram.cfg")
    return load_model_from_config(config, auto_fill=True)


def test_tokens_are_characters():
    doc = make_nlp().make_doc("全省开发区")
    assert [t.text for t in doc] == list("全省开发区")


def test_bigram_context_is_stored_on_each_token():
    doc = make_nlp().make_doc("开发区")
    assert [(t.norm_, t.lemma_) for t in doc] == [("开发", "#开"), ("发区", "开发"), ("区#", "发区")]


def test_whitespace_does_not_break_offsets():
    text = "工业  总产值\n5200亿元"
    doc = make_nlp().make_doc(text)
    assert doc.text == text
    assert doc.char_span(4, 7) is not None


def test_tokenizer_survives_a_disk_round_trip(tmp_path):
    nlp = make_nlp()
    nlp.tokenizer.to_disk(tmp_path / "tok")
    other = BigramChineseTokenizer(spacy.blank("zh").vocab)
    other.from_disk(tmp_path / "tok")
    assert [t.norm_ for t in other("园区")] == ["园区", "区#"]


def test_word_feature_tokenizer_keeps_characters_and_adds_words(tiny_records, tmp_path):
    from gzie.tokenizer import WordFeatureChineseTokenizer
    from gzie.training.segmenter import train_pkuseg

    # pkuseg's optimizer needs a few dozen sentences; repeat the tiny corpus
    model = train_pkuseg(tiny_records * 20, tmp_path / "seg", iterations=2)
    tokenizer = WordFeatureChineseTokenizer(spacy.blank("zh").vocab)
    tokenizer.initialize(pkuseg_model=str(model), pkuseg_user_dict=str(model / "user_dict.txt"))
    doc = tokenizer("全省开发区完成工业总产值")
    assert [t.text for t in doc] == list("全省开发区完成工业总产值")
    # every character of a word carries the whole word
    assert len({t.norm_ for t in doc[:5]}) <= 2


def test_word_feature_tokenizer_without_model_says_so():
    import pytest

    from gzie.tokenizer import WordFeatureChineseTokenizer

    with pytest.raises(ValueError, match="needs a pkuseg model"):
        WordFeatureChineseTokenizer(spacy.blank("zh").vocab)("开发区")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("开发区12. \n\t\u3000\x1c\u200b,，%亿")), max_size=40))
def test_characters_and_spaces_match_spacys_reconstruction(text):
    assert characters_and_spaces(text) == get_words_and_spaces(list(text), text)
