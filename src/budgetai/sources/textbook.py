"""Open-licensed textbooks: crawled HTML (within a path prefix) or local HTML/Markdown/PDF files,
split into sections by headings.

Config: start_url (+ path_prefix, default the start URL's directory; mirror_dir / cache_dir /
min_interval_s as in budgetai.http_client) OR paths (files or globs: .html/.htm, .md/.markdown,
.pdf via pypdf); license (required); title (the book's title; default the first page's <h1>);
max_pages (unset: all); min_prose_chars (60).

Crawling is breadth-first from start_url, follows <a href> links only inside path_prefix,
obeys robots.txt and the per-host rate limit; links outside the prefix and URLs robots.txt
forbids are counted in stats.extra, never fetched.

Sections: a page's main content (<main>, else <body>, minus nav/footer/script/style) becomes
Markdown (markdownify; <pre><code class="haskell"> becomes a ```haskell fence) and is cut at
every h1-h3 (Markdown #, ##, ###) outside code fences. A PDF page is one section (PDF text has
no reliable headings).

Records, two per section at most:
- kind "text": prompt = the title path "Book > Chapter > Section > Subsection",
  response = the section's Markdown (heading included).
- kind "qa", for a section whose prose (at least min_prose_chars before its first Haskell
  code block) explains the code that follows: prompt = 'Explain "<section title>" in Haskell
  and show an example. (Context: <book> > <chapter>)', response = the section body: the
  explanation, the ```haskell example and any prose after it. The prose stays in the response
  because it is the answer; the prompt only names the topic.
Accounting: each section is two units in rows_in (its text view and its qa view); a qa view
without a qualifying code example is dropped as "qa_no_code_example". A page that cannot be
fetched or read is one quarantined unit. group = f"{source}:{page path}".
"""

from __future__ import annotations

import glob
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from markdownify import markdownify

from budgetai.http_client import FetchError, RobotsDisallowed, open_client
from budgetai.records import Record
from budgetai.stats import StageStats

HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
HASKELL_FENCE = re.compile(r"^\s*```\s*(haskell|hs)\s*$", re.M)
PAGE_SUFFIXES = ("", ".html", ".htm", ".xhtml")


@dataclass
class Section:
    path: list[str]  # heading titles from the chapter down to this section
    level: int
    markdown: str  # heading line + body

    @property
    def title(self) -> str:
        return self.path[-1]

    @property
    def body(self) -> str:
        return self.markdown.split("\n", 1)[1].strip() if "\n" in self.markdown else ""


def code_language(pre) -> str:
    code = pre.find("code")
    classes = (code.get("class") if code else None) or pre.get("class") or []
    names = [c.removeprefix("language-").removeprefix("lang-") for c in classes]
    return next((n for n in names if n not in ("sourceCode", "highlight")), "")


def html_to_markdown(page: str) -> tuple[str, str]:
    """(Markdown of the page's main content, its first <h1> text)."""
    soup = BeautifulSoup(page, "lxml")
    root = soup.find("main") or soup.body or soup
    for noise in root.find_all(["nav", "footer", "script", "style", "header"]):
        noise.decompose()
    h1 = root.find("h1")
    markdown = markdownify(str(root), heading_style="ATX", bullets="-", code_language_callback=code_language)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip(), (h1.get_text(" ", strip=True) if h1 else "")


def split_sections(markdown: str) -> list[Section]:
    """Cut Markdown at h1-h3 headings outside code fences; text before the first heading is
    dropped (page chrome, or nothing)."""
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    lines: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading:
            if stack:
                sections.append(Section([t for _, t in stack], stack[-1][0], "\n".join(lines).strip()))
            level, title = len(heading.group(1)), heading.group(2).replace("\\", "")
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, title)]
            lines = [line]
        elif stack:
            lines.append(line)
    if stack:
        sections.append(Section([t for _, t in stack], stack[-1][0], "\n".join(lines).strip()))
    return sections


def qa_prose(section: Section, min_chars: int) -> bool:
    """True when the section explains in prose (>= min_chars) before its first Haskell block."""
    match = HASKELL_FENCE.search(section.body)
    return bool(match) and len(section.body[: match.start()].strip()) >= min_chars


