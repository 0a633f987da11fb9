"""Drop filters, datatrove-style: each returns a drop reason or None. `row_checks` (emptiness, length,
language, code quality on a row), `code_quality` (bigcode heuristics on one file), `language`
(a cheap Haskell/Python scorer), `haskell_syntax` (tree-sitter), `typecheck` (GHC, sandboxed)."""
