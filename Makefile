# The two Quickstart commands (README.md) and the common tasks.
# Every target installs what it needs first, so each works on a fresh machine,
# also one whose only Python is the distribution's, which refuses pip installs
# (PEP 668, "externally-managed-environment"). Where the packages go:
# - PYTHON runs in a virtual environment already (you activated one, or passed
#   PYTHON=some/venv/bin/python): into that environment, nothing is created;
# - otherwise: into $(VENV) in this checkout, created from PYTHON with
#   `python -m venv` on first use, reused after, updated when setup.cfg,
#   pyproject.toml or the constraints change, and made again (--clear) when
#   PYTHON is another interpreter than the one it was made from.
PYTHON ?= python3
VENV ?= .venv

PIP_INSTALL = -m pip install --quiet --disable-pip-version-check
DEMO_EXTRAS = cpu,video,plots
TEST_EXTRAS = cpu,video,plots,captions,beam,export,test
# An installed environment is stale once one of these is newer than it.
INSTALL_INPUTS = setup.cfg pyproject.toml .ci/constraints.txt

# Prints: the environment's prefix, its base interpreter's prefix (the two are
# equal outside a venv), and an id of that base interpreter (version + a hash
# of its prefix), which is the same for a venv and the Python it was made from.
PYTHON_ID_CODE = import hashlib, os, sys; \
  base = os.path.realpath(sys.base_prefix); \
  print(os.path.realpath(sys.prefix), base, "%d.%d.%d-" % sys.version_info[:3] \
  + hashlib.sha1(base.encode()).hexdigest()[:8])
PYTHON_INFO := $(shell $(PYTHON) -c '$(PYTHON_ID_CODE)' 2>/dev/null)
ifeq ($(PYTHON_INFO),)
$(error PYTHON=$(PYTHON) does not run. Install Python 3.10+ (Debian/Ubuntu: \
  apt install python3 python3-venv) or pass PYTHON=/path/to/python3)
endif
PYTHON_PREFIX := $(word 1,$(PYTHON_INFO))
PYTHON_BASE := $(word 2,$(PYTHON_INFO))
PYTHON_ID := $(word 3,$(PYTHON_INFO))

ifneq ($(PYTHON_PREFIX),$(PYTHON_BASE))
ifneq ($(PYTHON_PREFIX),$(realpath $(VENV)))
OWN_ENV := yes
endif
endif

ifeq ($(OWN_ENV),yes)
# Your environment: install every time (pip skips what is already there).
ENV_PYTHON := $(PYTHON)
DEMO_READY := install-demo-extras
TEST_READY := install-test-extras
ENV_PREREQUISITE :=
MARK_READY := @true
.PHONY: $(DEMO_READY) $(TEST_READY)
else
ENV_PYTHON := $(VENV)/bin/python
DEMO_READY := $(VENV)/.installed-demo
TEST_READY := $(VENV)/.installed-test
# Named after the interpreter, so another PYTHON finds it missing.
ENV_PREREQUISITE := $(VENV)/.made-from-python-$(PYTHON_ID)
MARK_READY = @touch $@
endif

.PHONY: demo test notebooks lint format benchmark install
.DEFAULT_GOAL := install

demo: $(DEMO_READY)
	$(ENV_PYTHON) -m keras_grurcn demo

test: $(TEST_READY)
	$(ENV_PYTHON) -m ruff check keras_grurcn tests benchmarks scripts
	$(ENV_PYTHON) -m ruff format --check keras_grurcn tests benchmarks scripts
	$(ENV_PYTHON) -m pytest -n 2 tests
	KERAS_BACKEND=jax $(ENV_PYTHON) -m pytest -n 2 tests/layers

# Runs every notebook with its QUICK defaults and saves it with its outputs.
notebooks: $(TEST_READY)
	$(ENV_PYTHON) scripts/notebook_outputs.py

install: $(DEMO_READY)

lint: $(TEST_READY)
	$(ENV_PYTHON) -m ruff check keras_grurcn tests benchmarks scripts

format: $(TEST_READY)
	$(ENV_PYTHON) -m ruff format keras_grurcn tests benchmarks scripts
	$(ENV_PYTHON) -m ruff check --fix keras_grurcn tests benchmarks scripts

benchmark: $(DEMO_READY)
	$(ENV_PYTHON) benchmarks/convgru_vs_convlstm.py
	$(ENV_PYTHON) benchmarks/data_pipeline.py

$(DEMO_READY): $(INSTALL_INPUTS) $(ENV_PREREQUISITE)
	$(ENV_PYTHON) $(PIP_INSTALL) -e ".[$(DEMO_EXTRAS)]"
	$(MARK_READY)

$(TEST_READY): $(INSTALL_INPUTS) $(ENV_PREREQUISITE)
	$(ENV_PYTHON) $(PIP_INSTALL) -c .ci/constraints.txt -e ".[$(TEST_EXTRAS)]"
	$(MARK_READY)

# The virtual environment. One that PYTHON made (an earlier run, or you) is
# kept as it is; otherwise it is (re)made, and a failed attempt leaves nothing.
$(VENV)/.made-from-python-%:
	@if [ "$$($(VENV)/bin/python -c '$(PYTHON_ID_CODE)' 2>/dev/null | cut -d' ' -f3)" \
	    = "$(PYTHON_ID)" ]; then \
	  echo "Using $(VENV), made from $(PYTHON) ($(PYTHON_ID))."; \
	else \
	  echo "Creating $(VENV) with $(PYTHON) -m venv$(if $(wildcard $(VENV)), --clear):" \
	    "the packages go there."; \
	  $(PYTHON) -m venv --clear $(VENV) || { rm -rf $(VENV); \
	    echo "$(PYTHON) -m venv failed. On Debian/Ubuntu: apt install python3-venv;" \
	      "or pass PYTHON=/path/to/python3, or activate a virtual environment." >&2; \
	    exit 1; }; \
	fi
	@rm -f $(VENV)/.made-from-python-*
	@touch $@
