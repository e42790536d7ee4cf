"""The committed copies of the standard must match what the standard generates today."""

from pathlib import Path

from crossings.commands.standard import DOCS_PATH, SCHEMA_PATH, schema_text
from crossings.standard.docs import markdown_reference
from crossings.standard.problems import RULES

ROOT = Path(__file__).resolve().parents[2]
STALE = "is stale: run `make regen` and commit the result"


def test_json_schema_copy_is_current():
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(), \
        f"{SCHEMA_PATH} {STALE}"


def test_markdown_reference_copy_is_current():
    assert (ROOT / DOCS_PATH).read_text(encoding="utf-8") == markdown_reference(), \
        f"{DOCS_PATH} {STALE}"


def test_reference_documents_every_rule_and_code_list():
    text = markdown_reference()
    for code in RULES:
        assert f"`{code}`" in text
    assert "Code list `iccs`" in text and "`08051`" in text
