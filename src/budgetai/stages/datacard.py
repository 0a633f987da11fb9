"""The dataset card: a Markdown page and a JSON of the data funnel, plus token-length plots.

`run(stats_paths, dataset_paths, clusters_path, decontam_report_path, out_md, out_json,
plots_dir)`. stats_paths = {"ingest": {source: path}, "clean": {source: path}, "dedup": path,
"decontaminate": path, "split": path} (any stage may be absent); dataset_paths = {"train": p,
"val": p, "test": p}. The dataset is shared by experiments whose tokenizers differ, so its sizes
are characters; what each experiment's model sees, in its own tokenizer's tokens, is that
experiment's examples card (`render_examples_card`, written by the examples stage), which this
card links. A "terms_warning" any stage wrote into stats.extra (e.g. StackExchange's dump terms) is
shown at the top of the card.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from budgetai.stages.dedup import read_clusters
from budgetai.core.config.stages import DatacardSettings, resolve
from budgetai.core.records import read_table
from budgetai.core.io import atomic_write, write_json, write_text
from budgetai.core.stats import read_stats

STAGES = ("ingest", "clean", "dedup", "decontaminate", "split")


def run(stats_paths: dict, dataset_paths: dict, clusters_path, decontam_report_path, out_md, out_json,
        plots_dir, examples_cards: dict | None = None, settings: dict | None = None) -> None:
    """Write card.md, stats.json and PNG histograms under plots_dir. examples_cards: {experiment:
    path of its examples card} to link (they are built later, per experiment); settings: the
    `datacard` config block (DatacardSettings)."""
    stats = _load_stats(stats_paths)
    datasets = {name: read_table(path).select(["source", "license", "prompt", "response"]).to_pylist()
                for name, path in dataset_paths.items()}
    card = {
        "terms_warnings": terms_warnings(stats),
        "warnings": warnings(stats, resolve(DatacardSettings, settings, "datacard")),
        "funnel": funnel(stats),
        "drop_reasons": drop_reasons(stats),
        "duplicate_clusters": cluster_summary(read_clusters(clusters_path)),
        "decontamination": read_stats(decontam_report_path).get("by_suite", {}),
        "licenses": license_table(datasets),
        "splits": {name: {"rows": len(rows), "chars": sum(_chars(r) for r in rows)} for name, rows in datasets.items()},
        "plots": length_histograms(datasets, Path(plots_dir)),
        "examples_cards": {e: str(p) for e, p in (examples_cards or {}).items()},
    }
    write_json(card, out_json)
    write_text(render_markdown(card, Path(out_md).parent), out_md)


def _load_stats(stats_paths: dict) -> dict:
    loaded = {}
    for stage in STAGES:
        spec = stats_paths.get(stage)
        if spec is None:
            continue
        loaded[stage] = {s: read_stats(p) for s, p in spec.items()} if isinstance(spec, dict) else read_stats(spec)
    return loaded


def _chars(row: dict) -> int:
    return len(row["prompt"]) + len(row["response"])


def terms_warnings(stats: dict) -> list[dict]:
    """Every stats.extra["terms_warning"] as {stage, source, warning}."""
    found = []
    for stage in ("ingest", "clean"):
        for source, entry in stats.get(stage, {}).items():
            if warning := entry.get("extra", {}).get("terms_warning"):
                found.append({"stage": stage, "source": source, "warning": warning})
    return found


def warnings(stats: dict, cfg: dict) -> list[str]:
    """What a person must look at before trusting the splits: a source that yields nothing or
    loses most of its rows at one stage (with the main reason), a split whose share of rows is
    far from the configured one, and a source missing from a split."""
    found = []
    for stage in ("ingest", "clean"):
        for source, entry in sorted(stats.get(stage, {}).items()):
            found += _loss_warnings(stage, source, entry["rows_in"], entry["rows_out"], entry["dropped_by_reason"],
                                    cfg["max_stage_loss"])
    for stage in ("dedup", "decontaminate"):
        for source, entry in sorted(stats.get(stage, {}).get("extra", {}).get("by_source", {}).items()):
            found += _loss_warnings(stage, source, entry.get("in", 0), entry.get("out", 0), {}, cfg["max_stage_loss"])
    split = stats.get("split", {}).get("extra", {})
    rows, fractions = split.get("rows", {}), split.get("fractions", {})
    total = sum(rows.values())
    if total >= cfg["min_split_share_rows"]:
        for name, wanted in fractions.items():
            share = rows.get(name, 0) / total
            if wanted and abs(share - wanted) > cfg["split_share_tolerance"] * wanted:
                found.append(f"split {name}: {rows.get(name, 0)} of {total} rows ({share:.1%}), configured {wanted:.1%}")
    for source, counts in sorted(split.get("by_source", {}).items()):
        present = sum(counts.get(n, 0) for n in ("train", "val", "test"))
        missing = [n for n in ("train", "val", "test") if fractions.get(n) and not counts.get(n)]
        if missing and present >= cfg["min_split_share_rows"]:
            found.append(f"source {source}: no rows in {', '.join(missing)} ({present} rows in the splits)")
    return found


def _loss_warnings(stage: str, source: str, rows_in: int, rows_out: int, reasons: dict, max_loss: float) -> list[str]:
    if rows_out == 0:
        return [f"source {source}: {stage} kept 0 of {rows_in} rows" + _main_reason(reasons)]
    if rows_in and (rows_in - rows_out) / rows_in > max_loss:
        return [f"source {source}: {stage} dropped {rows_in - rows_out} of {rows_in} rows "
                f"({(rows_in - rows_out) / rows_in:.0%})" + _main_reason(reasons)]
    return []


def _main_reason(reasons: dict) -> str:
    if not reasons:
        return ""
    reason, count = max(reasons.items(), key=lambda item: item[1])
    return f", mostly {reason} ({count})"


def funnel(stats: dict) -> dict:
    """{source: {stage column: rows or characters}} from the per-source and by_source stats."""
    table: dict = {}
    for source, entry in stats.get("ingest", {}).items():
        table.setdefault(source, {})["ingested"] = entry["rows_out"]
    for source, entry in stats.get("clean", {}).items():
        row = table.setdefault(source, {})
        row["clean_in"] = entry["rows_in"]
        row["clean"] = entry["rows_out"]
        row["clean_in_chars"] = entry.get("extra", {}).get("chars_in", 0)
        row["clean_chars"] = entry.get("extra", {}).get("chars_out", 0)
    for stage in ("dedup", "decontaminate"):
        for source, entry in stats.get(stage, {}).get("extra", {}).get("by_source", {}).items():
            table.setdefault(source, {})[stage] = entry["out"]
            table[source][f"{stage}_chars"] = entry.get("chars_out", 0)
    for source, entry in stats.get("split", {}).get("extra", {}).get("by_source", {}).items():
        row = table.setdefault(source, {})
        for name in ("train", "val", "test"):
            row[name], row[f"{name}_chars"] = entry.get(name, 0), entry.get(f"{name}_chars", 0)
    return dict(sorted(table.items()))


def drop_reasons(stats: dict) -> dict:
    """{stage: {reason: rows}} (per-source stages summed; per-source detail under "<stage>/<source>")."""
    out: dict = {}
    for stage in STAGES:
        entry = stats.get(stage)
        if entry is None:
            continue
        if stage in ("ingest", "clean"):
            total = Counter()
            for source, per_source in entry.items():
                reasons = {**per_source["dropped_by_reason"], **{f"quarantined:{k}": v for k, v in per_source["quarantined_by_reason"].items()}}
                out[f"{stage}/{source}"] = reasons
                total.update(reasons)
            out[stage] = dict(sorted(total.items()))
        else:
            out[stage] = entry["dropped_by_reason"]
    return out


def cluster_summary(clusters: list[dict]) -> dict:
    sizes = sorted(((1 + len(c["removed_ids"]), c["kept_id"], c["reason"]) for c in clusters), reverse=True)
    return {"clusters": len(clusters), "exact": sum(c["reason"] == "exact" for c in clusters),
            "near": sum(c["reason"] == "near" for c in clusters), "rows_removed": sum(len(c["removed_ids"]) for c in clusters),
            "largest": [{"size": s, "kept_id": k, "reason": r} for s, k, r in sizes[:5]]}


def license_table(datasets: dict) -> dict:
    counts: dict = {}
    for rows in datasets.values():
        for row in rows:
            counts.setdefault(row["source"], Counter())[row["license"]] += 1
    return {s: dict(c.most_common()) for s, c in sorted(counts.items())}


def length_histograms(datasets: dict, plots_dir: Path) -> list[str]:
    """PNG histograms of row lengths (characters) per split and per source (train); returns paths."""
    import matplotlib

    matplotlib.use("Agg")  # no display on cluster nodes
    import matplotlib.pyplot as plt

    plots_dir.mkdir(parents=True, exist_ok=True)
    groups = {"lengths_by_split.png": {n: [_chars(r) for r in rows] for n, rows in datasets.items()}}
    by_source: dict = {}
    for row in datasets.get("train", []):
        by_source.setdefault(row["source"], []).append(_chars(row))
    groups["lengths_train_by_source.png"] = by_source
    written = []
    for name, series in groups.items():
        fig, ax = plt.subplots(figsize=(7, 4))
        for label, values in sorted(series.items()):
            if values:
                ax.hist(values, bins=50, alpha=0.5, label=f"{label} ({len(values)})", log=True)
        ax.set_xlabel("characters per row (prompt + response)")
        ax.set_ylabel("rows (log)")
        ax.legend()
        fig.tight_layout()
        with atomic_write(plots_dir / name) as tmp:
            fig.savefig(tmp, dpi=100)
        plt.close(fig)
        written.append(str(plots_dir / name))
    return written


def _md_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(card: dict, md_dir: Path) -> str:
    parts = ["# Dataset card", ""]
    for w in card["terms_warnings"]:
        parts += [f"> **WARNING — terms of use ({w['source']}, {w['stage']}):** {w['warning']}", ""]
    if card["warnings"]:
        parts += ["## Warnings", ""] + [f"- {w}" for w in card["warnings"]] + [""]
    columns = ["ingested", "clean", "dedup", "decontaminate", "train", "val", "test"]
    parts += ["## Funnel (rows; sizes in characters)", "",
              _md_table(["source"] + columns + ["train_chars"],
                        [[s] + [f.get(c, "–") for c in columns] + [f.get("train_chars", "–")] for s, f in card["funnel"].items()]), ""]
    parts += ["## Splits", "", _md_table(["split", "rows", "characters"], [[n, v["rows"], v["chars"]] for n, v in card["splits"].items()]), ""]
    if card["examples_cards"]:
        parts += ["## Tokens each model sees", "",
                  "Counted with each experiment's own tokenizer and chat template, after chunking: "
                  + ", ".join(f"[{e}]({os.path.relpath(p, md_dir)})" for e, p in card["examples_cards"].items()), ""]
    parts += ["## Drop reasons", ""]
    for stage, reasons in card["drop_reasons"].items():
        parts.append(f"- **{stage}**: " + (", ".join(f"{k} {v}" for k, v in reasons.items()) or "none"))
    dup = card["duplicate_clusters"]
    parts += ["", "## Duplicate clusters", "",
              f"{dup['clusters']} clusters ({dup['exact']} exact, {dup['near']} near), {dup['rows_removed']} rows removed; "
              f"largest: " + (", ".join(f"{c['size']} rows ({c['reason']}, kept {c['kept_id']})" for c in dup["largest"]) or "none"), ""]
    parts += ["## Decontamination hits by suite", "",
              _md_table(["suite", "ngram", "substring"], [[s, v.get("ngram", 0), v.get("substring", 0)] for s, v in card["decontamination"].items()]), ""]
    parts += ["## Licenses by source (rows in the splits)", "",
              _md_table(["source", "licenses"], [[s, ", ".join(f"{k}: {v}" for k, v in c.items())] for s, c in card["licenses"].items()]), ""]
    parts += ["## Row lengths", ""] + [f"![{Path(p).stem}]({os.path.relpath(p, md_dir)})" for p in card["plots"]]
    return "\n".join(parts) + "\n"


def render_examples_card(experiment: str, summary: dict) -> str:
    """Markdown of an experiment's examples summary (budgetai.examples.stage): per split and
    source, records, examples, tokens with the experiment's tokenizer, the share of the records'
    response tokens inside an example, and how many records were split."""
    cfg = summary.get("config", {})
    parts = [f"# Examples card: {experiment}", "",
             f"max_length {cfg.get('max_length')}, chunk_long_records {cfg.get('chunk_long_records')}. "
             "An epoch trains on the train split's example tokens.", ""]
    header = ["split", "source", "records", "examples", "example tokens", "response tokens", "in examples",
              "records split", "split at lines", "truncated"]
    rows = []
    for split in ("train", "val"):
        entry = summary.get(split, {})
        for source, s in [*entry.get("sources", {}).items(), ("**all**", entry.get("total"))]:
            if s:
                rows.append([split, source, s["records"], s["examples"], s["example_tokens"], s["response_tokens"],
                             f"{100 * s['share_in_examples']:.1f}%", s["chunked_records"], s["split_at_lines"],
                             s["truncated"]])
    train_total = summary.get("train", {}).get("total", {})
    parts += [_md_table(header, rows), "", f"Tokens trained per epoch: {train_total.get('example_tokens', 0)}."]
    return "\n".join(parts) + "\n"


def write_examples_card(experiment: str, summary_path, out_md) -> None:
    write_text(render_examples_card(experiment, read_stats(summary_path)), out_md)
