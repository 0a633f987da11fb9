"""The split's leak filter: train and val rows sharing token n-grams with a TEST row are dropped
("overlaps_test_split"), so a model is never scored on text it trained on.

N-grams found in `overlap_boilerplate_rows` test rows are shared boilerplate (imports, licence
headers) and ignored, and so are n-grams found in `overlap_common_rows` rows of the whole corpus
(budgetai.stages.common_ngrams): a test row copied into train shares its n-grams with one other
row, far below either.
"""

from __future__ import annotations

from budgetai.core.stats import StageStats
from budgetai.stages.common_ngrams import common_ngram_hashes
from budgetai.stages.decontaminate import OverlapIndex
from budgetai.suites.load import SuiteItem


def drop_test_overlaps(rows: list[dict], parts: dict[str, list[dict]], cfg: dict, stats: StageStats) -> dict[str, str]:
    """Remove from parts["train"] and parts["val"] every row overlapping a row of parts["test"];
    returns {dropped row id: the id of the test row it overlaps}."""
    common = common_ngram_hashes((r["prompt"] + "\n" + r["response"] for r in rows), cfg["overlap_ngram"],
                                 cfg["overlap_common_rows"])
    index = OverlapIndex([SuiteItem("test_split", r["id"], [r["prompt"], r["response"]]) for r in parts["test"]],
                         cfg["overlap_ngram"], min_chars=0, boilerplate_items=cfg["overlap_boilerplate_rows"],
                         ignored=common)
    dropped: dict[str, str] = {}
    for name in ("train", "val"):
        kept = []
        for row in parts[name]:
            overlap = index.find(row["prompt"] + "\n" + row["response"], cfg["overlap_min_count"])
            if overlap is None:
                kept.append(row)
            else:
                stats.drop("overlaps_test_split")
                dropped[row["id"]] = overlap.item_id
        parts[name] = kept
    return dropped
