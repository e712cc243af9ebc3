"""A stand-in for ``find_correction`` that records what it returned to the diagnosis."""

from __future__ import annotations

from typing import Any

import pytest

from optimizer.solvers.cpsat import correction as correction_module
from optimizer.solvers.cpsat.correction import CorrectionResult, find_correction


class CorrectionSpy:
    """Calls the real ``find_correction`` and keeps every result in ``found``."""

    def __init__(self) -> None:
        self.found: list[CorrectionResult] = []

    def __call__(self, *args: Any, **kwargs: Any) -> CorrectionResult:
        result = find_correction(*args, **kwargs)
        self.found.append(result)
        return result


def install_spy(monkeypatch: pytest.MonkeyPatch) -> CorrectionSpy:
    """Put a ``CorrectionSpy`` where the diagnosis looks ``find_correction`` up."""
    spy = CorrectionSpy()
    monkeypatch.setattr(correction_module, "find_correction", spy)
    return spy
