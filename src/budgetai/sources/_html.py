"""The one HTML -> Markdown conversion of the readers (StackExchange posts, Codeforces statements,
HTML textbooks), with html-to-markdown (Rust, markdownify-compatible options): it was 5x faster
than markdownify on real post bodies, where conversion dominated a dump's run time.

    html_to_markdown("<p>a_b</p><pre><code>x = 1</code></pre>", code_language="haskell")
    # 'a_b\n\n```haskell\nx = 1\n```'
"""

from __future__ import annotations

import re
from functools import lru_cache

from bs4 import Tag
from html_to_markdown import ConversionOptions
from html_to_markdown import convert as convert_html


def html_to_markdown(html: str, code_language: str = "") -> str:
    """Markdown with ATX headings, `-` bullets and fenced code blocks, tagged with the block's
    `language-*` class (see `tag_code_languages`) or else `code_language`. At most one blank line
    in a row."""
    markdown = convert_html(html, _options(code_language)).content.strip()
    return re.sub(r"\n{3,}", "\n\n", markdown)


@lru_cache(maxsize=256)
def _options(code_language: str) -> ConversionOptions:
    # No backslash escapes in prose: identifiers like `fold_left`, `a*b` or TeX's a_1 should read
    # as written, and a model trained on `\_` would learn to emit it.
    return ConversionOptions(code_language=code_language, heading_style="atx", bullets="-",
                             code_block_style="backticks", escape_asterisks=False,
                             escape_underscores=False, escape_misc=False)


def tag_code_languages(root: Tag, language_of) -> None:
    """Give each <pre>'s code the `language-<name>` class the converter reads, where
    `language_of(pre)` names one: pages mark code as class="haskell", "sourceCode haskell", ..."""
    for pre in root.find_all("pre"):
        if language := language_of(pre):
            (pre.find("code") or pre)["class"] = [f"language-{language}"]
