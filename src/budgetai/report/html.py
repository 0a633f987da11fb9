"""results/report/index.html: what a user reads to decide which fine-tune is best.

Sections (each an <section id=...> the screenshot test looks for): funnel, drops, licenses,
lengths, training, evaluation, problems, samples, configs. Everything is read from files the
pipeline wrote under results/; plots are embedded as base64 PNG so the page works without a server.
"""

from __future__ import annotations

import base64
import html
import json
from datetime import datetime, timezone
from pathlib import Path

from budgetai.core import results_layout as layout
from budgetai.core.config import views
from budgetai.core.io import write_text
from budgetai.report import ablations
from budgetai.train.plots import plot_checkpoint_scores, plot_loss_curve

SECTIONS = ("funnel", "drops", "licenses", "lengths", "examples", "training", "evaluation", "problems", "samples",
            "configs")
TITLES = {
    "funnel": "Data funnel", "drops": "Drop reasons", "licenses": "Licenses and terms",
    "lengths": "Row lengths", "examples": "Training examples (real tokens)", "training": "Training", "evaluation": "Evaluation: base vs fine-tuned",
    "problems": "Per-problem results", "samples": "Sample generations (same held-out prompts)",
    "configs": "Experiment configurations",
}
CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto 3rem;max-width:1200px;padding:0 1.5rem;color:#222;line-height:1.4}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:.5rem 0;z-index:1;
display:flex;flex-wrap:wrap;gap:.25rem 1rem}nav a{color:#0550ae;text-decoration:none;white-space:nowrap}nav a:hover{text-decoration:underline}
section{padding-top:.5rem;scroll-margin-top:3rem}.meta{color:#555;font-size:.9rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;vertical-align:top}th{background:#f3f3f3}
td.l,th.l{text-align:left}.pass{background:#c8f0c8}.fail{background:#f6caca}
.warn{background:#fff3cd;padding:.5rem;border:1px solid #e0c060}
pre{white-space:pre-wrap;background:#f8f8f8;padding:.5rem;font-size:.8rem;max-height:24rem;overflow:auto;text-align:left;margin:0}
.better{font-weight:bold;color:#0a6}.worse{color:#b00}img{max-width:100%}
.grid{display:flex;flex-wrap:wrap;gap:1rem}.grid figure{margin:0;flex:0 1 calc(50% - .5rem)}
.grid img{width:100%}figcaption{font-weight:bold}
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def fmt(value, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return esc(value)


def embed_png(path: Path) -> str:
    if not Path(path).exists():
        return "<p>(plot missing)</p>"
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f'<img alt="{esc(Path(path).stem)}" src="data:image/png;base64,{data}">'


def table(headers: list[str], rows: list[list[str]], left: int = 1) -> str:
    head = "".join(f'<th class="{"l" if i < left else ""}">{esc(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td class="{"l" if i < left else ""}">{c}</td>' for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text()) if Path(path).exists() else {}


def section(key: str, body: str) -> str:
    return f'<section id="{key}"><h2>{esc(TITLES[key])}</h2>{body}</section>'


def table_of_contents() -> str:
    short = {key: TITLES[key].split(":")[0].split(" (")[0] for key in SECTIONS}
    return "<nav>" + "".join(f'<a href="#{key}">{esc(short[key])}</a>' for key in SECTIONS) + "</nav>"


def build_report(results_dir, experiments, base_models, suites, config, out_html) -> Path:
    """Write the self-contained report page (atomically) and return its path."""
    results = Path(results_dir)
    sources = views.enabled_sources(config)
    bodies = {
        "funnel": funnel_section(results, sources),
        "drops": drops_section(results, sources),
        "licenses": licenses_section(results, sources, config),
        "lengths": lengths_section(results),
        "examples": examples_section(results, experiments),
        "training": training_section(results, experiments),
        "evaluation": evaluation_section(results, experiments, base_models, suites, config),
        "problems": problems_section(results, experiments, base_models, suites, config),
        "samples": samples_section(results, experiments, base_models, suites, config),
        "configs": configs_section(experiments, config),
    }
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<link rel='icon' href='data:,'>"  # no favicon request (a file:// 404 would be a console error)
        f"<title>BudgetAI report</title><style>{CSS}</style></head><body>"
        f"{table_of_contents()}<h1>BudgetAI report</h1>"
        f"<p class='meta'>Experiments: {esc(', '.join(experiments))}. Base models: {esc(', '.join(base_models))}. "
        f"Sources: {esc(', '.join(sources))}. Generated {esc(generated)} from {esc(results)}.</p>"
        + "".join(section(key, bodies[key]) for key in SECTIONS)
        + ablations.section_if_any(results, config)  # issue 29: only when an experiment has ablations
        + "</body></html>"
    )
    write_text(page, out_html)
    return Path(out_html)


STAGE_FILES = (("ingest", layout.ingest_stats), ("clean", layout.clean_stats))


def funnel_section(results: Path, sources: list[str]) -> str:
    rows = []
    for source in sources:
        cells = [esc(source)]
        for _, stats_file in STAGE_FILES:
            stats = read_json(stats_file(source, results))
            cells += [fmt(stats.get("rows_in")), fmt(stats.get("rows_out"))]
        rows.append(cells)
    union = []
    for stage in ("dedup", "decontaminate", "split"):
        stats = read_json(layout.stage_stats(stage, results))
        union.append([esc(stage), fmt(stats.get("rows_in")), fmt(stats.get("rows_out")),
                      fmt(stats.get("rows_dropped")), fmt(stats.get("rows_quarantined"))])
    return (
        table(["source", "ingest in", "ingest out", "clean in", "clean out"], rows)
        + table(["stage (all sources)", "rows in", "rows out", "dropped", "quarantined"], union)
    )


def drops_section(results: Path, sources: list[str]) -> str:
    rows = []
    for source in sources:
        for stage, stats_file in STAGE_FILES:
            stats = read_json(stats_file(source, results))
            for reason, n in stats.get("dropped_by_reason", {}).items():
                rows.append([esc(source), esc(stage), esc(reason), fmt(n)])
            for reason, n in stats.get("quarantined_by_reason", {}).items():
                rows.append([esc(source), esc(stage), esc(f"quarantined: {reason}"), fmt(n)])
    for stage in ("dedup", "decontaminate", "split"):
        for reason, n in read_json(layout.stage_stats(stage, results)).get("dropped_by_reason", {}).items():
            rows.append(["(all)", esc(stage), esc(reason), fmt(n)])
    return table(["source", "stage", "reason", "rows"], rows, left=3)


def licenses_section(results: Path, sources: list[str], config: dict) -> str:
    """Per source: the licenses its records carry, how many final rows carry each (from the data
    card's stats.json), and the source's terms; terms warnings are repeated on top."""
    final = read_json(layout.dataset("stats.json", results)).get("licenses", {})
    rows, warnings = [], []
    for source in sources:
        extra = read_json(layout.ingest_stats(source, results)).get("extra", {})
        counts = final.get(source, {})
        in_dataset = ", ".join(f"{esc(name)}: {n}" for name, n in counts.items()) or "–"
        terms = extra.get("terms_warning", "")
        rows.append([esc(source), esc(config["sources"][source]["kind"]), esc(", ".join(extra.get("licenses", []))),
                     in_dataset, esc(terms) or "–"])
        if terms:
            warnings.append(f'<p class="warn"><b>{esc(source)}</b>: {esc(terms)}</p>')
    header = ["source", "kind", "licenses on ingested records", "rows per license in the final splits", "terms"]
    return "".join(warnings) + table(header, rows, left=5)


def figure(png: Path, caption: str) -> str:
    return f"<figure>{embed_png(png)}<figcaption>{esc(caption)}</figcaption></figure>"


def lengths_section(results: Path) -> str:
    plots = sorted(Path(layout.dataset("plots", results)).glob("*.png"))
    if not plots:
        return "<p>(no length plots: results/dataset/plots is empty or missing)</p>"
    intro = ("<p>Row lengths in characters (prompt + response), from the data card; each experiment's tokens "
             "are in its training examples below.</p>")
    return intro + '<div class="grid">' + "".join(figure(p, p.stem.replace("_", " ")) for p in plots) + "</div>"


def examples_section(results: Path, experiments: list[str]) -> str:
    """Per experiment, split and source: what the model sees, counted with its own tokenizer."""
    intro = ("<p>Records become examples with each experiment's tokenizer and chat template; a record "
             "longer than max_length becomes several complete examples. <em>In examples</em>: the share of "
             "the records' response tokens that some example holds. <em>Trained</em>: useful tokens the "
             "fine-tune saw (an epoch is the split's example tokens).</p>")
    rows = []
    for exp in experiments:
        stats = read_json(layout.experiment_data("examples_summary.json", exp, results))
        summary = read_json(Path(layout.adapter(exp, results)) / "training_summary.json")
        for split in ("train", "val"):
            per_source = stats.get(split, {}).get("sources", {})
            for source, s in [*per_source.items(), ("all", stats.get(split, {}).get("total", {}))]:
                if not s:
                    continue
                trained = summary.get("useful_tokens_seen") if split == "train" and source == "all" else None
                rows.append([esc(exp), esc(split), esc(source), fmt(s.get("records")), fmt(s.get("examples")),
                             fmt(s.get("chunked_records")), fmt(s.get("split_at_lines")),
                             fmt(s.get("response_tokens")), fmt(100 * s["share_in_examples"], 3) + "%"
                             if "share_in_examples" in s else "–", fmt(s.get("example_tokens")), fmt(trained)])
    header = ["experiment", "split", "source", "records", "examples", "records split", "split at lines",
              "response tokens", "in examples", "example tokens (an epoch)", "trained tokens"]
    return intro + table(header, rows, left=3)


def training_section(results: Path, experiments: list[str]) -> str:
    figures, rows = [], []
    for exp in experiments:
        adapter = Path(layout.adapter(exp, results))
        summary = read_json(adapter / "training_summary.json")
        selection = summary.get("checkpoint_selection") or {}
        rows.append([esc(exp), fmt(summary.get("global_step")), fmt(summary.get("train_loss")),
                     fmt(summary.get("best_eval_loss")), selected_checkpoint(selection),
                     fmt(summary.get("trainable_params")),
                     fmt(100 * summary["share"], 3) + "%" if "share" in summary else "–",
                     fmt(summary.get("train_seconds"), 1)])
        png = adapter / "loss_curve.png"
        if not png.exists() and (adapter / "metrics.jsonl").exists():
            plot_loss_curve(adapter / "metrics.jsonl", png, title=exp)
        figures.append(figure(png, exp))
        scores_png = adapter / "checkpoint_scores.png"
        if not scores_png.exists() and (adapter / "checkpoint_scores.jsonl").exists():
            plot_checkpoint_scores(adapter / "checkpoint_scores.jsonl", scores_png, selection.get("metric", "val_loss"),
                                   selection.get("selected_step"), title=exp)
        if scores_png.exists():
            figures.append(figure(scores_png, f"{exp}: val loss and the ladder per checkpoint"))
    header = ["experiment", "steps", "train loss", "best val loss", "selected checkpoint", "trainable params",
              "trainable share", "seconds"]
    return table(header, rows) + '<div class="grid">' + "".join(figures) + "</div>"


def selected_checkpoint(selection: dict) -> str:
    """"step 20 by parse_rate", with the reason on hover."""
    if selection.get("selected_step") is None:
        return "–"
    return (f'<span title="{esc(selection.get("reason"))}">step {fmt(selection["selected_step"])} '
            f'by {esc(selection["metric"])}</span>')


def eval_paths(results: Path, experiments, base_models, config) -> list[tuple[str, Path]]:
    targets = [(f"base: {m}", Path(layout.base_eval_dir(m, results))) for m in base_models
               if config["evaluation"].get("evaluate_base", True)]
    return targets + [(exp, Path(layout.eval_dir(exp, results))) for exp in experiments]


def headline_metrics(result: dict) -> dict:
    """The numbers worth a column, flattened from a suite's JSON (executable or heldout)."""
    metrics = result.get("metrics", {})
    flat = {}
    for key, value in metrics.get("pass_at_k", {}).items():
        ci = metrics.get("pass_at_k_ci95", {}).get(key)
        flat[key] = (value, ci)
    if "compile_rate" in metrics:
        flat["compile rate"] = (metrics["compile_rate"], None)
    for key in ("heldout_loss", "perplexity", "bleu", "chrf", "rouge_l", "typecheck_rate"):
        if key in metrics:
            flat[key] = (metrics[key], metrics.get(f"{key}_ci95"))
    # the ladder (budgetai.evaluate.ladder): the rungs sort in climbing order as "1 ", "2 ", "3 "
    for number, (key, step) in enumerate((result.get("ladder") or {}).items(), start=1):
        if step is not None:
            flat[f"{number} {key}"] = (step["rate"], step["ci95"])
    return flat


LOWER_IS_BETTER = {"heldout_loss", "perplexity"}


def evaluation_section(results, experiments, base_models, suites, config) -> str:
    parts = []
    for suite in suites:
        targets = [(name, read_json(layout.evaluation(path, suite))) for name, path in eval_paths(results, experiments, base_models, config)]
        columns = sorted({k for _, r in targets for k in headline_metrics(r)})
        base_values = {k: v for name, r in targets if name.startswith("base") for k, (v, _) in headline_metrics(r).items()}
        rows = []
        for name, result in targets:
            flat = headline_metrics(result)
            cells = [esc(name)]
            for col in columns:
                value, ci = flat.get(col, (None, None))
                css = ""
                if value is not None and not name.startswith("base") and col in base_values and base_values[col] is not None:
                    better = value < base_values[col] if col in LOWER_IS_BETTER else value > base_values[col]
                    css = "better" if better else ("worse" if value != base_values[col] else "")
                ci_text = f"<br><small>[{fmt(ci[0])}, {fmt(ci[1])}]</small>" if ci else ""
                cells.append(f'<span class="{css}">{fmt(value)}</span>{ci_text}')
            cells.append(esc(result.get("sandbox_backend", "–")))
            rows.append(cells)
        fmt_name = config["evaluation"]["suites"][suite]["format"]
        headers = ["model", *(f"{c} ↓" if c in LOWER_IS_BETTER else f"{c} ↑" for c in columns),
                   "sandbox"]
        parts.append(f"<h3>{esc(suite)} <small>({esc(fmt_name)})</small></h3>" + table(headers, rows)
                     + sandbox_warning(suite, targets))
    return ("<p>Brackets: 95% intervals (bootstrap for pass@k, Wilson for the ladder's rates: 1 parses, "
            "2 type-checks, 3 passes its tests, each of all samples). Bold green: better than the base model, red: worse. "
            "↑ higher is better, ↓ lower is better.</p>" + "".join(parts))


def sandbox_warning(suite: str, targets: list[tuple[str, dict]]) -> str:
    """A warning when generated code ran under a weaker sandbox than bubblewrap: its numbers
    hold, but the machine was exposed to whatever the model wrote."""
    weak = sorted({r["sandbox_backend"] for _, r in targets
                   if r.get("sandbox_backend") not in (None, "bwrap")})
    if not weak:
        return ""
    return (f'<p class="warn">{esc(suite)}: generated programs ran under the {esc(", ".join(weak))} '
            f"sandbox, not bubblewrap: they could read the host's files (unshare) or ran with "
            f"resource limits only (none).</p>")


def problems_section(results, experiments, base_models, suites, config) -> str:
    parts = []
    for suite in suites:
        if config["evaluation"]["suites"][suite]["format"] == "heldout":
            continue
        targets = [(n, read_json(layout.evaluation(p, suite))) for n, p in eval_paths(results, experiments, base_models, config)]
        per_target = {n: {row["problem_id"]: row for row in r.get("metrics", {}).get("per_problem", [])} for n, r in targets}
        problem_ids = sorted({pid for rows in per_target.values() for pid in rows})
        rows = []
        for pid in problem_ids:
            cells = [esc(pid)]
            for name, _ in targets:
                row = per_target[name].get(pid)
                if row is None:
                    cells.append("–")
                    continue
                ok = row.get("c", 0) > 0
                label = f"{row.get('c', 0)}/{row.get('n', 0)}" + ("" if row.get("compiled") else " (no compile)")
                cells.append(f'<span class="{"pass" if ok else "fail"}">{esc(label)}</span>')
            rows.append(cells)
        parts.append(f"<h3>{esc(suite)}</h3>" + table(["problem", *[n for n, _ in targets]], rows))
    return "".join(parts) or "<p>(no executable suites)</p>"


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def samples_section(results, experiments, base_models, suites, config, max_samples: int = 4) -> str:
    """The first held-out prompts with the reference and every model's answer side by side."""
    heldout = [s for s in suites if config["evaluation"]["suites"][s]["format"] == "heldout"]
    if not heldout:
        return "<p>(no held-out suite)</p>"
    targets = eval_paths(results, experiments, base_models, config)
    generations = {n: read_jsonl(Path(layout.generations(p, heldout[0]))) for n, p in targets}
    first = next(iter(generations.values()), [])
    if not first:
        return f"<p>(no generations for {esc(heldout[0])} yet)</p>"
    rows = []
    for i, row in enumerate(first[:max_samples]):
        cells = [f"<pre>{esc(row['prompt'][:1500])}</pre>", f"<pre>{esc(row['reference'][:1500])}</pre>"]
        for name, _ in targets:
            gen = generations[name][i]["completion"] if i < len(generations[name]) else ""
            cells.append(f"<pre>{esc(gen[:1500])}</pre>")
        rows.append(cells)
    intro = f"<p>Suite {esc(heldout[0])}: the first {len(rows)} prompts, each model's answer to the same prompt.</p>"
    return intro + table(["prompt", "reference", *[n for n, _ in targets]], rows, left=99)


def configs_section(experiments, config) -> str:
    """Each experiment's settings as a diff from the first one (the default)."""
    parts = []
    reference = config["experiments"][experiments[0]] if experiments else {}
    for exp in experiments:
        cfg = config["experiments"][exp]
        diff = dict_diff(reference, cfg) if exp != experiments[0] else {}
        parts.append(f"<h3>{esc(exp)}</h3><pre>{esc(json.dumps(cfg, indent=2, default=str))}</pre>")
        if diff:
            parts.append(f"<p>differs from {esc(experiments[0])}:</p><pre>{esc(json.dumps(diff, indent=2, default=str))}</pre>")
    return "".join(parts)


def dict_diff(a: dict, b: dict, prefix: str = "") -> dict:
    out = {}
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key), b.get(key)
        if isinstance(va, dict) and isinstance(vb, dict):
            out.update(dict_diff(va, vb, f"{prefix}{key}."))
        elif va != vb:
            out[f"{prefix}{key}"] = {"from": va, "to": vb}
    return out
