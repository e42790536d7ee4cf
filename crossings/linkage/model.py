"""The person model: one serialisable settings object, trained without labels by Splink.

:class:`LinkageSettings` holds every choice (name keys, thresholds, training sizes, blocking);
:class:`PersonModel` pairs it with Splink's trained parameters, and saves both to one versioned
JSON file. Training is unsupervised: the prior from deterministic rules, u from random pairs,
m by expectation maximisation on two blocks (same phonetic name, then same date of birth),
so each comparison is trained on pairs that were not chosen by it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.exceptions import EMTrainingException

from crossings.linkage.backends import Backend, DuckDBBackend
from crossings.linkage.comparisons import NameKeyOptions, person_comparisons

MODEL_FORMAT = "crossings-linkage-model"
MODEL_FORMAT_VERSION = 1
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkageSettings:
    """Every choice of the person model, in one object that round-trips through JSON.

    Attributes:
        name_keys: which name keys the comparisons use.
        match_threshold: pairs at or above this match probability are linked.
        review_low: pairs from here up to ``review_high`` go to human review.
        review_high: pairs at or above this are linked without review.
        keep_threshold: pairs below this are not kept after prediction at all.
        u_max_pairs: random pairs sampled to estimate u.
        em_max_pairs: cap on the pairs of each EM block.
        prior_recall: assumed recall of the deterministic rules (for the prior).
        seed: seed of the random sampling (the same data give the same model).
    """

    name_keys: NameKeyOptions = field(default_factory=NameKeyOptions)
    match_threshold: float = 0.5
    review_low: float = 0.3
    review_high: float = 0.9
    keep_threshold: float = 0.2
    u_max_pairs: float = 2e6
    em_max_pairs: float = 2e6
    prior_recall: float = 0.7
    seed: int = 7

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "name_keys"}
        return {"name_keys": self.name_keys.to_dict(), **out}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> LinkageSettings:
        """Settings read back from :meth:`to_dict`."""
        values = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        values["name_keys"] = NameKeyOptions.from_dict(raw.get("name_keys", {}))
        return cls(**values)


def prediction_rules() -> list[BlockingRuleCreator | dict[str, Any]]:
    """Which pairs are compared at all: any one of these must hold.

    A shared phone or document; a shared phonetic key and year of birth (or years one apart,
    as ages make them); the same original-script name and year; the same phonetic name where
    one side has no year at all (``name_key_noyear`` is the key only on rows without a year).
    """
    return [
        block_on("phone"),
        block_on("document"),
        block_on("name_phonetic", "birth_year", arrays_to_explode=["name_phonetic"]),
        block_on("name_native", "birth_year"),
        CustomRule("l.name_key = r.name_key AND l.birth_year = r.birth_year + 1"),
        CustomRule("l.name_key = r.name_key AND l.birth_year + 1 = r.birth_year"),
        CustomRule("l.name_key_noyear = r.name_key"),
        CustomRule("l.name_key = r.name_key_noyear"),
    ]


def training_rules() -> list[list[BlockingRuleCreator]]:
    """EM blocks, each with fall-backs for data that lack its column (no phones, say).

    Each block leaves the comparisons it does not use free to be estimated: a shared phone
    trains names and dates, a shared phonetic name and year trains phones and documents.
    """
    return [[block_on("phone"), block_on("document"),
             block_on("birth_year", "birth_month", "birth_day")],
            [block_on("name_key", "birth_year")]]


def splink_settings(settings: LinkageSettings) -> SettingsCreator:
    """Splink's settings for the person model (untrained)."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=person_comparisons(settings.name_keys),
        blocking_rules_to_generate_predictions=prediction_rules(),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


