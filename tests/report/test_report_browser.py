"""The HTML report rendered in headless Chromium: every section present and visible, no console
errors, and a screenshot kept for a person to look at.

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: no port,
no websocket library) for console errors, uncaught exceptions and the DOM; the screenshot comes
from Chromium's own --screenshot flag. The report is built from a synthetic results tree, so the
test needs no training run.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from budgetai.evaluate.pass_at_k import summarize
from budgetai.report.html import OPTIONAL_SECTIONS, SECTIONS, build_report
from budgetai.core.io import write_json
from budgetai.core.stats import StageStats

pytestmark = pytest.mark.slow  # Chromium start-up, and its install on first use
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS = "<script>console.error('report does not escape text')</script>"


def chromium_binary() -> str:
    """Debian's chromium, installed with apt when missing (the test needs root and apt for that)."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and this is not root with apt-get to install it")
    subprocess.run(["apt-get", "update"], check=True, capture_output=True, timeout=900)
    subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "chromium"],
                   check=True, capture_output=True, timeout=1800)
    return shutil.which("chromium") or pytest.fail("apt-get installed chromium but it is not on PATH")


class DevToolsPipe:
    """A minimal Chrome DevTools protocol client over --remote-debugging-pipe (Chromium reads
    NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4)."""

    def __init__(self, chromium: str, user_data_dir: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_fds():  # in the child, before exec: the pipe ends become fds 3 and 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={user_data_dir}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer, self._next_id, self.events = b"", 0, []

    def send(self, method: str, session: str | None = None, **params) -> dict:
        """Send a command and wait for its reply; events seen meanwhile go to self.events."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"DevTools {method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        while True:
            event = self._read()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError(f"chromium closed the DevTools pipe (exit {self.proc.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except RuntimeError:
            pass
        self.proc.wait(timeout=30)
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def page_problems(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions and failed loads from DevTools events."""
    problems = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            problems.append(f"uncaught: {params['exceptionDetails'].get('exception', {}).get('description') or params['exceptionDetails']['text']}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            problems.append("console.error: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            problems.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
    return problems


def inspect_page(chromium: str, url: str, user_data_dir: Path) -> tuple[list[dict], list[str], bytes]:
    """(per-section geometry and text size, page problems, full-page PNG) of a page."""
    browser = DevToolsPipe(chromium, user_data_dir)
    try:
        page = next(t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = browser.send("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            browser.send(f"{domain}.enable", session)
        browser.send("Emulation.setDeviceMetricsOverride", session, width=1400, height=1000,
                     deviceScaleFactor=1, mobile=False)
        browser.send("Page.navigate", session, url=url)
        browser.wait_for("Page.loadEventFired")
        probe = """JSON.stringify([...document.querySelectorAll('section[id]')].map(s => ({
            id: s.id, height: s.getBoundingClientRect().height, text: s.innerText.length,
            images: [...s.querySelectorAll('img')].map(i => i.naturalWidth),
            linked: !!document.querySelector(`nav a[href="#${s.id}"]`)})))"""
        sections = json.loads(browser.send("Runtime.evaluate", session, expression=probe, returnByValue=True)["result"]["value"])
        png = base64.b64decode(browser.send("Page.captureScreenshot", session, format="png", captureBeyondViewport=True)["data"])
        return sections, page_problems(browser.events), png
    finally:
        browser.close()


CONFIG = {
    "sources": {"stackoverflow_haskell": {"kind": "stackexchange"}, "the_stack_haskell": {"kind": "the_stack"},
                "codeforces_haskell": {"kind": "codeforces", "enabled": False}},
    "experiments": {"qlora-r8": {"model": "smollm2-135m", "training": {"lora_r": 8, "learning_rate": 3e-4}},
                    "qlora-r16": {"model": "smollm2-135m", "training": {"lora_r": 16, "learning_rate": 3e-4}}},
    "evaluation": {"evaluate_base": True, "suites": {"heldout": {"format": "heldout"},
                                                     "problems": {"format": "stdio", "path": "problems.jsonl"}}},
}
BASE, EXPERIMENTS, SUITES = ["smollm2-135m"], list(CONFIG["experiments"]), list(CONFIG["evaluation"]["suites"])


def write_stats(path: Path, stage: str, rows_in: int, dropped: dict, extra: dict | None = None) -> None:
    stats = StageStats(stage, rows_in=rows_in, rows_out=rows_in - sum(dropped.values()), extra=extra or {})
    for reason, n in dropped.items():
        stats.drop(reason, n)
    stats.write(path)


def write_data_side(results: Path) -> None:
    licenses = {"stackoverflow_haskell": (["CC BY-SA 4.0"], "Stack Exchange terms: attribute the author"),
                "the_stack_haskell": (["MIT", "BSD-3-Clause", "Apache-2.0"], None)}
    for source, (names, warning) in licenses.items():
        extra = {"licenses": names, **({"terms_warning": warning} if warning else {})}
        write_stats(results / "sources" / source / "ingest_stats.json", "ingest", 120, {"no_answer": 20}, extra)
        write_stats(results / "sources" / source / "clean_stats.json", "clean", 100,
                    {"response_too_short": 7, "language_not_haskell": 3})
    write_stats(results / "dataset" / "dedup_stats.json", "dedup", 180, {"exact_duplicate": 9, "near_duplicate": 4})
    write_stats(results / "dataset" / "decontaminate_stats.json", "decontaminate", 167, {"overlaps_problems": 2})
    write_stats(results / "dataset" / "split_stats.json", "split", 165, {"overlaps_test_split": 1})
    write_json({"licenses": {"stackoverflow_haskell": {"CC BY-SA 4.0": 80},  # the data card's stats.json
                             "the_stack_haskell": {"MIT": 50, "BSD-3-Clause": 30, "Apache-2.0": 4}}},
               results / "dataset" / "stats.json")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3))
    ax.hist([10, 40, 40, 90, 200, 210, 400], bins=5)
    (results / "dataset" / "plots").mkdir(parents=True)
    fig.savefig(results / "dataset" / "plots" / "token_lengths.png")
    plt.close(fig)


def write_model_side(results: Path) -> None:
    problems = [f"p{i}" for i in range(5)]
    for index, (name, target) in enumerate([("base", results / "base" / "smollm2-135m"),
                                            *((e, results / "experiments" / e) for e in EXPERIMENTS)]):
        if name != "base":
            adapter = target / "adapter"
            adapter.mkdir(parents=True)
            write_json({"global_step": 30, "train_loss": 1.9 - index / 10, "best_eval_loss": 2.0 - index / 10,
                        "trainable_params": 460_800 * index, "share": 0.0034 * index, "train_seconds": 95.5},
                       adapter / "training_summary.json")
            source_stats = {"records": 12, "examples": 40 + index, "chunked_records": 3, "split_at_lines": 1,
                            "response_tokens": 9000, "share_in_examples": 0.9987, "example_tokens": 12_345}
            write_json({"train": {"sources": {"haddock_ghc": source_stats}, "total": source_stats}},
                       target / "data" / "examples_summary.json")
            (adapter / "metrics.jsonl").write_text("".join(
                json.dumps({"step": s, "loss": 3 - s / 15 - index / 5} | ({"eval_loss": 3.1 - s / 16} if s % 10 == 0 else {})) + "\n"
                for s in range(1, 31)))
        results_rows = [{"problem_id": p, "passed": (i + index) % 3 == 0, "compiled": i != 4} for i, p in enumerate(problems)]
        backend = "unshare" if name == EXPERIMENTS[-1] else "bwrap"  # one run on the weak fallback
        write_json({"metrics": summarize(results_rows, ks=[1], rounds=200), "sandbox_backend": backend},
                   target / "eval" / "problems.json")
        write_json({"metrics": {"heldout_loss": 1.8 - index / 10, "perplexity": 6.0 - index, "bleu": 10.0 + index,
                                "chrf": 30.0 + index, "rouge_l": 0.2 + index / 20, "typecheck_rate": 0.5}},
                   target / "eval" / "heldout.json")
        (target / "eval" / "heldout.generations.jsonl").write_text("".join(
            json.dumps({"id": f"so:{i}", "prompt": f"How do I fold a list? ({i}) {XSS}",
                        "reference": "foldr (+) 0 xs", "completion": f"sum xs -- {name}"}) + "\n" for i in range(3)))


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    results = tmp_path_factory.mktemp("report_tree") / "results"
    write_data_side(results)
    write_model_side(results)
    return build_report(results, EXPERIMENTS, BASE, SUITES, CONFIG, results / "report" / "index.html")


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_binary()


def test_report_renders_every_section_without_console_errors(report_html, chromium, tmp_path):
    sections, problems, _ = inspect_page(chromium, report_html.as_uri(), tmp_path / "profile")
    assert problems == []
    by_id = {s["id"]: s for s in sections}
    shown = [s for s in SECTIONS if s not in OPTIONAL_SECTIONS]  # this config has no ablations or rounds
    assert set(shown) <= set(by_id), f"missing sections: {set(shown) - set(by_id)}"
    assert not set(OPTIONAL_SECTIONS) & set(by_id)
    for section in shown:
        assert by_id[section]["height"] > 40 and by_id[section]["text"] > 20, by_id[section]
        assert by_id[section]["linked"], f"section {section} is not in the table of contents"
        assert all(width > 0 for width in by_id[section]["images"]), f"broken image in {section}"
    assert len(by_id["training"]["images"]) == 2 and len(by_id["lengths"]["images"]) == 1


def test_report_shows_escaped_text_and_the_numbers_it_was_given(report_html):
    page = report_html.read_text()
    examples = page.split('id="examples"')[1].split("</section>")[0]
    assert "haddock_ghc" in examples and "99.870%" in examples and "12345" in examples
    assert XSS not in page and "&lt;script&gt;console.error(" in page
    assert "Stack Exchange terms: attribute the author" in page and "BSD-3-Clause: 30" in page
    assert "codeforces_haskell" not in page.split('id="configs"')[0]  # disabled source: not in the funnel
    assert "base: smollm2-135m" in page and "qlora-r16" in page


def test_report_names_the_sandbox_and_warns_when_it_was_weak(report_html):
    evaluation = report_html.read_text().split('id="evaluation"')[1].split("<section")[0]
    problems = evaluation.split("problems <small>")[1]
    assert "<th class=\"\">sandbox</th>" in problems and "<td class=\"\">bwrap</td>" in problems
    assert "ran under the unshare sandbox, not bubblewrap" in problems
    assert "not bubblewrap" not in evaluation.split("problems <small>")[0]  # heldout ran no code


def test_screenshot_at_a_stable_path(report_html, chromium, tmp_path_factory):
    out_dir = tmp_path_factory.getbasetemp() / "report_browser"
    out_dir.mkdir(exist_ok=True)
    png = out_dir / "index.png"
    proc = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={out_dir / 'profile'}", f"--screenshot={png}",
                           "--window-size=1400,4000", "--hide-scrollbars", report_html.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    shutil.copy2(report_html, out_dir / "index.html")
    print(f"\nreport screenshot: {png}\nreport page: {out_dir / 'index.html'}")


def test_the_check_catches_console_errors_and_exceptions(chromium, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!doctype html><title>x</title><section id='funnel'>x</section>"
                    "<script>console.error('bad thing'); missingFunction();</script>")
    sections, problems, _ = inspect_page(chromium, page.as_uri(), tmp_path / "profile")
    assert [s["id"] for s in sections] == ["funnel"]
    assert any("bad thing" in p for p in problems) and any("missingFunction" in p for p in problems)
