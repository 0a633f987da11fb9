"""BudgetAI: raw programming sources -> QLoRA-fine-tuned code assistant, with honest evaluation."""

__version__ = "0.1.0"
