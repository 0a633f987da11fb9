"""results/report/index.html: what a user reads to decide which fine-tune is best.

Sections (each an <section id=...> the screenshot test looks for): funnel, drops, licenses,
lengths, examples, training, evaluation, problems, samples, configs; and, where the config asks
for them, ablations (budgetai.report.ablations) and self_improve (budgetai.report.rounds). Each section's numbers are
gathered here from the files the pipeline wrote under results/ (their paths:
budgetai.core.results_layout) and rendered by its Jinja template under templates/sections/
(autoescaped: text from the data never becomes markup). Plots are embedded as base64 PNG so the
page works without a server.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from budgetai.core import results_layout as layout
from budgetai.core.config import views
from budgetai.core.io import write_text
from budgetai.evaluate.paired import compare_runs
from budgetai.report import ablations, rounds
from budgetai.train.plots import plot_checkpoint_scores, plot_loss_curve

SECTIONS = ("funnel", "drops", "licenses", "lengths", "examples", "training", "evaluation", "problems", "samples",
            "ablations", "self_improve", "configs")
# shown only when the config asks for them (an experiment with ablations or self-improvement rounds)
OPTIONAL_SECTIONS = ("ablations", "self_improve")
TITLES = {
    "funnel": "Data funnel", "drops": "Drop reasons", "licenses": "Licenses and terms",
    "lengths": "Row lengths", "examples": "Training examples (real tokens)", "training": "Training",
    "evaluation": "Evaluation: base vs fine-tuned", "problems": "Per-problem results",
    "samples": "Sample generations (same held-out prompts)",
    "ablations": "Ablations: which data made the model better?",
    "self_improve": "Self-improvement: rounds of verified answers", "configs": "Experiment configurations",
}
STAGE_FILES = (("ingest", layout.ingest_stats), ("clean", layout.clean_stats))
UNION_STAGES = ("dedup", "decontaminate", "split")
LOWER_IS_BETTER = {"heldout_loss", "perplexity"}
TEMPLATES = Environment(loader=PackageLoader("budgetai.report", "templates"),
                        autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


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
        "ablations": ablations.section_if_any(results, config),
        "self_improve": rounds.rounds_section(results, config),
        "configs": configs_section(experiments, config),
    }
    sections = [{"key": key, "title": TITLES[key], "short": TITLES[key].split(":")[0].split(" (")[0],
                 "body": Markup(bodies[key])} for key in SECTIONS
                if bodies[key] or key not in OPTIONAL_SECTIONS]
    page = TEMPLATES.get_template("report.html.j2").render(
        css=Markup(TEMPLATES.loader.get_source(TEMPLATES, "report.css")[0]), sections=sections,
        experiments=experiments, base_models=base_models, sources=sources, results=str(results),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    write_text(page, out_html)
    return Path(out_html)


def render(section: str, **data) -> str:
    return TEMPLATES.get_template(f"sections/{section}.html.j2").render(**data)


def read_json(path) -> dict:
    return json.loads(Path(path).read_text()) if Path(path).exists() else {}


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def fmt(value, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def figure(png: Path, caption: str) -> dict:
    """A figure for the templates: the PNG's bytes inline (None when the plot is missing)."""
    data = base64.b64encode(Path(png).read_bytes()).decode() if Path(png).exists() else None
    return {"data": data, "alt": Path(png).stem, "caption": caption}


def funnel_section(results: Path, sources: list[str]) -> str:
    per_source = []
    for source in sources:
        cells = [source]
        for _, stats_file in STAGE_FILES:
            stats = read_json(stats_file(source, results))
            cells += [fmt(stats.get("rows_in")), fmt(stats.get("rows_out"))]
        per_source.append(cells)
    union = []
    for stage in UNION_STAGES:
        stats = read_json(layout.stage_stats(stage, results))
        union.append([stage, fmt(stats.get("rows_in")), fmt(stats.get("rows_out")), fmt(stats.get("rows_dropped")),
                      fmt(stats.get("rows_quarantined"))])
    return render("funnel", per_source=per_source, union=union)


def drops_section(results: Path, sources: list[str]) -> str:
    rows = []
    for source in sources:
        for stage, stats_file in STAGE_FILES:
            stats = read_json(stats_file(source, results))
            rows += [[source, stage, reason, fmt(n)] for reason, n in stats.get("dropped_by_reason", {}).items()]
            rows += [[source, stage, f"quarantined: {reason}", fmt(n)]
                     for reason, n in stats.get("quarantined_by_reason", {}).items()]
    for stage in UNION_STAGES:
        for reason, n in read_json(layout.stage_stats(stage, results)).get("dropped_by_reason", {}).items():
            rows.append(["(all)", stage, reason, fmt(n)])
    return render("drops", rows=rows)


