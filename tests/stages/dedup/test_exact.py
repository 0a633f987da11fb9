from budgetai.stages.dedup.exact import content_hash, duplicate_groups


def test_content_hash_ignores_whitespace_layout_but_not_case_or_field():
    assert content_hash("Q  here", "f x =\n  x") == content_hash("Q here ", "f x = x")
    assert content_hash("q", "f x = x") != content_hash("Q", "f x = x")
    assert content_hash("ab", "c") != content_hash("a", "bc")


def test_duplicate_groups_in_first_seen_order():
    assert duplicate_groups(["a", "b", "a", "c", "b", "a"]) == [[0, 2, 5], [1, 4]]
    assert duplicate_groups(["a", "b"]) == []
