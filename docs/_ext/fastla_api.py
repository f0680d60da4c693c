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
#: sections that go last, in this order
LAST = ["fastla._runtime", "fastla"]


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
            title = MODULE_TITLES.get(mod) or ("Constants" if mod == "fastla" else
                                               f"``{mod}``")
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
