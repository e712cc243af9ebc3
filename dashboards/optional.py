"""Features that other parts of carealloc provide, looked up at run time.

The dashboard degrades gracefully (a clear note on the page) when a feature is
not installed yet, instead of failing to start.
"""

from __future__ import annotations

import importlib
from typing import Any


def feature(module: str, name: str) -> Any:
    """``module.name`` if it can be imported, else None."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(loaded, name, None)