class PersonModel:
    """A trained (or untrained) person model: settings plus Splink's parameters."""

    def __init__(self, settings: LinkageSettings | None = None,
                 splink_model: dict[str, Any] | None = None,
                 trained_at: str | None = None, version: int = 0) -> None:
        self.settings = settings or LinkageSettings()
        self.splink_model = splink_model
        self.trained_at = trained_at
        self.version = version

    @property
    def trained(self) -> bool:
        """Whether the model has parameters (else :meth:`train` first)."""
        return self.splink_model is not None

    def linker(self, data: pa.Table, backend: Backend | None = None) -> Linker:
        """A Splink linker over ``data`` (prepared persons), trained if the model is."""
        backend = backend or DuckDBBackend()
        table = backend.register(data, "persons")
        return Linker(table, self._splink_settings(backend.dialect), log_level=logging.ERROR)

    def _splink_settings(self, dialect: str) -> Any:
        """Splink's settings in ``dialect``: a model trained on DuckDB runs on Spark too.

        The saved model holds SQL of the backend it was trained on; for another backend the
        comparisons are generated afresh and the trained parameters copied level by level.
        """
        creator = splink_settings(self.settings)
        if self.splink_model is None:
            return creator
        if self.splink_model.get("sql_dialect", "duckdb") == dialect:
            return self.splink_model
        fresh = creator.create_settings_dict(dialect)
        fresh["sql_dialect"] = dialect
        fresh["probability_two_random_records_match"] = \
            self.splink_model["probability_two_random_records_match"]
        for new, old in zip(fresh["comparisons"], self.splink_model["comparisons"], strict=True):
            for level, trained in zip(new["comparison_levels"], old["comparison_levels"],
                                      strict=True):
                for key in ("m_probability", "u_probability"):
                    if key in trained:
                        level[key] = trained[key]
        return fresh

    def train(self, data: pa.Table, backend: Backend | None = None) -> PersonModel:
        """A new model trained on ``data`` without labels (this one is unchanged)."""
        untrained = PersonModel(self.settings)
        linker = untrained.linker(data, backend)
        s = self.settings
        linker.training.estimate_probability_two_random_records_match(
            [block_on("phone", "name_key"), block_on("document", "name_key"),
             block_on("name_key", "birth_year", "birth_month", "birth_day")], s.prior_recall)
        linker.training.estimate_u_using_random_sampling(max_pairs=s.u_max_pairs, seed=s.seed)
        proportion = min(1.0, 400_000 / max(data.num_rows, 1))
        for choices in training_rules():
            for rule in choices:
                try:
                    linker.training.estimate_parameters_using_expectation_maximisation(
                        rule, estimate_without_term_frequencies=True, max_pairs=s.em_max_pairs,
                        record_sample_proportion=proportion)
                    break
                except EMTrainingException:
                    log.info("EM block %s gave no pairs; trying the next one", rule)
        model = linker.misc.save_model_to_json(out_path=None)
        return PersonModel(self.settings, model, datetime.now(UTC).isoformat(timespec="seconds"),
                           self.version + 1)

    def predict(self, data: pa.Table, backend: Backend | None = None) -> pa.Table:
        """Scored candidate pairs (``unique_id_l``, ``unique_id_r``, ``match_probability``...)."""
        if not self.trained:
            raise RuntimeError("the model is not trained: call train() first")
        linker = self.linker(data, backend)
        pairs = linker.inference.predict(threshold_match_probability=self.settings.keep_threshold)
        table: pa.Table = pairs.as_pyarrow_table()  # type: ignore[no-untyped-call]
        pairs.drop_table_from_database_and_remove_from_cache()
        return table

    def with_settings(self, **changes: Any) -> PersonModel:
        """The same trained parameters with other thresholds (e.g. a stricter review band)."""
        return PersonModel(replace(self.settings, **changes), self.splink_model,
                           self.trained_at, self.version)

    def to_dict(self) -> dict[str, Any]:
        """The model as one JSON document: format, version, settings and parameters."""
        return {"format": MODEL_FORMAT, "format_version": MODEL_FORMAT_VERSION,
                "version": self.version, "trained_at": self.trained_at,
                "settings": self.settings.to_dict(), "splink": self.splink_model}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PersonModel:
        """A model read back from :meth:`to_dict`; refuses other formats."""
        if raw.get("format") != MODEL_FORMAT or raw.get("format_version") != MODEL_FORMAT_VERSION:
            raise ValueError("not a Crossings linkage model (or a newer format version)")
        return cls(LinkageSettings.from_dict(raw["settings"]), raw.get("splink"),
                   raw.get("trained_at"), int(raw.get("version", 0)))

    def save(self, path: Path) -> Path:
        """Write the model to ``path`` (JSON)."""
        path.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False),
                        encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> PersonModel:
        """Read a model written by :meth:`save`."""
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def save_version(model: PersonModel, directory: Path) -> Path:
    """Store ``model`` as the next numbered version in ``directory`` (``persons-v0003.json``)."""
    directory.mkdir(parents=True, exist_ok=True)
    number = max((int(p.stem.rsplit("-v", 1)[1]) for p in directory.glob("persons-v*.json")),
                 default=0) + 1
    model.version = number
    return model.save(directory / f"persons-v{number:04d}.json")


def latest_version(directory: Path) -> PersonModel | None:
    """The newest model stored by :func:`save_version`, or ``None``."""
    paths = sorted(directory.glob("persons-v*.json"))
    return PersonModel.load(paths[-1]) if paths else None
