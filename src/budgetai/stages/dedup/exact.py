"""Exact duplicates: one content hash per row over whitespace-normalised prompt + response.

Whitespace runs collapse to one space (re-indented or re-wrapped copies are the same content);
case is kept because in code it is meaningful (`Just` vs `just`). xxh3-128 is fast and its
collision rate is negligible at corpus scale.
"""

from __future__ import annotations

import re

import xxhash

_WHITESPACE = re.compile(r"\s+")


def normalised_content(prompt: str, response: str) -> str:
    """The text exact dedup compares: whitespace-collapsed prompt and response, kept apart by a
    separator so that moving text between the two fields does not collide."""
    return _WHITESPACE.sub(" ", prompt).strip() + "\x00" + _WHITESPACE.sub(" ", response).strip()


def content_hash(prompt: str, response: str) -> str:
    """32-hex-digit xxh3-128 of `normalised_content(prompt, response)`."""
    return xxhash.xxh3_128_hexdigest(normalised_content(prompt, response).encode("utf-8"))


def duplicate_groups(hashes: list[str]) -> list[list[int]]:
    """Index groups (in first-seen order) of rows sharing a hash; only groups of 2 or more."""
    groups: dict[str, list[int]] = {}
    for index, value in enumerate(hashes):
        groups.setdefault(value, []).append(index)
    return [members for members in groups.values() if len(members) > 1]
