"""Deduplication: exact and MinHash near-duplicate clusters, one kept row per cluster.

The stage is budgetai.stages.dedup.stage (run); its lineage, the cluster files that the data card and
`budgetai lineage` read, budgetai.stages.dedup.clusters. Signature files per source are
budgetai.stages.dedup.signatures (MinHash itself: budgetai.stages.dedup.minhash), candidate pairs
budgetai.stages.dedup.near, shingles budgetai.stages.dedup.shingles, exact keys budgetai.stages.dedup.exact.
"""

from budgetai.stages.dedup.clusters import read_clusters, write_clusters
from budgetai.stages.dedup.stage import run

__all__ = ["read_clusters", "run", "write_clusters"]
