"""Label Studio and doccano formats <-> gzie corpus records.

Exports carry the model's entities and relations as pre-annotations; imports convert finished
annotations back and report, per task, everything that could not be converted.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..corpus.validate import validate_record
from ..errors import Problem
from ..schema import ENTITY_LABELS, RELATION_LABELS, RELATION_TYPES
from .offsets import resolve_span

FROM_NAME = "label"
TO_NAME = "text"
LABEL_COLOURS = {"AGENCY": "#4e79a7", "POLICY": "#f28e2b", "INDICATOR": "#e15759", "VALUE": "#76b7b2",
                 "PERIOD": "#59a14f", "ZONE": "#edc948"}


def task_problem(task: str, message: str) -> Problem:
    """A problem with one task of an export, named by its task id."""
    return Problem(f"task {task}", message)


def label_studio_config() -> str:
    """A Label Studio labeling config with every entity label and relation of the schema."""
    labels = "\n".join(f"    <Label value={quoteattr(label)} background={quoteattr(LABEL_COLOURS[label])}/>"
                       for label in ENTITY_LABELS)
    relations = "\n".join(f"    <Relation value={quoteattr(r)}/>" for r in RELATION_LABELS)
    return (f'<View>\n  <Relations>\n{relations}\n  </Relations>\n'
            f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}\n  </Labels>\n'
            f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>\n</View>\n')


def _record_meta(record: dict) -> dict:
    return {"id": record.get("id"), "date": (record.get("meta") or {}).get("date")}


def record_to_label_studio(record: dict, model_version: str = "gzie", score: float | None = None) -> dict:
    """One Label Studio task with the record's spans and relations as a prediction."""
    text = record["text"]
    result = []
    for i, span in enumerate(record["spans"]):
        result.append({"id": f"s{i}", "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
                       "value": {"start": span["start"], "end": span["end"],
                                 "text": text[span["start"]:span["end"]], "labels": [span["label"]]}})
    for rel in record["relations"]:
        result.append({"from_id": f"s{rel['head']}", "to_id": f"s{rel['child']}", "type": "relation",
                       "direction": "right", "labels": [rel["label"]]})
    prediction = {"model_version": model_version, "result": result}
    if score is not None:
        prediction["score"] = score
    return {"data": {"text": text, **_record_meta(record), "meta": record.get("meta") or {}},
            "predictions": [prediction]}


def record_to_doccano(record: dict) -> dict:
    """One doccano relation-extraction line (entities and relations with ids)."""
    entities = [{"id": i, "label": s["label"], "start_offset": s["start"], "end_offset": s["end"]}
                for i, s in enumerate(record["spans"])]
    relations = [{"id": i, "from_id": r["head"], "to_id": r["child"], "type": r["label"]}
                 for i, r in enumerate(record["relations"])]
    return {"text": record["text"], "gzie_id": record.get("id"), "meta": record.get("meta") or {},
            "entities": entities, "relations": relations}


def _check_relation(task: str, label, spans: list[dict], head: int, child: int,
                    problems: list[Problem]) -> bool:
    if not isinstance(label, str) or label not in RELATION_TYPES:
        problems.append(task_problem(task, f"unknown relation label {label!r}"))
        return False
    want = RELATION_TYPES[label]
    got = (spans[head]["label"], spans[child]["label"])
    if got != want:
        problems.append(task_problem(task, f"relation {label} links {got[0]}->{got[1]}, expected {want[0]}->{want[1]}"))
        return False
    return True


def _is_offset(value) -> bool:
    return type(value) is int  # not bool, not float


def _key(value):
    """An item id usable as a dict key (ids that are lists or objects match nothing)."""
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _add_span(task: str, text: str, start, end, surface, label, spans: list[dict],
              problems: list[Problem]) -> int | None:
    if not isinstance(label, str) or label not in ENTITY_LABELS:
        problems.append(task_problem(task, f"unknown label {label!r} on {surface!r}"))
        return None
    if not _is_offset(start) or not _is_offset(end):
        problems.append(task_problem(task, f"span {surface!r} has no integer offsets"))
        return None
    if surface is not None and not isinstance(surface, str):
        surface = None
    where = resolve_span(text, start, end, surface)
    if where is None:
        shown = f"do not match {surface!r} in the text" if surface is not None else "are outside the text"
        problems.append(task_problem(task, f"offsets {start}..{end} ({label}) {shown}"))
        return None
    spans.append({"start": where[0], "end": where[1], "label": label})
    return len(spans) - 1


def _finished_annotation(task: dict) -> dict | None:
    annotations = [a for a in _dicts(task.get("annotations")) if not a.get("was_cancelled")]
    if not annotations:
        return None
    return max(annotations, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))


def _dicts(value) -> list[dict]:
    """The objects of a list (anything else in it, or a value that is no list, is ignored)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _listed(value, field: str, source: str, problems: list[Problem], kind: type) -> list:
    """The items of a task's list field that are of `kind`; a field that is no list, and each item
    of another kind, is reported (so no annotation is dropped in silence)."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(task_problem(source, f"{field} must be a list, not {type(value).__name__}"))
        return []
    kept = []
    for item in value:
        if isinstance(item, kind):
            kept.append(item)
        else:
            wanted = "a list" if kind is list else "an object"
            problems.append(task_problem(source, f"{field} holds {item!r}, not {wanted}"))
    return kept


