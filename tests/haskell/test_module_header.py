"""The module header read by a lexer (budgetai.haskell.module_header) and the module GHC is
shown for a snippet (budgetai.haskell.execution.typecheck_source): no GHC needed here."""

import pytest

from budgetai.haskell.execution import typecheck_source
from budgetai.haskell.module_header import ModuleHeaderError, read_header, unlit


def exports(text: str) -> str:
    header = read_header(text)
    return text[header.exports_span[0]:header.exports_span[1]]


def test_export_lists_of_any_shape():
    assert exports("module Triangle (TriangleType(..), triangleType) where\n") == \
        "(TriangleType(..), triangleType)"
    several = "module ListOps\n  ( length\n  , (++) -- an operator (in parens)\n  , foldl'\n  ) where\nx = 1\n"
    assert read_header(several).name == "ListOps"
    assert exports(several) == "( length\n  , (++) -- an operator (in parens)\n  , foldl'\n  )"
    tricky = "module A.B ( {- ( -} f, (-->), C(..)\n ) where\n"
    assert read_header(tricky).name == "A.B" and exports(tricky).endswith("C(..)\n )")
    assert read_header("module M where\n").exports_span is None


def test_pragmas_cpp_and_comments_before_the_module_line():
    text = ('{-# LANGUAGE CPP #-}\n#include "containers.h"\n{-# LANGUAGE Safe, BangPatterns #-}\n'
            "-- | docs (with a paren\n{- nested {- comment -} -}\nmodule Data.Map.Internal (Map) where\n"
            "{-# ANN module \"HLint: ignore\" #-}\nimport qualified Data.Set as Set\n#if MIN_VERSION_base(4,8,0)\n"
            "import Data.Functor ((<$>))\n#endif\nimport {-# SOURCE #-} Data.Sequence.Internal\nf = 1\nimport Not.An.Import\n")
    header = read_header(text)
    assert header.name == "Data.Map.Internal"
    assert header.language_extensions == ("CPP", "Safe", "BangPatterns")
    assert [(i.module, i.qualified) for i in header.imports] == [
        ("Data.Set", True), ("Data.Functor", False), ("Data.Sequence.Internal", False)]


def test_strings_chars_and_names_do_not_confuse_the_lexer():
    text = ('import Data.Char\nimport Data.List (foldl\')\nx = "-- not a comment ( " ++ [\'(\', \'"\']\n'
            "y' = 'a'\n")
    assert [i.module for i in read_header(text).imports] == ["Data.Char", "Data.List"]
    gap = 'module S where\ns = "a string \\\n   \\gap with \\" quote"\n'
    assert read_header(gap).name == "S"


def test_explicit_braces_and_an_indented_body():
    assert [i.module for i in read_header("module M where { import A; import B; f = 1 }").imports] == ["A", "B"]
    assert [i.module for i in read_header("  import A\n  import B\n    (b)\n  f = 1\n").imports] == ["A", "B"]


def test_malformed_headers_say_where():
    with pytest.raises(ModuleHeaderError, match="line 1: .*no `where`"):
        read_header("module M (f) = 3\n")
    with pytest.raises(ModuleHeaderError, match="line 2: the export list is not closed"):
        read_header("\nmodule M (f, (g) where\n")
    with pytest.raises(ModuleHeaderError, match="unclosed"):
        read_header("{- never closed\nmodule M where\n")


def test_a_snippet_gets_its_module_line_after_its_pragmas():
    snippet = "{-# LANGUAGE TupleSections #-}\n-- | pairs\nimport Data.List (sort)\npairs = map (,1)\n"
    assert typecheck_source(snippet) == ("{-# LANGUAGE TupleSections #-}\n-- | pairs\nmodule Snippet where\n"
                                         "import Data.List (sort)\npairs = map (,1)\n")
    cpp = "{-# LANGUAGE CPP #-}\n#if 1\nimport Data.List\n#endif\nf = 1\n"
    assert typecheck_source(cpp).startswith("{-# LANGUAGE CPP #-}\nmodule Snippet where\n#if 1\n")
    assert typecheck_source("\ufeffimport Data.List\n") == "\ufeffmodule Snippet where\nimport Data.List\n"
    shebang = "#!/usr/bin/env runhaskell\n{-# LANGUAGE CPP #-}\nmain = pure ()\n"
    assert typecheck_source(shebang) == ("#!/usr/bin/env runhaskell\n{-# LANGUAGE CPP #-}\nmodule Snippet where\n"
                                         "main = pure ()\n")
    same_line = "{-# LANGUAGE LambdaCase #-} f = \\case _ -> 1\n"
    assert typecheck_source(same_line) == "{-# LANGUAGE LambdaCase #-} \nmodule Snippet where\n" + " " * 28 + \
        "f = \\case _ -> 1\n"


def test_a_module_is_checked_as_written():
    module = ("{-# LANGUAGE BangPatterns #-}\nmodule Triangle\n  ( TriangleType(..)\n  , triangleType\n  ) where\n"
              "{-# ANN module \"HLint: ignore Use camelCase\" #-}\n")
    assert typecheck_source(module) == module
    broken = "module M (f where\nf = 1\n"
    assert typecheck_source(broken) == broken  # GHC reports the parse error itself


def test_literate_code_is_unlit_line_for_line():
    bird = "Some prose.\n\n> module Lit where\n> f :: Int\n> f = 1\n"
    assert unlit(bird) == "\n\n  module Lit where\n  f :: Int\n  f = 1\n"
    latex = "Prose\n\\begin{code}\nf = 1\n\\end{code}\nmore prose\n"
    assert unlit(latex) == "\n\nf = 1\n\n\n"
    assert typecheck_source("> f = 1\n", literate=True) == "module Snippet where\n  f = 1\n"
