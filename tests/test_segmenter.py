from gzie.training.segmenter import derived_segmentation, lexicon_from_records, user_dictionary


def test_gold_spans_stay_whole(tiny_records):
    record = tiny_records[0]
    words = [w for sentence in derived_segmentation(record, set()) for w in sentence]
    for span in record["spans"]:
        assert record["text"][span["start"]:span["end"]] in words


def test_segmentation_covers_the_text_without_whitespace(tiny_records):
    record = tiny_records[0]
    words = [w for sentence in derived_segmentation(record, lexicon_from_records([record])) for w in sentence]
    assert "".join(words) == "".join(record["text"].split())


def test_text_between_spans_uses_the_lexicon():
    record = {"text": "省商务厅发布", "spans": []}
    words = derived_segmentation(record, {"省商务厅", "发布"})[0]
    assert words == ["省商务厅", "发布"]


def test_user_dictionary_comes_from_the_rule_tables():
    assert "国务院办公厅" in user_dictionary()
