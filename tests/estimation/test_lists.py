"""Capture histories from list memberships (crossings.estimation.lists)."""

from __future__ import annotations

import re

import pytest

from crossings.estimation import Estimator, TableError
from crossings.estimation.cli import estimate_frame
from crossings.estimation.lists import Membership, capture_histories


def test_one_row_per_pattern_with_its_count() -> None:
    rows = [("A", "p1"), ("B", "p1"), ("A", "p2"), ("B", "p3"), ("B", "p3"), ("A", "p4")]
    frame = capture_histories(rows)
    assert list(frame.columns) == ["A", "B", "count"]
    assert frame.to_dict("records") == [{"A": 1, "B": 1, "count": 1},
                                        {"A": 1, "B": 0, "count": 2},
                                        {"A": 0, "B": 1, "count": 1}]


def test_lists_keep_the_order_given() -> None:
    frame = capture_histories([("A", "p1"), ("C", "p1"), ("B", "p2")], ["C", "B", "A"])
    assert list(frame.columns) == ["C", "B", "A", "count"]


def test_strata_take_each_persons_most_frequent_value() -> None:
    rows = [Membership("A", "p1", "KHM"), Membership("B", "p1", "KHM"),
            Membership("C", "p1", "VNM"), Membership("A", "p2", "VNM"),
            Membership("B", "p3", None)]
    frame = capture_histories(rows, by="citizenship")
    assert list(frame.columns) == ["citizenship", "A", "B", "C", "count"]
    got = {(r["citizenship"], r["A"], r["B"], r["C"]): r["count"]
           for r in frame.to_dict("records")}
    assert got == {("KHM", 1, 1, 1): 1, ("VNM", 1, 0, 0): 1, ("UNKNOWN", 0, 1, 0): 1}


def test_the_table_feeds_the_estimator() -> None:
    rows = [(lst, f"p{i}") for i in range(60) for lst in ("A", "B") if (i % 3 != 0) == (
        lst == "A") or i % 4 == 0]
    results = estimate_frame(capture_histories(rows), Estimator(method="main", bootstrap=0),
                             count_column="count")
    assert results.observed == 60 and results.estimate >= 60


@pytest.mark.parametrize(("rows", "lists", "message"), [
    ([("A", "p1"), ("A", "p2")], None, "1 list(s); at least 2 lists are needed"),
    ([("A", "p1"), ("B", "p2")], ["A", "B", "C"], "column 'C': nobody is on this list"),
    ([("A", "p1"), ("B", "p2"), ("D", "p3")], ["A", "B"], "column 'D': a membership names"),
    ([("A", ""), ("B", "p2")], None, "empty list or identity"),
    ([(f"L{i}", "p") for i in range(13)], None, "13 lists; at most 12"),
])
def test_clear_errors(rows: list[tuple[str, str]], lists: list[str] | None,
                      message: str) -> None:
    with pytest.raises(TableError, match=re.escape(message)) as caught:
        capture_histories(rows, lists, source="store")
    assert str(caught.value).startswith("store: ")
