"""Building blocks of the clean stage (`budgetai.clean`): text normalisation and comment
stripping (`text`), a cheap language scorer (`language`), and drop filters (`filters`)."""
