"""Readers that read files under a root (issue 26, items 3 and 6): a link out of the root is
quarantined with its location and the rest of the source is kept; a crawled `%2e%2e/` link or
a Codeforces index of `../../..` costs its own page, not the whole source."""

import json
import shutil
from pathlib import Path

import pytest

from budgetai.core.stats import StageStats
from budgetai.sources import codeforces, local_code, task_solutions, textbook
from budgetai.sources.http_client import FetchError, open_client
from budgetai.sources.paths import OutsideRoot, read_bytes_inside, real_path_inside

REPO = Path(__file__).resolve().parents[2]
TASKS = REPO / "tests" / "fixtures" / "tasks"
BOOK_MIRROR = REPO / "resources" / "sample" / "textbook"
CF_MIRROR = REPO / "resources" / "sample" / "codeforces"
BOOK_START = "https://budgetai.example/haskell-book/index.html"
SECRET = "budgetai-secret-7d1e"


def run(reader, source, cfg):
    stats, quarantine = StageStats(source), []
    records = list(reader.read(source, cfg, stats, quarantine))
    stats.rows_out = len(records)
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "outside" / "secret.hs"
    path.parent.mkdir()
    path.write_text(f'main = putStrLn "{SECRET}"\n-- {SECRET}\n')
    return path


@pytest.fixture
def tasks(tmp_path):
    root = tmp_path / "tasks"
    shutil.copytree(TASKS, root)
    return root


def task_cfg(root):
    return {"root": str(root), "license": "CC-BY-4.0", "layout": "directories"}


def assert_not_read(records):
    assert not any(SECRET in r.prompt or SECRET in r.response for r in records)


def set_aside(quarantine, reason):
    """(location, raw) of the quarantine rows for `reason`."""
    return [(q["location"], q["raw"]) for q in quarantine if q["reason"] == reason]


def test_task_solution_linked_out_of_the_root_is_quarantined(tasks, secret):
    (tasks / "fizzbuzz" / "fizzbuzz-3.hs").symlink_to(secret)
    records, _, quarantine = run(task_solutions, "tasks", task_cfg(tasks))
    assert_not_read(records)
    [(location, raw)] = set_aside(quarantine, "outside_root")
    assert location == "fizzbuzz/fizzbuzz-3.hs" and str(secret) in raw
    assert {r.meta["file"] for r in records} == {"fizzbuzz-1.hs", "fizzbuzz-2.hs"}


def test_task_directory_linked_out_of_the_root_is_quarantined(tasks, secret):
    outside_task = secret.parent / "stolen"
    outside_task.mkdir()
    (outside_task / "TASK.md").write_text(f"Print {SECRET}.\n")
    shutil.copy(secret, outside_task / "stolen.hs")
    (tasks / "stolen").symlink_to(outside_task)
    records, _, quarantine = run(task_solutions, "tasks", task_cfg(tasks))
    assert_not_read(records)
    assert [location for location, _ in set_aside(quarantine, "outside_root")] == ["stolen"]
    assert len(records) == 2  # the other task's solutions are kept


def test_task_file_linked_out_of_the_root_quarantines_its_solutions(tasks, secret):
    (tasks / "fizzbuzz" / "TASK.md").unlink()
    (tasks / "fizzbuzz" / "TASK.md").symlink_to(secret)
    records, _, quarantine = run(task_solutions, "tasks", task_cfg(tasks))
    assert_not_read(records)
    assert [location for location, _ in set_aside(quarantine, "outside_root")] == [
        "fizzbuzz/fizzbuzz-1.hs", "fizzbuzz/fizzbuzz-2.hs"]


def test_textbook_path_linked_out_of_the_root_is_quarantined(tmp_path, secret):
    book = tmp_path / "book"
    book.mkdir()
    (book / "01-intro.md").write_text("# Intro\n\nHaskell is lazy.\n")
    (book / "02-leak.md").symlink_to(secret)
    cfg = {"paths": [str(book / "*.md")], "root": str(book), "license": "CC-BY-4.0"}
    records, stats, quarantine = run(textbook, "book", cfg)
    assert_not_read(records)
    assert [q["location"] for q in quarantine] == ["02-leak.md"]
    assert "outside the root" in quarantine[0]["reason"] and records


