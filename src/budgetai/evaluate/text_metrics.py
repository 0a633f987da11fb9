"""Text-overlap metrics for free-text answers: corpus BLEU and chrF (sacrebleu) and mean ROUGE-L
F1 (rouge-score), each with a seeded 95% bootstrap interval over examples.

The bootstrap reuses sacrebleu's per-sentence sufficient statistics (as sacrebleu's own
significance tests do), so a resample costs a sum, not a re-tokenisation.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU, CHRF

BOOTSTRAP_ROUNDS = 1000


def text_scores(predictions: Sequence[str], references: Sequence[str], seed: int = 0,
                rounds: int = BOOTSTRAP_ROUNDS) -> dict:
    """{"bleu", "chrf" (0-100), "rouge_l" (F1, 0-1), "n", and "<metric>_ci95": [lo, hi]}."""
    if len(predictions) != len(references):
        raise ValueError(f"text_scores: {len(predictions)} predictions but "
                         f"{len(references)} references")
    if not predictions:
        raise ValueError("text_scores: no predictions")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(predictions), size=(rounds, len(predictions)))
    scores: dict = {"n": len(predictions)}
    for name, metric in (("bleu", BLEU()), ("chrf", CHRF())):
        stats = np.array(metric._extract_corpus_statistics(list(predictions), [list(references)]))
        scores[name] = float(metric._compute_score_from_stats(stats.sum(0)).score)
        boot = [metric._compute_score_from_stats(stats[idx].sum(0)).score for idx in picks]
        scores[f"{name}_ci95"] = _percentiles(boot)
    rouge = rouge_l_scores(predictions, references)
    scores["rouge_l"] = float(rouge.mean())
    scores["rouge_l_ci95"] = _percentiles(rouge[picks].mean(axis=1))
    return scores


def rouge_l_scores(predictions: Sequence[str], references: Sequence[str]) -> np.ndarray:
    """ROUGE-L F1 per (prediction, reference) pair."""
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    return np.array([scorer.score(ref, pred)["rougeL"].fmeasure
                     for pred, ref in zip(predictions, references)])


def _percentiles(values) -> list[float]:
    return [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]
