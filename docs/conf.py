"""Sphinx configuration of fastla's documentation.

Build (warnings are errors, as in .ci/run)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The API reference (api.rst) is generated from ``fastla.__all__`` by the small
extension in ``_ext/fastla_api.py``: a function or class added to
``fastla.__all__`` appears in the reference without editing the docs, and its
numpydoc docstring is validated (``numpydoc_validation_checks`` below).
The performance plots are PNG files committed under ``_static/bench/``,
made from a saved bench JSON by ``docs/make_plots.py``; the build never runs
a benchmark.
"""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, "_ext"))

# The build documents the fastla that Python imports: an editable install, a
# worktree on PYTHONPATH, or an installed wheel.  In the last case `python -m
# sphinx ... docs ...` run from the repository root finds the unbuilt source
# folder first (the current directory is on sys.path); drop it and import the
# installed package instead.
try:
    import fastla
except ImportError:
    _root = os.path.dirname(_HERE)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _root]
    for _name in [m for m in sys.modules if m == "fastla" or m.startswith("fastla.")]:
        del sys.modules[_name]
    import fastla

project = "fastla"
author = "the fastla developers"
copyright = "the fastla developers"
version = release = fastla.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "fastla_api",
]

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = []
html_theme = "alabaster"
html_static_path = ["_static"]
html_theme_options = {"description": "Fast CPU linear-algebra kernels for Python and Cython",
                      "fixed_sidebar": True}

autodoc_default_options = {"member-order": "bysource"}
autosummary_generate = False
numpydoc_show_class_members = False   # members are documented by autodoc's :members:
numpydoc_class_members_toctree = False

# numpydoc validation of every docstring autodoc renders (each report is a
# warning, so an error with -W).  The check set lives in _ext/fastla_api.py
# (NUMPYDOC_CHECKS, with the reasons) so that tests/test_docstrings.py applies
# the same checks to every name of fastla.__all__ when numpydoc is installed.
from fastla_api import NUMPYDOC_CHECKS  # noqa: E402

numpydoc_validation_checks = set(NUMPYDOC_CHECKS)

