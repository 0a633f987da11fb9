"""Book Markdown as authors write it -> the plain Markdown the textbook reader splits.

Books are rarely plain CommonMark. Pandoc/Hakyll sources (Learn You a Haskell) carry YAML
front matter, attribute fences (```{.haskell:hs}, ```{.haskell: .ghci}), heading ids
(`## Monad laws {#monad-laws}`, also on setext headings), fenced divs (`::: {.hintbox}` ...
`:::`) and images with attributes; mdBook and GFM use info strings (```haskell,editable) and
HTML comments. Left as they are, a Haskell block is not recognised as Haskell and the residue
ends up in prompts.

The text is read by its structure: markdown-it-py's CommonMark block parser (`blocks`) says which
lines are code fences, indented code, HTML comment blocks and headings (ATX `#` and setext
`Title` over `===`/`---`). Only the block parser runs: its inline parser takes quadratic time on
a paragraph of `![` (120 KB: 60 s), so inline Markdown (images, attributes, inline comments) is
rewritten by linear scanners over prose only.

`normalise(text)` returns a `Page`: the front matter (parsed with PyYAML's safe loader, aliases
refused: an alias bomb of 314 bytes expanded to 52 million characters) and a body where
- every fence opens with its language alone (```haskell); GHCi sessions keep the language
  "haskell" (they are Haskell) and are found later by their `ghci>` prompts;
- heading lines keep their text, and their explicit id goes to `Page.heading_ids` (the heading's
  first line -> id) so the reader can use the author's anchor in urls;
- fenced-div fences and HTML comments are removed, their content kept; an unclosed `<!--` is
  text (escaped `\\<!--`), not a comment that swallows the rest of the book;
- an image becomes its alt text (nothing when it has none), because a model cannot see it and
  a file name is not prose.
Code inside fences is never rewritten.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# A Pandoc span attribute right after a link, span or code span: `[text]{.smallcaps}`. Bounded:
# an attribute list is short, and an unbounded `[^}]*` rescans the line from every `{`.
SPAN_ATTRS = re.compile(r"(?<=[\])`])\{[.#][^{}\n]{0,200}\}")
HEADING_IDENT = re.compile(r"#([\w:.-]+)")
HASKELL_NAMES = {"haskell", "hs", "lhs", "ghci", "literate-haskell"}
_BLOCK_PARSER = MarkdownIt("commonmark").disable(["inline", "text_join"], ignoreInvalid=True)


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
        data = yaml.load(match.group(1), Loader=_FrontMatterLoader)
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


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: `*name` may repeat a subtree, and nested repeats
    multiply (each 38-byte line made the prompt 10 times longer). Front matter needs none."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} found: aliases are not "
                                              "allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)


def lines_of(text: str) -> list[str]:
    """The lines of a text as markdown-it numbers them (\\r\\n and \\r are line ends; str.splitlines
    also splits at \\x0c, \\u2028 and others, which would shift the numbers)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@functools.lru_cache(maxsize=4)
def blocks(text: str) -> list[Token]:
    """markdown-it's block tokens of `text` (CommonMark); `token.map` is [first line, end line).
    Cached (callers only read the tokens): the reader asks for a page's headings several times."""
    return _BLOCK_PARSER.parse(text)


def is_comment_block(token: Token) -> bool:
    return token.type == "html_block" and token.content.lstrip().startswith("<!--")


def escape_unclosed_comment(text: str) -> str:
    """`text` with an unclosed `<!--` that starts an HTML block escaped, so that it is text: in
    CommonMark such a block runs to the end of the document, hiding every heading and fence
    after it. Every `<!--` after it is unclosed too (no `-->` follows), so all are escaped."""
    unclosed = next((t for t in blocks(text) if is_comment_block(t) and "-->" not in t.content), None)
    if unclosed is None:
        return text
    lines = lines_of(text)
    for n in range(unclosed.map[0], len(lines)):
        stripped = lines[n].lstrip()
        if stripped.startswith("<!--") and len(lines[n]) - len(stripped) < 4:
            lines[n] = lines[n].replace("<!--", "\\<!--", 1)
    return "\n".join(lines)


