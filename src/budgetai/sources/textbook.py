"""Open-licensed textbooks: crawled HTML (within a path prefix) or local HTML/Markdown/PDF files,
split into sections by headings.

Config: start_url (+ path_prefix, default the start URL's directory; mirror_dir / cache_dir /
min_interval_s as in budgetai.sources.http_client) OR paths (files or globs: .html/.htm, .md/.markdown,
.pdf via pypdf); license (required); title (the book's title; default the first page's <h1>);
max_pages (unset: all); min_prose_chars (60); for paths: root (page ids are file paths relative
to it; default the files' common directory, so ids, groups and splits do not depend on where
the book is checked out), url_prefix (urls become url_prefix/<page id>, else the page id) and
url_suffix (replaces the page id's suffix in urls, e.g. ".html").

Markdown is first normalised from the dialect it is written in (Pandoc/Hakyll attribute fences,
heading ids, fenced divs, images, YAML front matter; see budgetai.sources.markdown_dialects). A
Markdown page whose body has no level-1 heading gets its front-matter title (else its file
name) as one, so the text before its first section is the chapter's own section.

Crawling is breadth-first from start_url, follows <a href> links only inside path_prefix,
obeys robots.txt and the per-host rate limit; links outside the prefix and URLs robots.txt
forbids are counted in stats.extra, never fetched.

Sections: a page's main content (<main>, else <body>, minus nav/footer/script/style) becomes
Markdown (sources._html; <pre><code class="haskell"> becomes a ```haskell fence) and is cut at
every h1-h3 heading of the document, as a CommonMark parser reads it (markdown-it-py, see
budgetai.sources.markdown_dialects.blocks): ATX (`#`, `##`, `###`) and setext (`Title` over
`===` or `---`) headings, never a `#` line inside a code block, a block quote or a list. A PDF
page is one section (PDF text has no reliable headings).

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
fetched or read is one quarantined unit. Text before a page's first heading is one unit dropped
as "text_before_first_heading" (HTML page chrome). Each `ghci>` input inside a Haskell block is
one unit: a qa pair (budgetai.sources.ghci_sessions), or dropped as "ghci_no_result" /
"ghci_command". group = f"{source}:{page id}"; an explicit heading id is the url anchor.
"""

from __future__ import annotations

import glob
import os
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from budgetai.sources.http_client import FetchError, RobotsDisallowed, open_client
from budgetai.core.records import Record
from budgetai.sources._html import html_to_markdown, tag_code_languages
from budgetai.sources.ghci_sessions import exchanges, question_and_answer
from budgetai.sources.markdown_dialects import blocks, lines_of, normalise
from budgetai.sources.paths import real_path_inside
from budgetai.sources.pdf_text import pdf_page_texts
from budgetai.core.stats import StageStats, quarantine_unit

HASKELL_FENCE = re.compile(r"^[ \t]*```[ \t]*(haskell|hs)[ \t]*$", re.M)  # [ \t]: no scan across lines
SECTION_LEVELS = ("h1", "h2", "h3")
MARKDOWN_SUFFIXES = (".md", ".markdown")
PAGE_SUFFIXES = ("", ".html", ".htm", ".xhtml")


@dataclass
class Section:
    path: list[str]  # heading titles from the chapter down to this section
    level: int
    markdown: str  # heading lines + body
    anchor: str = ""  # the author's heading id, when the source gives one
    heading_lines: int = 1  # a setext heading is its text lines and the underline

    @property
    def title(self) -> str:
        return self.path[-1]

    @property
    def body(self) -> str:
        return "\n".join(self.markdown.split("\n")[self.heading_lines:]).strip()


@dataclass(frozen=True)
class Heading:
    first_line: int
    end_line: int  # exclusive
    level: int
    title: str


def headings(lines: list[str]) -> list[Heading]:
    """The document's h1-h3 headings, ATX and setext, in order (CommonMark's reading)."""
    tokens = blocks("\n".join(lines))
    found = []
    for token, inline in zip(tokens, tokens[1:]):
        if token.type == "heading_open" and token.level == 0 and token.tag in SECTION_LEVELS:
            title = " ".join(inline.content.split("\n")).replace("\\", "")
            found.append(Heading(token.map[0], token.map[1], int(token.tag[1]), title))
    return found


