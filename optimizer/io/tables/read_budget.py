"""What reading one bundle may cost: limits on the bytes its sheets unpack to, the cells
they hold and how far they pack, checked before and while the sheets are read."""

from __future__ import annotations

from collections.abc import Iterable

from optimizer.errors import InputError

MAX_BUNDLE_BYTES = 50_000_000
"""Most bytes the sheets of one bundle may unpack to, in all: its CSV files (in a ZIP, a
folder or an upload), or the XML parts of a workbook. The largest bundles we know (2,000
cases with 200 staff's daily availability over four weeks; 500 staff over eight weeks)
unpack to 0.3 MB (ZIP) and 2 MB (XLSX). Checked on the sizes the files declare before
anything is read, and again on the bytes read (a declared size can lie)."""

MAX_BUNDLE_CELLS = 1_000_000
"""Most cells the sheets of one bundle may hold, in all: rows times used columns (a row
ends at its last value, so empty formatted cells cost nothing; a CSV line counts at least
one). Those largest bundles hold about 50,000; a million take some 150 MB and 5 s to read."""

MAX_PACK_RATIO = 100
"""A sheet over ``_RATIO_FROM`` bytes may unpack to at most this many times its packed
size. Real sheets pack 5 to 15 times; Apache POI refuses ZIP entries past 100 too."""

_RATIO_FROM = 1_000_000


class ReadBudget:
    """What the sheets of one bundle may still cost, counted while they are read:
    unpacked bytes (``MAX_BUNDLE_BYTES``) and cells (``MAX_BUNDLE_CELLS``). Going over
    raises one ``InputError`` naming the file and the limit."""

    def __init__(self) -> None:
        self.bytes = 0
        self.cells = 0

    def take_bytes(self, count: int, where: str) -> None:
        self.bytes += count
        if self.bytes > MAX_BUNDLE_BYTES:
            raise InputError(_too_many_bytes(f"more than {MAX_BUNDLE_BYTES:,}"), file=where)

    def take_cells(self, count: int, where: str, line: int) -> None:
        self.cells += count
        if self.cells > MAX_BUNDLE_CELLS:
            raise InputError(
                f"the bundle's sheets hold more than {MAX_BUNDLE_CELLS:,} cells by this "
                "line (rows × used columns, all sheets counted); a bundle holds far fewer: "
                "delete the rows and columns it does not need",
                file=where,
                line=line,
            )


def _too_many_bytes(size: str) -> str:
    return (
        f"the sheets unpack to {size} bytes; a bundle's sheets may hold at most "
        f"{MAX_BUNDLE_BYTES:,} bytes ({MAX_BUNDLE_BYTES // 1_000_000} MB) in all"
    )


def check_declared_sizes(files: Iterable[tuple[str, int, int]]) -> None:
    """Refuse, before anything is unpacked, files (``(where, size, packed size)``) that
    declare more than ``MAX_BUNDLE_BYTES`` in all, or that pack more than
    ``MAX_PACK_RATIO`` times."""
    total = 0
    for where, size, packed in files:
        if size > _RATIO_FROM and size > MAX_PACK_RATIO * max(packed, 1):
            raise InputError(
                f"unpacks to {size:,} bytes from {packed:,} ({size // max(packed, 1):,} times "
                f"as many); a sheet packs at most {MAX_PACK_RATIO} times smaller, so this "
                "file is refused (a ZIP bomb?)",
                file=where,
            )
        total += size
        if total > MAX_BUNDLE_BYTES:
            raise InputError(_too_many_bytes(f"at least {total:,}"), file=where)
