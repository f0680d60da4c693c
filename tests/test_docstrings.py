"""Every public function and class has a numpydoc docstring whose examples
run as doctests (the compiled modules included, which pytest's own doctest
collection cannot see).  The list is ``fastla.__all__`` itself, so a function
another branch exports is covered without editing this file; so are the
public methods of exported classes, and the ``>>>`` examples of the guides in
docs/."""
import doctest
import inspect
import os

import pytest

import fastla

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs")

# every function and class of fastla.__all__ (constants such as ARCHES and
# __version__ have no docstring of their own)
PUBLIC = [name for name in fastla.__all__ if callable(getattr(fastla, name))]


def _run(obj, name):
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    tests = [t for t in finder.find(obj, name, globs={"fastla": fastla}) if t.examples]
    for t in tests:
        runner.run(t)
    return tests, runner


def _methods(cls):
    """Public methods and properties defined by a fastla class (inherited
    ones from outside fastla excluded)."""
    for klass in cls.__mro__:
        if not (klass.__module__ or "").startswith("fastla"):
            continue
        for attr, value in vars(klass).items():
            if attr.startswith("_"):
                continue
            func = value.fget if isinstance(value, property) else value
            func = getattr(func, "__func__", func)
            if callable(func) and (getattr(func, "__doc__", None) or "").strip():
                yield attr, func


def test_public_list_is_not_empty():
    assert {"matvec", "matmul", "CSRMatrix", "spmv"} <= set(PUBLIC)


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_examples(name):
    obj = getattr(fastla, name)
    doc = obj.__doc__ or ""
    assert "Examples" in doc, f"fastla.{name} has no Examples section"
    tests, runner = _run(obj, f"fastla.{name}")
    assert tests, f"fastla.{name}'s Examples section has no >>> example"
    assert runner.failures == 0, f"fastla.{name}: {runner.failures} doctest failures"
    if inspect.isclass(obj):
        for attr, func in _methods(obj):
            _, runner = _run(func, f"fastla.{name}.{attr}")
            assert runner.failures == 0, f"fastla.{name}.{attr}: doctest failures"


def test_module_docstring():
    tests, runner = _run(fastla, "fastla")
    assert tests and runner.failures == 0


GUIDES = sorted(os.path.relpath(os.path.join(d, f), DOCS)
                for d, dirs, files in os.walk(DOCS) if "_build" not in d
                for f in files if f.endswith(".rst"))


@pytest.mark.skipif(not GUIDES, reason="docs/ is not beside the tests")
@pytest.mark.parametrize("page", [g for g in GUIDES
                                  if ">>>" in open(os.path.join(DOCS, g)).read()])
def test_guide_examples(page):
    """The ``>>>`` examples of the guides (getting-started.rst, ...) run."""
    failures, tried = doctest.testfile(os.path.join(DOCS, page), module_relative=False,
                                       optionflags=FLAGS, verbose=False, report=False,
                                       globs={"fastla": fastla})
    assert tried > 0 and failures == 0, f"docs/{page}: {failures} of {tried} examples failed"


def _numpydoc_checks():
    """The check set the docs build applies (docs/_ext/fastla_api.py), resolved
    the way numpydoc resolves ``numpydoc_validation_checks``."""
    import importlib.util
    from numpydoc.validate import ERROR_MSGS
    path = os.path.join(DOCS, "_ext", "fastla_api.py")
    spec = importlib.util.spec_from_file_location("_fastla_docs_api", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    checks = set(mod.NUMPYDOC_CHECKS)
    if "all" in checks:
        return set(ERROR_MSGS) - checks
    return checks


@pytest.mark.skipif(not os.path.isdir(os.path.join(DOCS, "_ext")),
                    reason="docs/ is not beside the tests")
@pytest.mark.parametrize("name", PUBLIC)
def test_numpydoc_validation(name):
    """The numpydoc checks of the docs build (where a failure is a build
    error), here so a branch that exports a function sees it in its tests."""
    pytest.importorskip("numpydoc")
    from numpydoc.validate import validate
    checks = _numpydoc_checks()
    obj = getattr(fastla, name)
    targets = [f"fastla.{name}"]
    if inspect.isclass(obj):
        targets += [f"fastla.{name}.{attr}" for attr, _ in _methods(obj)]
    problems = [f"{t}: {code} {msg}" for t in targets
                for code, msg in validate(t)["errors"] if code in checks]
    assert not problems, "\n".join(problems)
