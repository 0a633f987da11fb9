"""Deduplication: exact and MinHash near-duplicate clusters, one kept row per cluster.

The stage is budgetai.dedup.stage (run, and the cluster files that the data card and lineage
read); signatures are budgetai.dedup.minhash, candidate pairs budgetai.dedup.near.
"""

from budgetai.dedup.stage import read_clusters, run, write_clusters

__all__ = ["read_clusters", "run", "write_clusters"]
