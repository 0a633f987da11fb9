"""Haddock trees of Debian's `libghc-<pkg>-doc` packages: who a page belongs to and its license.

Such a package installs /usr/share/doc/libghc-<pkg>-doc/html/src/<Module>.html (no
`<pkg>-<version>` directory, so the haddock reader would name every package "html"), a Hoogle
file html/<pkg>.txt holding `@package` and `@version`, and a machine-readable copyright file
/usr/share/doc/libghc-<pkg>-doc/copyright whose `Files: *` paragraph states the license.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DEBIAN_DOC_DIR = re.compile(r"^libghc-.+-doc$")
HOOGLE_FIELD = re.compile(r"^@(package|version) (\S+)$", re.M)


def package_dir(page: Path) -> Path | None:
    """The libghc-*-doc directory a source page (…/html/src/X.html) is in, or None."""
    candidate = page.parent.parent.parent
    if page.parent.parent.name == "html" and DEBIAN_DOC_DIR.match(candidate.name):
        return candidate
    return None


@lru_cache(maxsize=None)
def identity(doc_dir: Path) -> tuple[str, str]:
    """(Hackage package name, version) from the Hoogle file; the Debian name without its
    `libghc-`/`-doc` and no version when there is none."""
    for hoogle in sorted((doc_dir / "html").glob("*.txt")):
        fields = dict(HOOGLE_FIELD.findall(hoogle.read_text(encoding="utf-8", errors="replace")))
        if "package" in fields:
            return fields["package"], fields.get("version", "")
    return doc_dir.name.removeprefix("libghc-").removesuffix("-doc"), ""


@lru_cache(maxsize=None)
def license_of(doc_dir: Path) -> str | None:
    """The license of the `Files: *` paragraph of the package's Debian copyright file (the
    first License: line when no paragraph says `Files: *`), or None without a copyright file."""
    copyright_file = doc_dir / "copyright"
    if not copyright_file.is_file():
        return None
    text = copyright_file.read_text(encoding="utf-8", errors="replace")
    for paragraph in re.split(r"\n\s*\n", text):
        if re.search(r"^Files:\s*\*\s*$", paragraph, re.M) and (found := re.search(r"^License:\s*(.+)$", paragraph, re.M)):
            return found[1].strip()
    found = re.search(r"^License:\s*(.+)$", text, re.M)
    return found[1].strip() if found else None
