"""How much of the machine's matmul throughput training reaches.

What is counted: a frozen base costs 4 FLOPs per matmul parameter per processed token (2 for
the forward product, 2 for the backward product that carries the gradient to the activations;
no weight gradient is computed for frozen weights). The LM head costs the same 4 per parameter,
but only at the positions whose logits the loss computes (every position when the model
computes full logits). LoRA's own matmuls (rank 8: ~1% of the base's) and attention's
score/value products (~5% at 384 tokens) are left out, so the figure is a slight underestimate.
"""

from __future__ import annotations

import torch

from budgetai.model.precision import matmul_gflops

FLOPS_PER_PARAMETER = 4  # forward 2 + backward through the activations 2


def matmul_parameters(model) -> tuple[int, int]:
    """(decoder matmul parameters, LM head parameters) of a model, peft-wrapped or not, quantized
    or not: every Linear except LoRA's adapters, by its in x out shape (a 4-bit layer's stored
    weight is packed and smaller). Embeddings are lookups, not matmuls."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    head = base.get_output_embeddings()
    body = 0
    for name, module in base.named_modules():
        if isinstance(module, torch.nn.Linear) and module is not head and "lora_" not in name:
            body += module.in_features * module.out_features
    return body, (head.in_features * head.out_features if head is not None else 0)


def training_flops(model, processed_tokens: int, logit_positions: int) -> float:
    body, head = matmul_parameters(model)
    return FLOPS_PER_PARAMETER * (body * processed_tokens + head * logit_positions)


def utilisation(model, processed_tokens: int, logit_positions: int, seconds: float, compute_dtype: str,
                device: str | torch.device = "cpu") -> dict:
    """Achieved GFLOP/s over `seconds`, this machine's matmul GFLOP/s in the compute dtype
    (measured now), and their ratio."""
    achieved = training_flops(model, processed_tokens, logit_positions) / max(seconds, 1e-9) / 1e9
    ceiling = matmul_gflops(compute_dtype, device=device)
    return {"achieved_gflops": round(achieved, 1), "matmul_gflops": round(ceiling, 1),
            "share_of_matmul": round(achieved / ceiling, 4), "flops_counted": __doc__.split("\n\n")[1].replace("\n", " ")}
