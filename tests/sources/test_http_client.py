import json
import time

import pytest

from budgetai.sources.http_client import (
    ChallengePageError, FetchError, HostRateLimiter, MirrorClient, NotJsonError,
    RobotsDisallowed, mirror_relpath, open_client,
)
from tests.fixture_server import FixtureServer


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "api" / "contest.status").mkdir(parents=True)
    (root / "api" / "contest.status" / "contestId=7").write_text(json.dumps({"status": "OK", "result": [1, 2]}))
    (root / "api" / "ping").write_text(json.dumps({"status": "OK", "result": "pong"}))
    (root / "book").mkdir()
    (root / "book" / "index.html").write_text("<html><body>Ünïcode book</body></html>")
    (root / "private").mkdir()
    (root / "private" / "x.html").write_text("secret")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    with FixtureServer(root, retry_after_s=1, timeout_sleep_s=1.0) as server:
        yield server


def client_for(tmp_path, sleeps=None, **cfg):
    sleep = sleeps.append if sleeps is not None else time.sleep
    return open_client({"cache_dir": str(tmp_path / "cache"), "min_interval_s": 0, "backoff_s": 0.05,
                        "timeout_s": 0.4, "max_attempts": 4, **cfg}, sleep=sleep)


def test_mirror_relpath_maps_paths_indexes_and_queries():
    assert mirror_relpath("https://codeforces.com/contest/12/problem/A") == "contest/12/problem/A"
    assert mirror_relpath("https://h/book/") == "book/index.html"
    assert mirror_relpath("https://h") == "index.html"
    assert mirror_relpath("https://h/api/contest.status?contestId=12") == "api/contest.status/contestId=12"
    with pytest.raises(ValueError):
        mirror_relpath("https://h/a/../../etc/passwd")


def test_rate_limiter_spaces_calls_on_a_fake_clock():
    now = [100.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    limiter = HostRateLimiter({"codeforces.com": 2.0}, 0.5, clock=lambda: now[0], sleep=sleep)
    stamps = []
    for host in ["codeforces.com", "codeforces.com", "other", "codeforces.com"]:
        limiter.wait(host)
        stamps.append((host, now[0]))
        now[0] += 0.3  # work between calls
    cf = [t for h, t in stamps if h == "codeforces.com"]
    assert all(b - a >= 2.0 for a, b in zip(cf, cf[1:]))
    assert slept[0] == pytest.approx(1.7)


def test_responses_are_cached_across_clients_and_carry_user_agent(site, tmp_path):
    url = site.url("/api/contest.status?contestId=7")
    assert client_for(tmp_path).get_json(url)["result"] == [1, 2]
    assert client_for(tmp_path).get_json(url)["result"] == [1, 2]
    assert site.hits["/api/contest.status?contestId=7"] == 1
    assert site.user_agents[0].startswith("BudgetAI/0.1 (+research crawler;")
    assert "Ünïcode" in client_for(tmp_path).get_text(site.url("/book/"))


def test_network_calls_are_spaced_by_min_interval(site, tmp_path):
    client = client_for(tmp_path, min_interval_s=0.25)
    for target in ["/api/ping", "/book/", "/api/contest.status?contestId=7"]:
        client.get(site.url(target))
    times = [t for t, _ in site.log]
    assert all(b - a >= 0.24 for a, b in zip(times, times[1:]))


def test_429_waits_retry_after_and_503_backs_off_exponentially(site, tmp_path):
    sleeps = []
    site.fail("/api/ping", "429", "503", "503")
    assert client_for(tmp_path, sleeps).get_json(site.url("/api/ping"))["result"] == "pong"
    assert site.hits["/api/ping"] == 4
    assert sleeps == [1.0, pytest.approx(0.1), pytest.approx(0.2)]


def test_timeout_is_retried(site, tmp_path):
    site.fail("/api/ping", "timeout")
    assert client_for(tmp_path).get_json(site.url("/api/ping"))["result"] == "pong"
    assert site.hits["/api/ping"] == 2


def test_truncated_body_is_retried_and_never_cached(site, tmp_path):
    site.fail("/book/", "truncate")
    text = client_for(tmp_path).get_text(site.url("/book/"))
    assert text.endswith("</html>")
    assert site.hits["/book/"] == 2
    assert client_for(tmp_path).get_text(site.url("/book/")) == text
    assert site.hits["/book/"] == 2


def test_challenge_page_raises_specific_error_and_is_not_cached(site, tmp_path):
    site.fail_always("/book/", "challenge")
    with pytest.raises(ChallengePageError, match="challenge"):
        client_for(tmp_path).get_text(site.url("/book/"))
    assert site.hits["/book/"] == 1  # retrying a challenge does not help
    site.clear_faults()
    assert "book" in client_for(tmp_path).get_text(site.url("/book/"))


def test_robots_txt_is_honoured_for_crawls(site, tmp_path):
    client = client_for(tmp_path)
    with pytest.raises(RobotsDisallowed):
        client.get_text(site.url("/private/x.html"), crawl=True)
    assert client.get_text(site.url("/book/"), crawl=True)
    assert site.hits["/private/x.html"] == 0


def test_http_errors_and_non_json_name_the_url(site, tmp_path):
    client = client_for(tmp_path)
    with pytest.raises(FetchError, match="missing") as err:
        client.get(site.url("/missing"))
    assert err.value.status == 404
    with pytest.raises(NotJsonError, match="/book/"):
        client.get_json(site.url("/book/"))


def test_mirror_client_reads_the_same_layout(site):
    mirror = MirrorClient(site.root)
    assert mirror.get_json("https://codeforces.com/api/contest.status?contestId=7")["result"] == [1, 2]
    with pytest.raises(RobotsDisallowed):
        mirror.get_text("https://x.org/private/x.html", crawl=True)
    with pytest.raises(FetchError) as err:
        mirror.get_text("https://x.org/nothing")
    assert err.value.status == 404
