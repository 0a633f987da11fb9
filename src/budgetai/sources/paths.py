"""The one "inside the root" rule for readers that read files under a configured root
(local_code, task_solutions, textbook paths, the mirror_dir of textbook and codeforces): a file
is read only when its real location, every symlink followed, lies inside the real root. A link
in a checkout or a mirror to /etc/passwd, to a home directory or to another dataset would
otherwise turn a file nobody chose into a training record (issue 26).

    try:
        text = read_text_inside(path, root)
    except OutsideRoot as err:
        quarantine_unit(stats, quarantine, source, unit, OUTSIDE_ROOT, str(err))
"""

from __future__ import annotations

import os
from pathlib import Path

OUTSIDE_ROOT = "outside_root"  # the quarantine reason readers use


class OutsideRoot(ValueError):
    """A path whose real location is outside the root it was found under (message names both)."""

    def __init__(self, path: Path, real: Path, root: Path):
        super().__init__(f"{shown(path)} is a link to {shown(real)}, outside the root "
                         f"{shown(root)}: not read")
        self.path, self.real, self.root = path, real, root


def real_path_inside(path: str | os.PathLike, root: str | os.PathLike) -> Path:
    """The real path of `path` (symlinks followed); OutsideRoot when it is not inside the real
    `root`."""
    real, real_root = Path(path).resolve(), Path(root).resolve()
    if not real.is_relative_to(real_root):
        raise OutsideRoot(Path(path), real, real_root)
    return real


def read_bytes_inside(path: str | os.PathLike, root: str | os.PathLike) -> bytes:
    """The bytes of `path`, read from its real location once that is known to be inside root.
    O_NOFOLLOW: a link swapped in after the check is refused rather than followed."""
    real = real_path_inside(path, root)
    fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def read_text_inside(path: str | os.PathLike, root: str | os.PathLike, encoding: str = "utf-8",
                     errors: str = "strict") -> str:
    return read_bytes_inside(path, root).decode(encoding, errors)


def shown(path: str | os.PathLike) -> str:
    """A path as text that always encodes: undecodable bytes appear as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
