# One command sets up and runs anais on the sample corpus; one runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
TRAIN_STAMP := $(VENV)/.installed-train

.PHONY: run test lint model model-accurate benchmark eval-timebankpt eval-uner clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

run: $(STAMP)  ## install, then process corpus/ into outputs/ (Parquet + CSV) and outputs/report.html
	$(VENV)/bin/anais run corpus/history corpus/news.jsonl -o outputs --format parquet --format csv --tokens
	$(VENV)/bin/anais report outputs -o outputs/report.html

test: $(DEV_STAMP)  ## install with dev extras, then run the test suite
	$(PY) -m pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check pipeline tests benchmarks models

$(TRAIN_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[train]'
	touch $(TRAIN_STAMP)

# the training stages are the spaCy project models/project.yml: each command reruns only when
# its inputs, outputs or script changed since the last run (models/project.lock)
model: $(TRAIN_STAMP)  ## retrain models/pt_anais from ../shared/data (about an hour, not in CI)
	cd models && ../$(PY) -m spacy project run fast

model-accurate: $(TRAIN_STAMP)  ## retrain the encoder heads (entities, then POS and parses) of models/pt_anais_accurate (≈ 1.5 h on 2 cores, not in CI)
	cd models && ../$(PY) -m spacy project run accurate

benchmark: $(DEV_STAMP)  ## print speed and accuracy figures
	$(PY) benchmarks/timex_speed.py
	$(PY) benchmarks/model_speed.py

eval-timebankpt: $(STAMP)  ## score the temporal tagger on TimeBankPT train (../shared/data)
	$(VENV)/bin/anais eval --gold ../shared/data/timebankpt/train

eval-uner: $(STAMP)  ## score NER on UNER Portuguese-Bosque dev (../shared/data)
	$(VENV)/bin/anais eval --gold ../shared/data/ner/uner_pt_bosque/surface/pt_bosque-uner-surface-dev.iob2

clean:
	rm -rf $(VENV) outputs/*.parquet outputs/*.csv outputs/*.jsonl outputs/manifest.json outputs/report.html
