"""Multiple systems estimation: how many people did the lists miss?

Pure numerics (numpy, scipy, pandas); no Django. The public face::

    from crossings.estimation import CaptureTable, Estimator

    table = CaptureTable.from_csv("lists.csv")
    results = Estimator(method="stepwise", bootstrap=1000, seed=1234).fit(table)
    results.estimate, results.conf_int(), results.model, results.summary()

Methods: ``stepwise`` (Chan, Silverman & Vincent 2021), ``bic`` (Silverman, Chan &
Vincent 2024), ``aic`` (Bales, Hesketh & Silverman 2015), ``main``, ``fixed`` and
``bayes`` (Madigan & York 1997, as in the R package dga).
"""

from crossings.estimation.bayes import Prior
from crossings.estimation.estimator import METHODS, Estimator
from crossings.estimation.results import EstimationResults
from crossings.estimation.strata import StratifiedResults, fit_strata, split_frame
from crossings.estimation.table import CaptureTable, Problem, TableError

__all__ = [
    "METHODS",
    "CaptureTable",
    "EstimationResults",
    "Estimator",
    "Prior",
    "Problem",
    "StratifiedResults",
    "TableError",
    "fit_strata",
    "split_frame",
]
