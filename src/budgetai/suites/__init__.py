"""Evaluation suites in their published formats, read by one loader that evaluation and
decontamination share (`load`)."""
