"""``.. fastla-api::`` -- the API reference of every name in ``fastla.__all__``.

The directive writes, for the current ``fastla.__all__``, a summary table
(autosummary) and then one autodoc entry per name, grouped by the module that
defines it: ``autoclass`` (with members) for classes, ``autofunction`` for
functions, ``autodata`` for constants.  Nothing is listed by hand, so the
functions other branches add to ``fastla.__all__`` appear once merged.
"""
import inspect

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

#: section titles of the modules that exist today; any other module gets its
#: own section titled by its name (new areas need no edit here).
MODULE_TITLES = {
    "fastla._dense": "Dense products",
    "fastla.sparse": "Sparse matrices and products",
    "fastla._sparse": "Sparse matrices and products",
    "fastla._runtime": "Threads, dispatch and configuration",
}
#: one-line descriptions of the constants in ``__all__`` (functions and
#: classes document themselves)
CONSTANT_DOCS = {
    "ARCHES": "Names of the kernel tables, portable first: the values of "
              "``FASTLA_ARCH`` and of :func:`fastla.use_arch`.",
}
#: numpydoc validation (docs/conf.py's numpydoc_validation_checks and
#: tests/test_docstrings.py): "all" minus the checks listed: the first
# group is house style (no extended summary or See Also required; properties
# need no Examples; "Return ..." or "Returns ..." summaries both fine; context
# managers documented as functions).  Every function's Examples section is
# required by tests/test_docstrings.py instead.
# The second group are gaps in today's docstrings, to tighten once fixed:
#   PR01 show_config(file), threads(n), use_arch(name), CSRMatrix.from_scipy/.transpose
#   PR06 CSRMatrix ("integer" instead of "int")
#   PR07 matvec(x), matmul(a, alpha, beta), spmv/spmm(alpha, beta), CSRMatrix.from_coo
#   PR08 spmv(A);  RT01 get_include, get_num_threads, active_arch, supported_arches,
#   CSRMatrix.to_scipy/.toarray/.transpose/.tocsc;  RT02/RT03 spmv, spmm;
#   GL02/SS01 CSRMatrix.ndim
NUMPYDOC_CHECKS = frozenset({
    "all",
    "ES01", "SA01", "EX01", "SS05", "YD01", "GL08",
    "PR01", "PR06", "PR07", "PR08", "RT01", "RT02", "RT03", "GL02", "SS01",
})

#: sections that go last, in this order
LAST = ["fastla._runtime", "fastla"]


def module_title(mod):
    """Section title for the functions of module `mod`: MODULE_TITLES, else
    the summary of the module's docstring ("fastla._conv -- Convolution
    through im2col." gives "Convolution through im2col"), else its name."""
    import importlib
    if mod in MODULE_TITLES:
        return MODULE_TITLES[mod]
    if mod == "fastla":
        return "Constants"
    try:
        doc = (importlib.import_module(mod).__doc__ or "").strip()
    except ImportError:
        doc = ""
    line = " ".join(doc.split("\n\n")[0].split())
    for sep in (" -- ", " \u2014 "):
        if sep in line:
            line = line.split(sep, 1)[1]
            break
    line = line.split(". ")[0].rstrip(".").strip()
    if line and len(line) <= 70:
        return line[0].upper() + line[1:]
    return mod.rsplit(".", 1)[-1].lstrip("_").replace("_", " ").capitalize()


def public_names():
    """``fastla.__all__`` in order, without ``__version__``."""
    import fastla
    return [n for n in fastla.__all__ if n != "__version__"]


def _module_of(obj):
    mod = getattr(obj, "__module__", None)
    if not isinstance(mod, str) or not mod.startswith("fastla") or not callable(obj):
        return "fastla"
    return mod


class FastlaAPI(SphinxDirective):
    has_content = False

    def run(self):
        import fastla
        names = public_names()
        groups = {}
        for name in names:
            groups.setdefault(_module_of(getattr(fastla, name)), []).append(name)
        order = [m for m in groups if m not in LAST] + [m for m in LAST if m in groups]
        lines = [".. currentmodule:: fastla", "", ".. autosummary::", ""]
        lines += [f"   {n}" for n in names if callable(getattr(fastla, n))]
        lines += [""]
        seen_titles = set()
        for mod in order:
            title = module_title(mod)
            if title not in seen_titles:
                seen_titles.add(title)
                lines += [title, "-" * len(title), ""]
            for name in groups[mod]:
                obj = getattr(fastla, name)
                if inspect.isclass(obj):
                    lines += [f".. autoclass:: fastla.{name}", "   :members:", ""]
                elif callable(obj):
                    lines += [f".. autofunction:: fastla.{name}", ""]
                else:
                    lines += [f".. py:data:: {name}", f"   :value: {obj!r}", "",
                              f"   {CONSTANT_DOCS.get(name, 'A constant of fastla.')}", ""]
        content = StringList(lines, source=self.get_source_info()[0])
        holder = nodes.section()
        holder.document = self.state.document
        nested_parse_with_titles(self.state, content, holder)
        return holder.children


def setup(app):
    app.add_directive("fastla-api", FastlaAPI)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
