"""Haskell syntax check with tree-sitter-haskell (an optional, off-by-default filter).

A file whose parse tree has an ERROR or MISSING node is not valid Haskell as written (or uses
syntax the grammar does not know); the reader drops it as "syntax_error".
"""

from __future__ import annotations

from functools import lru_cache

INSTALL_HINT = "pip install 'tree-sitter-haskell[core]'"


class SyntaxCheckUnavailable(RuntimeError):
    """syntax_check was requested but tree-sitter-haskell is not installed."""


@lru_cache(maxsize=1)
def _parser():
    try:
        import tree_sitter
        import tree_sitter_haskell
    except ImportError as err:
        raise SyntaxCheckUnavailable(
            f"syntax_check: true needs tree-sitter-haskell ({INSTALL_HINT}): {err}") from err
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_haskell.language()))


def haskell_parses(text: str) -> bool:
    """True when tree-sitter parses `text` as Haskell without error nodes."""
    return not _parser().parse(text.encode("utf-8")).root_node.has_error
