"""Published multiple systems estimation results, kept with their sources.

Copied from /work/shared/reference/mse/README.md (see ../data/SOURCES.md), which cites:

* Chan, L., Silverman, B. W. & Vincent, K. (2021). Multiple systems estimation for sparse
  capture data: inferential challenges when there are nonoverlapping lists. JASA 116,
  1297-1306; R package SparseMSE 2.0.2 (``estimatepopulation``, seed 1234, 1,000 resamples).
* Silverman, B. W., Chan, L. & Vincent, K. (2024). Statistics and Computing 34:44.
* Madigan, D. & York, J. C. (1997). Biometrika 84, 19-31; R package dga (``bma.cr``
  example: delta = 1, negative-binomial prior a = 13.14, b = 55.17, N0 = 1..300).

Bootstrap limits depend on the random stream; the reference expects agreement within
about 2 %, point estimates within 1 person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Published:
    """One published estimate.

    Attributes:
        data: CSV file name (without .csv) in ../data.
        method: Estimator method.
        model: Selected model as named by the source.
        estimate: Published point estimate.
        lower: Published lower 95 % limit.
        upper: Published upper 95 % limit.
        interval: ``bca`` (bootstrap) or ``model`` (model-conditional lognormal).
        source: Where the figure comes from.
    """

    data: str
    method: str
    model: str
    estimate: float
    lower: float
    upper: float
    interval: str
    source: str


CSV_2021 = "Chan, Silverman & Vincent (2021), JASA 116:1297-1306; SparseMSE 2.0.2"

STEPWISE = (
    Published("NewOrl", "stepwise", "D:E", 1184, 717, 1657, "bca", CSV_2021),
    Published("NewOrl_5", "stepwise", "main effects", 1034, 589, 1703, "bca", CSV_2021),
    Published("Western", "stepwise", "A:E", 2483, 1293, 3670, "bca", CSV_2021),
)

MAIN_EFFECTS = Published("NewOrl", "main", "main effects", 997, 644, 1618, "model", CSV_2021)

ARTIFICIAL_3 = {
    # model -> (MLE exists, identifiable); Chan, Silverman & Vincent (2021) Table 2 and
    # SparseMSE's checkident examples.  "not identifiable" is the published verdict for
    # all three pairs; existence is not stated for it, so only identifiability is checked.
    ("A:B", "A:C", "B:C"): (None, False),
    ("A:B",): (False, True),
    ("A:C", "B:C"): (True, True),
}

MADIGAN_YORK_3 = {
    "source": "Madigan & York (1997); dga bma.cr example",
    "delta": 1.0,
    "a": 13.14,
    "b": 55.17,
    "missing_grid": (1, 300),
    "top_model_probability": 0.37,
    "estimate": 731,
}

UKDAT_RANGE = (10_000, 13_000)
"""UK Home Office (2014): "between 10,000 and 13,000" potential victims in 2013."""
