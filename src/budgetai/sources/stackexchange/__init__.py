"""StackExchange dumps (`kind: stackexchange`): `reader` turns questions and answers into records,
`posts_xml` streams the rows of a Posts.xml in any of its packagings."""

from budgetai.sources.stackexchange.reader import read

__all__ = ["read"]
