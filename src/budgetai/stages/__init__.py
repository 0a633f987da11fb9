"""The dataset stages, in DAG order: ingest (+ mining), clean, dedup, decontaminate, split,
mixture, datacard."""
