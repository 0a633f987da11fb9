"""How a question becomes the text a model sees: chat messages, rendered by the model's chat
template (or as "prompt\n\n" when the tokenizer has none). Training (budgetai.examples.tokenize),
evaluation (budgetai.evaluate.generation) and `budgetai chat` all render through here, so the
model is trained on exactly the format it is asked in.
"""

from __future__ import annotations


def chat_messages(prompt: str, system: str | None = None) -> list[dict]:
    messages = [{"role": "system", "content": system}] if system else []
    return messages + [{"role": "user", "content": prompt}]


def render_prompt(tokenizer, messages: list[dict]) -> str:
    """The prompt up to where the assistant's answer starts."""
    if tokenizer.chat_template:
        return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return "\n\n".join(m["content"] for m in messages) + "\n\n"
