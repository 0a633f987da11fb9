# Input functions, targets and validation: every Python helper of the workflow lives here.
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "src"))  # a checkout works without `pip install -e`

import re

from budgetai.sources import downloads
from budgetai.core.config.checks import check_config, check_schema
from budgetai.suites.load import packaged_suite_path
from budgetai.stages.ingest_plan import input_files, is_absent, shard_files
from budgetai.sources import haddock
from budgetai.sources.local_code import has_utf8_name
from budgetai.core.config.load import apply_cpu_standin
from budgetai.core.config.ablations import apply_ablations
from budgetai.core import results_layout as layout
from budgetai.core.config import views
from budgetai.core.config.training import with_defaults
from budgetai.core import cluster_jobs, stale_outputs

SCHEMA = Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml"


# check_schema names the wrong key; validate (whose message prints the whole schema) fills in
# the schema's defaults, which check_config reads.
check_schema(config, SCHEMA, workflow.configfiles)
validate(config, schema="../schemas/config.schema.yaml")
check_config(config)
# cpu_standin=True swaps each experiment for its small CPU version (src/budgetai/core/config/load.py);
# the swapped config must be as valid as any other. Its mixtures may still name the sources
# its `sources` replaced (a curated mixture of a family's full source list). Ablation variants
# (src/budgetai/core/config/ablations.py) are generated first, so the stand-in runs them too.
full_sources = list(config["sources"])
config.update(apply_cpu_standin(apply_ablations(config)))
check_schema(config, SCHEMA)
validate(config, schema="../schemas/config.schema.yaml")
check_config(config, replaced_sources=full_sources)


def resolve_packaged_suites():
    """Suites shipped inside a package (`package_file`) get the installed file as their `path`,
    so evaluation and decontamination read them like any suite file."""
    for suite in config["evaluation"]["suites"].values():
        if "package_file" in suite and "path" not in suite:
            suite["path"] = str(packaged_suite_path(**suite["package_file"]))


resolve_packaged_suites()
# Sources and suites with a `download:` now name the files their download rule writes.
DOWNLOADS = downloads.resolve(config)
DOWNLOADS_DIR = downloads.downloads_dir(config)
# A gated download without a token would fail on the login node hours into a cluster run: stop
# now. Only in the driver: each cluster job reads this file again on its node, where neither check
# is its business (and HF_TOKEN may not be exported).
if workflow.is_main_process:
    cluster_jobs.check_hub_tokens(DOWNLOADS, config["sources"])


wildcard_constraints:
    source="|".join(config["sources"]) or "NONE",
    experiment="|".join(config["experiments"]) or "NONE",
    model="|".join(config["models"]) or "NONE",
    suite="|".join(config["evaluation"]["suites"]) or "NONE",


def enabled_sources():
    return views.enabled_sources(config)


def source_cfg(wildcards):
    return views.ingest_view(config, wildcards.source)


def source_optional(wildcards):
    """A source that may yield no records (ingest fails on an empty one otherwise)."""
    return bool(config["sources"][wildcards.source].get("optional", False))


def download_ids(kind):
    """A wildcard pattern matching the ids of the url or hub downloads."""
    ids = [i for i, spec in DOWNLOADS.items() if kind in spec]
    return "|".join(re.escape(i) for i in ids) or "NONE"


def url_filenames():
    names = {downloads.url_filename(spec) for spec in DOWNLOADS.values() if "url" in spec}
    return "|".join(re.escape(n) for n in sorted(names)) or "NONE"


def download_spec(wildcards):
    return DOWNLOADS[wildcards.download]


def await_download(download_id):
    """Before a hub download's record exists its files are unknown: wait on the checkpoint (the
    job's input then lists the record, so a rerun of the download reruns what reads it)."""
    if "hub" in DOWNLOADS.get(download_id, {}):
        return [checkpoints.download_hub.get(download=download_id).output[0]]
    return []


def source_shards(source):
    await_download(f"sources/{source}")
    return shard_files(config["sources"][source])


def shard_file(wildcards):
    return source_shards(wildcards.source)[wildcards.shard]


def get_ingest_input(wildcards):
    if reads_system_pages(config["sources"][wildcards.source]):
        return [source_inputs_manifest(wildcards.source)]
    return await_download(f"sources/{wildcards.source}") + input_files(
        config["sources"][wildcards.source], shard_file(wildcards)
    )


def reads_system_pages(cfg):
    """A haddock source read out of doc_dirs (Debian's ghc-doc): its ingest depends on a manifest
    of the source pages it reads (rule source_inputs), not on the directory tree, whose index
    pages every Debian Haskell package install regenerates."""
    return cfg.get("kind") == "haddock" and bool(cfg.get("doc_dirs"))


def system_page_sources():
    return network_pattern([s for s, cfg in config["sources"].items() if reads_system_pages(cfg)])


def source_inputs_manifest(source):
    return layout.source_inputs(source)


def source_input_pages(wildcards):
    """The pages the haddock reader reads (doc_dirs/**/src/*.html) of the selected `packages`:
    the only files of the tree whose change reruns the source."""
    cfg = config["sources"][wildcards.source]
    if is_absent(cfg):
        return []
    return [str(page) for page in haddock.selected_pages(cfg) if has_utf8_name(str(page))]


def get_source_shard_outputs(kind):
    def outputs(wildcards):
        return expand(
            layout.shard(kind),
            source=wildcards.source,
            shard=source_shards(wildcards.source),
        )

    return outputs


def clean_cfg(wildcards):
    return views.clean_view(config, wildcards.source)


def all_clean():
    return expand(layout.clean(), source=enabled_sources())


def all_signatures():
    return expand(layout.signatures(), source=enabled_sources())


def decontamination_suites():
    return views.decontamination_suites(config)


