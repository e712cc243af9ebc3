"""Pure plotting functions: (problem, result) -> plotly figure.

Imports plotly; the core library (``optimizer``, ``optimizer.io``, ...) never
imports this package at import time.
"""

from optimizer.plotting.cases import gantt_by_room, gantt_by_staff, room_utilisation
from optimizer.plotting.progress import progress_chart
from optimizer.plotting.roster import coverage_heatmap, minutes_vs_contract, roster_grid

__all__ = [
    "coverage_heatmap",
    "gantt_by_room",
    "gantt_by_staff",
    "minutes_vs_contract",
    "progress_chart",
    "room_utilisation",
    "roster_grid",
]
