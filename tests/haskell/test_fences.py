from budgetai.haskell.fences import cut_at_stop_tokens, extract_code, fenced_blocks

CHATTY = """Sure! Here is a solution.

```python
print("not this one")
```

And in Haskell:

```haskell
main :: IO ()
main = interact id
```

This reads stdin and echoes it.<|im_end|>
"""


def test_language_tagged_block_wins_over_other_blocks():
    assert extract_code(CHATTY, "haskell") == "main :: IO ()\nmain = interact id"
    assert extract_code(CHATTY, "python") == 'print("not this one")'


def test_hs_tag_and_longest_tagged_block():
    text = "```hs\nx = 1\n```\n```haskell\nmain = do\n  print 1\n  print 2\n```"
    assert extract_code(text) == "main = do\n  print 1\n  print 2"


def test_untagged_block_is_used_when_no_tag_matches():
    text = "Use this:\n```\nmain = print 42\n```\nDone."
    assert extract_code(text) == "main = print 42"


def test_unterminated_fence_runs_to_the_end():
    text = "Here you go:\n```haskell\nmain :: IO ()\nmain = print 1\n"
    assert extract_code(text) == "main :: IO ()\nmain = print 1"


def test_raw_text_is_cut_at_stop_tokens_and_chat_artefacts():
    raw = " any (< t) diffs\n  where diffs = [1]\n\n-- | next problem\nfoo = 1"
    assert extract_code(raw, stop_tokens=["\n\n", "\n--"]) == " any (< t) diffs\n  where diffs = [1]"
    assert extract_code("<|assistant|>main = print 1<|im_end|>garbage") == "main = print 1"
    assert extract_code("main = print 2</s><s>[INST] more") == "main = print 2"


def test_fences_with_longer_markers_and_tildes():
    text = "~~~haskell\nmain = putStrLn \"```\"\n~~~\n"
    assert extract_code(text) == 'main = putStrLn "```"'
    assert fenced_blocks("````\na\n```\nb\n````") == [("", "a\n```\nb\n")]


def test_cut_at_stop_tokens_keeps_text_without_tokens():
    assert cut_at_stop_tokens("abc", ["x", ""]) == "abc"
    assert cut_at_stop_tokens("a--b\n\nc", ["\n\n", "--"]) == "a"
