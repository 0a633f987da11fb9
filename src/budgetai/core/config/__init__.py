"""Configuration, in one home: `load` (read and merge config files as Snakemake does, the CPU
stand-in overlay), `stages` (every data stage's knobs: defaults and allowed keys declared once),
`training` (every training knob), `views` (the slice of the config each rule depends on), and
`checks` (schema and cross-reference checks that stop a run before its first job)."""
