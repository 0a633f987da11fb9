"""Training: one LoRA/QLoRA recipe (recipe.py) over chat-formatted, completion-only examples (data.py)."""
