"""Files written whole or not at all: each writer fills a temporary file beside its
target, and only when every writer has finished do the temporary files replace the
targets (``os.replace``), so an error or Ctrl-C never leaves a half-written file."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def _target(path: Path) -> Path:
    """The file ``path`` names, through symbolic links (the link itself is kept)."""
    return Path(os.path.realpath(path))


def _temporary(target: Path) -> Path:
    """A new empty file for ``target``'s contents, with its suffix (writers check it):
    beside it when its folder is writable, else in the system's temporary folder."""
    folder = target.parent if os.access(target.parent, os.W_OK | os.X_OK) else None
    name = f".{target.stem}.{uuid.uuid4().hex[:12]}.part{target.suffix}"
    path = Path(folder or tempfile.gettempdir()) / name
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))  # mode as open()'s
    return path


def _commit(temporary: Path, target: Path) -> None:
    """Put ``temporary`` in place of ``target``, keeping an existing file's mode: by
    renaming when both share a folder (atomic), else by copying the finished file."""
    if target.exists():
        shutil.copymode(target, temporary)
    if temporary.parent == target.parent:
        os.replace(temporary, target)
    else:  # a writable file in a folder we may not create files in
        shutil.copyfile(temporary, target)
        temporary.unlink()


@contextmanager
def staged(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """Temporary files, one per path and with its suffix, for the block to write; when
    the block ends normally they replace the paths, when it raises they are removed and
    the paths keep what they held."""
    targets = [_target(Path(path)) for path in paths]
    temporaries: list[Path] = []
    try:
        for target in targets:
            temporaries.append(_temporary(target))
        yield temporaries
        for temporary, target in zip(temporaries, targets, strict=True):
            _commit(temporary, target)
    finally:
        for temporary in temporaries:  # those not committed (a committed one is gone)
            temporary.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see ``staged``)."""
    with staged([path]) as (temporary,):
        temporary.write_bytes(data)
