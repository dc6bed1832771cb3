# The two commands a newcomer runs:  make demo  and  make test  (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
OUT    ?= reports/demo

.PHONY: demo test venv system-packages clean benchmark lab model

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed

# Debian packages later tests need (real-browser tests, Chinese fonts): installed when we are root with apt
# (as in CI); elsewhere those tests skip and name the missing package.
system-packages:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && [ -z "$$SKIP_APT" ]; then \
	  if ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  fi; \
	else echo "not root with apt-get: skipping chromium and fonts-wqy-microhei (tests that need them will skip)"; fi

demo: venv
	$(PY) -m compare segment
	@mkdir -p $(OUT)
	$(PY) -m compare segment --level coarse --format csv --out $(OUT)/measures_coarse.csv
	$(PY) -m compare segment --level fine --format jsonl --out $(OUT)/measures_fine.jsonl
	$(PY) -m compare align
	$(PY) -m compare align --format csv --out $(OUT)/pairs.csv
	$(PY) -m compare evolve
	$(PY) -m compare evolve --format csv --out $(OUT)/lineage.csv
	@echo "written: $(OUT)/measures_coarse.csv, $(OUT)/measures_fine.jsonl, $(OUT)/pairs.csv, $(OUT)/lineage.csv"
	$(PY) -m compare report

# two processes, a test file each at a time (module fixtures are built once): 27 minutes in one on CI's two cores
test: venv system-packages
	$(PY) -m pytest -q -n 2 --dist loadfile

# JupyterLab on the notebooks (open the URL it prints)
lab: venv
	$(PY) -m jupyterlab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

# rebuild the pair model (compare/data/pair_model.json) from the labelled pairs in tests/data
model: venv
	$(PY) benchmarks/fit_pair_model.py

benchmark: venv
	$(PY) benchmarks/role_quality.py
	$(PY) benchmarks/reader_quality.py
	$(PY) benchmarks/segment_lawref.py
	$(PY) benchmarks/pair_quality.py
	$(PY) benchmarks/rank_features_cv.py
	$(PY) benchmarks/align_quality.py
	$(PY) benchmarks/align_holdout.py
	$(PY) benchmarks/align_lawref.py
	$(PY) benchmarks/evolve_lawref.py
	$(PY) benchmarks/widgets_latency.py
	$(PY) benchmarks/report_scale.py

clean:
	rm -rf $(VENV) reports/demo reports/bundled .pytest_cache .hypothesis
