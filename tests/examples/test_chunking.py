"""Long records become several complete examples: Haskell at declarations, Markdown at blank
lines and headings, a unit longer than a piece at lines; every example fits and ends its turn."""

from __future__ import annotations

import re

import pytest
from transformers import AutoTokenizer

from budgetai.examples.chunking import haskell_units, markdown_units, split_at_lines
from budgetai.examples.tokenize import IGNORE_INDEX, tokenize_records
# Registered as a plugin (not imported) so the session fixtures are built once for all modules.

HEADER = """{-# LANGUAGE BangPatterns #-}
-- | Finite sets of small integers.
module Data.Small
  ( insert
  , member
  ) where

import Data.Bits (shiftL, (.&.))
import qualified Data.List as L"""


def declaration(i: int) -> str:
    return (f"-- | Adds {i} to the argument, then checks the bound.\n"
            f"add{i} :: Int -> Int\n"
            f"add{i} x\n  | x > {i * 7} = x\n  | otherwise = x + {i}")


def module(n: int) -> str:
    return HEADER + "\n\n" + "\n\n".join(declaration(i) for i in range(n)) + "\n"


@pytest.fixture(scope="module")
def tokenizer(tiny_llama_dir):
    return AutoTokenizer.from_pretrained(tiny_llama_dir)


def code_row(code: str) -> dict:
    return {"id": "src:Data/Small.hs", "prompt": "Write the Haskell module Data.Small.", "response": code,
            "kind": "code", "language": "haskell"}


def responses(tokenizer, examples) -> list[str]:
    return [tokenizer.decode([t for t in e["labels"] if t != IGNORE_INDEX]) for e in examples]


def test_haskell_units_keep_haddock_and_signature_with_their_definition():
    header, units = haskell_units(module(3))
    assert header == HEADER
    assert [u.names for u in units] == [["add0"], ["add1"], ["add2"]]
    assert [u.text for u in units] == [declaration(i) for i in range(3)]


def test_an_indented_fragment_without_top_level_declarations_is_split_as_blocks(tokenizer):
    fragment = "\n\n".join(f"   step{i} x = x + {i}\n   where y = {i}" for i in range(80))
    _, units = haskell_units(fragment)
    assert units == []
    out = tokenize_records([code_row(fragment)], tokenizer, {"max_length": 128, "chunk_long_records": True},
                           encoder_decoder=False)
    assert out.chunked_records == 1 and out.truncated == 0 and len(out.examples) > 3
    assert all("module header" not in tokenizer.decode(e["input_ids"]) for e in out.examples)


def test_a_long_module_becomes_complete_examples_split_at_declarations(tokenizer):
    code = module(40)
    out = tokenize_records([code_row(code)], tokenizer, {"max_length": 160, "chunk_long_records": True},
                           encoder_decoder=False)
    assert out.chunked_records == 1 and out.truncated == 0 and out.split_at_lines == 0
    assert len(out.examples) > 5
    assert all(e["length"] <= 160 for e in out.examples)
    assert [e["part"] for e in out.examples] == list(range(1, len(out.examples) + 1))
    assert {e["parts"] for e in out.examples} == {len(out.examples)}
    assert {e["record_id"] for e in out.examples} == {"src:Data/Small.hs"}
    texts = responses(tokenizer, out.examples)
    assert all(text.endswith("<|im_end|>\n") for text in texts)  # every piece ends its turn
    bodies = [text.removesuffix("<|im_end|>\n") for text in texts]
    assert bodies[0].startswith("{-# LANGUAGE BangPatterns #-}")
    assert all(body.startswith("-- | Adds ") for body in bodies[1:])  # each starts at a declaration
    assert "\n\n".join(bodies) == code.strip("\n")  # nothing lost, nothing repeated
    assert out.share_trained > 0.999  # all but the trailing newline


def test_later_parts_name_their_declarations_and_repeat_a_short_header(tokenizer):
    out = tokenize_records([code_row(module(40))], tokenizer, {"max_length": 256, "chunk_long_records": True},
                           encoder_decoder=False)
    prompt = tokenizer.decode([t for t, label in zip(out.examples[2]["input_ids"], out.examples[2]["labels"])
                               if label == IGNORE_INDEX])
    names = re.findall(r"`(add\d+)`", prompt)
    assert names and f"Part 3 of {len(out.examples)}" in prompt
    assert "module Data.Small" in prompt and "import Data.Bits" in prompt  # the header as context
    assert all(f"{name} ::" in responses(tokenizer, out.examples[2:3])[0] for name in names)


def test_without_chunking_a_long_record_is_cut_and_loses_its_end(tokenizer):
    out = tokenize_records([code_row(module(40))], tokenizer, {"max_length": 160}, encoder_decoder=False)
    assert len(out.examples) == 1 and out.truncated == 1
    assert not responses(tokenizer, out.examples)[0].endswith("<|im_end|>\n")
    assert out.share_trained < 0.2


def test_a_declaration_longer_than_a_piece_is_split_at_lines_and_counted(tokenizer):
    huge = "table :: [Int]\ntable =\n" + "\n".join(f"  {'[' if i == 0 else ','} {i * 31}" for i in range(300)) + "\n  ]"
    out = tokenize_records([code_row(HEADER + "\n\n" + huge)], tokenizer,
                           {"max_length": 128, "chunk_long_records": True}, encoder_decoder=False)
    assert out.split_at_lines == 1 and out.truncated == 0
    assert all(e["length"] <= 128 for e in out.examples)
    assert out.share_trained > 0.999  # all but the trailing newline


def test_markdown_pieces_start_at_headings_and_code_fences_stay_closed(tokenizer):
    sections = []
    for s in range(6):
        body = "\n\n".join(f"Paragraph {p} of section {s} explains folds once more, slowly." for p in range(4))
        code = "```haskell\n" + "\n".join(f"step{k} = foldr (+) {k}" for k in range(30)) + "\n```"
        sections.append(f"## Section {s}\n\n{body}\n\n{code}")
    text = "\n\n".join(sections)
    row = {"id": "book:folds", "prompt": "Explain folds.", "response": text, "kind": "text", "language": "en"}
    out = tokenize_records([row], tokenizer, {"max_length": 192, "chunk_long_records": True}, encoder_decoder=False)
    assert out.truncated == 0 and out.share_trained > 0.999
    bodies = [t.removesuffix("<|im_end|>\n") for t in responses(tokenizer, out.examples)]
    assert all(body.count("```") % 2 == 0 for body in bodies)  # a cut fence is re-closed and reopened
    starts = [body for body in bodies if body.startswith("## Section")]
    assert len(starts) == 6  # each section opens a piece


def test_markdown_units_keep_a_fenced_block_with_blank_lines_whole():
    text = "Intro.\n\n```haskell\nf = 1\n\ng = 2\n```\n\n## Next\n\nMore."
    units = markdown_units(text)
    assert [u.text for u in units] == ["Intro.", "```haskell\nf = 1\n\ng = 2\n```", "## Next", "More."]
    assert [u.heading for u in units] == [False, False, True, False]


def test_split_at_lines_rewraps_a_fenced_block():
    unit = markdown_units("```haskell\n" + "\n".join(f"x{i} = {i}" for i in range(20)) + "\n```")[0]
    parts = split_at_lines(unit, cost=len, budget=60)
    assert len(parts) > 2
    for part in parts:
        lines = part.text.split("\n")
        assert lines[0] == "```haskell" and lines[-1] == "```"
