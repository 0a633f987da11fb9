"""Book Markdown as authors write it -> the plain Markdown the textbook reader splits.

Books are rarely plain CommonMark. Pandoc/Hakyll sources (Learn You a Haskell) carry YAML
front matter, attribute fences (```{.haskell:hs}, ```{.haskell: .ghci}), heading ids
(`## Monad laws {#monad-laws}`), fenced divs (`::: {.hintbox}` ... `:::`) and images with
attributes; mdBook and GFM use info strings (```haskell,editable) and HTML comments. Left as
they are, a Haskell block is not recognised as Haskell and the residue ends up in prompts.

`normalise(text)` returns a `Page`: the front matter (parsed with PyYAML, so quoting and
escapes follow YAML) and a body where
- every fence opens with its language alone (```haskell); GHCi sessions keep the language
  "haskell" (they are Haskell) and are found later by their `ghci>` prompts;
- heading lines keep their text, and their explicit id goes to `Page.heading_ids` (line text ->
  id) so the reader can use the author's anchor in urls;
- fenced-div fences and HTML comments are removed, their content kept;
- an image becomes its alt text (nothing when it has none), because a model cannot see it and
  a file name is not prose.
Code inside fences is never rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*?)\s*$")
DIV_FENCE = re.compile(r"^\s*:{3,}(\s*(\{[^}]*\}|[\w-]+))?\s*$")
HEADING_ID = re.compile(r"^(#{1,6}\s+.*?)\s*\{([^}]*)\}\s*$")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")
SPAN_ATTRS = re.compile(r"(\[[^\]]*\]|\([^)]*\)|`[^`]*`)\{[.#][^}]*\}")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
HASKELL_NAMES = {"haskell", "hs", "lhs", "ghci", "literate-haskell"}


@dataclass
class Page:
    front_matter: dict
    body: str
    heading_ids: dict = field(default_factory=dict)  # normalised heading line -> explicit id

    @property
    def title(self) -> str:
        value = self.front_matter.get("title")
        return str(value).strip() if value else ""


def split_front_matter(text: str) -> tuple[dict, str]:
    """(YAML front matter as a dict, the rest). Front matter that is not a YAML mapping raises
    ValueError, so the caller quarantines the file with the parser's message."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text.lstrip("\ufeff")
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as err:
        raise ValueError(f"YAML front matter does not parse: {err}") from err
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValueError(f"YAML front matter is a {type(data).__name__}, not a mapping")
    return data, text[match.end():]


def fence_language(info: str) -> str:
    """The language an info string names: `{.haskell:hs}` / `{.haskell: .ghci}` (Pandoc and
    Hakyll's highlighting classes), `haskell,editable` (mdBook), `haskell title="x"` (GFM)."""
    info = info.strip()
    if info.startswith("{"):
        classes = re.findall(r"\.([\w+-]+(?::[\w+-]*)*)", info)
        names = [part for cls in classes for part in cls.split(":") if part]
        lang = names[0].lower() if names else ""
    else:
        lang = re.split(r"[\s,{]", info, maxsplit=1)[0].lower() if info else ""
    return "haskell" if lang in HASKELL_NAMES else lang


def clean_prose(line: str) -> str:
    line = IMAGE.sub(lambda m: m.group(1).strip(), line)
    return SPAN_ATTRS.sub(lambda m: m.group(1), line)


def normalise(text: str) -> Page:
    """Front matter, and the body in plain Markdown (see the module docstring)."""
    front, body = split_front_matter(text)
    body = HTML_COMMENT.sub("", body)
    out: list[str] = []
    heading_ids: dict[str, str] = {}
    prose: list[str] = []  # prose since the last fence: cleaned as one text, as images span lines
    fence: str | None = None  # the closing marker of the open code fence

    def flush():
        if prose:
            out.append(clean_prose("\n".join(prose)))
            prose.clear()

    for line in body.splitlines():
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append(line)
            continue
        opening = FENCE_OPEN.match(line)
        if opening:
            indent, marker, info = opening.groups()
            fence = marker
            flush()
            out.append(f"{indent}{marker}{fence_language(info)}")
            continue
        if DIV_FENCE.match(line):
            continue
        heading = HEADING_ID.match(line)
        if heading:
            ident = re.search(r"#([\w:.-]+)", heading.group(2))
            line = heading.group(1)
            if ident:
                heading_ids[line] = ident.group(1)
        prose.append(line)
    flush()
    return Page(front, re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n", heading_ids)