@pytest.fixture
def book_mirror(tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(BOOK_MIRROR, mirror)
    return mirror


def test_textbook_mirror_page_linked_out_of_the_root_is_quarantined(book_mirror, secret):
    page = book_mirror / "haskell-book" / "03-functions.html"
    page.unlink()
    leak = secret.with_suffix(".html")
    leak.write_text(f"<html><body><h1>Leak</h1><p>{SECRET}</p></body></html>")
    page.symlink_to(leak)
    records, stats, quarantine = run(textbook, "tb", {"start_url": BOOK_START, "license": "CC-BY-4.0",
                                                      "mirror_dir": str(book_mirror)})
    assert_not_read(records)
    assert [q["location"].split("/")[-1] for q in quarantine] == ["03-functions.html"]
    assert stats.quarantined == {"page_fetch_failed": 1}
    assert "outside the root" in quarantine[0]["reason"] and stats.extra["pages"] == 8


def test_crawled_dot_dot_link_costs_its_page_not_the_source(book_mirror):
    index = book_mirror / "haskell-book" / "index.html"
    index.write_text(index.read_text().replace(
        "</body>", '<a href="%2e%2e/%2e%2e/etc/passwd.html">more</a></body>'))
    records, stats, quarantine = run(textbook, "tb", {"start_url": BOOK_START, "license": "CC-BY-4.0",
                                                      "mirror_dir": str(book_mirror)})
    assert stats.quarantined == {"page_fetch_failed": 1}
    assert "escapes the mirror root" in quarantine[0]["reason"]
    assert stats.extra["pages"] == 9 and records


def test_codeforces_index_that_climbs_out_costs_its_problem_not_the_source(tmp_path):
    mirror = tmp_path / "cf"
    shutil.copytree(CF_MIRROR, mirror)
    before, _, _ = run(codeforces, "cf", {"mirror_dir": str(mirror)})
    contest, index = before[0].group.split(":")[1].split("/")
    contest = int(contest)
    listing_path = mirror / "api" / "problemset.problems"
    listing = json.loads(listing_path.read_text())
    problem = next(p for p in listing["result"]["problems"]
                   if (p["contestId"], p["index"]) == (contest, index))
    problem["index"] = "../../.."
    listing_path.write_text(json.dumps(listing))
    status_path = next((mirror / "api" / "contest.status").glob(f"contestId={contest}"))
    status = json.loads(status_path.read_text())
    for sub in status["result"]:
        if sub["problem"]["index"] == index:
            sub["problem"]["index"] = "../../.."
    status_path.write_text(json.dumps(status))
    records, stats, quarantine = run(codeforces, "cf", {"mirror_dir": str(mirror)})
    assert set(stats.quarantined) == {"problem_page_fetch_failed"}
    assert quarantine and all("problem/../../.." in q["location"] for q in quarantine)
    assert len(records) == len(before) - len(quarantine)  # every other problem is kept


def test_local_code_uses_the_same_rule(tmp_path, secret):
    root = tmp_path / "code"
    root.mkdir()
    (root / "Good.hs").write_text("module Good where\n\nanswer :: Int\nanswer = 42\n")
    (root / "Leak.hs").symlink_to(secret)
    records, stats, quarantine = run(local_code, "code", {"root": str(root), "license": "MIT"})
    assert_not_read(records)
    assert stats.quarantined == {"outside_root": 1} and quarantine[0]["location"].endswith("/Leak.hs")
    assert "outside the root" in quarantine[0]["raw"]


def test_the_rule_follows_every_link_and_names_both_places(tmp_path, secret):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "hop").symlink_to(tmp_path / "outside")  # a directory link on the way
    with pytest.raises(OutsideRoot, match="outside the root") as err:
        read_bytes_inside(root / "sub" / "hop" / "secret.hs", root)
    assert err.value.real == secret.resolve()
    (root / "inner.hs").write_text("x")
    (root / "sub" / "alias.hs").symlink_to(root / "inner.hs")  # a link inside the root is fine
    assert read_bytes_inside(root / "sub" / "alias.hs", root) == b"x"
    assert real_path_inside(root / "sub" / ".." / "inner.hs", root) == (root / "inner.hs").resolve()


@pytest.mark.parametrize("content", [b"<html><body>403 Forbidden</body></html>", b"%PDF-1.7\n garbage"],
                         ids=["html_saved_as_pdf", "truncated_pdf"])
def test_a_pdf_that_is_not_one_is_quarantined_and_the_book_kept(tmp_path, content):
    book = tmp_path / "book"
    book.mkdir()
    (book / "01-intro.md").write_text("# Intro\n\nHaskell is lazy.\n")
    (book / "02-chapter.pdf").write_bytes(content)
    cfg = {"paths": [str(book / "*")], "root": str(book), "license": "CC-BY-4.0"}
    records, stats, quarantine = run(textbook, "book", cfg)
    assert stats.quarantined == {"file_unreadable": 1} and quarantine[0]["location"] == "02-chapter.pdf"
    assert "02-chapter.pdf" in quarantine[0]["reason"] and records


def test_network_client_refuses_an_encoded_dot_dot_link_before_fetching(tmp_path):
    client = open_client({"cache_dir": str(tmp_path / "cache"), "min_interval_s": 0})
    with pytest.raises(FetchError, match="segments"):  # no network: it never gets that far
        client.get_text("https://budgetai.example/book/%2e%2e/%2E%2E/etc/passwd.html", crawl=True)
