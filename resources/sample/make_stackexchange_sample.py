"""Write resources/sample/stackexchange/Posts.xml: an original StackExchange Posts.xml in the real
dump format (one `<row>` per line, HTML bodies, `<tag>` lists, ContentLicense), with Haskell
questions and answers written for this project, plus the rows a reader must filter: non-Haskell
questions, low scores, a closed question, a community wiki, tag-wiki rows (PostTypeId 4 and 5) and
rows without ContentLicense (older dumps), dated 2009-2023 so all three CC BY-SA eras appear.

The posts are data: stackexchange/questions.yaml holds titles, tags, scores, dates, flags and each
body as a list of parts (a paragraph, or a code block's file under stackexchange/code/, one file
per block: q03-word-frequencies-a1.hs is the first answer's block of the third question). This
script gives them ids, owners, answer dates and licenses and renders the bodies to HTML.

Also writes compiling_answers.json: the answer ids whose code blocks, concatenated, form a module
that must pass `ghc -fno-code` (tests/sources/test_sample_compiles.py checks them).

Run: python resources/sample/make_stackexchange_sample.py
(tests/sources/test_stackexchange_sample.py checks that this reproduces the committed files.)
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from lxml import etree

SAMPLE = Path(__file__).resolve().parent / "stackexchange"
DATA = "questions.yaml"
CODE = "code"

# The keys a data entry may leave out, with the value it then gets.
QUESTION_DEFAULTS = dict(closed=False, wiki=False, views=None, license=True)
ANSWER_DEFAULTS = dict(accepted=False, compiles=False, hours=3, license=True)
QUESTION_KEYS = {"title", "tags", "score", "date", "body", "answers"}
ANSWER_KEYS = {"score", "body"}
TAG_WIKI_KEYS = {4: {"post_type", "date", "text"}, 5: {"post_type", "date", "body"}}


def P(text: str) -> str:
    """A paragraph; `backticks` become <code>."""
    return "<p>" + re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False)) + "</p>"


def C(code: str) -> str:
    return "<pre><code>" + html.escape(code.strip("\n") + "\n", quote=False) + "</code></pre>"


def body(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


class _Reader:
    """Reads the data file's entries, rendering bodies from the code files and noting which
    code files were used; every error names the data file and the entry."""

    def __init__(self, sample: Path):
        self.data = sample / DATA
        self.code = sample / CODE
        self.used: set[str] = set()

    def entry(self, raw, where: str, required: set[str], defaults: dict) -> dict:
        if not isinstance(raw, dict):
            raise ValueError(f"{self.data}: {where} is {raw!r}; give a mapping")
        unknown, missing = set(raw) - required - set(defaults), required - set(raw)
        if unknown or missing:
            raise ValueError(f"{self.data}: {where} has unknown keys {sorted(unknown)}, lacks "
                             f"{sorted(missing)}; allowed: {sorted(required | set(defaults))}")
        return {**defaults, **raw}

    def render_body(self, parts, where: str) -> str:
        if not isinstance(parts, list) or not parts:
            raise ValueError(f"{self.data}: {where} body is {parts!r}; give a list of parts")
        return body(*(self._part(part, f"{where} body part {i + 1}") for i, part in enumerate(parts)))

    def _part(self, part, where: str) -> str:
        if isinstance(part, dict) and set(part) == {"p"} and isinstance(part["p"], str):
            return P(part["p"])
        if isinstance(part, dict) and set(part) == {"code"} and isinstance(part["code"], str):
            name = part["code"]
            path = self.code / name
            if Path(name).name != name or not path.is_file():
                raise ValueError(f"{self.data}: {where} names code file {name!r}, which is not a "
                                 f"file in {self.code}")
            if name in self.used:
                raise ValueError(f"{self.data}: {where} reuses code file {name!r}; one file per block")
            self.used.add(name)
            # bytes, not read_text: newline translation would change the block
            return C(path.read_bytes().decode("utf-8"))
        raise ValueError(f"{self.data}: {where} is {part!r}; give {{p: text}} or {{code: file name}}")


def read_posts(sample: Path) -> tuple[list[dict], list[dict]]:
    """The tag wiki entries and the questions of sample/questions.yaml with rendered bodies;
    every file under sample/code must be used exactly once."""
    reader = _Reader(sample)
    data = yaml.safe_load(reader.data.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {"tag_wiki", "questions"}:
        raise ValueError(f"{reader.data}: give the two lists tag_wiki and questions")
    tag_wiki = []
    for i, raw in enumerate(data["tag_wiki"]):
        kind = raw.get("post_type") if isinstance(raw, dict) else None
        if kind not in TAG_WIKI_KEYS:
            raise ValueError(f"{reader.data}: tag_wiki entry {i + 1} has post_type {kind!r}; use 4 or 5")
        where = f"tag_wiki entry {i + 1}"
        entry = reader.entry(raw, where, TAG_WIKI_KEYS[kind], {})
        text = entry["text"] if kind == 4 else reader.render_body(entry["body"], where)
        tag_wiki.append(dict(post_type=kind, date=_date(entry["date"], f"{reader.data}: {where}"), text=text))
    questions = []
    for n, raw in enumerate(data["questions"]):
        where = f"question {n + 1}"
        q = reader.entry(raw, where, QUESTION_KEYS, QUESTION_DEFAULTS)
        where = f"question {n + 1} ({q['title']!r})"
        q["date"] = _date(q["date"], f"{reader.data}: {where}")
        q["body"] = reader.render_body(q["body"], where)
        answers = []
        for k, raw_answer in enumerate(q["answers"]):
            a = reader.entry(raw_answer, f"{where} answer {k + 1}", ANSWER_KEYS, ANSWER_DEFAULTS)
            a["body"] = reader.render_body(a["body"], f"{where} answer {k + 1}")
            answers.append(a)
        q["answers"] = answers
        questions.append(q)
    on_disk = {p.name for p in reader.code.iterdir()}
    if on_disk != reader.used:
        raise ValueError(f"{reader.data} and the files in {reader.code} disagree: not used "
                         f"{sorted(on_disk - reader.used)}; give each file one `code` part")
    return tag_wiki, questions


def _date(value, where: str) -> str:
    """The dump's date format; an unquoted date would load as a datetime and lose it."""
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f")
    except (TypeError, ValueError):
        raise ValueError(f"{where} has date {value!r}; give a quoted '2009-06-14T08:12:40.113'") from None
    return value


