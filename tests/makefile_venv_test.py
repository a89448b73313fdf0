"""The README's two commands on a fresh machine: the Makefile's environment logic.

`make demo` and `make test` install into `.venv/` (made with `python -m venv`)
unless Python already runs in a virtual environment, because a distribution's
Python refuses pip installs (PEP 668). Re-running the real install would take
minutes, so these tests run the same Makefile in a stand-in project: a package
named `keras_grurcn` whose `python -m keras_grurcn demo` prints the environment
it runs in, with every extra empty, so `make demo` is the Makefile's venv and
install steps and nothing else. The interpreter is a bare one (not a venv): the
distribution's `/usr/bin/python3` where there is one, else the base
interpreter of the Python running the tests.
"""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
STAND_IN_SETUP_CFG = """\
[metadata]
name = keras-grurcn-stand-in
version = {version}

[options]
packages = keras_grurcn

[options.extras_require]
cpu =
video =
plots =
captions =
test =
"""
STAND_IN_MAIN = 'import sys\nprint("stand-in demo ran in", sys.prefix)\n'
# What the recipes print when they install; absent when nothing is installed.
INSTALLS = "-m pip install"
TIMEOUT_S = 300


def _python_output(python, code):
    return subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def _bare_pythons():
    """Interpreters outside any venv, distinct, the distribution's first."""
    found = {}
    for candidate in (
        "/usr/bin/python3",
        os.path.join(sys.base_prefix, "bin", "python3"),
    ):
        if not os.access(candidate, os.X_OK):
            continue
        prefix, base = _python_output(
            candidate, "import sys; print(sys.prefix); print(sys.base_prefix)"
        ).splitlines()
        if prefix == base:
            found.setdefault(os.path.realpath(base), candidate)
    return list(found.values())


BARE_PYTHONS = _bare_pythons()


def _base_prefix(python):
    return os.path.realpath(
        _python_output(python, "import sys; print(sys.base_prefix)")
    )


def _externally_managed(python):
    stdlib = _python_output(
        python, "import sysconfig; print(sysconfig.get_path('stdlib'))"
    )
    return (pathlib.Path(stdlib) / "EXTERNALLY-MANAGED").exists()


def _write_stand_in(project, version="0"):
    (project / "setup.cfg").write_text(STAND_IN_SETUP_CFG.format(version=version))


@pytest.fixture
def stand_in(tmp_path):
    """A project with the real Makefile and pyproject.toml and a dummy package."""
    project = tmp_path / "project"
    (project / "keras_grurcn").mkdir(parents=True)
    (project / ".ci").mkdir()
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    (project / ".ci" / "constraints.txt").write_text("")
    (project / "keras_grurcn" / "__init__.py").write_text("")
    (project / "keras_grurcn" / "__main__.py").write_text(STAND_IN_MAIN)
    _write_stand_in(project)
    return project


