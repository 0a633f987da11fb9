import bz2
import gzip
import logging
import shutil
import subprocess

import pytest
import zstandard

from budgetai.sources.stackexchange.reader import TERMS_WARNING, count_posts, parse_tags, read
from budgetai.sources.stackexchange.posts_xml import PostsFileError
from budgetai.core.stats import StageStats

SAMPLE = "resources/sample/stackexchange/Posts.xml"


def run(cfg, source="so"):
    stats, quarantine = StageStats("ingest"), []
    records = list(read(source, cfg, stats, quarantine))
    stats.rows_out = len(records)
    assert stats.balanced(), stats.to_dict()
    return records, stats, quarantine


def posts(*rows: str, root="posts") -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n' + "".join(f"  {r}\n" for r in rows) + f"</{root}>\n"


Q = '<row Id="{id}" PostTypeId="1" {extra} CreationDate="2015-01-01T00:00:00.000" Score="{score}" Body="&lt;p&gt;Q{id}&lt;/p&gt;" Title="Question {id}" Tags="{tags}" />'
A = '<row Id="{id}" PostTypeId="2" ParentId="{parent}" CreationDate="{date}" Score="{score}" Body="&lt;p&gt;A{id}&lt;/p&gt;" />'


def q(id, tags="&lt;haskell&gt;", score=1, extra=""):
    return Q.format(id=id, tags=tags, score=score, extra=extra)


def a(id, parent, score=1, date="2015-02-01T00:00:00.000"):
    return A.format(id=id, parent=parent, score=score, date=date)


@pytest.fixture
def real(shared_dir):
    return shared_dir / "realdata/stackexchange"


def test_count_posts_on_real_dumps(real):
    assert count_posts(real / "cstheory-meta-Posts.xml") == {
        "rows": 1915, "questions": 589, "answers": 1322, "accepted": 206, "other": 4, "malformed": 0}
    counts = count_posts(real / "stackoverflow-first-rows-posts.xml")  # root element <xml>
    assert (counts["questions"], counts["answers"], counts["accepted"]) == (35, 63, 13)


def test_real_dump_with_bom_and_crlf_accounts_for_every_row(real):
    records, stats, quarantine = run({"path": str(real / "cstheory-meta-Posts.xml"), "answers": "all",
                                      "drop_closed": False, "drop_community_wiki": False,
                                      "min_answer_score": -1000, "min_question_score": -1000,
                                      "site_url": "https://cstheory.meta.stackexchange.com"})
    assert stats.rows_in == 1915 and quarantine == []
    assert stats.dropped["question_used_as_prompt"] == 589
    assert stats.dropped["post_type_4"] == 2 and stats.dropped["post_type_5"] == 2
    assert len(records) + stats.dropped["parent_not_kept"] == 1322
    first = next(r for r in records if r.meta["question_id"] == 1)
    assert first.prompt.startswith("What should our site/domain name be?\n\n> **Possible Duplicate:**")
    assert not any("\r" in r.prompt or "\r" in r.response for r in records)  # CRLF file
    assert "\ufeff" not in first.prompt and first.url.startswith("https://cstheory.meta.stackexchange.com/a/")
    accepted = run({"path": str(real / "cstheory-meta-Posts.xml"), "answers": "accepted",
                    "drop_closed": False, "drop_community_wiki": False,
                    "min_answer_score": -1000, "min_question_score": -1000})[0]
    assert len(accepted) == 206 and all(r.meta["accepted"] for r in accepted)


