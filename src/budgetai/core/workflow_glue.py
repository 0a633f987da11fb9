"""What every `script:` wrapper in workflow/scripts/ needs: the rule's log file receives logging,
stdout and stderr, an exception is logged with its traceback before the job fails, and a job
that succeeds leaves a provenance manifest beside each output (budgetai.core.manifest). A job that
uses torch gets exactly the threads Snakemake reserved for it."""

from __future__ import annotations

import contextlib
import logging
import sys

from budgetai.core.manifest import now, write_job_manifests


@contextlib.contextmanager
def logged(snakemake):
    log_path = snakemake.log[0] if snakemake.log else None
    stream = open(log_path, "a", buffering=1) if log_path else sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _limit_torch_threads(snakemake.threads)
    started = now()
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
        try:
            yield
            write_job_manifests(snakemake, started)
        except Exception:
            logging.getLogger("budgetai").exception("rule %s failed", snakemake.rule)
            raise
        finally:
            root.removeHandler(handler)


def _limit_torch_threads(threads: int) -> None:
    """torch otherwise starts one thread per core of the node: two jobs side by side (or a job
    beside the driver's other jobs) then oversubscribe the cores and each runs several times
    slower than alone. Only for jobs that imported torch; the data stages never do."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(max(1, int(threads)))
