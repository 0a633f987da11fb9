"""StackExchange dump reader (`kind: stackexchange`): Posts.xml -> question/answer records.

One record per selected answer: prompt = question title + body, response = answer body, both
HTML converted to Markdown with fenced code blocks (```haskell when the question is tagged
haskell; budgetai.sources._html).
The file is streamed once (twice only if some answers come before their question), so memory
grows with the number of kept questions, plus one bit per post id (to catch a repeated Id:
about 10 MB for all of Stack Overflow), never with the file's text.

cfg keys (defaults):
  path                 required; Posts.xml, .xml.gz, .bz2, .zst or .7z
  tags                 []           keep questions with these tags ([] keeps all)
  tags_match           "any"        "any" or "all" of `tags`
  min_question_score   0
  min_answer_score     0
  answers              "accepted_or_top"  which answers of a kept question become records:
                         "accepted" (only the accepted one), "accepted_or_top" (the accepted one,
                         else the highest-scored), "top_k" (the `top_k` highest-scored), "all"
  top_k                1
  drop_closed          true         drop questions with a ClosedDate
  drop_community_wiki  true         drop questions with a CommunityOwnedDate
  date_from, date_to   none         ISO dates bounding the ANSWER's CreationDate (inclusive);
                                    the answer is the text the model learns to write
  site_url             "https://stackoverflow.com"  for record urls ({site_url}/a/{answer id})

Accounting (rows_in = every `<row>` plus every unparseable fragment):
  answers   -> a record, or dropped: answer_score, date_range, not_accepted, not_selected,
               parent_not_kept (its question was filtered out or is not in the file)
  questions -> dropped as question_used_as_prompt when kept (they live on in their answers'
               prompts), else tags, closed, community_wiki, question_score
  other post types -> dropped as post_type_<N> (tag wikis, moderator nominations...)
  planted_fake_post: ids 1000000001 and 1000000010, fake posts planted in dumps to detect copies
  quarantined: invalid_attribute (e.g. non-integer Id), malformed_xml, truncated_stream,
               line_too_long (see budgetai.sources.stackexchange.posts_xml.MAX_LINE), duplicate_id
               (a row whose Id an earlier row had: the first one counts, whether it was parsed
               or dropped from its raw bytes; two records with one id would break dedup)
A file that does not decompress, or whose data is corrupt, raises PostsFileError.
"""

from __future__ import annotations

import heapq
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


from budgetai.core.records import Record
from budgetai.sources._html import html_to_markdown
from budgetai.sources.stackexchange.posts_xml import iter_rows
from budgetai.core.stats import StageStats, quarantine_unit

log = logging.getLogger("budgetai.sources.stackexchange")

TERMS_WARNING = (
    "StackExchange's data dump terms (since 2024) prohibit using the dump to train large "
    "language models; make sure your use of this source is allowed before training on it."
)
PLANTED_FAKE_IDS = frozenset({1000000001, 1000000010})
ANSWER_MODES = ("accepted", "accepted_or_top", "top_k", "all")
# Content license by post date when the row has no ContentLicense attribute (older dumps).
_LICENSE_ERAS = (("2011-04-08", "CC BY-SA 2.5"), ("2018-05-02", "CC BY-SA 3.0"))
_LATEST_LICENSE = "CC BY-SA 4.0"
_TAGS = re.compile(r"<([^<>]+)>")
# Attributes read from a row's raw bytes. Values cannot hold a `"` (the dump writes &quot;), and
# the leading space keeps ` Id=` from matching inside `ParentId=`.
_RAW_ID = re.compile(rb'\sId="(\d+)"')
_RAW_POST_TYPE = re.compile(rb'\sPostTypeId="(\d+)"')
_RAW_PARENT_ID = re.compile(rb'\sParentId="(\d+)"')