def make(project, *arguments, activate=None):
    """Runs make in `project` as a fresh shell would; returns (rc, output).

    Nothing of the test run's own environment leaks in: no venv on PATH, no
    MAKEFLAGS from an outer `make test`. `activate` puts a venv's bin first
    on PATH, as `source venv/bin/activate` does.
    """
    running_env_bin = os.path.join(sys.prefix, "bin")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV", "PYTHON"}
    }
    path = [
        entry
        for entry in environment.get("PATH", "").split(os.pathsep)
        if entry and os.path.realpath(entry) != os.path.realpath(running_env_bin)
    ]
    if activate is not None:
        path.insert(0, str(activate / "bin"))
        environment["VIRTUAL_ENV"] = str(activate)
    environment["PATH"] = os.pathsep.join(path)
    completed = subprocess.run(
        ["make", "-C", str(project), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=TIMEOUT_S,
    )
    return completed.returncode, completed.stdout + completed.stderr


def ran_in(output):
    lines = [line for line in output.splitlines() if "stand-in demo ran in" in line]
    assert len(lines) == 1, output
    return os.path.realpath(lines[0].split("stand-in demo ran in ", 1)[1])


def installed_version(python):
    code = "import importlib.metadata as m; print(m.version('keras-grurcn-stand-in'))"
    return _python_output(python, code)


def test_there_is_a_bare_interpreter():
    assert BARE_PYTHONS, "no Python outside a virtual environment found"


def test_ci_runs_exactly_make_test():
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [line for line in lines if line.strip() and not line.startswith("#")]
    assert commands[-1] == "make test", commands


@pytest.mark.large
def test_make_demo_creates_reuses_and_updates_dot_venv(stand_in):
    python = BARE_PYTHONS[0]
    venv = stand_in / ".venv"
    rc, output = make(stand_in, "demo", f"PYTHON={python}")
    assert rc == 0, output
    assert "Creating .venv" in output and INSTALLS in output, output
    assert ran_in(output) == os.path.realpath(venv)
    assert _base_prefix(venv / "bin" / "python") == _base_prefix(python)
    assert installed_version(venv / "bin" / "python") == "0"

    sentinel = venv / "made-by-the-first-run"
    sentinel.write_text("")
    rc, output = make(stand_in, "demo", f"PYTHON={python}")
    assert rc == 0, output
    assert INSTALLS not in output, f"an up-to-date .venv was installed again:\n{output}"
    assert ran_in(output) == os.path.realpath(venv)

    # setup.cfg changes (its mtime set ahead: make compares whole seconds).
    _write_stand_in(stand_in, version="1")
    later = (venv / ".installed-demo").stat().st_mtime + 10
    os.utime(stand_in / "setup.cfg", (later, later))
    rc, output = make(stand_in, "demo", f"PYTHON={python}")
    assert rc == 0, output
    assert INSTALLS in output and "Creating .venv" not in output, output
    assert installed_version(venv / "bin" / "python") == "1"
    assert sentinel.exists(), "the .venv was made again instead of updated"


@pytest.mark.large
def test_make_demo_in_an_active_venv_installs_there(stand_in, tmp_path):
    own = tmp_path / "own-venv"
    subprocess.run([BARE_PYTHONS[0], "-m", "venv", str(own)], check=True)
    rc, output = make(stand_in, "demo", activate=own)
    assert rc == 0, output
    assert ran_in(output) == os.path.realpath(own)
    assert not (stand_in / ".venv").exists(), "a nested .venv was made"
    assert installed_version(own / "bin" / "python") == "0"

    # The same environment named by PYTHON instead of activated.
    rc, output = make(stand_in, "demo", f"PYTHON={own / 'bin' / 'python'}")
    assert rc == 0, output
    assert ran_in(output) == os.path.realpath(own)
    assert not (stand_in / ".venv").exists()


@pytest.mark.large
@pytest.mark.skipif(
    len(BARE_PYTHONS) < 2,
    reason="needs two Pythons outside venvs, e.g. /usr/bin/python3",
)
def test_python_picks_the_interpreter_of_dot_venv(stand_in):
    first, second = BARE_PYTHONS[:2]
    venv_python = stand_in / ".venv" / "bin" / "python"
    rc, output = make(stand_in, "demo", f"PYTHON={first}")
    assert rc == 0, output
    assert _base_prefix(venv_python) == _base_prefix(first)

    rc, output = make(stand_in, "demo", f"PYTHON={second}")
    assert rc == 0, output
    assert "Creating .venv" in output and "--clear" in output, output
    assert _base_prefix(venv_python) == _base_prefix(second)
    assert ran_in(output) == os.path.realpath(stand_in / ".venv")


# Two ways to lose the venv step: never choosing .venv (install into PYTHON
# itself, the Makefile before this logic), or choosing it but never making it.
WITHOUT_THE_VENV_STEP = {
    "installs_into_python": ("ifeq ($(OWN_ENV),yes)", "ifeq (yes,yes)"),
    "never_makes_it": ("$(PYTHON) -m venv --clear $(VENV)", "true"),
}


@pytest.mark.large
@pytest.mark.parametrize("mutation", sorted(WITHOUT_THE_VENV_STEP))
def test_make_demo_fails_without_the_venv_step(stand_in, mutation):
    python = BARE_PYTHONS[0]
    if mutation == "installs_into_python" and not _externally_managed(python):
        # Without PEP 668's marker pip would install the stand-in into it.
        pytest.skip(f"{python} is not externally managed (PEP 668)")
    old, new = WITHOUT_THE_VENV_STEP[mutation]
    makefile = stand_in / "Makefile"
    assert old in makefile.read_text(), f"the Makefile no longer has {old!r}"
    makefile.write_text(makefile.read_text().replace(old, new))
    rc, output = make(stand_in, "demo", f"PYTHON={python}")
    assert rc != 0, output
    assert "stand-in demo ran in" not in output
    if mutation == "installs_into_python":
        assert "externally-managed-environment" in output, output
