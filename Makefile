# One command runner. `make demo` runs Crossings; `make test` runs every test.
.PHONY: demo test lint fix typecheck regen bench

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
	scripts/bootstrap.sh && .venv/bin/crossings standard schema --out docs/standard/crossings.schema.json && .venv/bin/crossings standard docs --out docs/standard/reference.md

bench:
	scripts/bootstrap.sh && .venv/bin/python benchmarks/import_throughput.py
