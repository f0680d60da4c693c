"""Every public function and class has a numpydoc docstring whose examples
run as doctests (the compiled modules included, which pytest's own doctest
collection cannot see)."""
import doctest

import pytest

import fastla

PUBLIC = [name for name in fastla.__all__ if name not in ("__version__", "ARCHES")]


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_examples(name):
    obj = getattr(fastla, name)
    doc = obj.__doc__ or ""
    assert "Examples" in doc, f"fastla.{name} has no Examples section"
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = finder.find(obj, name, globs={"fastla": fastla})
    assert tests and any(t.examples for t in tests)
    for t in tests:
        runner.run(t)
    assert runner.failures == 0


def test_module_docstring():
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner()
    for t in finder.find(fastla, "fastla"):
        runner.run(t)
    assert runner.failures == 0
