"""Seeded synthetic data for Crossings: incidents, persons, objects and ground truth.

``generate(out_dir, incidents=N, persons=M, seed=S)`` writes::

    OUT/<ISO3>/<plural>.csv        one file per record type of the standard and reporting country
    OUT/linkage/persons.csv        every person record in the person-list layout of linkage
    OUT/truth/person_identities.csv, object_identities.csv, population.json

Same seed, same options: byte-identical files. Pure numpy / pyarrow; no Django.
"""

from crossings.synthetic.generate import GenerationSummary, generate
from crossings.synthetic.organisations import load_organisations

__all__ = ["GenerationSummary", "generate", "load_organisations"]