def _license(date: str) -> str:
    return "CC BY-SA 2.5" if date < "2011-04-08" else "CC BY-SA 3.0" if date < "2018-05-02" else "CC BY-SA 4.0"


def _shift(date: str, hours: int) -> str:
    t = datetime.strptime(date, "%Y-%m-%dT%H:%M:%S.%f") + timedelta(hours=hours)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def _rows(tag_wiki: list[dict], questions: list[dict]) -> tuple[list[dict], list[int]]:
    rows, compiling = [], []
    next_id = 4210
    for entry in tag_wiki:  # no parent, no title
        date = entry["date"]
        rows.append(dict(Id=next_id, PostTypeId=entry["post_type"], CreationDate=date, Score=0,
                         Body=entry["text"], OwnerUserId=-1, LastActivityDate=date, CommentCount=0,
                         ContentLicense=_license(date)))
        next_id += 7
    for n, q in enumerate(questions):
        qid = next_id + 13 * n
        answer_ids = [qid + 1 + k for k in range(len(q["answers"]))]
        accepted = [aid for aid, a in zip(answer_ids, q["answers"]) if a["accepted"]]
        row = dict(Id=qid, PostTypeId=1, AcceptedAnswerId=accepted[0] if accepted else None,
                   CreationDate=q["date"], Score=q["score"], ViewCount=q["views"] or 40 * abs(q["score"]) + 17,
                   Body=q["body"], OwnerUserId=100 + n, LastActivityDate=_shift(q["date"], 30),
                   Title=q["title"], Tags="".join(f"<{t}>" for t in q["tags"]),
                   AnswerCount=len(q["answers"]), CommentCount=n % 4,
                   ClosedDate=_shift(q["date"], 2) if q["closed"] else None,
                   CommunityOwnedDate=q["date"] if q["wiki"] else None,
                   ContentLicense=_license(q["date"]) if q["license"] else None)
        rows.append(row)
        for k, (aid, a) in enumerate(zip(answer_ids, q["answers"])):
            date = _shift(q["date"], a["hours"] + 5 * k)
            rows.append(dict(Id=aid, PostTypeId=2, ParentId=qid, CreationDate=date, Score=a["score"],
                             Body=a["body"], OwnerUserId=500 + 3 * n + k, LastActivityDate=date,
                             CommentCount=k, ContentLicense=_license(date) if a["license"] else None))
            if a["compiles"]:
                compiling.append(aid)
    return rows, compiling


def write_sample(sample: Path, out: Path) -> int:
    """Render sample/questions.yaml and sample/code into out/Posts.xml and
    out/compiling_answers.json; return the number of rows."""
    rows, compiling = _rows(*read_posts(sample))
    root = etree.Element("posts")
    root.text = "\n  "
    for row in sorted(rows, key=lambda r: r["Id"]):  # real dumps are ordered by Id
        element = etree.SubElement(root, "row", {k: str(v) for k, v in row.items() if v is not None})
        element.tail = "\n  "
    element.tail = "\n"
    out.mkdir(parents=True, exist_ok=True)
    # The declaration is written by hand: dumps use double quotes, lxml writes single ones.
    declaration = b'<?xml version="1.0" encoding="utf-8"?>\n'
    (out / "Posts.xml").write_bytes(declaration + etree.tostring(root, encoding="utf-8") + b"\n")
    (out / "compiling_answers.json").write_text(json.dumps(compiling, indent=0) + "\n")
    return len(rows)


if __name__ == "__main__":
    n = write_sample(SAMPLE, SAMPLE)
    print(f"wrote {n} rows to {SAMPLE / 'Posts.xml'}")
