"""Codeforces problems with accepted Haskell submissions, scraped over HTTP (or a local mirror).

Flow: api/problemset.problems -> filter (tags any-of, rating range, max_problems) -> per contest
api/contest.status?contestId=N -> keep verdict OK in a selected language, at most
max_solutions_per_problem per problem (lowest submission ids first) -> submission page
(pre#program-source-text) and problem page (statement -> Markdown, TeX kept as $...$).

Config (source block): base_url ("https://codeforces.com"; records always cite it), mirror_dir
(read the site from a local copy laid out by budgetai.sources.http_client.mirror_relpath instead of the
network), cache_dir ("results/http_cache"), min_interval_s (2.0 between network calls),
tags ([]: any-of), rating_min / rating_max (unset: no bound; problems without a rating are
dropped when a bound is set), max_problems (unset: all), max_solutions_per_problem (2),
languages (["Haskell"]: substrings of programmingLanguage, case-insensitive), license
(DEFAULT_LICENSE).

Accounting: one row_in per submission listed by contest.status for a selected problem's contest;
problem-level selection numbers go to stats.extra["problems"]. Challenge pages and the API call
limit abort the scrape (the cache keeps what was fetched, so a rerun resumes); a page that fails
or cannot be parsed quarantines the submissions that needed it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterator

from bs4 import BeautifulSoup, Tag

from budgetai.sources.http_client import ChallengePageError, FetchError, RefusedAnswer, RobotsDisallowed, open_client
from budgetai.core.records import Record
from budgetai.sources._html import html_to_markdown
from budgetai.core.stats import StageStats, quarantine_unit

DEFAULT_BASE_URL = "https://codeforces.com"
DEFAULT_LICENSE = "unknown — Codeforces terms; check before redistribution"
API_MIN_INTERVAL_S = 2.0  # the API allows about one call per 2 s
TEX = re.compile(r"\$\$\$\$\$\$(.+?)\$\$\$\$\$\$|\$\$\$(.+?)\$\$\$", re.S)


class CallLimitExceeded(RefusedAnswer):
    """Codeforces API refused the call: {"status": "FAILED", "comment": "Call limit exceeded"}."""


SYSTEMIC_ERRORS = (ChallengePageError, CallLimitExceeded, RobotsDisallowed)


def call_limit_refusal(url: str, body: bytes, status: int) -> CallLimitExceeded | None:
    """The HTTP client's refusal check: the API answers a call over its limit with FAILED JSON
    (often HTTP 503, sometimes 200), which must be retried later and never cached."""
    if b'"FAILED"' not in body[:2000]:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if data.get("status") == "FAILED" and "call limit" in str(data.get("comment", "")).lower():
        return CallLimitExceeded(f"{url}: Codeforces API call limit exceeded (HTTP {status}); "
                                 "raise min_interval_s", url, status)
    return None


class PageParseError(ValueError):
    """A problem or submission page lacks the element the parser needs (message names the URL)."""


@dataclass
class CodeforcesOptions:
    base_url: str = DEFAULT_BASE_URL
    tags: list[str] = field(default_factory=list)
    rating_min: int | None = None
    rating_max: int | None = None
    max_problems: int | None = None
    max_solutions_per_problem: int = 2
    languages: list[str] = field(default_factory=lambda: ["Haskell"])
    license: str = DEFAULT_LICENSE

    @classmethod
    def from_cfg(cls, cfg: dict) -> "CodeforcesOptions":
        known = cls.__dataclass_fields__
        options = cls(**{k: v for k, v in cfg.items() if k in known and v is not None})
        options.base_url = options.base_url.rstrip("/")
        return options

    def language_ok(self, language: str) -> bool:
        return any(want.lower() in language.lower() for want in self.languages)


@dataclass
class ProblemStatement:
    title: str
    time_limit: str
    memory_limit: str
    legend: str  # Markdown
    input_spec: str
    output_spec: str
    note: str
    samples: list[dict]  # [{"input", "output"}]

    def markdown(self) -> str:
        parts = [f"# {self.title}", f"Time limit: {self.time_limit}. Memory limit: {self.memory_limit}.",
                 self.legend, "## Input", self.input_spec, "## Output", self.output_spec]
        if self.samples:
            parts.append("## Examples")
            for n, test in enumerate(self.samples, 1):
                parts.append(f"Input {n}:\n```\n{test['input']}```\nOutput {n}:\n```\n{test['output']}```")
        if self.note:
            parts += ["## Note", self.note]
        return "\n\n".join(p for p in parts if p)


def statement_markdown(fragment: Tag) -> str:
    """Markdown of a statement fragment with Codeforces $$$TeX$$$ kept as $TeX$ ($$..$$ for the
    six-dollar display form)."""
    return TEX.sub(lambda m: f"$${m.group(1)}$$" if m.group(1) is not None else f"${m.group(2)}$",
                   html_to_markdown(str(fragment)))


def sample_text(pre: Tag) -> str:
    """A sample test's text: newer pages put each line in div.test-example-line, older ones
    use plain text or <br /> line breaks."""
    lines = pre.select("div.test-example-line")
    if lines:
        text = "\n".join(line.get_text() for line in lines)
    else:
        for br in pre.find_all("br"):
            br.replace_with("\n")
        text = pre.get_text()
    text = text.replace("\r\n", "\n").lstrip("\n")
    return text if text.endswith("\n") else text + "\n"


def section_markdown(statement: Tag, css_class: str) -> str:
    section = statement.find("div", class_=css_class)
    if section is None:
        return ""
    for title in section.find_all("div", class_="section-title"):
        title.decompose()
    return statement_markdown(section)


def header_value(header: Tag, css_class: str) -> str:
    node = header.find("div", class_=css_class)
    if node is None:
        return ""
    title = node.find("div", class_="property-title")
    if title:
        title.extract()
    return node.get_text(" ", strip=True)


def parse_problem_page(page: str, url: str = "") -> ProblemStatement:
    soup = BeautifulSoup(page, "lxml")
    statement = soup.select_one("div.problem-statement")
    if statement is None or statement.find("div", class_="header") is None:
        raise PageParseError(f"{url}: no div.problem-statement with a div.header")
    header = statement.find("div", class_="header")
    samples = []
    for block in statement.select("div.sample-test"):
        inputs = [sample_text(pre) for pre in block.select("div.input pre")]
        outputs = [sample_text(pre) for pre in block.select("div.output pre")]
        if len(inputs) != len(outputs):
            raise PageParseError(f"{url}: {len(inputs)} sample inputs but {len(outputs)} outputs")
        samples += [{"input": i, "output": o} for i, o in zip(inputs, outputs)]
    legend = next((d for d in statement.find_all("div", recursive=False) if not d.get("class")), None)
    return ProblemStatement(
        title=header.find("div", class_="title").get_text(" ", strip=True),
        time_limit=header_value(header, "time-limit"), memory_limit=header_value(header, "memory-limit"),
        legend=statement_markdown(legend) if legend else "",
        input_spec=section_markdown(statement, "input-specification"),
        output_spec=section_markdown(statement, "output-specification"),
        note=section_markdown(statement, "note"), samples=samples,
    )


def parse_submission_source(page: str, url: str = "") -> str:
    """The program text of a submission page, with CRLF normalised to LF."""
    pre = BeautifulSoup(page, "lxml").find("pre", id="program-source-text")
    if pre is None:
        raise PageParseError(f"{url}: no pre#program-source-text (hidden source or not logged in?)")
    return pre.get_text().replace("\r\n", "\n").replace("\r", "\n")


def api_result(client, url: str):
    data = client.get_json(url)
    if not isinstance(data, dict) or data.get("status") != "OK" or "result" not in data:
        raise FetchError(f"{url}: API answered {str(data)[:200]!r}, expected status OK", url)
    return data["result"]


def problem_key(obj: dict) -> tuple[int, str]:
    return int(obj["contestId"]), str(obj["index"])


def select_problems(problems: list[dict], options: CodeforcesOptions) -> tuple[list[dict], dict]:
    """Problems passing the tag/rating filters (API order), and drop counts by reason."""
    dropped: dict[str, int] = defaultdict(int)
    selected = []
    for problem in problems:
        rating = problem.get("rating")
        bounded = options.rating_min is not None or options.rating_max is not None
        if "contestId" not in problem:
            dropped["no_contest_id"] += 1
        elif options.tags and not set(options.tags) & set(problem.get("tags", [])):
            dropped["tags_not_selected"] += 1
        elif bounded and rating is None:
            dropped["no_rating"] += 1
        elif (options.rating_min is not None and rating < options.rating_min) or (
                options.rating_max is not None and rating > options.rating_max):
            dropped["rating_out_of_range"] += 1
        elif options.max_problems is not None and len(selected) >= options.max_problems:
            dropped["over_max_problems"] += 1
        else:
            selected.append(problem)
    return selected, dict(dropped)


def choose_submissions(submissions: list[dict], wanted: set, options: CodeforcesOptions,
                       stats: StageStats, quarantine: list[dict], source: str) -> dict:
    """Count every listed submission; return {problem key: [accepted submissions to fetch]}."""
    chosen: dict[tuple, list[dict]] = defaultdict(list)
    for sub in sorted(submissions, key=lambda s: s.get("id", 0)):
        stats.rows_in += 1
        try:
            key, language, verdict = problem_key(sub["problem"]), sub["programmingLanguage"], sub.get("verdict")
            int(sub["id"])
        except (KeyError, TypeError, ValueError) as err:
            quarantine_unit(stats, quarantine, source, f"submission {sub.get('id')}", "malformed_submission",
                            f"malformed submission: {err!r}", raw=str(sub))
            continue
        if key not in wanted:
            stats.drop("problem_not_selected")
        elif verdict != "OK":
            stats.drop("verdict_not_ok")
        elif not options.language_ok(language):
            stats.drop("language_not_selected")
        elif len(chosen[key]) >= options.max_solutions_per_problem:
            stats.drop("over_max_solutions_per_problem")
        else:
            chosen[key].append(sub)
    return chosen


def quarantine_all(subs: list[dict], source: str, url: str, reason: str, err: Exception,
                   stats: StageStats, quarantine: list[dict]) -> None:
    for sub in subs:
        quarantine_unit(stats, quarantine, source, f"{url} (submission {sub['id']})", reason, f"{reason}: {err}",
                        raw=str(sub)[:2000])


def problem_records(source: str, problem: dict, subs: list[dict], client, options: CodeforcesOptions,
                    stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    """Records for one problem's chosen submissions (fetches its problem and submission pages)."""
    contest, index = problem_key(problem)
    problem_url = f"{options.base_url}/contest/{contest}/problem/{index}"
    try:
        statement = parse_problem_page(client.get_text(problem_url), problem_url)
    except SYSTEMIC_ERRORS:
        raise
    except (FetchError, PageParseError) as err:
        reason = "problem_page_unparseable" if isinstance(err, PageParseError) else "problem_page_fetch_failed"
        return quarantine_all(subs, source, problem_url, reason, err, stats, quarantine)
    prompt = statement.markdown()
    for sub in subs:
        url = f"{options.base_url}/contest/{contest}/submission/{sub['id']}"
        try:
            code = parse_submission_source(client.get_text(url), url)
        except SYSTEMIC_ERRORS:
            raise
        except (FetchError, PageParseError) as err:
            reason = "no_source_on_page" if isinstance(err, PageParseError) else "submission_fetch_failed"
            quarantine_all([sub], source, url, reason, err, stats, quarantine)
            continue
        yield Record(
            id=f"{source}:{sub['id']}", source=source, kind="problem_solution", prompt=prompt,
            response=f"```haskell\n{code.strip(chr(10))}\n```", language="haskell", url=url,
            license=options.license, group=f"{source}:{contest}/{index}",
            meta={"rating": problem.get("rating"), "tags": problem.get("tags", []),
                  "sample_tests": statement.samples, "submission_id": sub["id"],
                  "problem_url": problem_url, "problem_name": problem.get("name", ""),
                  "programming_language": sub["programmingLanguage"],
                  "time_limit": statement.time_limit, "memory_limit": statement.memory_limit},
        )


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    options = CodeforcesOptions.from_cfg(cfg)
    client = open_client({"min_interval_s": API_MIN_INTERVAL_S, **cfg}, refusal=call_limit_refusal)
    listing = api_result(client, f"{options.base_url}/api/problemset.problems")
    selected, dropped = select_problems(listing.get("problems", []), options)
    by_contest: dict[int, dict] = defaultdict(dict)
    for problem in selected:
        by_contest[problem_key(problem)[0]][problem_key(problem)] = problem
    without_solutions = 0
    for contest, problems in by_contest.items():
        status_url = f"{options.base_url}/api/contest.status?contestId={contest}"
        chosen = choose_submissions(api_result(client, status_url), set(problems), options,
                                    stats, quarantine, source)
        for key, problem in problems.items():
            if not chosen.get(key):
                without_solutions += 1
                continue
            yield from problem_records(source, problem, chosen[key], client, options, stats, quarantine)
    stats.extra["problems"] = {"listed": len(listing.get("problems", [])), "selected": len(selected),
                               "dropped_by_reason": dropped, "without_accepted_solutions": without_solutions}


def sample_tests_suite(records) -> list[dict]:
    """One stdio evaluation row per problem: {"id", "prompt", "tests", "language": "haskell"}."""
    rows: dict[str, dict] = {}
    for record in records:
        tests = record.meta.get("sample_tests") or []
        if record.kind == "problem_solution" and tests and record.group not in rows:
            rows[record.group] = {"id": record.group, "prompt": record.prompt,
                                  "tests": [{"input": t["input"], "output": t["output"]} for t in tests],
                                  "language": "haskell"}
    return list(rows.values())
