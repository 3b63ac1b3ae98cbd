"""Label Studio and doccano formats <-> gzie corpus records.

Exports carry the model's entities and relations as pre-annotations; imports convert finished
annotations back and report, per task, everything that could not be converted.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

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


def _check_relation(task: str, label: str, spans: list[dict], head: int, child: int,
                    problems: list[Problem]) -> bool:
    if label not in RELATION_TYPES:
        problems.append(task_problem(task, f"unknown relation label {label!r}"))
        return False
    want = RELATION_TYPES[label]
    got = (spans[head]["label"], spans[child]["label"])
    if got != want:
        problems.append(task_problem(task, f"relation {label} links {got[0]}->{got[1]}, expected {want[0]}->{want[1]}"))
        return False
    return True


def _add_span(task: str, text: str, start, end, surface, label: str, spans: list[dict],
              problems: list[Problem]) -> int | None:
    if label not in ENTITY_LABELS:
        problems.append(task_problem(task, f"unknown label {label!r} on {surface!r}"))
        return None
    if not isinstance(start, int) or not isinstance(end, int):
        problems.append(task_problem(task, f"span {surface!r} has no integer offsets"))
        return None
    where = resolve_span(text, start, end, surface)
    if where is None:
        shown = f"do not match {surface!r} in the text" if surface is not None else "are outside the text"
        problems.append(task_problem(task, f"offsets {start}..{end} ({label}) {shown}"))
        return None
    spans.append({"start": where[0], "end": where[1], "label": label})
    return len(spans) - 1


def _finished_annotation(task: dict) -> dict | None:
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    return max(annotations, key=lambda a: a.get("updated_at") or a.get("created_at") or "") if annotations else None


def label_studio_to_records(tasks: list[dict]) -> tuple[list[dict], list[Problem]]:
    """Corpus records from a Label Studio JSON export, with one problem per unconverted item."""
    records, problems = [], []
    for number, task in enumerate(tasks, start=1):
        data = task.get("data") or {}
        name = str(data.get("id") or task.get("id") or number)
        # the server's own task id too, when the document id differs: documents may be pushed twice
        source = name if task.get("id") is None or str(task["id"]) == name else \
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
        results = annotation.get("result") or []
        for item in results:
            if item.get("type") != "labels":
                continue
            value = item.get("value") or {}
            labels = value.get("labels") or []
            if len(labels) != 1:
                problems.append(task_problem(source, f"span {value.get('text')!r} has {len(labels)} labels"))
                continue
            index = _add_span(source, text, value.get("start"), value.get("end"), value.get("text"), labels[0],
                              spans, problems)
            if index is not None:
                index_of[item.get("id")] = index
        for item in results:
            if item.get("type") != "relation":
                continue
            head, child = index_of.get(item.get("from_id")), index_of.get(item.get("to_id"))
            labels = item.get("labels") or []
            if head is None or child is None:
                problems.append(task_problem(source, f"relation {labels} points to a missing span"))
                continue
            if len(labels) != 1:
                problems.append(task_problem(source, f"relation between {item.get('from_id')} and "
                                                    f"{item.get('to_id')} has {len(labels)} labels"))
                continue
            if _check_relation(source, labels[0], spans, head, child, problems):
                relations.append({"head": head, "child": child, "label": labels[0]})
        meta = dict(data.get("meta") or {})
        if data.get("date"):
            meta["date"] = data["date"]
        records.append({"id": name, "text": text, "meta": meta, "spans": spans, "relations": relations})
    return records, problems


def doccano_to_records(lines: list[dict]) -> tuple[list[dict], list[Problem]]:
    """Corpus records from doccano relation-extraction JSONL lines."""
    records, problems = [], []
    for number, line in enumerate(lines, start=1):
        name = str(line.get("gzie_id") or line.get("id") or number)
        text = line.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(task_problem(name, "task has no text"))
            continue
        spans, relations, index_of = [], [], {}
        for entity in line.get("entities") or []:
            # doccano exports no span text, so offsets are taken as code points when in range
            index = _add_span(name, text, entity.get("start_offset"), entity.get("end_offset"), None,
                              entity.get("label"), spans, problems)
            if index is not None:
                index_of[entity.get("id")] = index
        for rel in line.get("relations") or []:
            head, child = index_of.get(rel.get("from_id")), index_of.get(rel.get("to_id"))
            if head is None or child is None:
                problems.append(task_problem(name, f"relation {rel.get('type')} points to a missing span"))
                continue
            if _check_relation(name, rel.get("type"), spans, head, child, problems):
                relations.append({"head": head, "child": child, "label": rel["type"]})
        records.append({"id": name, "text": text, "meta": dict(line.get("meta") or {}),
                        "spans": spans, "relations": relations})
    return records, problems