def decontamination_cfg():
    return views.decontamination_view(config)


def suite_files(path):
    """A suite's files: the file itself, or every file under a suite directory (the exercism
    layout), so that editing one exercise's tests reruns what read them."""
    if Path(path).is_dir():
        return sorted(str(p) for p in Path(path).rglob("*") if p.is_file())
    return [path]


def decontamination_inputs(wildcards):
    records = [r for name in config["evaluation"]["suites"] for r in await_download(f"suites/{name}")]
    return records + [f for suite in decontamination_suites() for f in suite_files(suite["path"])]


def experiment_cfg(wildcards):
    return config["experiments"][wildcards.experiment]


def experiment_model_dir(wildcards):
    return layout.model_dir(config["experiments"][wildcards.experiment]["model"])


def model_cfg(wildcards):
    return config["models"][wildcards.model]


def suite_cfg(wildcards):
    return {"name": wildcards.suite, **config["evaluation"]["suites"][wildcards.suite]}


def suite_inputs(wildcards):
    suite = config["evaluation"]["suites"][wildcards.suite]
    if suite["format"] == "heldout":
        return {"test_split": layout.dataset("test.parquet")}
    return {"suite_files": suite_files(suite["path"]), "downloads": await_download(f"suites/{wildcards.suite}")}


def base_models():
    return sorted({exp["model"] for exp in config["experiments"].values()})


def all_evaluations():
    suites = list(config["evaluation"]["suites"])
    outputs = expand(
        layout.evaluation(layout.eval_dir()),
        experiment=config["experiments"],
        suite=suites,
    )
    if config["evaluation"].get("evaluate_base", True):
        outputs += expand(layout.evaluation(layout.base_eval_dir()), model=base_models(), suite=suites)
    return outputs


def get_final_output():
    return [
        layout.dataset("card.md"),
        *expand(layout.adapter(), experiment=config["experiments"]),
        *all_evaluations(),
        layout.report_page(),
    ]


def mixture_cfg(wildcards):
    return views.mixture_view(config, wildcards.experiment)


def training_cfg(wildcards):
    return views.training_view(config, wildcards.experiment)


def checkpoint_scoring_suite(wildcards):
    """The suite file checkpoints are scored on, when one is configured."""
    suite = with_defaults(training_cfg(wildcards))["checkpoint_scoring"]["suite"]
    return [suite["path"]] if suite else []


def examples_cfg(wildcards):
    return views.examples_view(config, wildcards.experiment)


def experiment_resource(key, default, job="train"):
    """A callable resource for the train (job="train") or evaluate (job="evaluate") rules, from
    the experiment's `resources` block (the GPU request the slurm profile turns into sbatch
    options; evaluation reads its own `resources.evaluation`), else `default`: see
    budgetai.core.cluster_jobs.job_resource. Base-model evaluations take the largest request
    among the experiments on that model."""

    def resource(wildcards):
        if wildcards.get("experiment"):
            blocks = [config["experiments"][wildcards.experiment]]
        else:
            blocks = [e for e in config["experiments"].values() if e["model"] == wildcards.model]
        return cluster_jobs.job_resource(blocks, job, key, default)

    return resource


def network_pattern(names):
    """A wildcard pattern matching exactly these names (NONE when there are none)."""
    return "|".join(re.escape(n) for n in names) or "NONE"


def online_sources():
    """Sources whose ingest reads the network: a local rule (ingest_online) on a cluster."""
    return network_pattern(cluster_jobs.network_sources(config["sources"]))


def offline_sources():
    online = set(cluster_jobs.network_sources(config["sources"]))
    return network_pattern([s for s in config["sources"] if s not in online])


def hub_models():
    """Models fetched from the hub: a local rule (download_model) on a cluster."""
    return network_pattern(cluster_jobs.hub_models(config["models"]))


def local_models():
    hub = set(cluster_jobs.hub_models(config["models"]))
    return network_pattern([m for m in config["models"] if m not in hub])


def provenance_expectations():
    """The config each existing source and training output would be built with now: ingest
    shards, clean outputs and adapters, compared with what their manifests recorded."""
    expected = []
    for source in enabled_sources():
        for records in sorted(Path(layout.source_dir(source), "shards").glob("*.parquet")):
            if records.name.endswith(".quarantine.parquet"):
                continue
            shard = records.name.removesuffix(".parquet")
            outputs = [layout.shard(kind, source, shard) for kind in ("parquet", "stats.json", "quarantine.parquet")]
            expected.append(stale_outputs.Expectation(f"source {source} (ingest)", outputs, views.ingest_view(config, source)))
        outputs = [layout.clean(source), layout.clean_stats(source), layout.clean_quarantine(source)]
        expected.append(stale_outputs.Expectation(f"source {source} (clean)", outputs, views.clean_view(config, source)))
    for experiment in config["experiments"]:
        expected.append(stale_outputs.Expectation(f"experiment {experiment} (train)", [layout.adapter(experiment)],
                                                  views.training_view(config, experiment)))
    return expected


def check_provenance():
    """Outputs built under another config, which Snakemake has no record of (a copied results/),
    stop the run; with `--config rebuild_stale=True` they are moved to results/stale/<time>/ and
    rebuilt. budgetai.core.stale_outputs says why."""
    stale = stale_outputs.find_stale(provenance_expectations())
    if not stale:
        return
    if not config.get("rebuild_stale"):
        raise stale_outputs.StaleOutputError(stale_outputs.stale_message(stale))
    destination = f"results/{stale_outputs.STALE_DIR}/{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}"
    for path in stale_outputs.set_aside(stale, "results", destination):
        print(f"rebuild_stale: moved {path} to {destination}/ (built under another config)", file=sys.stderr)


if workflow.is_main_process:
    check_provenance()