def remove_inline_comments(text: str) -> str:
    """`text` without `<!-- ... -->` comments; an unclosed one and what follows it stay."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def replace_images(text: str) -> str:
    """Each image `![alt](target){attrs}` as its alt text, in one pass: the next `]`, `)` and `}`
    are searched forward only (a regex retried from every `![` took 28 s on 120 KB of them)."""
    out, pos = [], 0
    close_bracket = close_paren = close_brace = -1
    while (start := text.find("![", pos)) >= 0:
        if close_bracket < start + 2:
            close_bracket = text.find("]", start + 2)
        if close_bracket < 0:
            break  # no `]` left: no image can close
        if text[close_bracket + 1:close_bracket + 2] != "(":
            out.append(text[pos:start + 2])
            pos = start + 2
            continue
        if close_paren < close_bracket + 2:
            close_paren = text.find(")", close_bracket + 2)
        if close_paren < 0:
            break
        end = close_paren + 1
        if text[end:end + 1] == "{":
            if close_brace < end + 1:
                close_brace = text.find("}", end + 1)
            if close_brace >= 0:
                end = close_brace + 1
        out.append(text[pos:start])
        out.append(text[start + 2:close_bracket].strip())
        pos = end
    out.append(text[pos:])
    return "".join(out)


def is_div_fence(line: str) -> bool:
    """A Pandoc fenced-div fence: `:::`, `::: {.hintbox}` or `::: note` (linear: no regex)."""
    stripped = line.strip()
    rest = stripped.lstrip(":")
    if len(stripped) - len(rest) < 3:
        return False
    rest = rest.strip()
    if rest.startswith("{"):
        return rest.endswith("}") and "}" not in rest[1:-1]
    return rest == "" or all(c.isalnum() or c in "_-" for c in rest)


def strip_heading_attributes(line: str) -> tuple[str, str]:
    """(the heading line without a trailing `{#id .class}`, the id or "")."""
    stripped = line.rstrip()
    if not stripped.endswith("}"):
        return line, ""
    opening = stripped.rfind("{")
    if opening < 0 or "}" in stripped[opening + 1:-1]:
        return line, ""
    ident = HEADING_IDENT.search(stripped, opening, len(stripped))
    return stripped[:opening].rstrip(), ident.group(1) if ident else ""


def clean_prose(text: str) -> str:
    return SPAN_ATTRS.sub("", replace_images(remove_inline_comments(text)))


def line_roles(tokens: list[Token]) -> dict[int, tuple[str, Token]]:
    """line number -> (role, token) for the lines that are not plain prose: "fence" (a fence's
    opening line), "code" (fence content and closing line, indented code), "heading" (a heading's
    last text line, where an id may sit). An HTML comment block is prose here: its comments go
    with the prose's inline comments, and a fence inside it is no fence."""
    roles = {}
    for token in tokens:
        if token.map is None:
            continue
        first, end = token.map
        if token.type == "fence":
            roles[first] = ("fence", token)
            roles.update({n: ("code", token) for n in range(first + 1, end)})
        elif token.type == "code_block":
            roles.update({n: ("code", token) for n in range(first, end)})
        elif token.type == "heading_open":
            roles[first if token.markup.startswith("#") else end - 2] = ("heading", token)
    return roles


def normalise(text: str) -> Page:
    """Front matter, and the body in plain Markdown (see the module docstring)."""
    front, body = split_front_matter(text)
    body = escape_unclosed_comment(body)
    lines = lines_of(body)
    roles = line_roles(blocks(body))
    out: list[str] = []
    heading_ids: dict[str, str] = {}
    prose: list[str] = []  # prose since the last code block: cleaned as one text, as images span lines

    def flush():
        if prose:
            out.append(clean_prose("\n".join(prose)))
            prose.clear()

    for n, line in enumerate(lines):
        role, token = roles.get(n, ("prose", None))
        if role in ("fence", "code"):
            flush()
            if role == "fence":  # the opening line keeps what precedes the marker (indent, `> `)
                line = line[:line.find(token.markup)] + token.markup + fence_language(token.info)
            out.append(line)
        elif role == "heading":
            line, ident = strip_heading_attributes(line)
            if ident:
                heading_ids[lines[token.map[0]] if token.map[0] != n else line] = ident
            prose.append(line)
        elif role == "prose" and not is_div_fence(line):
            prose.append(line)
    flush()
    return Page(front, re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n", heading_ids)
