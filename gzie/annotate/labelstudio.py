"""A small Label Studio REST client: push pre-annotated tasks into a project, pull finished annotations.

Authentication takes either kind of Label Studio token: a personal access token (a JWT refresh
token, exchanged at /api/token/refresh for short-lived access tokens sent as `Bearer`) or a
legacy token (sent as `Token`). The token never appears in messages or errors.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterable
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from ..errors import LabelStudioError, Problem
from .formats import label_studio_config, label_studio_to_records

_TOKEN_CHARS = re.compile(r"[\x21-\x7e]+")
_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
MASK = "***"
IMPORT_BATCH = 500
PAGE_SIZE = 100


def is_jwt(token: str) -> bool:
    """Whether a token looks like a JWT (a personal access token) rather than a legacy token."""
    return bool(_JWT.match(token))


def _config_signature(config: str) -> tuple | None:
    """What matters of a labeling config for gzie's tasks: names, labels and relations."""
    try:
        root = ET.fromstring(config)
    except ET.ParseError:
        return None
    labels = sorted((e.get("name"), e.get("toName"), tuple(sorted(label.get("value") for label in e.iter("Label"))))
                    for e in root.iter("Labels"))
    relations = sorted(r.get("value") for r in root.iter("Relation"))
    texts = sorted((t.get("name"), t.get("value")) for t in root.iter("Text"))
    return labels, relations, texts


