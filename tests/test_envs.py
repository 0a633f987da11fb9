"""envs/*.yaml (conda environments for `--sdm conda`) pin what pyproject.toml pins.

Every runtime dependency of the package must appear in each environment whose jobs can import
it, with a specifier that allows only versions pyproject.toml allows; so adding a dependency to
pyproject.toml without adding it here fails this test.
"""

import stat
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python >= 3.11")

REPO = Path(__file__).resolve().parents[1]
ENVS = ("data", "train", "eval")
# Run by the Snakemake driver (and, inside each SLURM job, by the driver's interpreter), never
# inside a rule's conda environment.
DRIVER_ONLY = {"snakemake", "snakemake-executor-plugin-slurm"}
# Needs CUDA; data jobs run on CPU nodes and never import it.
GPU_ONLY = {"bitsandbytes"}


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def env_requirements(env: str) -> tuple[dict[str, Requirement], str]:
    """(pip requirements by canonical name, conda python spec) of envs/<env>.yaml."""
    spec = yaml.safe_load((REPO / "envs" / f"{env}.yaml").read_text())
    pip_lines, python = [], None
    for dep in spec["dependencies"]:
        if isinstance(dep, dict):
            pip_lines += [line for line in dep["pip"] if not line.startswith("-")]
        elif dep.split("=")[0].strip() == "python":
            python = dep
    reqs = [Requirement(line) for line in pip_lines]
    return {canonicalize_name(r.name): r for r in reqs}, python


def allows_only_what(env_req: Requirement, wanted: Requirement) -> bool:
    """True if env_req's specifier is pyproject's, or exact pins that pyproject allows."""
    if env_req.specifier == wanted.specifier:
        return True
    pins = [s for s in env_req.specifier if s.operator == "=="]
    return bool(pins) and len(pins) == len(env_req.specifier) and all(
        wanted.specifier.contains(p.version, prereleases=True) for p in pins)


def expected_in(env: str) -> list[Requirement]:
    deps = [Requirement(d) for d in pyproject()["project"]["dependencies"]]
    skip = DRIVER_ONLY | (GPU_ONLY if env == "data" else set())
    return [d for d in deps if canonicalize_name(d.name) not in skip]


@pytest.mark.parametrize("env", ENVS)
def test_env_has_every_package_dependency_with_a_compatible_spec(env):
    have, _ = env_requirements(env)
    problems = []
    for wanted in expected_in(env):
        got = have.get(canonicalize_name(wanted.name))
        if got is None:
            problems.append(f"{wanted} missing")
        elif not allows_only_what(got, wanted) or not wanted.extras <= got.extras:
            problems.append(f"{got} does not match pyproject.toml's {wanted}")
    assert not problems, f"envs/{env}.yaml: " + "; ".join(problems)


@pytest.mark.parametrize("env", ENVS)
def test_env_python_satisfies_requires_python(env):
    _, python = env_requirements(env)
    assert python is not None, f"envs/{env}.yaml pins no python"
    version = python.split("=", 1)[1].lstrip("=")
    assert SpecifierSet(pyproject()["project"]["requires-python"]).contains(version)


@pytest.mark.parametrize("env", ["train", "eval"])
def test_gpu_envs_get_a_cuda_torch(env):
    spec = yaml.safe_load((REPO / "envs" / f"{env}.yaml").read_text())
    pip = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
    assert any(line.startswith("--extra-index-url https://download.pytorch.org/whl/cu")
               for line in pip)
    assert "torch" in env_requirements(env)[0]
    assert "torch" not in env_requirements("data")[0]  # the data env stays CPU-only and small


def test_allows_only_what_rejects_looser_or_outside_specs():
    wanted = Requirement("pyarrow>=15")
    assert allows_only_what(Requirement("pyarrow>=15"), wanted)
    assert allows_only_what(Requirement("pyarrow==16.1"), wanted)
    assert not allows_only_what(Requirement("pyarrow>=14"), wanted)
    assert not allows_only_what(Requirement("pyarrow==14.0"), wanted)
    assert not allows_only_what(Requirement("pyarrow"), wanted)


@pytest.mark.parametrize("env", ENVS)
def test_post_deploy_script_installs_the_package(env):
    script = REPO / "envs" / f"{env}.post-deploy.sh"
    assert script.stat().st_mode & stat.S_IXUSR
    assert "pip install --no-deps -e ." in script.read_text()


def constraints() -> dict[str, Requirement]:
    lines = [line.split("#")[0].strip() for line in (REPO / "constraints.txt").read_text().splitlines()]
    return {canonicalize_name(r.name): r for r in map(Requirement, filter(None, lines))}


def test_constraints_pin_exact_versions_that_pyproject_allows():
    pinned = constraints()
    assert {"torch", "transformers", "peft", "accelerate", "bitsandbytes"} <= pinned.keys()
    wanted = {canonicalize_name(r.name): r for r in map(Requirement, pyproject()["project"]["dependencies"])}
    for name, req in pinned.items():
        (spec,) = req.specifier
        assert spec.operator == "==", f"constraints.txt: {req} is not an exact pin"
        if name in wanted:
            assert wanted[name].specifier.contains(spec.version), f"pyproject.toml's {wanted[name]} excludes {req}"
            assert any(s.operator in ("<", "<=", "~=", "==") for s in wanted[name].specifier), \
                f"pyproject.toml: {wanted[name]} has no upper bound"


@pytest.mark.parametrize("env", ENVS)
def test_env_pins_the_constrained_versions(env):
    have, _ = env_requirements(env)
    skip = {"torch", *GPU_ONLY} if env == "data" else set()
    for name, req in constraints().items():
        if name in skip:
            assert name not in have
            continue
        assert name in have, f"envs/{env}.yaml lacks {req} (constraints.txt)"
        assert have[name].specifier == req.specifier, f"envs/{env}.yaml: {have[name]}, constraints.txt: {req}"


def test_make_installs_with_the_constraints():
    makefile = (REPO / "Makefile").read_text()
    assert "CONSTRAINTS ?= constraints.txt" in makefile
    installs = [line for line in makefile.splitlines() if "pip install" in line and "--no-deps" not in line
                and "--upgrade pip" not in line]
    assert installs and all("-c $(CONSTRAINTS)" in line for line in installs), installs