def test_sample_yields_haskell_qa_records(repo_dir, monkeypatch):
    monkeypatch.chdir(repo_dir)
    records, stats, _ = run({"path": SAMPLE, "tags": ["haskell"]})
    assert stats.dropped["tags"] == 3  # python, javascript, sql
    assert stats.dropped["closed"] == 1 and stats.dropped["community_wiki"] == 1
    assert stats.dropped["question_score"] == 2 and stats.dropped["post_type_5"] == 1
    assert len(records) == stats.dropped["question_used_as_prompt"] == 43
    foldl = next(r for r in records if r.meta["question_id"] == 4224)
    assert foldl.id == "so:4225" and foldl.group == "so:q4224" and foldl.kind == "qa"
    assert foldl.prompt.startswith("Why does foldl blow the stack when summing a big list?\n\nI sum a million")
    assert "```haskell\nimport Data.List (foldl')\n" in foldl.response
    assert foldl.url == "https://stackoverflow.com/a/4225" and foldl.language == "haskell"
    assert foldl.license == "CC BY-SA 2.5" and foldl.meta["accepted"] is True
    assert foldl.meta["tags"] == ["haskell", "fold", "lazy-evaluation"]
    assert {r.license for r in records} == {"CC BY-SA 2.5", "CC BY-SA 3.0", "CC BY-SA 4.0"}


def test_answer_selection_modes(repo_dir, monkeypatch):
    monkeypatch.chdir(repo_dir)
    cfg = {"path": SAMPLE, "tags": ["haskell"]}
    accepted, _, _ = run({**cfg, "answers": "accepted"})
    every, stats, _ = run({**cfg, "answers": "all"})
    top2, _, _ = run({**cfg, "answers": "top_k", "top_k": 2})
    assert all(r.meta["accepted"] for r in accepted) and len(accepted) == 43
    assert len(every) == len(top2) == 43 + 27  # 27 kept questions have a second answer (>= 0)
    assert stats.dropped["answer_score"] == 1  # the -1 answer
    only_high = run({**cfg, "answers": "all", "min_answer_score": 20})[0]
    assert only_high and all(r.meta["answer_score"] >= 20 for r in only_high)


def test_license_falls_back_to_the_answer_date(tmp_path):
    path = tmp_path / "Posts.xml"
    path.write_text(posts(q(1), a(2, 1, date="2010-05-01T00:00:00.000"), a(3, 1, date="2012-05-01T00:00:00.000"),
                          a(4, 1, date="2019-05-01T00:00:00.000")))
    records, _, _ = run({"path": str(path), "answers": "all"})
    assert [r.license for r in records] == ["CC BY-SA 2.5", "CC BY-SA 3.0", "CC BY-SA 4.0"]
    dated, stats, _ = run({"path": str(path), "answers": "all", "date_from": "2011-01-01", "date_to": "2018-12-31"})
    assert [r.id for r in dated] == ["so:3"] and stats.dropped["date_range"] == 2


def test_pipe_tags_xml_root_unsorted_rows_and_planted_fakes(tmp_path):
    assert parse_tags("|haskell|monads|") == parse_tags("<haskell><monads>") == ["haskell", "monads"]
    path = tmp_path / "Posts.xml"
    path.write_text(posts(a(9, 5), a(10, 7), q(5, tags="|haskell|io|"), q(7, tags="|rust|"),
                          q(1000000001), a(1000000010, 5), a(12, 5, score=3), root="xml"))
    records, stats, _ = run({"path": str(path), "answers": "all", "tags": ["haskell"]})
    assert sorted(r.id for r in records) == ["so:12", "so:9"]
    assert stats.dropped["planted_fake_post"] == 2 and stats.dropped["parent_not_kept"] == 1


@pytest.mark.parametrize("cfg", [
    {"tags": ["haskell"]},
    {"tags": ["haskell", "io"], "tags_match": "any", "answers": "all"},
    {"tags": ["haskell", "io"], "tags_match": "all", "answers": "all"},
    {"answers": "top_k", "top_k": 2},
])
def test_rows_dropped_from_their_bytes_match_a_full_parse(tmp_path, cfg):
    """One row per line (rows dropped without parsing) and rows spread over lines (every row
    parsed by iterparse) must give the same records and the same accounting."""
    rows = [q(1, tags="&lt;haskell&gt;&lt;io&gt;"), a(2, 1), q(3, tags="&lt;io&gt;"), a(4, 3, score=5),
            q(5, tags="|rust|"), a(6, 5), a(7, 1, score=4), '<row Id="8" PostTypeId="4" Body="wiki" />',
            q(9, tags="&lt;python&gt;&lt;haskell&gt;"), a(10, 9), a(11, 1000), q(1000000001), a(12, 3)]
    per_line, spread = tmp_path / "per-line.xml", tmp_path / "spread.xml"
    per_line.write_text(posts(*rows, root="rows"))
    spread.write_text(posts(*(r.replace('" ', '"\n      ') for r in rows), root="rows"))
    assert sum(1 for _ in open(spread)) > 3 * len(rows)
    line_records, line_stats, _ = run({"path": str(per_line), **cfg})
    parsed_records, parsed_stats, _ = run({"path": str(spread), **cfg})
    assert line_records and line_records == parsed_records
    assert line_stats.to_dict() == parsed_stats.to_dict()