def _checked(records: list[dict], sources: list[str], problems: list[Problem]) -> list[dict]:
    """The converted records that the corpus accepts; the others reported by task, as corpus
    validate would report them (overlapping or duplicate spans, repeated ids)."""
    kept, seen = [], {}
    for record, source in zip(records, sources):
        found = validate_record(record, source=f"task {source}")
        if record["id"] in seen:
            found.append(task_problem(source, f"document id {record['id']!r} repeats task {seen[record['id']]}; "
                                              "skipped"))
        if found:
            problems.extend(Problem(p.source, p.message) for p in found)
            continue
        seen[record["id"]] = source
        kept.append(record)
    return kept


def label_studio_to_records(tasks: list) -> tuple[list[dict], list[Problem]]:
    """Corpus records from a Label Studio JSON export, with one problem per unconverted item."""
    records, sources, problems = [], [], []
    for number, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            problems.append(task_problem(str(number), f"task is a {type(task).__name__}, not an object"))
            continue
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        doc_id = _key(data.get("id")) if _key(data.get("id")) is not None else _key(task.get("id"))
        name = str(doc_id if doc_id is not None and str(doc_id) else number)
        # the server's own task id too, when the document id differs: documents may be pushed twice
        source = name if _key(task.get("id")) is None or str(task["id"]) == name else \
            f"{name} (Label Studio task {task['id']})"
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(task_problem(source, "task has no text"))
            continue
        annotation = _finished_annotation(task)
        if annotation is None:
            problems.append(task_problem(source, "skipped: no finished annotation"))
            continue
        spans, relations, index_of = [], [], {}
        results = _dicts(annotation.get("result"))
        for item in results:
            if item.get("type") != "labels":
                continue
            value = item.get("value") if isinstance(item.get("value"), dict) else {}
            labels = value.get("labels") if isinstance(value.get("labels"), list) else []
            if len(labels) != 1:
                problems.append(task_problem(source, f"span {value.get('text')!r} has {len(labels)} labels"))
                continue
            index = _add_span(source, text, value.get("start"), value.get("end"), value.get("text"), labels[0],
                              spans, problems)
            if index is not None and _key(item.get("id")) is not None:
                index_of[_key(item.get("id"))] = index
        for item in results:
            if item.get("type") != "relation":
                continue
            head, child = index_of.get(_key(item.get("from_id"))), index_of.get(_key(item.get("to_id")))
            labels = item.get("labels") if isinstance(item.get("labels"), list) else []
            if head is None or child is None:
                problems.append(task_problem(source, f"relation {labels} points to a missing span"))
                continue
            if len(labels) != 1:
                problems.append(task_problem(source, f"relation between {item.get('from_id')} and "
                                                    f"{item.get('to_id')} has {len(labels)} labels"))
                continue
            if _check_relation(source, labels[0], spans, head, child, problems):
                relations.append({"head": head, "child": child, "label": labels[0]})
        meta = dict(data["meta"]) if isinstance(data.get("meta"), dict) else {}
        if isinstance(data.get("date"), str) and data["date"]:
            meta["date"] = data["date"]
        records.append({"id": name, "text": text, "meta": meta, "spans": spans, "relations": relations})
        sources.append(source)
    return _checked(records, sources, problems), problems


def doccano_to_records(lines: list) -> tuple[list[dict], list[Problem]]:
    """Corpus records from doccano relation-extraction JSONL: (line number, object) pairs, or
    objects alone (numbered from 1)."""
    records, sources, problems = [], [], []
    for position, item in enumerate(lines, start=1):
        number, line = item if isinstance(item, tuple) else (position, item)
        if not isinstance(line, dict):
            problems.append(Problem(f"line {number}", f"a task must be a JSON object, not {type(line).__name__}"))
            continue
        doc_id = _key(line.get("gzie_id")) if _key(line.get("gzie_id")) is not None else _key(line.get("id"))
        name = str(doc_id if doc_id is not None and str(doc_id) else number)
        source = f"{name} (line {number})"
        text = line.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(task_problem(source, "task has no text"))
            continue
        spans, relations, index_of = [], [], {}
        for triple in _listed(line.get("label"), "label", source, problems, list):
            # doccano's sequence-labeling export: "label": [[start, end, "LABEL"], ...]
            if len(triple) != 3:
                problems.append(task_problem(source, f"label {triple!r} is not [start, end, label]"))
                continue
            _add_span(source, text, triple[0], triple[1], None, triple[2], spans, problems)
        for entity in _listed(line.get("entities"), "entities", source, problems, dict):
            # doccano exports no span text, so offsets are taken as code points when in range
            index = _add_span(source, text, entity.get("start_offset"), entity.get("end_offset"), None,
                              entity.get("label"), spans, problems)
            if index is not None and _key(entity.get("id")) is not None:
                index_of[_key(entity.get("id"))] = index
        for rel in _listed(line.get("relations"), "relations", source, problems, dict):
            head, child = index_of.get(_key(rel.get("from_id"))), index_of.get(_key(rel.get("to_id")))
            if head is None or child is None:
                problems.append(task_problem(source, f"relation {rel.get('type')} points to a missing span"))
                continue
            if _check_relation(source, rel.get("type"), spans, head, child, problems):
                relations.append({"head": head, "child": child, "label": rel["type"]})
        meta = dict(line["meta"]) if isinstance(line.get("meta"), dict) else {}
        records.append({"id": name, "text": text, "meta": meta, "spans": spans, "relations": relations})
        sources.append(source)
    return _checked(records, sources, problems), problems
