"""Records -> training examples with the model's own tokenizer and chat template: chunking of
long records (`chunking`), token ids and labels (`tokenize`), the examples stage (`stage`)."""
