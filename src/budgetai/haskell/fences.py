"""Pull the program out of a model completion.

Chat models wrap code in Markdown fences with prose around it; base models continue the prompt
and run on past the function. `extract_code` handles both: a fence tagged with the language wins,
then the longest fenced block, then the raw text cut at the first stop token.
"""

from __future__ import annotations

import re
from typing import Sequence

# Tags a model may put on a fence for each language we evaluate.
LANGUAGE_TAGS = {
    "haskell": {"haskell", "hs", "lhs"},
    "python": {"python", "py", "python3"},
}
# Turn markers and special tokens that leak into completions from chat templates.
CHAT_ARTEFACTS = re.compile(
    r"<\|(?:im_end|im_start|endoftext|eot_id|end|assistant|user|system)\|>|</s>|<s>|\[/?INST\]"
    r"|<end_of_turn>|<start_of_turn>(?:model|user)?"
)
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)


def extract_code(completion: str, language: str = "haskell",
                 stop_tokens: Sequence[str] = ()) -> str:
    """The code in a completion. Prefers a fenced block tagged with `language` (the longest one
    if several), else the longest fenced block of any tag, else the text before the first chat
    artefact, cut at the first of `stop_tokens`. An unterminated fence runs to the end."""
    text = _cut_at_chat_artefact(completion)
    blocks = fenced_blocks(text)
    tags = LANGUAGE_TAGS.get(language.lower(), {language.lower()})
    tagged = [code for tag, code in blocks if tag.lower() in tags]
    if tagged:
        return max(tagged, key=len).strip("\n")
    if blocks:
        return max((code for _, code in blocks), key=len).strip("\n")
    return cut_at_stop_tokens(text, stop_tokens).rstrip()


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(tag, code) for each Markdown fenced block, in order. A block closes at a fence line of
    the same character at least as long as the opener; an unclosed block runs to the end."""
    blocks = []
    pos = 0
    while (opener := _FENCE_OPEN.search(text, pos)) is not None:
        fence, tag = opener.group(1), opener.group(2)
        body_start = opener.end() + 1
        closer = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        close = closer.search(text, body_start)
        body_end = close.start() if close else len(text)
        blocks.append((tag, text[body_start:body_end]))
        if close is None:
            break
        pos = close.end()
    return blocks


def cut_at_stop_tokens(text: str, stop_tokens: Sequence[str]) -> str:
    """text up to the earliest occurrence of any stop token (all of it if none occurs)."""
    cut = len(text)
    for token in stop_tokens:
        if token and (at := text.find(token)) != -1:
            cut = min(cut, at)
    return text[:cut]


def _cut_at_chat_artefact(text: str) -> str:
    match = CHAT_ARTEFACTS.search(text)
    # A leading artefact (e.g. an echoed "<|assistant|>") is dropped rather than cutting everything.
    while match and not text[: match.start()].strip():
        text = text[match.end():]
        match = CHAT_ARTEFACTS.search(text)
    return text[: match.start()] if match else text
