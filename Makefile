# Set-up and everyday commands. Every target installs what it needs and is
# safe to run again (a second run skips what is already there).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Python that writes bytecode even where PYTHONDONTWRITEBYTECODE is set: the many processes of a
# gallery build or a test run (workers, renders, commands) then import the package without
# compiling it again each time (0.57 s -> 0.28 s per process here)
RUN    := PYTHONDONTWRITEBYTECODE= $(BIN)/python

# Debian packages: Cairo/Pango headers for Manim, LaTeX for its formulas,
# Chromium and its driver for the gallery's browser test.
APT_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config \
	texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended dvisvgm cm-super chromium chromium-driver

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Options of `landscape gallery` for `make gallery`, e.g. GALLERY_OPTIONS="-q high".
GALLERY_OPTIONS ?=
# Scenes whose last frames are the stills in README.md (`make stills` renders them again).
STILLS := minibatch momentum adam plateaus

.PHONY: gallery stills test docs system venv lint bench clean

# Builds what is missing or out of date: a second run takes a second or two.
gallery: $(STAMP)
	$(RUN) -m landscape.cli gallery $(GALLERY_OPTIONS)
	@echo "The lecture gallery: file://$(CURDIR)/gallery/build/index.html"

stills: $(STAMP)
	for scene in $(STILLS); do \
		$(BIN)/python -m landscape.cli render $$scene -q low -o gallery/stills/$$scene.png || exit 1; \
	done

# On every core (pytest-xdist), test by test: module fixtures are made once per worker. Each
# worker is sent at most two tests at a time, so that near the end neither holds a queue of slow
# ones while the other has nothing left: that left a core idle for the last 15-20 s.
test: $(STAMP)
	$(RUN) -m pytest -q -n auto --maxschedchunk=2

# The documentation site: API reference, user guide, lecture, examples (run as it builds) and the
# tutorial notebook, offline, warnings as errors. Examples that did not change are not run again.
docs: $(STAMP)
	$(BIN)/python -m sphinx -E -W --keep-going -b html docs docs/_build/html
	@echo "The documentation: file://$(CURDIR)/docs/_build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check landscape tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

system:
	@if dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		echo "system packages: present"; \
	else \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -y -q install --no-install-recommends $(APT_PACKAGES); \
	fi

$(STAMP): pyproject.toml | system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

clean:
	rm -rf $(VENV) gallery/build .pytest_cache docs/_build docs/auto_examples docs/api/generated \
		docs/sg_execution_times.rst