class LabelStudioClient:
    """The few REST calls gzie needs, against one Label Studio server."""

    def __init__(self, url: str, token: str, timeout: float = 120.0):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise LabelStudioError(f"{url!r} is not an http(s) URL of a Label Studio server")
        if not token or not token.strip():
            raise LabelStudioError("no Label Studio API token given")
        if not _TOKEN_CHARS.fullmatch(token.strip()):
            raise LabelStudioError("the Label Studio API token contains spaces or characters no token has")
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._token = token.strip()
        self._access: str | None = None

    def __repr__(self) -> str:
        return f"LabelStudioClient({self.url!r})"

    # --- transport -------------------------------------------------------------------------

    def _mask(self, text: str) -> str:
        for secret in (self._token, self._access):
            if secret:
                text = text.replace(secret, MASK)
        return text

    def error(self, path: str, message: str, status: int | None = None) -> LabelStudioError:
        """An error naming this server, with any token in the message masked."""
        return LabelStudioError(self._mask(f"Label Studio at {self.url}: {message}"), status=status, path=path)

    def _send(self, method: str, path: str, body: Any = None, auth: str | None = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = Request(self.url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if auth:
            request.add_header("Authorization", auth)
        shown = urlsplit(path).path
        try:
            with urlopen(request, timeout=self.timeout) as response:
                content = response.read()
        except HTTPError as err:
            detail = _error_detail(err)
            err.close()
            raise self.error(shown, f"{err.code} {err.reason} on {shown}{detail}", status=err.code) from None
        except URLError as err:
            reason = getattr(err.reason, "strerror", None) or str(err.reason)
            raise self.error(shown, f"cannot connect ({reason}) — is the server running?") from None
        except TimeoutError:
            raise self.error(shown, f"no answer on {shown} within {self.timeout:g} s") from None
        except OSError as err:
            raise self.error(shown, f"connection failed on {shown} ({err.strerror or err})") from None
        if not content.strip():
            return None
        try:
            return json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self.error(shown, f"{shown} did not answer with JSON — is this a Label Studio server?") from None

    def _refresh(self) -> None:
        answer = self._send("POST", "/api/token/refresh", {"refresh": self._token})
        if not isinstance(answer, dict) or not answer.get("access"):
            raise self.error("/api/token/refresh", "no access token from /api/token/refresh")
        self._access = answer["access"]

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """Send one authenticated request; the parsed JSON answer (None when empty)."""
        if not is_jwt(self._token):
            return self._send(method, path, body, auth=f"Token {self._token}")
        if self._access is None:
            self._refresh()
        try:
            return self._send(method, path, body, auth=f"Bearer {self._access}")
        except LabelStudioError as err:
            if err.status != 401:
                raise
        self._refresh()  # access tokens live minutes: one fresh try
        return self._send(method, path, body, auth=f"Bearer {self._access}")

    # --- projects, tasks, exports ----------------------------------------------------------

    def projects_titled(self, title: str) -> list[dict]:
        """Every project whose title is exactly `title`."""
        found, page = [], 1
        while True:
            query = urlencode({"title": title, "page": page, "page_size": PAGE_SIZE})
            answer = self.request("GET", f"/api/projects?{query}")
            results = answer.get("results", []) if isinstance(answer, dict) else answer or []
            found += [p for p in results if p.get("title") == title]
            if not isinstance(answer, dict) or not answer.get("next") or not results:
                return found
            page += 1

    def find_project(self, title: str) -> dict | None:
        """The project titled `title` if there is one; an error when several share the title."""
        projects = self.projects_titled(title)
        if len(projects) > 1:
            ids = ", ".join(str(p.get("id")) for p in projects)
            raise self.error("/api/projects", f"{len(projects)} projects are titled {title!r} (ids {ids}); "
                                              f"rename all but one")
        if projects and _config_signature(projects[0].get("label_config") or "") != \
                _config_signature(label_studio_config()):
            raise self.error("/api/projects", f"project {title!r} (id {projects[0].get('id')}) has a labeling "
                                              f"config other than gzie's; choose another project title")
        return projects[0] if projects else None

    def create_project(self, title: str) -> dict:
        """A new project with gzie's labeling config."""
        return self.request("POST", "/api/projects", {"title": title, "label_config": label_studio_config()})

    def import_tasks(self, project_id: int, tasks: list[dict]) -> dict:
        """Import tasks (with their predictions); counts of what the server created."""
        counts = {"tasks": 0, "predictions": 0}
        for start in range(0, len(tasks), IMPORT_BATCH):
            batch = tasks[start:start + IMPORT_BATCH]
            answer = self.request("POST", f"/api/projects/{project_id}/import", batch) or {}
            counts["tasks"] += answer.get("task_count", len(batch))
            reported = answer.get("prediction_count")
            counts["predictions"] += reported if reported is not None else sum(len(t["predictions"]) for t in batch)
        return counts

    def export_tasks(self, project_id: int) -> list[dict]:
        """Every task of the project, annotated or not, in Label Studio's JSON export format."""
        query = urlencode({"exportType": "JSON", "download_all_tasks": "true"})
        answer = self.request("GET", f"/api/projects/{project_id}/export?{query}")
        if not isinstance(answer, list):
            raise self.error(f"/api/projects/{project_id}/export", "the export is not a JSON list of tasks")
        return answer


def _error_detail(err: HTTPError) -> str:
    """The server's own reason for an error, on one short line (empty when it gave none)."""
    try:
        body = json.loads(err.read().decode("utf-8"))
    except (OSError, ValueError):
        return ""
    if not isinstance(body, dict):
        return ""
    detail = body.get("detail") or body.get("validation_errors") or body.get("error")
    if not detail:
        return ""
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    text = " ".join(text.split())
    return ": " + (text[:200] + "…" if len(text) > 200 else text)


def push(inputs: Iterable[str | Path], url: str, project: str, token: str, *, model: str | None = None,
         order: str = "uncertainty", limit: int | None = None) -> tuple[dict, list[Problem]]:
    """Pre-annotate the inputs and import them as tasks into the Label Studio project titled
    `project`, created with gzie's labeling config unless it exists. Documents whose text is
    already a task of the project are left out. Returns a summary (url, project, project_id,
    created, tasks, predictions, already) and the inputs that could not be read."""
    from .tasks import pre_annotate, to_tasks

    client = LabelStudioClient(url, token)
    found = client.find_project(project)  # checks the server and the token before the model runs
    scored, problems = pre_annotate(inputs, model=model, order=order)
    known = {(t.get("data") or {}).get("text") for t in client.export_tasks(found["id"])} if found else set()
    fresh = [(record, u) for record, u in scored if record["text"] not in known]
    summary = {"url": client.url, "project": project, "project_id": found["id"] if found else None,
               "created": False, "tasks": 0, "predictions": 0, "already": len(scored) - len(fresh)}
    tasks = to_tasks(fresh[:limit] if limit else fresh, "labelstudio")
    if tasks:
        target = found or client.create_project(project)
        summary.update(project_id=target["id"], created=found is None, **client.import_tasks(target["id"], tasks))
    return summary, problems


def pull(url: str, project: str, token: str) -> tuple[list[dict], list[Problem]]:
    """Corpus records from the finished annotations of a Label Studio project (the latest
    non-cancelled annotation of each task), and one problem per task or item not converted."""
    client = LabelStudioClient(url, token)
    found = client.find_project(project)
    if found is None:
        raise client.error("/api/projects", f"no project titled {project!r}")
    return label_studio_to_records(client.export_tasks(found["id"]))
