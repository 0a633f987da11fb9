"""Haskell modules recovered from Haddock source pages (`<pkg>-<version>/src/*.html`).

Two page formats exist and both are handled:
- Haddock's own `--hyperlinked-source` (src/Data.Stack.html): every token in a <span>, with
  hover-type `<span class="annottext">...</span>` blocks holding text that is NOT in the source;
- HsColour pages (src/Data-Stack.html, what Debian's ghc-doc ships): `<a name="line-N"></a>`
  anchors and <span class='hs-...'> tokens.
Recovery: take the <pre> block, drop the annottext spans, strip the remaining tags, unescape
entities. The result is byte for byte the original file (tests check this on sources generated
with the real haddock and HsColour). Regexes, not an HTML parser, do this because parsers
normalise whitespace (\\r, a newline after <pre>) and byte-exactness is the point.

Config: doc_dirs (local directories searched recursively for src/*.html) OR urls (page URLs,
fetched through budgetai.sources.http_client; mirror_dir and cache settings apply), license (required;
a page of a Debian libghc-*-doc package takes its package's name, version and license from the
package instead, see budgetai.sources.debian_doc),
packages (package names to keep; unset: all). One row_in per page.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import urlsplit

from budgetai.sources.http_client import FetchError, open_client
from budgetai.core.records import Record
from budgetai.sources import debian_doc
from budgetai.core.stats import StageStats, quarantine_unit

GHC_DOC_LIBRARIES = Path("/usr/share/doc/ghc-doc/html/libraries")
PRE_BLOCK = re.compile(r"<pre[^>]*>(.*)</pre>", re.S)
ANNOTTEXT = re.compile(r"<span class=\"annottext\">.*?</span>", re.S)  # holds escaped text only
TAG = re.compile(r"<[^>]*>")
PACKAGE_VERSION = re.compile(r"^(?P<name>.+?)-(?P<version>\d+(?:\.\d+)*)$")


class HaddockPageError(ValueError):
    """A page that is not a Haddock/HsColour source page (message names the page)."""


def recover_source(page: str, where: str = "") -> str:
    """The original Haskell source of a hyperlinked-source or HsColour page."""
    match = PRE_BLOCK.search(page)
    if match is None:
        raise HaddockPageError(f"{where}: no <pre> block; not a Haddock source page")
    return html.unescape(TAG.sub("", ANNOTTEXT.sub("", match.group(1))))


def page_identity(path: PurePosixPath | Path) -> tuple[str, str, str]:
    """(package name, version, module) from .../<pkg>-<version>/src/<Module.Name>.html;
    HsColour names modules with dashes, hyperlinked source with dots."""
    package_dir = path.parent.parent.name
    match = PACKAGE_VERSION.match(package_dir)
    name, version = (match["name"], match["version"]) if match else (package_dir, "")
    return name, version, path.stem.replace("-", ".")


def ghc_doc_dirs() -> list[Path]:
    """Package doc dirs with source pages from Debian's ghc-doc, if installed (else [])."""
    if not GHC_DOC_LIBRARIES.is_dir():
        return []
    dirs = {d.resolve() for d in GHC_DOC_LIBRARIES.iterdir() if (d / "src").is_dir()}
    return sorted(dirs)


def local_pages(doc_dirs: list[str]) -> Iterator[tuple[str, Path]]:
    seen: set[Path] = set()
    for doc_dir in doc_dirs:
        root = Path(doc_dir)
        if not root.is_dir():
            raise FileNotFoundError(f"haddock doc_dir {root} is not a directory")
        for page in sorted(root.glob("**/src/*.html")):
            if page.resolve() not in seen:
                seen.add(page.resolve())
                yield str(page), page


def page_texts(cfg: dict, stats: StageStats, quarantine: list[dict], source: str
               ) -> Iterator[tuple[str, PurePosixPath | Path, str]]:
    """(location, path-like for naming, page text) for every configured page; pages that
    cannot be read are counted and quarantined here."""
    if cfg.get("doc_dirs"):
        for location, path in local_pages(cfg["doc_dirs"]):
            stats.rows_in += 1
            try:
                # bytes, not read_text: universal newlines would turn \r\n into \n
                yield location, path, path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as err:
                quarantine_unit(stats, quarantine, source, location, "not_utf8", f"not UTF-8: {err}")
    elif cfg.get("urls"):
        client = open_client(cfg)
        for url in cfg["urls"]:
            stats.rows_in += 1
            try:
                yield url, PurePosixPath(urlsplit(url).path), client.get_text(url)
            except FetchError as err:
                quarantine_unit(stats, quarantine, source, url, "fetch_failed", str(err))
    else:
        raise ValueError(f"source {source!r} (haddock): set doc_dirs or urls")


def read(source: str, cfg: dict, stats: StageStats, quarantine: list[dict]) -> Iterator[Record]:
    if not cfg.get("license"):
        raise ValueError(f"source {source!r} (haddock): 'license' is required (the packages' license)")
    wanted = set(cfg.get("packages") or [])
    for location, path, page in page_texts(cfg, stats, quarantine, source):
        package, version, module = page_identity(path)
        license_ = cfg["license"]
        if isinstance(path, Path) and (debian := debian_doc.package_dir(path)) is not None:
            # a libghc-*-doc package: its own name, version and license (Debian's copyright file)
            package, version = debian_doc.identity(debian)
            license_ = debian_doc.license_of(debian) or license_
        if wanted and package not in wanted:
            stats.drop("package_not_selected")
            continue
        try:
            code = recover_source(page, location)
        except HaddockPageError as err:
            quarantine_unit(stats, quarantine, source, location, "no_pre_block", str(err), raw=page[:2000])
            continue
        if not code.strip():
            stats.drop("empty_source")
            continue
        yield Record(
            id=f"{source}:{package}/{module}", source=source, kind="code",
            prompt=f"Write the Haskell module {module} (from package {package}).", response=code,
            language="haskell", url=location, license=license_, group=package,
            meta={"package": package, "version": version, "module": module,
                  "format": "hyperlinked" if 'class="annot' in page or 'id="line-' in page else "hscolour",
                  "lines": code.count("\n")},
        )


def selected_pages(cfg: dict) -> list[Path]:
    """The local source pages a `doc_dirs` source reads: every page, or those of its `packages`."""
    wanted = set(cfg.get("packages") or [])
    pages = [page for _, page in local_pages(cfg["doc_dirs"])]
    return [page for page in pages if not wanted or page_package(page) in wanted]


def page_package(page: Path) -> str:
    """The package a source page belongs to, named as the reader names it (a Debian
    libghc-*-doc page takes its Debian package's name)."""
    debian = debian_doc.package_dir(page)
    return debian_doc.identity(debian)[0] if debian is not None else page_identity(page)[0]
