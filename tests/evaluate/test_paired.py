"""Paired comparisons: the exact sign test (McNemar) on known tables, the paired bootstrap, and
compare_runs on generation rows."""

import json

import pytest

from budgetai.commands.main import main
from budgetai.evaluate.paired import compare_runs, paired_bootstrap, per_problem_rates, sign_test


@pytest.mark.parametrize("b,c,p", [
    (10, 2, 0.03857421875),  # 2 * (1 + 12 + 66) / 4096
    (2, 10, 0.03857421875),
    (3, 11, 0.057373046875),  # 2 * 470 / 16384: not significant at 5%
    (0, 6, 0.03125),  # 2 / 64
    (1, 6, 0.125),
    (5, 5, 1.0),
    (0, 0, 1.0),
])
def test_sign_test_on_known_tables(b, c, p):
    assert sign_test(b, c) == pytest.approx(p, abs=1e-12)


def test_sign_test_refuses_negative_counts():
    with pytest.raises(ValueError, match="b=-1"):
        sign_test(-1, 3)


def test_paired_bootstrap_finds_a_constant_shift_and_not_noise():
    shifted = paired_bootstrap([0.75] * 30, [0.25] * 30)
    assert shifted["difference"] == pytest.approx(0.5) and shifted["ci95"] == pytest.approx([0.5, 0.5])
    assert shifted["p"] < 0.001
    same = paired_bootstrap([0.1, 0.9, 0.5], [0.1, 0.9, 0.5])
    assert (same["difference"], same["p"]) == (0.0, 1.0)
    noise = paired_bootstrap([1, 0] * 10, [0, 1] * 10)  # A ahead on half, B on the other half
    assert noise["p"] > 0.5
    assert paired_bootstrap([0.3, 0.6, 0.2, 0.9], [0.1, 0.5, 0.4, 0.2], seed=7) == \
        paired_bootstrap([0.3, 0.6, 0.2, 0.9], [0.1, 0.5, 0.4, 0.2], seed=7)


def _row(pid, passed, compiled=True, error=None, code="x = 1", tests=(1, 1), sample_index=0):
    return {"problem_id": pid, "sample_index": sample_index, "code": code, "compiled": compiled,
            "compile_error_class": error, "passed": passed, "tests_passed": tests[0], "tests_total": tests[1]}


def _runs(tmp_path, rows_a, rows_b, suite="exercises"):
    paths = []
    for name, rows in (("a", rows_a), ("b", rows_b)):
        (tmp_path / f"{name}.json").write_text(json.dumps({"suite": suite, "format": "exercism", "target": name}))
        (tmp_path / f"{name}.generations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        paths += [tmp_path / f"{name}.json", tmp_path / f"{name}.generations.jsonl"]
    return paths


def test_compare_runs_labels_a_real_difference_and_a_tie(tmp_path):
    # 12 problems differ on passing: A alone passes 10, B alone 2; 8 more both pass.
    rows_a = [_row(f"p{i}", True, tests=(4, 4)) for i in range(10)] + \
             [_row(f"p{i}", False, tests=(1, 4)) for i in range(10, 12)] + [_row(f"q{i}", True) for i in range(8)]
    rows_b = [_row(f"p{i}", False, tests=(1, 4)) for i in range(10)] + \
             [_row(f"p{i}", True, tests=(4, 4)) for i in range(10, 12)] + [_row(f"q{i}", True) for i in range(8)]
    result = compare_runs(*_runs(tmp_path, rows_a, rows_b))
    passes = result["rungs"]["passes"]
    assert (passes["a_better"], passes["b_better"]) == (10, 2)
    assert passes["p"] == pytest.approx(0.03857421875) and passes["verdict"] == "p = 0.0386"
    assert result["rungs"]["typechecks"]["verdict"] == "not distinguishable at 5%"  # all compiled
    graded = result["graded_share"]
    assert graded["difference"] == pytest.approx((10 * 0.75 - 2 * 0.75) / 20)
    assert graded["verdict"].startswith("p = ")
    assert (result["problems"], result["a"]["target"], result["b"]["target"]) == (20, "a", "b")


def test_rungs_come_from_the_compile_verdict_and_several_samples_average():
    rows = [_row("p", False, compiled=False, error="parse_error", tests=(0, 0)),
            _row("p", False, compiled=False, error="type_error", tests=(0, 0), sample_index=1),
            _row("empty", False, compiled=True, code="  ", tests=(0, 3))]
    rates = per_problem_rates(rows)
    assert rates["p"] == {"parses": 0.5, "typechecks": 0.0, "passes": 0.0, "graded": 0.0}
    assert rates["empty"]["parses"] == 0.0  # no code climbs no rung


def test_compare_runs_refuses_different_suites_and_names_bad_rows(tmp_path):
    a_json, a_rows, b_json, b_rows = _runs(tmp_path, [_row("p", True)], [_row("p", True)])
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"suite": "functions", "format": "multipl-e"}))
    with pytest.raises(ValueError, match="not the same problems"):
        compare_runs(a_json, a_rows, other, b_rows)
    b_rows.write_text(json.dumps({"problem_id": "p", "completion": "x"}) + "\n")
    with pytest.raises(ValueError, match="generations row 1: missing"):
        compare_runs(a_json, a_rows, b_json, b_rows)


def test_budgetai_compare_prints_each_shared_suite_with_its_verdicts(tmp_path, capsys):
    rows_a = [_row(f"p{i}", i < 10) for i in range(12)]
    rows_b = [_row(f"p{i}", i >= 10) for i in range(12)]
    for name, rows in (("a", rows_a), ("b", rows_b)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "exercises.json").write_text(json.dumps({"suite": "exercises", "format": "exercism"}))
        (tmp_path / name / "exercises.generations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "a" / "only-a.generations.jsonl").write_text("")  # no JSON beside it, no B: skipped
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--json", str(tmp_path / "c.json")]) == 0
    out = capsys.readouterr().out
    assert "exercises: 12 problems in both" in out and "p = 0.0386" in out
    assert "not distinguishable at 5%" in out  # parses and type-checks: no difference
    assert set(json.loads((tmp_path / "c.json").read_text())) == {"exercises"}
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--suite", "nope"]) == 2
    assert "suite(s) ['nope'] not evaluated in both" in capsys.readouterr().err


def test_budgetai_compare_shows_a_heldout_suite_as_its_loss_without_a_test(tmp_path, capsys):
    """A held-out suite's generations are text, not executable answers: its comparison is the
    held-out loss of each run, one number per run (it stopped the command before)."""
    for name, loss in (("a", 1.97), ("b", 1.89)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "heldout.json").write_text(json.dumps(
            {"suite": "heldout", "format": "heldout", "metrics": {"heldout_loss": loss, "perplexity": 7.0}}))
        (tmp_path / name / "heldout.generations.jsonl").write_text(json.dumps({"prompt": "p", "generation": "g"}) + "\n")
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--json", str(tmp_path / "c.json")]) == 0
    out = capsys.readouterr().out
    assert "heldout: held-out loss" in out and "1.970" in out and "1.890" in out and "-0.080" in out
    assert "no paired test (one number per run)" in out
    assert json.loads((tmp_path / "c.json").read_text())["heldout"]["heldout_loss"] == {
        "a": 1.97, "b": 1.89, "difference": pytest.approx(-0.08)}