def crawl(cfg: dict, stats: StageStats, quarantine: list[dict], source: str) -> Iterator[tuple[str, str, str]]:
    """(url, page path, Markdown) for each page reachable inside the prefix, breadth first."""
    client = open_client(cfg)
    start = cfg["start_url"]
    prefix = cfg.get("path_prefix") or start.rsplit("/", 1)[0] + "/"
    queue, seen = deque([start]), {start}
    outside, robots, pages = set(), [], 0
    while queue and (cfg.get("max_pages") is None or pages < cfg["max_pages"]):
        url = queue.popleft()
        try:
            page = client.get_text(url, crawl=True)
        except RobotsDisallowed:
            robots.append(url)
            continue
        except FetchError as err:
            stats.rows_in += 1
            quarantine.append({"source": source, "location": url, "reason": str(err), "raw": ""})
            stats.quarantine("page_fetch_failed")
            continue
        pages += 1
        for anchor in BeautifulSoup(page, "lxml").find_all("a", href=True):
            link = urldefrag(urljoin(url, anchor["href"]))[0]
            if link in seen or PurePosixPath(urlsplit(link).path).suffix not in PAGE_SUFFIXES:
                continue
            seen.add(link)
            if link.startswith(prefix):
                queue.append(link)
            else:
                outside.add(link)
        markdown, h1 = html_to_markdown(page)
        yield url, urlsplit(url).path, markdown, h1
    stats.extra.update({"pages": pages, "links_outside_prefix": sorted(outside), "skipped_by_robots": robots})


def local_files(cfg: dict, stats: StageStats, quarantine: list[dict], source: str):
    """(path, page path, Markdown, h1) for each configured local file."""
    paths = [Path(p) for pattern in cfg["paths"] for p in (sorted(glob.glob(pattern)) or [pattern])]
    for path in paths[: cfg.get("max_pages")]:
        try:
            if path.suffix.lower() == ".pdf":
                from pypdf import PdfReader

                texts = [page.extract_text() or "" for page in PdfReader(path).pages]
                markdown = "\n\n".join(f"# {path.stem}, page {n}\n\n{t.strip()}" for n, t in enumerate(texts, 1))
                yield str(path), str(path), markdown, path.stem
            elif path.suffix.lower() in (".md", ".markdown"):
                markdown = path.read_text(encoding="utf-8")
                first = next((s.title for s in split_sections(markdown) if s.level == 1), path.stem)
                yield str(path), str(path), markdown, first
            else:
                yield (str(path), str(path), *html_to_markdown(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            stats.rows_in += 1
            quarantine.append({"source": source, "location": str(path), "reason": f"unreadable: {err}", "raw": ""})
            stats.quarantine("file_unreadable")


def section_records(source: str, cfg: dict, book: str, url: str, page_path: str, section: Section,
                    stats: StageStats) -> Iterator[Record]:
    stats.rows_in += 2  # the section's text view and its qa view
    anchor = re.sub(r"[^a-z0-9]+", "-", section.title.lower()).strip("-")
    common = dict(source=source, language="en", url=f"{url}#{anchor}", license=cfg["license"],
                  group=f"{source}:{page_path}")
    meta = {"book": book, "path": section.path, "level": section.level, "page": page_path}
    if section.body:
        stats.rows_out += 1
        yield Record(id=f"{source}:{page_path}#{anchor}", kind="text", prompt=" > ".join([book, *section.path]),
                     response=section.markdown, meta=meta, **common)
    else:
        stats.drop("empty_section")
    if qa_prose(section, int(cfg.get("min_prose_chars", 60))):
        stats.rows_out += 1
        context = " > ".join([book, *section.path[:-1]])
        yield Record(id=f"{source}:{page_path}#{anchor}:qa", kind="qa",
                     prompt=f'Explain "{section.title}" in Haskell and show an example. (Context: {context})',
                     response=section.body, meta={**meta, "language": "haskell"}, **common)
    else:
        stats.drop("qa_no_code_example")


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    if not cfg.get("license"):
        raise ValueError(f"source {source!r} (textbook): 'license' is required (the book's license)")
    if cfg.get("start_url"):
        pages = crawl(cfg, stats, quarantine, source)
    elif cfg.get("paths"):
        pages = local_files(cfg, stats, quarantine, source)
    else:
        raise ValueError(f"source {source!r} (textbook): set start_url or paths")
    book = cfg.get("title")
    seen_ids: set[str] = set()
    for url, page_path, markdown, h1 in pages:
        book = book or h1 or page_path
        for section in split_sections(markdown):
            for record in section_records(source, cfg, book, url, page_path, section, stats):
                if record.id in seen_ids:  # two headings with one title on a page
                    record.id = f"{record.id}-{len(seen_ids)}"
                seen_ids.add(record.id)
                yield record
