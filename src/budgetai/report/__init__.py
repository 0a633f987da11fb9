"""The run's report: one self-contained HTML page (plots embedded) under results/report/."""