def code_language(pre) -> str:
    code = pre.find("code")
    classes = (code.get("class") if code else None) or pre.get("class") or []
    names = [c.removeprefix("language-").removeprefix("lang-") for c in classes]
    return next((n for n in names if n not in ("sourceCode", "highlight")), "")


def page_markdown(page: str) -> tuple[str, str]:
    """(Markdown of the page's main content, its first <h1> text)."""
    soup = BeautifulSoup(page, "lxml")
    root = soup.find("main") or soup.body or soup
    for noise in root.find_all(["nav", "footer", "script", "style", "header"]):
        noise.decompose()
    h1 = root.find("h1")
    tag_code_languages(root, code_language)
    return html_to_markdown(str(root)), (h1.get_text(" ", strip=True) if h1 else "")


def split_sections(markdown: str, heading_ids: dict | None = None) -> list[Section]:
    """Cut Markdown at its h1-h3 headings (see `headings`). Text before the first heading is
    not a section (see `preamble`); `heading_ids` maps a heading's first line to its explicit id."""
    heading_ids = heading_ids or {}
    lines = lines_of(markdown)
    found = headings(lines)
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for heading, following in zip(found, [*found[1:], None]):
        stack = [(lv, t) for lv, t in stack if lv < heading.level] + [(heading.level, heading.title)]
        end = following.first_line if following else len(lines)
        text = "\n".join(lines[heading.first_line:end]).strip()
        sections.append(Section([t for _, t in stack], heading.level, text,
                                heading_ids.get(lines[heading.first_line], ""),
                                heading.end_line - heading.first_line))
    return sections


def preamble(markdown: str) -> str:
    """The text before the first h1-h3 heading, stripped."""
    lines = lines_of(markdown)
    found = headings(lines)
    return "\n".join(lines[:found[0].first_line] if found else lines).strip()


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
            quarantine_unit(stats, quarantine, source, url, "page_fetch_failed", str(err))
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
        markdown, h1 = page_markdown(page)
        yield url, urlsplit(url).path, markdown, h1
    stats.extra.update({"pages": pages, "links_outside_prefix": sorted(outside), "skipped_by_robots": robots})


def local_root(cfg: dict, paths: list[Path]) -> Path:
    """The directory page ids are relative to: cfg root, else the files' common directory, so
    that a checkout moved elsewhere yields the same ids (and splits)."""
    if cfg.get("root"):
        return Path(cfg["root"])
    return Path(os.path.commonpath([str(p.absolute().parent) for p in paths])) if paths else Path(".")


def page_url(cfg: dict, page_id: str) -> str:
    """url_prefix + the page id (its suffix replaced by url_suffix, e.g. ".html" for a book whose
    Markdown is published as HTML); without url_prefix the page id itself, a relative reference
    that names no machine."""
    if not cfg.get("url_prefix"):
        return page_id
    if cfg.get("url_suffix") is not None:
        page_id = str(PurePosixPath(page_id).with_suffix(cfg["url_suffix"]))
    return f"{cfg['url_prefix'].rstrip('/')}/{page_id}"


def markdown_page(path: Path, page_id: str) -> tuple[str, str, dict]:
    """(plain Markdown, book title from front matter or "", heading ids) of a Markdown file. A
    page whose front matter names its title but whose body has no level-1 heading (Pandoc and
    Hakyll books) gets that title as its h1, so the chapter is in every title path and the
    text before the first section is the chapter's own section rather than lost."""
    page = normalise(path.read_text(encoding="utf-8"))
    body = page.body
    if not any(s.level == 1 for s in split_sections(body)):
        body = f"# {page.title or path.stem}\n\n{body}"
    return body, str(page.front_matter.get("book") or ""), page.heading_ids


