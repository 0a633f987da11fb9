"""input_manifest: the listing a system-directory source depends on."""

import hashlib
import json

from budgetai.core.input_manifest import write_input_manifest


def test_lists_path_size_and_hash_in_path_order(tmp_path):
    b, a = tmp_path / "b.html", tmp_path / "a.html"
    b.write_text("<pre>b</pre>")
    a.write_text("<pre>aa</pre>")
    out = tmp_path / "inputs.json"
    write_input_manifest("ghc", [str(b), str(a)], out)
    manifest = json.loads(out.read_text())
    assert manifest["source"] == "ghc"
    assert manifest["files"] == [
        {"path": str(a), "bytes": 13, "sha256": hashlib.sha256(b"<pre>aa</pre>").hexdigest()},
        {"path": str(b), "bytes": 12, "sha256": hashlib.sha256(b"<pre>b</pre>").hexdigest()},
    ]


def test_same_pages_same_bytes(tmp_path):
    """Rewritten with the same pages, the file is byte-identical (Snakemake's input checksum then
    sees no change downstream)."""
    page = tmp_path / "p.html"
    page.write_text("x")
    write_input_manifest("s", [str(page)], tmp_path / "one.json")
    page.touch()
    write_input_manifest("s", [str(page)], tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
