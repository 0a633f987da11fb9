"""Benchmark: the Posts.xml line reader on a gzip of zeros with no newline, against plain
decompression of the same file.

A file of one endless line is the worst case of a line reader: before the bounded reader, every
read re-copied the line so far, and 10 / 20 / 40 MiB took 4.0 / 17.5 / 76.6 s (quadratic). For
each size this writes that many MiB of zeros as .gz, then, each in a fresh subprocess, times
(a) budgetai.sources.stackexchange.posts_xml.iter_rows over it (the whole stream is one counted
line_too_long) and (b) the baseline, `gzip.open(path).read()` in reads of the line reader's
size (_LINE_READ) until the end. Prints
seconds, CPU seconds and peak RSS of both and the ratio ours/baseline: linear reading keeps the
ratio flat across sizes and our peak RSS near MAX_LINE-sized buffers plus the interpreter.

Run:  .venv/bin/python bench/line_reader.py [--sizes 64 1024] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_MIB = 1 << 20


def write_zeros_gz(path: Path, mebibytes: int) -> None:
    """`mebibytes` MiB of zeros, gzip level 1 (the content, not the level, is what is measured)."""
    block = bytes(_MIB)
    with gzip.open(path, "wb", compresslevel=1) as out:
        for _ in range(mebibytes):
            out.write(block)


def run_ours(path: str) -> dict:
    from budgetai.sources.stackexchange.posts_xml import iter_rows

    reasons: list[str] = []
    rows = sum(1 for _ in iter_rows(path, lambda location, reason, raw: reasons.append(reason)))
    return {"rows": rows, "reported": reasons}


def run_baseline(path: str) -> dict:
    from budgetai.sources.stackexchange.posts_xml import _LINE_READ

    size = 0
    with gzip.open(path, "rb") as stream:
        while chunk := stream.read(_LINE_READ):
            size += len(chunk)
    return {"bytes": size}


def child(kind: str, path: str) -> None:
    import budgetai.sources.stackexchange.posts_xml  # noqa: F401  (import time is not reading time)

    start, cpu_start = time.perf_counter(), time.process_time()
    result = (run_ours if kind == "ours" else run_baseline)(path)
    result["seconds"] = time.perf_counter() - start
    result["cpu_seconds"] = time.process_time() - cpu_start
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps(result))


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024], help="MiB of zeros")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"zeros-{size}MiB.xml.gz"
            write_zeros_gz(path, size)
            ours, base = measure("ours", path), measure("baseline", path)
            if ours["rows"] or ours["reported"] != ["line_too_long"]:
                raise SystemExit(f"{size} MiB: expected no rows and one line_too_long, got {ours}")
            print(f"{size:>5} MiB zeros (.gz {path.stat().st_size / _MIB:.1f} MiB) | ours "
                  f"{ours['seconds']:6.2f} s (CPU {ours['cpu_seconds']:6.2f}) {ours['peak_rss_mb']:6.1f} MB RSS"
                  f" | baseline {base['seconds']:6.2f} s (CPU {base['cpu_seconds']:6.2f}) "
                  f"{base['peak_rss_mb']:6.1f} MB RSS | ours/baseline {ours['seconds'] / base['seconds']:.2f}x "
                  f"(CPU {ours['cpu_seconds'] / base['cpu_seconds']:.2f}x)", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