def test_compressed_inputs_give_identical_records(repo_dir, tmp_path):
    xml = (repo_dir / SAMPLE).read_bytes()
    (tmp_path / "Posts.xml.gz").write_bytes(gzip.compress(xml))
    (tmp_path / "Posts.xml.bz2").write_bytes(bz2.compress(xml))
    (tmp_path / "Posts.xml.zst").write_bytes(zstandard.ZstdCompressor().compress(xml))
    paths = [repo_dir / SAMPLE, *(tmp_path / f"Posts.xml.{ext}" for ext in ("gz", "bz2", "zst"))]
    if shutil.which("7z"):
        shutil.copy(repo_dir / SAMPLE, tmp_path / "Posts.xml")
        subprocess.run(["7z", "a", "-bd", str(tmp_path / "dump.7z"), str(tmp_path / "Posts.xml")],
                       check=True, capture_output=True)
        paths.append(tmp_path / "dump.7z")
    results = [run({"path": str(p), "tags": ["haskell"]})[0] for p in paths]
    assert len(results[0]) == 43
    assert all(r == results[0] for r in results[1:])


def test_garbage_row_and_truncated_file_are_quarantined(tmp_path):
    text = posts(q(1), a(2, 1), '<row Id="3" PostTypeId="2" <<garbage', a(4, 1), "some stray text", a(5, 1))
    truncated = text[: text.index("</posts>")] + '  <row Id="6" PostTypeId="2" Par'
    path = tmp_path / "Posts.xml"
    path.write_text(truncated)
    records, stats, quarantine = run({"path": str(path), "answers": "all"})
    assert [r.id for r in records] == ["so:2", "so:4", "so:5"]
    assert stats.quarantined["malformed_xml"] == 3
    assert [x["location"] for x in quarantine] == [f"{path}:line {n}" for n in (5, 7, 9)]


def test_truncated_compressed_stream_is_quarantined(repo_dir, tmp_path):
    data = gzip.compress((repo_dir / SAMPLE).read_bytes())
    path = tmp_path / "Posts.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    records, stats, _ = run({"path": str(path), "answers": "all"})
    assert records and stats.quarantined["truncated_stream"] == 1


def test_invalid_attributes_are_quarantined(tmp_path):
    path = tmp_path / "Posts.xml"
    path.write_text(posts(q(1), '<row Id="x7" PostTypeId="2" ParentId="1" />', a(2, 1)))
    records, stats, quarantine = run({"path": str(path)})
    assert [r.id for r in records] == ["so:2"]
    assert stats.quarantined["invalid_attribute"] == 1 and "x7" in quarantine[0]["raw"]


def test_missing_file_raises_with_its_name(tmp_path):
    with pytest.raises(PostsFileError, match="no-such-Posts.xml"):
        run({"path": str(tmp_path / "no-such-Posts.xml")})


def test_terms_warning_is_logged_and_recorded(repo_dir, caplog):
    stats = StageStats("ingest")
    with caplog.at_level(logging.WARNING, logger="budgetai.sources.stackexchange"):
        read("so", {"path": str(repo_dir / SAMPLE)}, stats, [])
    assert TERMS_WARNING in caplog.text and stats.extra["terms_warning"] == TERMS_WARNING
