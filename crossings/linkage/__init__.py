"""Record linkage of persons and objects across reports, scripts and borders.

The public face; the modules behind it are internals and may change:

- :func:`name_keys` - the comparable forms of a name in any of the region's scripts;
- :func:`prepare_persons` - person-list rows to the table the model compares;
- :class:`LinkageSettings`, :class:`PersonModel` - the one serialisable settings object, and
  the model trained on it (save / load / versions);
- :func:`link_persons` - prepare, train if needed, predict, cluster with stable ids, review;
- :class:`Decision`, :class:`PairDecision` - reviewers' judgements that later runs respect;
- :func:`link_objects` - phones, plates, vessels and accounts;
- :func:`encode`, :func:`match_encodings` - PPRL across borders without names.
"""

from crossings.linkage.cluster import Decision, PairDecision
from crossings.linkage.model import LinkageSettings, PersonModel
from crossings.linkage.names import NameKeys, name_keys
from crossings.linkage.objects import link_objects
from crossings.linkage.pipeline import LinkResult, link_persons
from crossings.linkage.pprl import encode, features_of, match_encodings
from crossings.linkage.prepare import BadInput, prepare_persons
from crossings.linkage.review import ReviewItem

__all__ = ["BadInput", "Decision", "LinkResult", "LinkageSettings", "NameKeys", "PairDecision",
           "PersonModel", "ReviewItem", "encode", "features_of", "link_objects", "link_persons",
           "match_encodings", "name_keys", "prepare_persons"]
