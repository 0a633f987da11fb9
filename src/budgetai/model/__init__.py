"""Base models: turning a configured model (GGUF in a package, local dir, hub id) into a
transformers directory, and loading it (optionally 4-bit / 8-bit) with or without an adapter."""