@dataclass(frozen=True)
class Options:
    path: str
    tags: frozenset = frozenset()
    tags_match: str = "any"
    min_question_score: int = 0
    min_answer_score: int = 0
    answers: str = "accepted_or_top"
    top_k: int = 1
    drop_closed: bool = True
    drop_community_wiki: bool = True
    date_from: str | None = None
    date_to: str | None = None
    site_url: str = "https://stackoverflow.com"

    @classmethod
    def from_cfg(cls, cfg: dict) -> "Options":
        if not cfg.get("path"):
            raise ValueError("stackexchange source: cfg 'path' (the Posts.xml dump) is required")
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in cfg.items() if k in known}
        values["tags"] = frozenset(t.lower() for t in cfg.get("tags") or ())
        for key in ("date_from", "date_to"):
            values[key] = str(cfg[key]) if cfg.get(key) else None
        opts = cls(**values)
        if opts.answers not in ANSWER_MODES:
            raise ValueError(f"stackexchange source: answers={opts.answers!r}, use one of {ANSWER_MODES}")
        if opts.tags_match not in ("any", "all"):
            raise ValueError(f"stackexchange source: tags_match={opts.tags_match!r}, use 'any' or 'all'")
        return opts


@dataclass
class Question:
    id: int
    title: str
    body_html: str
    tags: list
    score: int
    date: str
    accepted_id: int | None
    row: int  # position among the file's rows: tells a second pass which answers came before it
    held: list = field(default_factory=list)  # heap of (key, Answer) awaiting the end of the file
    prompt: str | None = None  # converted lazily, once, when its first answer is emitted
    done: bool = False  # its one record is out; later answers are dropped, its text freed


@dataclass(frozen=True)
class Answer:
    id: int
    score: int
    date: str
    body_html: str
    license: str


def parse_tags(value: str | None) -> list[str]:
    """Both dump tag formats: `<haskell><monads>` and `|haskell|monads|`."""
    if not value:
        return []
    if value.startswith("<"):
        return [t.lower() for t in _TAGS.findall(value)]
    return [t.lower() for t in value.split("|") if t]


def license_for(content_license: str | None, date: str) -> str:
    """The row's ContentLicense, else the CC BY-SA version in force on `date` (ISO)."""
    if content_license:
        return content_license
    for until, name in _LICENSE_ERAS:
        if date[:10] < until:
            return name
    return _LATEST_LICENSE


def _int_attr(element, name: str, default: int | None = None) -> int | None:
    value = element.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"attribute {name}={value!r} is not an integer") from None


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    """Stream question/answer records from the dump at cfg['path'] (see module docstring)."""
    opts = Options.from_cfg(cfg)
    log.warning("%s: %s", opts.path, TERMS_WARNING)
    stats.extra["terms_warning"] = TERMS_WARNING
    return _Reader(source, opts, stats, quarantine).records()


class _SeenIds:
    """The post ids read so far, as bits in pages of 1024 ids made when first used. A dump's ids
    are dense (Stack Overflow: ~80M ids, ~20 MB here, where a set of ints takes GBs); scattered
    ids cost a page (~300 bytes) each, still linear in the rows read."""

    def __init__(self):
        self._pages: dict[int, bytearray] = {}

    def add(self, post_id: int) -> bool:
        """Mark post_id seen; whether it was new."""
        page = self._pages.get(post_id >> 10)
        if page is None:
            page = self._pages[post_id >> 10] = bytearray(128)
        byte, bit = (post_id & 1023) >> 3, 1 << (post_id & 7)
        if page[byte] & bit:
            return False
        page[byte] |= bit
        return True


def _row_ids(element) -> tuple[int, int, int | None]:
    """(Id, PostTypeId, ParentId of an answer else None); TypeError when Id or PostTypeId is
    missing, ValueError when one is not an integer. Both passes judge a row by this alone."""
    post_id, post_type = int(element.get("Id")), int(element.get("PostTypeId"))
    return post_id, post_type, _int_attr(element, "ParentId") if post_type == 2 else None