def licenses_section(results: Path, sources: list[str], config: dict) -> str:
    """Per source: the licenses its records carry, how many final rows carry each (from the data
    card's stats.json), and the source's terms; terms warnings are repeated on top."""
    final = read_json(layout.dataset("stats.json", results)).get("licenses", {})
    rows, warnings = [], []
    for source in sources:
        extra = read_json(layout.ingest_stats(source, results)).get("extra", {})
        in_dataset = ", ".join(f"{name}: {n}" for name, n in final.get(source, {}).items()) or "–"
        terms = extra.get("terms_warning", "")
        rows.append([source, config["sources"][source]["kind"], ", ".join(extra.get("licenses", [])), in_dataset,
                     terms or "–"])
        if terms:
            warnings.append({"source": source, "terms": terms})
    return render("licenses", rows=rows, warnings=warnings)


def lengths_section(results: Path) -> str:
    plots = sorted(Path(layout.dataset("plots", results)).glob("*.png"))
    return render("lengths", figures=[figure(p, p.stem.replace("_", " ")) for p in plots])


def examples_section(results: Path, experiments: list[str]) -> str:
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
                share = fmt(100 * s["share_in_examples"], 3) + "%" if "share_in_examples" in s else "–"
                rows.append([exp, split, source, fmt(s.get("records")), fmt(s.get("examples")),
                             fmt(s.get("chunked_records")), fmt(s.get("split_at_lines")), fmt(s.get("response_tokens")),
                             share, fmt(s.get("example_tokens")), fmt(trained)])
    return render("examples", rows=rows)


