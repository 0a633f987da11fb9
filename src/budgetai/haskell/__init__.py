"""Haskell knowledge shared by the data stages, training and evaluation: tree-sitter parsing
(`parse`), Markdown fences (`fences`), the sandbox (`sandbox`) and GHC's type-check and
compile-and-run inside it (`execution`)."""
