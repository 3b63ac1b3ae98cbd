"""`gzie annotate push/pull` against a fake Label Studio server in a thread on 127.0.0.1."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from gzie.annotate.formats import label_studio_config
from gzie.annotate.labelstudio import LabelStudioClient, is_jwt, pull, push
from gzie.cli import app
from gzie.corpus.io import read_records
from gzie.errors import LabelStudioError

PAT = "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJlLW9mLXRoZS1wYXQ"
LEGACY = "legacy0123456789abcdef"
TEXT = "上半年，全省开发区完成工业总产值5200亿元，同比增长8.1%。"


class FakeLabelStudio:
    """Projects, tasks and exports in memory; every request is logged with its headers."""

    def __init__(self):
        self.projects, self.tasks, self.requests = [], [], []
        self.access_uses_left = None  # None: access tokens never expire
        self.access_count = 0

    def project(self, title, config=None):
        project = {"id": len(self.projects) + 1, "title": title, "label_config": config or label_studio_config()}
        self.projects.append(project)
        return project

    def task(self, project_id, data, annotations=()):
        task = {"id": len(self.tasks) + 1, "project": project_id, "data": data, "annotations": list(annotations),
                "predictions": []}
        self.tasks.append(task)
        return task

    def authorised(self, header):
        if header == f"Token {LEGACY}":
            return True
        if header == f"Bearer access-{self.access_count}" and self.access_uses_left != 0:
            if self.access_uses_left is not None:
                self.access_uses_left -= 1
            return True
        return False

    def answer(self, method, path, query, body, header):
        if (method, path) == ("POST", "/api/token/refresh"):
            if body.get("refresh") != PAT:
                return 401, {"detail": "Token is invalid"}
            self.access_count += 1
            if self.access_uses_left == 0:
                self.access_uses_left = None
            return 200, {"access": f"access-{self.access_count}"}
        if not self.authorised(header):
            # a careless server that echoes the credentials it was given
            return 401, {"detail": f"Invalid token {header}"}
        parts = path.strip("/").split("/")
        if (method, path) == ("GET", "/api/projects"):
            title = query.get("title", [""])[0]
            found = [p for p in self.projects if title.lower() in p["title"].lower()]
            return 200, {"count": len(found), "next": None, "previous": None, "results": found}
        if (method, path) == ("POST", "/api/projects"):
            return 201, self.project(body["title"], body["label_config"])
        if method == "POST" and parts[-1] == "import":
            for task in body:
                self.task(int(parts[2]), task["data"])["predictions"] = task.get("predictions", [])
            return 201, {"task_count": len(body), "prediction_count": sum(len(t["predictions"]) for t in body)}
        if method == "GET" and parts[-1] == "export":
            assert query["exportType"] == ["JSON"] and query["download_all_tasks"] == ["true"]
            return 200, [t for t in self.tasks if t["project"] == int(parts[2])]
        return 404, {"detail": "Not found."}


@pytest.fixture
def server():
    fake = FakeLabelStudio()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            where = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length).decode("utf-8")) if length else None
            header = self.headers.get("Authorization")
            fake.requests.append((self.command, where.path, header, body))
            status, answer = fake.answer(self.command, where.path, parse_qs(where.query), body, header)
            content = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = _serve

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def news(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_text("据了解，园区建设进展顺利。", encoding="utf-8")
    return folder


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepted(task, **extra):
    """An annotation as an annotator leaves it after accepting the prediction."""
    return {"id": 1, "result": task["predictions"][0]["result"], "was_cancelled": False,
            "updated_at": "2025-01-01T10:00:00Z", **extra}


def test_push_creates_a_project_with_gzie_config(server, news):
    summary, problems = push([news], server.url, "园区新闻", PAT)
    assert problems == [] and summary["created"] is True
    assert [(p["title"], p["label_config"]) for p in server.projects] == [("园区新闻", label_studio_config())]


def test_push_reuses_the_project_with_that_title(server, news):
    server.project("园区新闻 (old)")
    existing = server.project("园区新闻")
    summary, _ = push([news], server.url, "园区新闻", PAT)
    assert summary["created"] is False and summary["project_id"] == existing["id"]
    assert len(server.projects) == 2
    assert {t["project"] for t in server.tasks} == {existing["id"]}


def test_push_imports_tasks_with_the_model_predictions(server, news):
    summary, _ = push([news], server.url, "园区新闻", PAT, order="input")
    assert summary["tasks"] == summary["predictions"] == 2
    first = server.tasks[0]
    assert first["data"]["text"] == TEXT and first["data"]["id"] == "a"
    labels = {r["value"]["text"]: r["value"]["labels"][0] for r in first["predictions"][0]["result"]
              if r["type"] == "labels"}
    assert labels["工业总产值"] == "INDICATOR"
    assert any(r["type"] == "relation" for r in first["predictions"][0]["result"])


def test_push_leaves_out_texts_already_in_the_project(server, news):
    project = server.project("园区新闻")
    server.task(project["id"], {"text": TEXT})
    summary, _ = push([news], server.url, "园区新闻", PAT)
    assert (summary["tasks"], summary["already"]) == (1, 1)


def test_push_refuses_a_project_with_another_config(server, news):
    server.project("园区新闻", config='<View><Text name="text" value="$text"/></View>')
    with pytest.raises(LabelStudioError, match="labeling config other than gzie's"):
        push([news], server.url, "园区新闻", PAT)
    assert server.tasks == []


def test_pull_converts_the_latest_non_cancelled_annotation(server, news):
    push([news], server.url, "园区新闻", PAT, order="input")
    task = server.tasks[0]
    older = accepted(task, updated_at="2025-01-01T09:00:00Z", result=[])
    cancelled = {"id": 3, "result": [], "was_cancelled": True, "updated_at": "2025-01-02T00:00:00Z"}
    task["annotations"] = [older, accepted(task), cancelled]
    server.tasks[1]["annotations"] = [accepted(server.tasks[1])]
    records, problems = pull(server.url, "园区新闻", PAT)
    assert problems == []
    assert records[0]["id"] == "a" and records[0]["text"] == TEXT
    spans = {(s["start"], s["end"], s["label"]) for s in records[0]["spans"]}
    start = TEXT.index("工业总产值")
    assert (start, start + 5, "INDICATOR") in spans
    assert records[0]["relations"]


def pull_with_one_task_annotated(server, news, out, monkeypatch, *options):
    """Push two documents, annotate only the first, then run `gzie annotate pull`."""
    push([news], server.url, "园区新闻", PAT, order="input")
    server.tasks[0]["annotations"] = [accepted(server.tasks[0])]
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", PAT)
    return CliRunner().invoke(app, ["annotate", "pull", "--url", server.url, "--project", "园区新闻",
                                    "-o", str(out), *options])


def test_pull_cli_reports_unannotated_tasks_and_writes_nothing(server, news, tmp_path, monkeypatch):
    out = tmp_path / "new.jsonl"
    result = pull_with_one_task_annotated(server, news, out, monkeypatch)
    assert result.exit_code == 1
    assert "task b (Label Studio task 2): skipped: no finished annotation" in result.output
    assert not out.exists()


def test_pull_cli_allow_partial_writes_the_annotated_tasks(server, news, tmp_path, monkeypatch):
    out = tmp_path / "new.jsonl"
    result = pull_with_one_task_annotated(server, news, out, monkeypatch, "--allow-partial")
    assert result.exit_code == 1
    assert [r["id"] for r in read_records(out)] == ["a"]


def test_pull_of_a_missing_project_is_an_error(server):
    with pytest.raises(LabelStudioError, match="no project titled '园区新闻'"):
        pull(server.url, "园区新闻", PAT)


def test_personal_access_token_is_exchanged_for_a_bearer_token(server):
    LabelStudioClient(server.url, PAT).find_project("园区新闻")
    assert [(m, p, h) for m, p, h, _ in server.requests] == [("POST", "/api/token/refresh", None),
                                                             ("GET", "/api/projects", "Bearer access-1")]


def test_legacy_token_is_sent_as_it_is(server):
    LabelStudioClient(server.url, LEGACY).find_project("园区新闻")
    assert [h for _, _, h, _ in server.requests] == [f"Token {LEGACY}"]


def test_expired_access_token_is_refreshed_once(server):
    client = LabelStudioClient(server.url, PAT)
    server.access_uses_left = 1
    client.find_project("a")
    client.find_project("b")
    assert [p for _, p, _, _ in server.requests].count("/api/token/refresh") == 2


def test_jwt_shape_decides_the_token_kind():
    assert is_jwt(PAT) and not is_jwt(LEGACY) and not is_jwt("a.b")


def test_cli_401_names_server_path_and_variable_but_never_the_token(server, news, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", LEGACY[::-1])
    result = CliRunner().invoke(app, ["annotate", "push", str(news), "--url", server.url, "--project", "p"])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Label Studio at {server.url}: 401 Unauthorized on /api/projects: "
                                     f"Invalid token Token *** — check LABEL_STUDIO_API_KEY")


def test_invalid_personal_access_token_fails_at_refresh(server):
    with pytest.raises(LabelStudioError, match="401 Unauthorized on /api/token/refresh: Token is invalid") as err:
        LabelStudioClient(server.url, PAT[:-3] + "xyz").find_project("p")
    assert err.value.status == 401 and PAT[:-3] not in str(err.value)


def test_token_with_a_space_is_refused_without_showing_it():
    with pytest.raises(LabelStudioError) as err:
        LabelStudioClient("http://127.0.0.1:1", "secret part")
    assert "secret" not in str(err.value)


def test_cli_never_prints_the_token(server, news, tmp_path, monkeypatch):
    monkeypatch.setenv("MY_LS_TOKEN", LEGACY)
    runner = CliRunner()
    pushed = runner.invoke(app, ["annotate", "push", str(news), "--url", server.url, "--project", "p",
                                 "--token-env", "MY_LS_TOKEN"])
    pulled = runner.invoke(app, ["annotate", "pull", "--url", server.url, "--project", "p", "-o",
                                 str(tmp_path / "new.jsonl"), "--token-env", "MY_LS_TOKEN"])
    assert pushed.exit_code == 0 and "2 tasks (2 predictions) -> new project 'p'" in pushed.output
    assert pulled.exit_code == 1 and "skipped" in pulled.output
    assert LEGACY not in pushed.output + pulled.output


def test_cli_connection_refused_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", LEGACY)
    url = f"http://127.0.0.1:{closed_port()}"
    result = CliRunner().invoke(app, ["annotate", "pull", "--url", url, "--project", "p", "-o", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.output == f"Label Studio at {url}: cannot connect (Connection refused) — is the server running?\n"


def test_cli_without_a_token_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("MY_LS_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["annotate", "pull", "--url", "http://127.0.0.1:1", "--project", "p",
                                      "-o", str(tmp_path / "x"), "--token-env", "MY_LS_TOKEN"])
    assert result.exit_code == 1 and "set MY_LS_TOKEN" in result.output