def training_section(results: Path, experiments: list[str]) -> str:
    figures, rows = [], []
    for exp in experiments:
        adapter = Path(layout.adapter(exp, results))
        summary = read_json(adapter / "training_summary.json")
        selection = summary.get("checkpoint_selection") or {}
        rows.append([exp, fmt(summary.get("global_step")), fmt(summary.get("train_loss")),
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
    return render("training", rows=rows, figures=figures)


def selected_checkpoint(selection: dict):
    """"step 20 by parse_rate", with the reason on hover."""
    if selection.get("selected_step") is None:
        return "–"
    return {"text": f"step {fmt(selection['selected_step'])} by {selection['metric']}", "title": selection.get("reason")}


def eval_paths(results: Path, experiments, base_models, config) -> list[tuple[str, Path]]:
    targets = [(f"base: {m}", Path(layout.base_eval_dir(m, results))) for m in base_models
               if config["evaluation"].get("evaluate_base", True)]
    return targets + [(exp, Path(layout.eval_dir(exp, results))) for exp in experiments]


def headline_metrics(result: dict) -> dict:
    """The numbers worth a column, flattened from a suite's JSON (executable or heldout)."""
    metrics = result.get("metrics", {})
    flat = {}
    for key, value in metrics.get("pass_at_k", {}).items():
        flat[key] = (value, metrics.get("pass_at_k_ci95", {}).get(key))
    if "compile_rate" in metrics:
        flat["compile rate"] = (metrics["compile_rate"], None)
    for key in ("heldout_loss", "perplexity", "bleu", "chrf", "rouge_l", "typecheck_rate"):
        if key in metrics:
            flat[key] = (metrics[key], metrics.get(f"{key}_ci95"))
    if graded := result.get("exercism"):  # examples passed / run: credit between type-checks and passes
        flat["graded share"] = (graded["graded_share"], graded.get("graded_share_ci95"))
    # the ladder (budgetai.evaluate.ladder): the rungs sort in climbing order as "1 ", "2 ", "3 "
    for number, (key, step) in enumerate((result.get("ladder") or {}).items(), start=1):
        if step is not None:
            flat[f"{number} {key}"] = (step["rate"], step["ci95"])
    return flat


def compared_to_base(column: str, value, ci, base: tuple | None) -> str:
    """"better", "worse" or "" (no base, equal, or 95% intervals that overlap: a difference
    within the noise is not coloured)."""
    if value is None or base is None or base[0] is None or value == base[0]:
        return ""
    base_value, base_ci = base
    if ci and base_ci and ci[0] <= base_ci[1] and base_ci[0] <= ci[1]:
        return ""
    better = value < base_value if column in LOWER_IS_BETTER else value > base_value
    return "better" if better else "worse"


def evaluation_section(results, experiments, base_models, suites, config) -> str:
    rendered = []
    for suite in suites:
        targets = [(name, path, read_json(layout.evaluation(path, suite)))
                   for name, path in eval_paths(results, experiments, base_models, config)]
        columns = sorted({k for _, _, r in targets for k in headline_metrics(r)})
        base = next(((headline_metrics(r), path) for name, path, r in targets if name.startswith("base")), None)
        rows = []
        for name, _, result in targets:
            flat = headline_metrics(result)
            cells = [name]
            for col in columns:
                value, ci = flat.get(col, (None, None))
                against = base[0].get(col) if base and not name.startswith("base") else None
                cells.append({"text": fmt(value), "cls": compared_to_base(col, value, ci, against),
                              "ci": [fmt(ci[0]), fmt(ci[1])] if ci else None})
            cells.append(result.get("sandbox_backend", "–"))
            rows.append(cells)
        weak = sorted({r["sandbox_backend"] for _, _, r in targets if r.get("sandbox_backend") not in (None, "bwrap")})
        fmt_name = config["evaluation"]["suites"][suite]["format"]
        rendered.append({
            "name": suite, "format": fmt_name,
            "headers": ["model", *(f"{c} ↓" if c in LOWER_IS_BETTER else f"{c} ↑" for c in columns), "sandbox"],
            "rows": rows, "weak_sandbox": ", ".join(weak),
            "paired": paired_rows(suite, targets, base[1] if base else None) if fmt_name != "heldout" else [],
        })
    return render("evaluation", suites=rendered)


def paired_rows(suite: str, targets, base_dir: Path | None) -> list[list]:
    """Each fine-tune against the base on the same problems (budgetai.evaluate.paired): exact
    sign test per rung; rows only where both runs left their generations."""
    if base_dir is None:
        return []
    base_json, base_generations = Path(layout.evaluation(base_dir, suite)), Path(layout.generations(base_dir, suite))
    rows = []
    for name, path, _ in targets:
        generations = Path(layout.generations(path, suite))
        if name.startswith("base") or not (generations.exists() and base_generations.exists() and base_json.exists()):
            continue
        try:
            comparison = compare_runs(layout.evaluation(path, suite), generations, base_json, base_generations)
        except ValueError:  # different problems, or none in common: nothing to pair
            continue
        for rung, test in comparison["rungs"].items():
            rows.append([name, rung, fmt(test["a_rate"]), fmt(test["b_rate"]),
                         f"{test['a_better']} / {test['b_better']}", fmt(test["p"]), test["verdict"]])
        graded = comparison["graded_share"]
        if any(r.get("exercism") for r in (read_json(layout.evaluation(path, suite)), read_json(base_json))):
            rows.append([name, "graded share", fmt(graded["a"]), fmt(graded["b"]),
                         f"difference {fmt(graded['difference'])} [{fmt(graded['ci95'][0])}, {fmt(graded['ci95'][1])}]",
                         fmt(graded["p"]), graded["verdict"]])
    return rows


def problems_section(results, experiments, base_models, suites, config) -> str:
    rendered = []
    for suite in suites:
        if config["evaluation"]["suites"][suite]["format"] == "heldout":
            continue
        targets = [(n, read_json(layout.evaluation(p, suite))) for n, p in eval_paths(results, experiments, base_models, config)]
        per_target = {n: {row["problem_id"]: row for row in r.get("metrics", {}).get("per_problem", [])} for n, r in targets}
        rows = []
        for pid in sorted({pid for by_id in per_target.values() for pid in by_id}):
            cells = [pid]
            for name, _ in targets:
                row = per_target[name].get(pid)
                if row is None:
                    cells.append("–")
                    continue
                label = f"{row.get('c', 0)}/{row.get('n', 0)}" + ("" if row.get("compiled") else " (no compile)")
                cells.append({"text": label, "cls": "pass" if row.get("c", 0) > 0 else "fail"})
            rows.append(cells)
        rendered.append({"name": suite, "headers": ["problem", *[n for n, _ in targets]], "rows": rows})
    return render("problems", suites=rendered)


def samples_section(results, experiments, base_models, suites, config, max_samples: int = 4) -> str:
    """The first held-out prompts with the reference and every model's answer side by side."""
    heldout = [s for s in suites if config["evaluation"]["suites"][s]["format"] == "heldout"]
    if not heldout:
        return render("samples", message="(no held-out suite)")
    targets = eval_paths(results, experiments, base_models, config)
    generations = {n: read_jsonl(Path(layout.generations(p, heldout[0]))) for n, p in targets}
    first = next(iter(generations.values()), [])
    if not first:
        return render("samples", message=f"(no generations for {heldout[0]} yet)")
    rows = []
    for i, row in enumerate(first[:max_samples]):
        cells = [{"text": row["prompt"][:1500], "pre": True}, {"text": row["reference"][:1500], "pre": True}]
        for name, _ in targets:
            gen = generations[name][i]["completion"] if i < len(generations[name]) else ""
            cells.append({"text": gen[:1500], "pre": True})
        rows.append(cells)
    return render("samples", suite=heldout[0], rows=rows, headers=["prompt", "reference", *[n for n, _ in targets]])


def configs_section(experiments, config) -> str:
    """Each experiment's settings as a diff from the first one (the default)."""
    reference = config["experiments"][experiments[0]] if experiments else {}
    shown = []
    for exp in experiments:
        cfg = config["experiments"][exp]
        diff = dict_diff(reference, cfg) if exp != experiments[0] else {}
        shown.append({"name": exp, "config": json.dumps(cfg, indent=2, default=str), "reference": experiments[0],
                      "diff": json.dumps(diff, indent=2, default=str) if diff else ""})
    return render("configs", experiments=shown)


def dict_diff(a: dict, b: dict, prefix: str = "") -> dict:
    out = {}
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key), b.get(key)
        if isinstance(va, dict) and isinstance(vb, dict):
            out.update(dict_diff(va, vb, f"{prefix}{key}."))
        elif va != vb:
            out[f"{prefix}{key}"] = {"from": va, "to": vb}
    return out
