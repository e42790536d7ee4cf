"""Splink comparisons tuned to the names, dates and identifiers of the region.

Each class is named for what it compares (as Splink's own ``ExactMatch``...). Levels use
Splink's level library where it exists, so that the same model runs on DuckDB and on Spark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

Levels = list[ComparisonLevelCreator | dict[str, Any]]


@dataclass(frozen=True)
class NameKeyOptions:
    """Which name keys the model uses (all on by default; the benchmark turns them off).

    Attributes:
        native: compare the original-script form (exact, NFC, words sorted).
        romanise: add the romanisations of the original-script form to the reported one.
        phonetic: compare consonant-skeleton keys and single words.
        aliases: let a reported alias meet the other record's name.
    """

    native: bool = True
    romanise: bool = True
    phonetic: bool = True
    aliases: bool = True

    def to_dict(self) -> dict[str, bool]:
        """The options as JSON-ready values."""
        return {"native": self.native, "romanise": self.romanise, "phonetic": self.phonetic,
                "aliases": self.aliases}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> NameKeyOptions:
        """Options read back from :meth:`to_dict` (unknown keys ignored)."""
        return cls(**{k: bool(v) for k, v in raw.items() if k in cls.__dataclass_fields__})


class AliasMeetsNameLevel(ComparisonLevelCreator):
    """One record's alias sounds like the other's name (phonetic keys shared), either way."""

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        """The condition in the backend's array functions."""
        if sql_dialect.sqlglot_dialect == "spark":
            meets = "size(array_intersect({}, {})) > 0"
        else:
            meets = "len(list_intersect({}, {})) > 0"
        return (f"{meets.format('alias_keys_l', 'name_phonetic_r')} OR "
                f"{meets.format('name_phonetic_l', 'alias_keys_r')}")

    def create_label_for_charts(self) -> str:
        """How the level is named in charts and in review evidence."""
        return "an alias is the other's name"


def _null(condition: str, label: str) -> ComparisonLevelCreator:
    return cll.CustomLevel(condition, label).configure(is_null_level=True)


class NameKeysComparison(cl.CustomComparison):
    """A person's name through its keys, strongest agreement first.

    Levels: native script identical; a romanisation identical (word order free); a phonetic
    key identical; romanisations similar (Jaro-Winkler >= 0.92 on any pair); an alias meets a
    name; one word sounds the same; else.
    """

    def __init__(self, options: NameKeyOptions | None = None) -> None:
        opts = options or NameKeyOptions()
        romans = "name_romans" if opts.romanise else "name_roman"
        levels: Levels = [
            _null(f"{romans}_l IS NULL OR {romans}_r IS NULL", "name missing")]
        if opts.native:
            levels.append(cll.ExactMatchLevel("name_native").configure(
                label_for_charts="same name in the original script",
                tf_adjustment_column="name_native"))
        # Term-frequency adjusted: a common name agreeing says less than a rare one. Splink
        # needs an exact level on the tf column before a fuzzy level can use it.
        levels.append(cll.ExactMatchLevel("name_roman").configure(
            label_for_charts="romanised name identical", tf_adjustment_column="name_roman"))
        if opts.romanise:
            levels.append(cll.ArrayIntersectLevel("name_romans", 1).configure(
                label_for_charts="a romanisation identical", tf_adjustment_column="name_roman"))
        if opts.phonetic:
            levels.append(cll.ExactMatchLevel("name_key").configure(
                label_for_charts="same phonetic key", tf_adjustment_column="name_key"))
            levels.append(cll.ArrayIntersectLevel("name_phonetic", 1).configure(
                label_for_charts="a phonetic key shared", tf_adjustment_column="name_key"))
        if opts.romanise:
            levels.append(cll.PairwiseStringDistanceFunctionLevel(
                "name_romans", "jaro_winkler", 0.92).configure(
                label_for_charts="romanisations similar (Jaro-Winkler >= 0.92)"))
        else:
            levels.append(cll.JaroWinklerLevel("name_roman", 0.92).configure(
                label_for_charts="romanised names similar (Jaro-Winkler >= 0.92)"))
        if opts.aliases:
            levels.append(AliasMeetsNameLevel())
        if opts.phonetic:
            levels.append(cll.ArrayIntersectLevel("name_tokens", 1).configure(
                label_for_charts="one word sounds the same"))
        levels.append(cll.ElseLevel())
        super().__init__(levels, "name", "name keys (native, romanised, phonetic)")


_SAME_YEAR = "birth_year_l = birth_year_r"


class PartialBirthDateComparison(cl.CustomComparison):
    """Dates of birth that agree as far as both reports know them.

    "1974" and "1974-01-25" agree on the year and nothing contradicts them; "1974-01-25" and
    "1974-03-02" contradict. Levels: same day; same month (a day unknown); same year (month
    unknown); same year but day/month differ; year one apart; year two apart; else.
    """

    def __init__(self) -> None:
        levels: Levels = [
            _null("birth_year_l IS NULL OR birth_year_r IS NULL", "date of birth missing"),
            cll.CustomLevel(f"{_SAME_YEAR} AND birth_month_l = birth_month_r "
                            "AND birth_day_l = birth_day_r", "same day"),
            cll.CustomLevel(f"{_SAME_YEAR} AND birth_month_l = birth_month_r "
                            "AND (birth_day_l IS NULL OR birth_day_r IS NULL)",
                            "same month, a day unknown"),
            cll.CustomLevel(f"{_SAME_YEAR} AND (birth_month_l IS NULL OR birth_month_r IS NULL)",
                            "same year, month unknown"),
            cll.CustomLevel(_SAME_YEAR, "same year, month or day differ"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 1", "year one apart"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 2", "year two apart"),
            cll.ElseLevel(),
        ]
        super().__init__(levels, "birth", "partial date of birth")


def person_comparisons(
        options: NameKeyOptions | None = None) -> list[ComparisonCreator | dict[str, Any]]:
    """The comparisons of the person model."""
    return [NameKeysComparison(options), PartialBirthDateComparison(),
            cl.ExactMatch("sex"), cl.ExactMatch("nationality"),
            cl.ExactMatch("phone"), cl.ExactMatch("document")]
