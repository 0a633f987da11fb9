"""Benchmark: our StackExchange reader against a plain xml.etree baseline on large Posts.xml files.

Builds ~100 MB and ~1 GB Posts.xml files by repeating the real rows of a dump with fresh ids,
then, for each size, runs in a fresh subprocess (a) budgetai.sources.stackexchange.read with a
tag filter and (b) a baseline doing the same selection (accepted answer, else the top-scored)
and the same Markdown conversion with xml.etree.ElementTree.iterparse. Prints MB/s and peak RSS
and the ratios: ours/baseline MB/s by wall clock and by CPU time (the latter is robust when
other jobs share the machine) (target >= 2) and our peak RSS at the largest size over the
smallest (target <= 1.2: memory must not grow with file size).

The default tag, "faq", is on 2% of the cstheory-meta questions, more than Haskell's share of
StackOverflow (~0.3%), so the Markdown conversion (shared by both) is not understated.

Run:  .venv/bin/python bench/ingest_stackexchange.py [--quick] [--workdir DIR] [--tag faq]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_POSTS = REPO.parent / "shared/realdata/stackexchange/cstheory-meta-Posts.xml"
_ID_ATTRS = re.compile(rb'\b(Id|ParentId|AcceptedAnswerId)="(\d+)"')


def build_posts(source: Path, target: Path, megabytes: int) -> int:
    """Repeat the source's row lines, shifting every id by a per-copy offset, until the file
    reaches `megabytes`. Returns the number of rows written."""
    rows = [line.strip() for line in source.read_bytes().splitlines() if line.strip().startswith(b"<row")]
    stride = 1 + max(int(m.group(2)) for row in rows for m in _ID_ATTRS.finditer(row))
    goal, written, count, copy = megabytes * 1_000_000, 0, 0, 0
    with open(target, "wb") as out:
        out.write(b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\r\n<posts>\r\n')
        while written < goal:
            offset = copy * stride
            shift = (lambda m: m.group(1) + b'="' + str(int(m.group(2)) + offset).encode() + b'"')
            chunk = b"".join(b"  " + _ID_ATTRS.sub(shift, row) + b"\r\n" for row in rows)
            out.write(chunk)
            written, count, copy = written + len(chunk), count + len(rows), copy + 1
        out.write(b"</posts>\r\n")
    return count


def run_ours(path: str, tag: str) -> int:
    from budgetai.sources.stackexchange.reader import read
    from budgetai.core.stats import StageStats

    stats = StageStats("bench")
    return sum(1 for _ in read("bench", {"path": path, "tags": [tag]}, stats, []))


def run_baseline(path: str, tag: str) -> int:
    """What one writes without thinking about speed: ElementTree iterparse, markdownify with
    its defaults, questions held until the end of the file."""
    import xml.etree.ElementTree as ET

    from markdownify import markdownify

    questions, best = {}, {}
    context = ET.iterparse(path, events=("start", "end"))
    _, root = next(context)
    for event, elem in context:
        if event != "end" or elem.tag != "row":
            continue
        a = elem.attrib
        if a.get("PostTypeId") == "1":
            tags = re.findall(r"<([^<>]+)>", a.get("Tags", ""))
            if tag in tags and not a.get("ClosedDate") and not a.get("CommunityOwnedDate") \
                    and int(a.get("Score", 0)) >= 0:
                questions[a["Id"]] = (a.get("Title", ""), a.get("Body", ""), a.get("AcceptedAnswerId"))
        elif a.get("PostTypeId") == "2" and a.get("ParentId") in questions and int(a.get("Score", 0)) >= 0:
            key = (a["Id"] == questions[a["ParentId"]][2], int(a.get("Score", 0)))
            if a["ParentId"] not in best or key > best[a["ParentId"]][0]:
                best[a["ParentId"]] = (key, a.get("Body", ""))
        root.clear()  # drop finished rows so memory stays flat
    records = []
    for qid, (_, body) in best.items():
        title, qbody, _ = questions[qid]
        records.append((title + "\n\n" + markdownify(qbody, code_language=tag), markdownify(body, code_language=tag)))
    return len(records)


def measure(kind: str, path: Path, tag: str) -> dict:
    """Run one reader in a fresh interpreter; it reports its own time and peak RSS."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path), tag],
                         capture_output=True, text=True, check=True, cwd=REPO)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    megabytes = path.stat().st_size / 1e6
    result["mb_per_s"] = megabytes / result["seconds"]
    result["cpu_mb_per_s"] = megabytes / result["cpu_seconds"]
    return result


def child(kind: str, path: str, tag: str) -> None:
    # Import before timing: start-up cost is not throughput, and both sides pay their own.
    import markdownify  # noqa: F401
    import budgetai.sources.stackexchange  # noqa: F401

    start, cpu_start = time.perf_counter(), time.process_time()
    records = (run_ours if kind == "ours" else run_baseline)(path, tag)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"records": records, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak_mb}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=Path, default=DEFAULT_POSTS)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--tag", default="faq")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="MB")
    parser.add_argument("--quick", action="store_true", help="sizes 20 and 100 MB")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    sizes = [20, 100] if args.quick else args.sizes
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        results = {}
        for size in sizes:
            path = Path(tmp) / f"Posts-{size}MB.xml"
            rows = build_posts(args.posts, path, size)
            ours, base = measure("ours", path, args.tag), measure("baseline", path, args.tag)
            if ours["records"] != base["records"]:
                raise SystemExit(f"{size} MB: ours kept {ours['records']} records, baseline {base['records']}")
            results[size] = (ours, base)
            print(f"{size:>5} MB {rows:>9} rows {ours['records']:>6} records | ours {ours['mb_per_s']:6.1f} MB/s "
                  f"(CPU {ours['cpu_mb_per_s']:6.1f}) {ours['peak_rss_mb']:7.1f} MB RSS | baseline "
                  f"{base['mb_per_s']:6.1f} MB/s (CPU {base['cpu_mb_per_s']:6.1f}) {base['peak_rss_mb']:7.1f} MB RSS",
                  flush=True)
            path.unlink()
    small, large = results[sizes[0]][0], results[sizes[-1]][0]
    for key, label in (("mb_per_s", "wall-clock"), ("cpu_mb_per_s", "CPU-time")):
        print(f"ours/baseline {label} MB/s: " + ", ".join(
            f"{s} MB {results[s][0][key] / results[s][1][key]:.2f}x" for s in sizes) + " (target >= 2)")
    print(f"our peak RSS {sizes[-1]} MB / {sizes[0]} MB: {large['peak_rss_mb'] / small['peak_rss_mb']:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
