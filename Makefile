# Two commands for a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve clean install browser checkers golden ner-model

build: $(STAMP)
	$(BIN)/archivist build site --no-daemon

test: $(STAMP) browser checkers
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/archivist serve site

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Site checks: axe-core (accessibility) and the Nu Html Checker (vnu.jar, needs Java 17+),
# both from the npm registry, into a folder inside the ignored virtual environment.
CHECKERS := $(VENV)/checkers
checkers: $(CHECKERS)/.installed

$(CHECKERS)/.installed:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing Debian's Java runtime for the HTML validator"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's npm for the site checks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	mkdir -p $(CHECKERS)
	npm install --prefix $(CHECKERS) --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	  axe-core@4.14.1 vnu-jar@26.9.27
	touch $@

golden: $(STAMP)
	$(BIN)/pytest tests/test_golden.py --update-golden

clean:
	rm -rf $(VENV) site/public site/.public.previous site/.archivist

# Retrain the Japanese entity recogniser from the ner-wikipedia-ja train split
# (CC BY-SA 3.0, Stockmark Inc.; see src/archivist/models/ner_ja/README.md).
ner-model: $(STAMP)
	$(BIN)/python benchmarks/train_ner.py
