# One command runner. `make demo` runs Crossings; `make test` runs every test.
.PHONY: demo test lint fix typecheck regen messages bench

demo:
	scripts/demo.sh

test:
	scripts/test.sh

lint:
	scripts/bootstrap.sh && .venv/bin/ruff check .

fix:
	scripts/bootstrap.sh && .venv/bin/ruff check --fix .

typecheck:
	scripts/bootstrap.sh && .venv/bin/mypy crossings

regen:
	scripts/bootstrap.sh && .venv/bin/crossings standard schema --out docs/standard/crossings.schema.json && .venv/bin/crossings standard docs --out docs/standard/reference.md && .venv/bin/crossings standard xlsform --out docs/standard/crossings_incident.xlsx

# The interface's gettext catalogues (crossings/locale): extract, add the standard's texts, compile.
# Needs GNU gettext (apt-get install gettext).
messages:
	scripts/bootstrap.sh && .venv/bin/python -m crossings.web.forms.messages

bench:
	scripts/bootstrap.sh && .venv/bin/python benchmarks/import_throughput.py