def local_files(cfg: dict, stats: StageStats, quarantine: list[dict], source: str):
    """(url, page id, Markdown, book title, heading ids) for each configured local file; the page
    id is the file's path relative to the root (see local_root)."""
    paths = [Path(p) for pattern in cfg["paths"] for p in (sorted(glob.glob(pattern)) or [pattern])]
    paths = paths[: cfg.get("max_pages")]
    root = local_root(cfg, paths).absolute()
    for path in paths:
        try:
            page_id = path.absolute().relative_to(root).as_posix()
        except ValueError:
            raise ValueError(f"textbook source {source!r}: {path} is not under root {cfg.get('root')!r}") from None
        try:
            real_path_inside(path, root)  # a link out of the root is quarantined, not read
            if path.suffix.lower() == ".pdf":
                texts = pdf_page_texts(path)
                markdown = "\n\n".join(f"# {path.stem}, page {n}\n\n{t.strip()}" for n, t in enumerate(texts, 1))
                yield page_url(cfg, page_id), page_id, markdown, path.stem, {}
            elif path.suffix.lower() in MARKDOWN_SUFFIXES:
                markdown, book, heading_ids = markdown_page(path, page_id)
                yield page_url(cfg, page_id), page_id, markdown, book, heading_ids
            else:
                yield (page_url(cfg, page_id), page_id, *page_markdown(path.read_text(encoding="utf-8")), {})
        except (OSError, UnicodeDecodeError, ValueError) as err:
            stats.rows_in += 1
            quarantine_unit(stats, quarantine, source, page_id, "file_unreadable", f"unreadable: {err}")


def section_records(source: str, cfg: dict, book: str, url: str, page_path: str, section: Section,
                    stats: StageStats) -> Iterator[Record]:
    stats.rows_in += 2  # the section's text view and its qa view
    anchor = section.anchor or re.sub(r"[^a-z0-9]+", "-", section.title.lower()).strip("-")
    common = dict(source=source, language="en", url=f"{url}#{anchor}", license=cfg["license"],
                  group=f"{source}:{page_path}")
    meta = {"book": book, "path": section.path, "level": section.level, "page": page_path}
    if section.body:
        yield Record(id=f"{source}:{page_path}#{anchor}", kind="text", prompt=" > ".join([book, *section.path]),
                     response=section.markdown, meta=meta, **common)
    else:
        stats.drop("empty_section", unit=f"{source}:{page_path}#{anchor}")
    if qa_prose(section, int(cfg.get("min_prose_chars", 60))):
        context = " > ".join([book, *section.path[:-1]])
        yield Record(id=f"{source}:{page_path}#{anchor}:qa", kind="qa",
                     prompt=f'Explain "{section.title}" in Haskell and show an example. (Context: {context})',
                     response=section.body, meta={**meta, "language": "haskell"}, **common)
    else:
        stats.drop("qa_no_code_example", unit=f"{source}:{page_path}#{anchor}:qa")
    for n, exchange in enumerate(exchanges(section.body)):
        stats.rows_in += 1  # each ghci> input is a unit: a pair, or dropped
        pair = question_and_answer(exchange)
        if pair is None:
            stats.drop("ghci_command" if exchange.expr.startswith(":") else "ghci_no_result")
            continue
        yield Record(id=f"{source}:{page_path}#{anchor}:ghci{n}", kind="qa", prompt=pair[0], response=pair[1],
                     meta={**meta, "language": "haskell", "ghci_input": exchange.expr}, **common)


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    if not cfg.get("license"):
        raise ValueError(f"source {source!r} (textbook): 'license' is required (the book's license)")
    if cfg.get("start_url"):
        pages = ((url, path, md, h1, {}) for url, path, md, h1 in crawl(cfg, stats, quarantine, source))
    elif cfg.get("paths"):
        pages = local_files(cfg, stats, quarantine, source)
    else:
        raise ValueError(f"source {source!r} (textbook): set start_url or paths")
    book = cfg.get("title")
    seen_ids: set[str] = set()
    for url, page_path, markdown, h1, heading_ids in pages:
        book = book or h1 or source
        if preamble(markdown):  # page chrome before the first heading: counted, not kept
            stats.rows_in += 1
            stats.drop("text_before_first_heading")
        for section in split_sections(markdown, heading_ids):
            for record in section_records(source, cfg, book, url, page_path, section, stats):
                if record.id in seen_ids:  # two headings with one title on a page
                    record.id = f"{record.id}-{len(seen_ids)}"
                seen_ids.add(record.id)
                yield record
