"""Core plumbing every layer uses: the record type, stage stats, atomic io, manifests, licenses,
configuration (load, merge, check, defaults) and the workflow's script wrapper."""
