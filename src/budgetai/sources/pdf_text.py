"""The text of a PDF's pages, for readers that take PDFs (textbook `paths`). A file named .pdf
that is not one (an HTML error page saved under the book's name) is a ValueError naming the
file, which the reader quarantines as that file's problem (issue 26), not pypdf's PdfReadError
ending the whole source."""

from __future__ import annotations

import os

from pypdf import PdfReader
from pypdf.errors import PyPdfError

PDF_MAGIC = b"%PDF-"


def pdf_page_texts(path: str | os.PathLike) -> list[str]:
    """The extracted text of each page ("" for a page without text)."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if PDF_MAGIC not in head:
        raise ValueError(f"{path}: not a PDF (it starts {head[:40]!r}, not {PDF_MAGIC!r})")
    try:
        return [page.extract_text() or "" for page in PdfReader(path).pages]
    except PyPdfError as err:
        raise ValueError(f"{path}: unreadable PDF ({type(err).__name__}: {err})") from None