class _Reader:
    """State of a pass over a dump: kept questions, plus counts of answers whose question had
    not been kept when they were read ("unresolved").

    Real dumps are sorted by Id and a question is older than its answers, so after one pass
    every unresolved answer belongs to a question that was not kept. Only when the file is not
    sorted (or an answer points at a later Id) is a second pass needed; it re-reads the answers
    that precede their kept question, found by row position, so no per-answer state is kept.
    """

    def __init__(self, source: str, opts: Options, stats: StageStats, quarantine: list[dict]):
        self.source, self.opts, self.stats, self.quarantine = source, opts, stats, quarantine
        self.kept: dict[int, Question] = {}
        # A question whose raw row holds none (tags_match any) or not all (all) of these byte
        # strings surely fails the tag filter.
        self.tag_bytes = tuple(t.encode() for t in opts.tags)
        self.tags_may_match = any if opts.tags_match == "any" else all
        self.unresolved = 0
        self.seen = _SeenIds()
        self.sorted_file, self.last_id, self.row = True, 0, -1
        self.forward_parent = False  # some answer named a parent with a larger Id

    def records(self) -> Iterator[Record]:
        for line, element in iter_rows(self.opts.path, self._on_bad, self._dropped_unparsed):
            record = self._on_row(line, element)
            if record is not None:
                yield record
        if self.unresolved and (self.forward_parent or not self.sorted_file):
            yield from self._second_pass()
        else:
            self.stats.drop("parent_not_kept", self.unresolved)
        for question in self.kept.values():
            for _, answer in sorted(question.held, reverse=True):
                yield self._record(question, answer)

    def _on_bad(self, location: str, reason: str, raw: str) -> None:
        self.stats.rows_in += 1
        self._quarantine(location, reason, raw)

    def _quarantine(self, location: str, reason: str, raw: str) -> None:
        quarantine_unit(self.stats, self.quarantine, self.source, location, reason, raw=raw)

    def _dropped_unparsed(self, line: int, raw: bytes) -> bool:
        """Account for a row from its raw bytes when it is surely dropped: a question without the
        wanted tags, an answer whose question was not kept, another post type, or a repeat of an
        earlier row's Id among these. False: anything else, or attributes not found as expected;
        the row is then parsed, and its Id checked there. Either way every Id goes through
        `_counted` once. (Parsing every row was most of the time of a filtered read.)"""
        found_id, found_type = _RAW_ID.search(raw), _RAW_POST_TYPE.search(raw)
        if found_id is None or found_type is None:
            return False
        post_id, post_type = int(found_id[1]), int(found_type[1])
        if post_id in PLANTED_FAKE_IDS:
            return False
        if post_type == 1:
            if not self.tag_bytes or self.tags_may_match(t in raw for t in self.tag_bytes):
                return False
            if self._counted(post_id, line, raw):
                self.stats.drop("tags")
        elif post_type == 2:
            found_parent = _RAW_PARENT_ID.search(raw)
            parent_id = int(found_parent[1]) if found_parent else None
            if parent_id is None or parent_id in self.kept:
                return False
            if self._counted(post_id, line, raw):
                self._unresolved(post_id, parent_id)
        elif self._counted(post_id, line, raw):
            self.stats.drop(f"post_type_{post_type}")
        return True

    def _counted(self, post_id: int, line: int, raw) -> bool:
        """Count one more row; False when an earlier row had its Id: the row is then set aside
        as duplicate_id (raw: its bytes or element). It still takes a row position, so the
        second pass (which skips repeats the same way) finds the others where they were.
        (One call per row of a multi-GB dump: the bookkeeping is inlined.)"""
        self.stats.rows_in += 1
        self.row += 1
        if self.seen.add(post_id):
            self.sorted_file = self.sorted_file and post_id > self.last_id
            self.last_id = post_id
            return True
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(dict(raw.attrib))
        self._quarantine(f"{self.opts.path}:line {line}", "duplicate_id",
                         f"Id {post_id} already read in an earlier row: {text}"[:5000])
        return False

    def _count_unreadable_row(self) -> None:
        """One more row read whose Id could not be read (it is quarantined by the caller)."""
        self.stats.rows_in += 1
        self.row += 1

    def _unresolved(self, post_id: int, parent_id: int | None) -> None:
        self.unresolved += 1
        self.forward_parent = self.forward_parent or parent_id is None or parent_id > post_id

    def _on_row(self, line: int, element) -> Record | None:
        """Account for one row; the record it completes ("all"/"accepted" modes), if any.
        (A plain function, not a generator: this runs for every row of a multi-GB dump.)"""
        try:
            post_id, post_type, parent_id = _row_ids(element)
        except (TypeError, ValueError) as err:  # TypeError: int(None), the attribute is missing
            self._count_unreadable_row()
            self._quarantine(f"{self.opts.path}:line {line}", "invalid_attribute",
                             f"Id/PostTypeId/ParentId not integers ({err}): {dict(element.attrib)}"[:5000])
            return None
        if not self._counted(post_id, line, element):
            return None
        if post_id in PLANTED_FAKE_IDS:
            self.stats.drop("planted_fake_post")
        elif post_type == 1:
            self._on_question(post_id, element)
        elif post_type == 2:
            return self._on_answer_row(post_id, parent_id, element)
        else:
            self.stats.drop(f"post_type_{post_type}")
        return None

    def _on_question(self, post_id: int, element) -> None:
        opts, raw_tags = self.opts, element.get("Tags") or ""
        # Cheap substring test first: most questions of a big dump fail the tag filter.
        if opts.tags and opts.tags_match == "any" and not any(t in raw_tags for t in opts.tags):
            self.stats.drop("tags")
            return
        tags, score = parse_tags(raw_tags), _int_attr(element, "Score", 0)
        if opts.tags and not (opts.tags.intersection(tags) if opts.tags_match == "any"
                              else opts.tags.issubset(tags)):
            reason = "tags"
        elif opts.drop_closed and element.get("ClosedDate"):
            reason = "closed"
        elif opts.drop_community_wiki and element.get("CommunityOwnedDate"):
            reason = "community_wiki"
        elif score < opts.min_question_score:
            reason = "question_score"
        else:
            reason = "question_used_as_prompt"
            self.kept[post_id] = Question(
                id=post_id, title=element.get("Title", ""), body_html=element.get("Body", ""),
                tags=tags, score=score, date=element.get("CreationDate", ""),
                accepted_id=_int_attr(element, "AcceptedAnswerId"), row=self.row)
        self.stats.drop(reason)

    def _on_answer_row(self, post_id: int, parent_id: int | None, element) -> Record | None:
        question = self.kept.get(parent_id)
        if question is None:
            self._unresolved(post_id, parent_id)
            return None
        return self._on_answer(question, self._answer(post_id, element))

    def _answer(self, post_id: int, element) -> Answer:
        date = element.get("CreationDate", "")
        return Answer(id=post_id, score=_int_attr(element, "Score", 0), date=date,
                      body_html=element.get("Body", ""),
                      license=license_for(element.get("ContentLicense"), date))

    def _on_answer(self, question: Question, answer: Answer) -> Record | None:
        opts, accepted = self.opts, answer.id == question.accepted_id
        if answer.score < opts.min_answer_score:
            self.stats.drop("answer_score")
        elif (opts.date_from and answer.date[:10] < opts.date_from[:10]) or (
                opts.date_to and answer.date[:10] > opts.date_to[:10]):
            self.stats.drop("date_range")
        elif opts.answers == "all" or (opts.answers == "accepted" and accepted):
            return self._record(question, answer)
        elif opts.answers == "accepted":
            self.stats.drop("not_accepted")
        elif question.done:
            self.stats.drop("not_selected")
        elif opts.answers == "accepted_or_top" and accepted:
            return self._emit_final(question, answer)
        else:
            self._hold(question, answer, accepted)
        return None

    def _emit_final(self, question: Question, answer: Answer) -> Record:
        """The accepted answer wins at once in accepted_or_top mode: emit it and free the
        question's text, so memory holds only questions still waiting for their answer."""
        record = self._record(question, answer)
        self.stats.drop("not_selected", len(question.held))
        question.held.clear()
        question.done, question.body_html, question.prompt = True, "", None
        return record

    def _hold(self, question: Question, answer: Answer, accepted: bool) -> None:
        """Keep the best `k` answers of a question until its last answer may have been seen."""
        if self.opts.answers == "top_k":
            key, k = (answer.score, accepted, -answer.id), self.opts.top_k
        else:
            key, k = (accepted, answer.score, -answer.id), 1
        heapq.heappush(question.held, (key, answer))
        if len(question.held) > k:
            heapq.heappop(question.held)
            self.stats.drop("not_selected")

    def _second_pass(self) -> Iterator[Record]:
        """Resolve the answers read before their question, now that all kept ones are known."""
        seen = _SeenIds()
        for row, (_, element) in enumerate(iter_rows(self.opts.path, lambda *_: None)):
            try:
                post_id, post_type, parent_id = _row_ids(element)
            except (TypeError, ValueError):  # quarantined in the first pass
                continue
            if not seen.add(post_id):  # quarantined as duplicate_id in the first pass
                continue
            if post_type != 2 or post_id in PLANTED_FAKE_IDS:
                continue
            question = self.kept.get(parent_id)
            if question is None:
                self.stats.drop("parent_not_kept")
            elif question.row > row:  # the first pass met this answer before its question
                record = self._on_answer(question, self._answer(post_id, element))
                if record is not None:
                    yield record

    def _record(self, question: Question, answer: Answer) -> Record:
        tags = question.tags
        language = "haskell" if "haskell" in tags else (tags[0] if tags else "text")
        if question.prompt is None:
            body = html_to_markdown(question.body_html, "" if language == "text" else language)
            question.prompt = f"{question.title}\n\n{body}".strip()
        return Record(
            id=f"{self.source}:{answer.id}", source=self.source, kind="qa",
            prompt=question.prompt,
            response=html_to_markdown(answer.body_html, "" if language == "text" else language),
            language=language, url=f"{self.opts.site_url.rstrip('/')}/a/{answer.id}",
            license=answer.license, group=f"{self.source}:q{question.id}",
            meta={"question_id": question.id, "answer_id": answer.id,
                  "question_score": question.score, "answer_score": answer.score,
                  "tags": tags, "question_date": question.date, "answer_date": answer.date,
                  "accepted": answer.id == question.accepted_id},
        )


def count_posts(path: str | Path) -> dict:
    """Count a dump's rows by kind: questions, answers, accepted (answers that some question in
    the file names as its AcceptedAnswerId), other post types, and malformed fragments."""
    counts = {"rows": 0, "questions": 0, "answers": 0, "accepted": 0, "other": 0, "malformed": 0}
    accepted_ids, answer_ids = set(), set()

    def on_bad(*_):
        counts["malformed"] += 1

    for _, element in iter_rows(path, on_bad):
        counts["rows"] += 1
        post_type = element.get("PostTypeId")
        if post_type == "1":
            counts["questions"] += 1
            if element.get("AcceptedAnswerId"):
                accepted_ids.add(element.get("AcceptedAnswerId"))
        elif post_type == "2":
            counts["answers"] += 1
            answer_ids.add(element.get("Id"))
        else:
            counts["other"] += 1
    counts["accepted"] = len(accepted_ids & answer_ids)
    return counts
