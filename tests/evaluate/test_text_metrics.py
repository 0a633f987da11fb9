import pytest

from budgetai.evaluate.text_metrics import rouge_l_scores, text_scores

REFS = ["the function returns the sum of the list", "use foldr to build the result",
        "pattern match on the empty list first", "a Maybe value signals failure"]


def test_identical_texts_score_perfectly():
    scores = text_scores(REFS, REFS)
    assert scores["bleu"] == pytest.approx(100)
    assert scores["chrf"] == pytest.approx(100)
    assert scores["rouge_l"] == pytest.approx(1.0)
    assert scores["bleu_ci95"] == pytest.approx([100, 100]) and scores["n"] == 4


def test_disjoint_texts_score_near_zero():
    preds = ["zzz qqq xxx", "kkk www vvv", "jjj yyy ppp", "ooo uuu mmm"]
    scores = text_scores(preds, REFS)
    assert scores["bleu"] < 1 and scores["chrf"] < 10 and scores["rouge_l"] == 0


def test_partial_overlap_is_between_and_interval_brackets_the_score():
    preds = [r.replace("the", "a") for r in REFS]
    scores = text_scores(preds, REFS, seed=3)
    assert 0 < scores["bleu"] < 100 and 0 < scores["rouge_l"] < 1
    for name in ("bleu", "chrf", "rouge_l"):
        lo, hi = scores[f"{name}_ci95"]
        assert lo <= hi
    assert scores == text_scores(preds, REFS, seed=3)


def test_rouge_l_per_pair_known_value():
    # LCS of "a b c d" and "a c d e" is "a c d": P = R = 3/4.
    assert rouge_l_scores(["a b c d"], ["a c d e"])[0] == pytest.approx(0.75)


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="2 predictions but 1 references"):
        text_scores(["a", "b"], ["a"])
