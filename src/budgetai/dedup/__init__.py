"""Deduplication: exact and MinHash near-duplicate clusters, one kept row per cluster.

The stage is budgetai.dedup.stage (run); its lineage, the cluster files that the data card and
`budgetai lineage` read, budgetai.dedup.clusters. Signature files per source are
budgetai.dedup.signatures (MinHash itself: budgetai.dedup.minhash), candidate pairs
budgetai.dedup.near, shingles budgetai.dedup.shingles, exact keys budgetai.dedup.exact.
"""

from budgetai.dedup.clusters import read_clusters, write_clusters
from budgetai.dedup.stage import run

__all__ = ["read_clusters", "run", "write_clusters"]
