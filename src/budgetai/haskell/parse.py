"""Haskell parsed by tree-sitter-haskell: the one parser the clean stage's syntax check, mining,
chunking and the evaluation ladder share.

A text whose parse tree has an ERROR or MISSING node is not valid Haskell as written (or uses
syntax the grammar does not know).
"""

from __future__ import annotations

from functools import lru_cache

import tree_sitter
import tree_sitter_haskell


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_haskell.language()))


def parse_tree(text: str) -> tree_sitter.Tree:
    """The tree-sitter tree of `text` (its root_node holds the top-level declarations)."""
    return _parser().parse(text.encode("utf-8"))


def haskell_parses(text: str) -> bool:
    """True when tree-sitter parses `text` as Haskell without error nodes."""
    return not parse_tree(text).root_node.has_error
