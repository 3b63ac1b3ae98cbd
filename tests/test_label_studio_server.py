"""`gzie annotate push/pull` against a real Label Studio server.

Needs GZIE_LABEL_STUDIO, the path of a `label-studio` executable in its own virtual environment.
Without it the tests skip, unless GZIE_REQUIRE_LABEL_STUDIO=1 (as in CI), which makes them fail.
The server runs on 127.0.0.1 with a temporary data directory and is stopped, with its whole
process group, when the module's tests are done, pass or fail.
"""

import json
import os
import re
import signal
import socket
import subprocess
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener, urlopen

import pytest
from typer.testing import CliRunner

from gzie.annotate.formats import label_studio_config
from gzie.annotate.labelstudio import LabelStudioClient
from gzie.cli import app
from gzie.corpus.io import read_records
from gzie.errors import LabelStudioError

pytestmark = pytest.mark.labelstudio

EMAIL = "annotator@example.com"
PASSWORD = "gzie-test-password-1"
LEGACY_TOKEN = "gzielegacytoken0123456789"
PROJECT = "开发区新闻 gzie"
STARTUP_S = 300
# offset traps: emoji (two UTF-16 units each), full-width punctuation and spaces, repeated spaces
TEXTS = {
    "a": "🚀【快讯】  上半年，全省开发区\u3000工业总产值5200亿元，同比增长８．１％。😀",
    "b": "2023年1—6月，苏州工业园区实际使用外资12.3亿美元，同比增长15%。",
    "c": "省商务厅印发《关于推动开发区高质量发展的若干措施》。",
    "d": "前三季度，高新区规上工业增加值增长  9.2%。👍 据省统计局发布，园区运行平稳。",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else ""


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(process: subprocess.Popen) -> None:
    """Stop the server's whole process group, then make sure nothing of it is left."""
    for sig, wait_s in ((signal.SIGTERM, 30), (signal.SIGKILL, 30)):
        if group_alive(process.pid):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + 10
        while group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not group_alive(process.pid):
            return
    assert not group_alive(process.pid), f"label-studio process group {process.pid} survived SIGKILL"


def wait_until_up(process: subprocess.Popen, log: Path) -> str:
    """The server's URL once /health answers (the port comes from its own log line)."""
    deadline = time.monotonic() + STARTUP_S
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"label-studio exited with {process.returncode}:\n{log_tail(log)}")
        if url is None:
            found = re.search(r"Starting development server at (http://[^/\s]+)/", log_tail(log))
            url = found.group(1) if found else None
        if url is not None:
            try:
                with urlopen(f"{url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        return url
            except (URLError, OSError):
                pass
        time.sleep(1)
    pytest.fail(f"label-studio did not answer /health within {STARTUP_S} s:\n{log_tail(log)}")


def personal_access_token(url: str) -> str:
    """Log in as the user in a browser session and create a personal access token."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    page = opener.open(f"{url}/user/login/", timeout=60).read().decode("utf-8")
    form_token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urlencode({"csrfmiddlewaretoken": form_token, "email": EMAIL, "password": PASSWORD}).encode()
    opener.open(Request(f"{url}/user/login/", data=form, headers={"Referer": f"{url}/user/login/"}), timeout=60).close()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login to Label Studio failed"
    request = Request(f"{url}/api/token/", data=b"{}", method="POST",
                      headers={"Content-Type": "application/json", "X-CSRFToken": cookies["csrftoken"],
                               "Referer": f"{url}/"})
    with opener.open(request, timeout=60) as answer:
        return json.loads(answer.read())["token"]


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    executable = os.environ.get("GZIE_LABEL_STUDIO")
    if not executable:
        if os.environ.get("GZIE_REQUIRE_LABEL_STUDIO") == "1":
            pytest.fail("GZIE_REQUIRE_LABEL_STUDIO=1 but GZIE_LABEL_STUDIO (a label-studio executable) is not set")
        pytest.skip("set GZIE_LABEL_STUDIO to a label-studio executable to run the Label Studio server tests")
    if not os.access(executable, os.X_OK):
        pytest.fail(f"GZIE_LABEL_STUDIO={executable} is not an executable file")
    data = tmp_path_factory.mktemp("label-studio")
    log = data / "server.log"
    env = {**os.environ,
           "LABEL_STUDIO_BASE_DATA_DIR": str(data), "LABEL_STUDIO_USERNAME": EMAIL,
           "LABEL_STUDIO_PASSWORD": PASSWORD, "LABEL_STUDIO_USER_TOKEN": LEGACY_TOKEN,
           "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true", "SECRET_KEY": "gzie-test-only",
           # nothing leaves the machine: no version check, analytics or error reports
           "LATEST_VERSION_CHECK": "false", "COLLECT_ANALYTICS": "false", "SENTRY_DSN": "",
           "FRONTEND_SENTRY_DSN": ""}
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [executable, "start", "--internal-host", "127.0.0.1", "--port", str(free_port()), "--no-browser",
             "--data-dir", str(data)],
            env=env, cwd=data, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        url = wait_until_up(process, log)
        yield {"url": url, "token": personal_access_token(url), "pid": process.pid,
               "startup_s": time.monotonic() - started}
    finally:
        stop(process)


def cli(args, token):
    return CliRunner().invoke(app, args, env={"LABEL_STUDIO_API_KEY": token})


@pytest.fixture(scope="module")
def pushed(label_studio, tmp_path_factory):
    """The four documents pushed once with the shipped model; the CLI's result and the project."""
    news = tmp_path_factory.mktemp("news")
    for name, text in TEXTS.items():
        (news / f"{name}.txt").write_text(text, encoding="utf-8")
    result = cli(["annotate", "push", str(news), "--url", label_studio["url"], "--project", PROJECT],
                 label_studio["token"])
    assert result.exit_code == 0, result.output
    client = LabelStudioClient(label_studio["url"], label_studio["token"])
    return {"result": result, "news": news, "client": client, "project": client.find_project(PROJECT)}


def project_tasks(client: LabelStudioClient, project_id: int) -> dict[str, dict]:
    """Every task of the project with its full predictions, by document id."""
    listed = client.request("GET", f"/api/tasks?project={project_id}&page_size=100")["tasks"]
    tasks = [client.request("GET", f"/api/tasks/{t['id']}") for t in listed]
    return {t["data"]["id"]: t for t in tasks}


def listeners(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) listening on a TCP port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_server_listens_on_loopback_only(label_studio):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system")
    port = int(label_studio["url"].rsplit(":", 1)[1])
    assert listeners(port) == {"0100007F"}


def test_legacy_token_works_only_once_the_organization_allows_it(label_studio):
    url = label_studio["url"]
    with pytest.raises(LabelStudioError, match="401 Unauthorized on /api/projects: .*legacy token "
                                               "authentication has been disabled") as err:
        LabelStudioClient(url, LEGACY_TOKEN).find_project(PROJECT + " legacy")
    assert LEGACY_TOKEN not in str(err.value)
    settings = {"api_tokens_enabled": True, "legacy_api_tokens_enabled": True}
    assert LabelStudioClient(url, label_studio["token"]).request("POST", "/api/jwt/settings", settings) == settings
    assert LabelStudioClient(url, LEGACY_TOKEN).find_project(PROJECT + " legacy") is None


def test_push_creates_the_project_with_gzie_config_and_predictions(label_studio, pushed):
    output = pushed["result"].output
    assert "4 tasks (4 predictions) -> new project" in output
    assert label_studio["token"] not in output
    project = pushed["project"]
    assert project["label_config"].strip() == label_studio_config().strip()
    tasks = project_tasks(pushed["client"], project["id"])
    assert {name: t["data"]["text"] for name, t in tasks.items()} == TEXTS
    result = tasks["a"]["predictions"][0]["result"]
    assert {(r["value"]["text"], r["value"]["labels"][0]) for r in result if r["type"] == "labels"} >= \
        {("上半年", "PERIOD"), ("工业总产值", "INDICATOR"), ("８．１％", "VALUE")}


def test_second_push_reuses_the_project_and_leaves_known_texts_out(label_studio, pushed):
    result = cli(["annotate", "push", str(pushed["news"]), "--url", label_studio["url"], "--project", PROJECT],
                 label_studio["token"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"no new tasks for {PROJECT!r}; 4 already in the project"
    assert len(pushed["client"].projects_titled(PROJECT)) == 1


def labelled(text: str, surface: str, label: str, region: str) -> dict:
    start = text.index(surface)
    return {"id": region, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(surface), "text": surface, "labels": [label]}}


def region_of(result: list[dict], surface: str) -> dict:
    return next(r for r in result if r["type"] == "labels" and r["value"]["text"] == surface)


def annotator_edits(tasks: dict[str, dict]) -> dict[str, list[dict]]:
    """Each task's prediction as an annotator submits it, three of them corrected."""
    results = {name: json.loads(json.dumps(t["predictions"][0]["result"])) for name, t in tasks.items()}
    # a: the change ８．１％ is removed, with its relation
    a = results["a"]
    gone = region_of(a, "８．１％")["id"]
    results["a"] = [r for r in a if gone not in (r.get("id"), r.get("from_id"), r.get("to_id"))]
    # b: the period is added anew (any predicted one removed first, with its relations), and
    # linked to the indicator
    b = results["b"]
    predicted = {r["id"] for r in b if r["type"] == "labels" and r["value"]["text"] == "2023年1—6月"}
    b[:] = [r for r in b if not predicted & {r.get("id"), r.get("from_id"), r.get("to_id")}]
    b.append(labelled(TEXTS["b"], "2023年1—6月", "PERIOD", "Xk3_period"))
    b.append({"from_id": region_of(b, "实际使用外资")["id"], "to_id": "Xk3_period", "type": "relation",
              "direction": "right", "labels": ["IN_PERIOD"]})
    # d: 增长 9.2% is a change, not a level
    d = results["d"]
    value = region_of(d, "9.2%")["id"]
    changed = [item for item in d if item["type"] == "relation" and item["to_id"] == value]
    assert [item["labels"] for item in changed] == [["HAS_VALUE"]]
    changed[0]["labels"] = ["HAS_CHANGE"]
    return results


def expected(text: str, result: list[dict]) -> tuple[set, set]:
    """Spans (start, end, text, label) and relations of an annotation result, read independently of gzie."""
    regions = {r["id"]: r["value"] for r in result if r["type"] == "labels"}
    spans = {(v["start"], v["end"], v["text"], v["labels"][0]) for v in regions.values()}
    assert all(text[s:e] == surface for s, e, surface, _ in spans)
    relations = {((regions[r["from_id"]]["start"], regions[r["from_id"]]["end"]),
                  (regions[r["to_id"]]["start"], regions[r["to_id"]]["end"]), r["labels"][0])
                 for r in result if r["type"] == "relation"}
    return spans, relations


def in_corpus(record: dict) -> tuple[set, set]:
    """The same, from a corpus record."""
    where = [(s["start"], s["end"]) for s in record["spans"]]
    return ({(s["start"], s["end"], record["text"][s["start"]:s["end"]], s["label"]) for s in record["spans"]},
            {(where[r["head"]], where[r["child"]], r["label"]) for r in record["relations"]})


def test_pull_brings_every_annotation_back_unchanged(label_studio, pushed, tmp_path):
    client = pushed["client"]
    tasks = project_tasks(client, pushed["project"]["id"])
    submitted = annotator_edits(tasks)
    for name, task in tasks.items():
        client.request("POST", f"/api/tasks/{task['id']}/annotations",
                       {"result": submitted[name], "was_cancelled": False, "lead_time": 12.5})
    # a later skip of c does not replace its annotation
    client.request("POST", f"/api/tasks/{tasks['c']['id']}/annotations", {"result": [], "was_cancelled": True})

    # the server keeps offsets as they were sent: code points here, no UTF-16 conversion
    stored = {t["data"]["id"]: t for t in client.export_tasks(pushed["project"]["id"])}
    for name, result in submitted.items():
        kept = next(a for a in stored[name]["annotations"] if not a["was_cancelled"])["result"]
        assert expected(TEXTS[name], kept) == expected(TEXTS[name], result)

    out = tmp_path / "new.jsonl"
    pulled = cli(["annotate", "pull", "--url", label_studio["url"], "--project", PROJECT, "-o", str(out)],
                 label_studio["token"])
    assert pulled.exit_code == 0, pulled.output
    assert label_studio["token"] not in pulled.output
    records = {r["id"]: r for r in read_records(out)}
    assert {name: r["text"] for name, r in records.items()} == TEXTS
    for name, result in submitted.items():
        assert in_corpus(records[name]) == expected(TEXTS[name], result), name
    # the edits arrived: a lost a span, b gained a period and its relation, d's relation changed
    assert "８．１％" not in {TEXTS["a"][s["start"]:s["end"]] for s in records["a"]["spans"]}
    indicator, period = TEXTS["b"].index("实际使用外资"), TEXTS["b"].index("2023年1—6月")
    assert ((indicator, indicator + 6), (period, period + 9), "IN_PERIOD") in in_corpus(records["b"])[1]
    spans_d = records["d"]["spans"]
    value = next(i for i, s in enumerate(spans_d) if TEXTS["d"][s["start"]:s["end"]] == "9.2%")
    assert [r["label"] for r in records["d"]["relations"] if r["child"] == value] == ["HAS_CHANGE"]
    # after the emoji of d, code points and UTF-16 units differ by one: the corpus has code points
    agency = next(s for s in records["d"]["spans"] if s["label"] == "AGENCY")
    assert (agency["start"], agency["end"]) == (27, 31) and TEXTS["d"][27:31] == "省统计局"
