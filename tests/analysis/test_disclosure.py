"""Disclosure control, tested by an attacker who tries to recover every suppressed cell.

The attacker knows the released table, its margins and the relations between them. They try
differencing (a relation with one unknown) and linear programming: for each suppressed cell the
least and greatest value consistent with everything published (``scipy.optimize.linprog``),
both with the exact published values and with the rounded ones (each within ±2). A cell is
recovered when that interval is narrower than the protection width (the threshold, 10).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from crossings.analysis.disclosure import (
    TOTAL,
    Rules,
    Table,
    cube,
    hierarchy,
    primary_cells,
    protect,
    recoverable,
    round_to,
)

RULES = Rules()
SMALLISH = [0, 0, 1, 2, 3, 4, 6, 8, 9, 11, 14, 20, 35, 60]


def random_cells(rng, shape):
    axes = [[f"{chr(65 + a)}{i}" for i in range(n)] for a, n in enumerate(shape)]
    keys = np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(shape), -1).T
    return {tuple(k): rng.choice(SMALLISH) for k in keys}


def attacker_by_differencing(table, released):
    """Suppressed cells alone in a relation: the attacker subtracts."""
    found = []
    for total, parts in table.relations:
        hidden = [m for m in (total, *parts) if released[m] is None]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


def attacker_by_lp(table, released):
    """Own LP attack (independent of the module): interval of each suppressed cell."""
    hidden = sorted((k for k, v in released.items() if v is None), key=str)
    index = {k: i for i, k in enumerate(hidden)}
    a_eq, b_eq = [], []
    for total, parts in table.relations:
        row, constant = np.zeros(len(hidden)), 0.0
        for member, sign in [(total, 1)] + [(p, -1) for p in parts]:
            if member in index:
                row[index[member]] += sign
            else:
                constant += sign * table.cells[member]  # exact: stronger than the release
        if row.any():
            a_eq.append(row)
            b_eq.append(-constant)
    narrow = []
    for key in hidden:
        c = np.zeros(len(hidden))
        c[index[key]] = 1
        kwargs = {"A_eq": np.array(a_eq), "b_eq": np.array(b_eq)} if a_eq else {}
        low = linprog(c, bounds=[(0, None)] * len(hidden), method="highs", **kwargs)
        high = linprog(-c, bounds=[(0, None)] * len(hidden), method="highs", **kwargs)
        upper = -high.fun if high.status == 0 else np.inf
        if upper - low.fun < RULES.threshold:
            narrow.append(key)
    return narrow


def check_release(table):
    protected = protect(table, RULES)
    released = protected.released
    assert not attacker_by_differencing(table, released)
    assert not attacker_by_lp(table, released)
    assert not recoverable(table, released, RULES)  # rounded values, each known within ±2
    for key, value in released.items():
        assert value is None or value % RULES.base == 0
        if value is not None and table.cells[key] > 0:
            assert table.cells[key] >= RULES.threshold
    return protected


@pytest.mark.parametrize("seed", range(12))
def test_one_way_tables_with_their_total_resist_the_attacker(seed):
    rng = random.Random(seed)
    check_release(cube(random_cells(rng, (rng.randint(2, 9),))))


@pytest.mark.parametrize("seed", range(12))
def test_two_way_tables_with_margins_resist_the_attacker(seed):
    rng = random.Random(100 + seed)
    check_release(cube(random_cells(rng, (rng.randint(2, 7), rng.randint(2, 6)))))


@pytest.mark.parametrize("seed", range(4))
def test_three_way_tables_with_all_margins_resist_the_attacker(seed):
    rng = random.Random(200 + seed)
    check_release(cube(random_cells(rng, (3, 3, 2))))


@pytest.mark.parametrize("seed", range(8))
def test_hierarchical_totals_resist_the_attacker(seed):
    rng = random.Random(300 + seed)
    leaves = {(f"R{r}", f"C{r}{c}", f"U{r}{c}{u}"): rng.choice(SMALLISH)
              for r in range(2) for c in range(rng.randint(1, 3)) for u in range(rng.randint(1, 4))}
    protected = check_release(hierarchy(leaves))
    assert () in protected.table.cells  # the grand total is part of the table


def test_primary_suppression_alone_is_recovered_so_the_attacker_has_teeth():
    recovered = 0
    for seed in range(20):
        table = cube(random_cells(random.Random(seed), (4, 3)))
        naive = {k: None if k in primary_cells(table, RULES) else v
                 for k, v in table.cells.items()}
        recovered += bool(attacker_by_differencing(table, naive) or attacker_by_lp(table, naive))
    assert recovered >= 15


def test_a_single_small_cell_in_a_one_way_table_takes_a_partner():
    table = cube({("A",): 3, ("B",): 40, ("C",): 25})
    protected = protect(table, RULES)
    assert protected.primary == {("A",)} and protected.secondary == {("C",)}
    assert protected.released[(TOTAL,)] == 70


def test_two_small_cells_whose_sum_is_small_are_not_enough():
    # A + B = 5: hiding both still tells the attacker their sum, so each lies in [0, 5].
    table = cube({("A",): 2, ("B",): 3, ("C",): 50, ("D",): 31})
    protected = protect(table, RULES)
    assert len(protected.suppressed) >= 3
    assert not attacker_by_lp(table, protected.released)


def test_zeros_are_published_and_not_suppressed():
    table = cube({("A",): 0, ("B",): 40, ("C",): 25})
    protected = protect(table, RULES)
    assert protected.released[("A",)] == 0 and not protected.suppressed


def test_a_cell_resting_on_too_few_incidents_is_suppressed_even_if_large():
    table = cube({("A",): 40, ("B",): 30, ("C",): 20}, n_incidents={("A",): 1, ("B",): 9,
                                                                    ("C",): 6})
    assert ("A",) in protect(table, RULES).primary


def test_rounding_is_to_the_nearest_multiple_of_five():
    assert [round_to(v, 5) for v in (0, 2, 3, 10, 12, 13, 17, 1002)] == [0, 0, 5, 10, 10, 15, 15,
                                                                         1000]


def test_a_table_of_only_small_cells_is_wholly_suppressed_or_protected():
    table = cube({("A",): 1, ("B",): 2})
    protected = protect(table, RULES)
    assert protected.released[("A",)] is None and protected.released[("B",)] is None
    assert protected.released[(TOTAL,)] is None  # 3 in total: small itself


def test_cells_without_relations_are_protected_by_primary_suppression_only():
    table = Table({("A",): 4, ("B",): 30})
    protected = protect(table, RULES)
    assert protected.suppressed == {("A",)}
