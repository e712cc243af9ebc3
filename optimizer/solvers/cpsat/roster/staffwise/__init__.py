"""Staff by staff: a legal roster from one small CP-SAT model per person, then best responses.

Without hard cover floors (and without stage caps) no hard rule links two people:
a roster is legal exactly when every person's row is. Each person gets a model of
their own (the usual constraint code on a one-person problem). The first pass
builds the rows one at a time, each minimising that person's exact marginal cost
given the rows so far (cover: minus the under weight where the shift is still
short, plus the over weight where it is full; requests; baseline). Later passes
re-solve each person against everybody else (a best response), so the roster's
cost never rises. One-person models solve in a fraction of a second with the
full LP (linearization level 2) where the whole model finds no roster at all
(Curtois–Qu Instances 21 and 22: nothing in 600 s).

Modules: ``person`` (one person's problem, model and static costs), ``cover`` (the
cover counts and what changes cost), ``group_pick`` (who a group move re-solves),
``move_choice`` (group rounds or window moves), ``search`` (``StaffwiseSearch``: the
rows, best responses, group and window moves, the run loop).
"""

from optimizer.solvers.cpsat.roster.staffwise.person import Row, decomposable
from optimizer.solvers.cpsat.roster.staffwise.search import StaffwiseSearch

__all__ = ["Row", "StaffwiseSearch", "decomposable"]
