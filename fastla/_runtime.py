"""Run-time configuration: ISA dispatch, threads, build facts, include paths."""
import contextlib
import operator
import os
import sys

from fastla import cy as _cy
from fastla._version import __version__

ARCHES = _cy.ARCH_NAMES


def _select_arch_from_env():
    """Called once at import: FASTLA_ARCH forces an ISA, else the best one."""
    forced = os.environ.get("FASTLA_ARCH", "").strip().lower()
    if not forced:
        _cy._arch_select(_cy._arch_best())
        return
    if forced not in ARCHES:
        raise ImportError(f"FASTLA_ARCH={forced!r} is not a fastla ISA; "
                          f"use one of {', '.join(ARCHES)} (or unset it)")
    if not _cy._arch_supported(forced):
        raise ImportError(f"FASTLA_ARCH={forced!r}, but this CPU does not support it; "
                          f"supported here: {', '.join(supported_arches())}")
    _cy._arch_select(forced)


def supported_arches():
    """ISAs whose kernels were built and that this CPU can run, best last.

    Examples
    --------
    >>> import fastla
    >>> fastla.supported_arches()[0]
    'ref'
    """
    return tuple(a for a in ARCHES if _cy._arch_supported(a))


def active_arch():
    """Name of the ISA whose kernel table is in use ("ref", "avx2", "avx512").

    Chosen at import as the best the CPU supports, or forced with the
    environment variable ``FASTLA_ARCH``.

    Examples
    --------
    >>> import fastla
    >>> fastla.active_arch() in fastla.supported_arches()
    True
    """
    return _cy._arch_active()


@contextlib.contextmanager
def use_arch(name):
    """Context manager that runs fastla's kernels on the ISA `name`.

    Meant for tests and benchmarks; not thread-safe with kernels running
    concurrently on other threads.

    Examples
    --------
    >>> import fastla
    >>> with fastla.use_arch("ref"):
    ...     fastla.active_arch()
    'ref'
    """
    previous = _cy._arch_active()
    _cy._arch_select(name)
    try:
        yield name
    finally:
        _cy._arch_select(previous)


def set_num_threads(n):
    """Set the number of threads of fastla's parallel kernels.

    Parameters
    ----------
    n : int or None
        Positive count, or None/0 to follow OpenMP's default again
        (``OMP_NUM_THREADS``, else all cores). threadpoolctl's limits still cap
        the count (fastla's pool is the OpenMP runtime it reports).

    Examples
    --------
    >>> import fastla
    >>> fastla.set_num_threads(1)
    >>> fastla.get_num_threads()
    1
    >>> fastla.set_num_threads(None)
    """
    _cy._set_num_threads(0 if n is None else _thread_count("set_num_threads", n, 0))


def _thread_count(fname, n, minimum):
    """n as a thread count: an int (2.9, "2" and True are refused, not
    converted) with minimum <= n < 2**31; a TypeError or ValueError that
    names fname.  set_num_threads takes 0 (OpenMP's default), threads() not."""
    what = "an int or None" if minimum == 0 else "an int"
    if isinstance(n, bool):
        raise TypeError(f"{fname}: n must be {what}, got {n!r}")
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"{fname}: n must be {what}, got {n!r}") from None
    if n < minimum:
        raise ValueError(f"{fname}: n must be positive{' or None' if minimum == 0 else ''}, "
                         f"got {n}")
    if n > 2**31 - 1:
        raise ValueError(f"{fname}: n = {n} is too large (at most {2**31 - 1})")
    return n


def release_workspace():
    """Free the workspace fastla keeps cached between calls.

    The kernels keep their packing buffers and workspaces per thread (up to
    64 MB a thread) so that calling a kernel again costs no allocation and
    no page faults. The calling thread and the threads of its OpenMP team
    keep theirs until they exit, which for the main thread and the pool is
    the end of the process. This frees every cached block not in use by a
    running kernel; the next call allocates again.

    It also empties the cache of large results: the buffers of arrays of
    32 MB or more that fastla returned and that have since been freed, kept
    (up to 256 MB in all, or ``FASTLA_OUTPUT_CACHE_MB`` megabytes; 0 turns
    the cache off) so that the next result of about the same size reuses
    their pages instead of faulting in fresh ones.

    Returns
    -------
    int
        The bytes freed.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> a = np.ones((512, 512))
    >>> _ = fastla.matmul(a, a)
    >>> fastla.release_workspace() > 0
    True
    >>> fastla.release_workspace()
    0
    """
    return int(_cy._release_workspace()) + int(_cy._outcache_trim())


def get_num_threads():
    """Number of threads fastla's parallel kernels use from this thread.

    Examples
    --------
    >>> import fastla
    >>> fastla.get_num_threads() >= 1
    True
    """
    return _cy._get_num_threads()


class threads:
    """Context manager: ``with fastla.threads(n): ...`` runs with n threads.

    The count is the calling thread's own: fastla calls made in the block
    by this thread use n threads (whatever ``set_num_threads`` or
    threadpoolctl say), other Python threads are not affected, and leaving
    the block restores this thread's previous scoped count.

    Examples
    --------
    >>> import fastla
    >>> with fastla.threads(1):
    ...     fastla.get_num_threads()
    1
    """

    def __init__(self, n):
        self.n = _thread_count("threads", n, 1)
        self._saved = None

    def __enter__(self):
        self._saved = _cy._thread_setting()
        _cy._restore_thread_setting(self.n)     # this thread's scoped count
        return self

    def __exit__(self, *exc):
        _cy._restore_thread_setting(*self._saved)
        return False


def get_include():
    """Directories to put on a downstream extension's include path.

    The first holds the C headers (``fastla/fastla.h`` and friends); the
    second is the directory that contains the ``fastla`` package, so Cython
    finds ``fastla/cy.pxd`` through the extension's ``include_dirs`` even in
    an editable install (where the package is not on ``sys.path``).

    Examples
    --------
    >>> import os, fastla
    >>> os.path.exists(os.path.join(fastla.get_include()[0], "fastla", "gemv.h"))
    True
    """
    pkg = os.path.dirname(os.path.abspath(__file__))
    shipped = os.path.join(pkg, "include")
    if not os.path.exists(os.path.join(shipped, "fastla", "fastla.h")):
        shipped = os.path.join(os.path.dirname(pkg), "include")   # editable install
    return [shipped, os.path.dirname(pkg)]


def config_dict():
    """The facts show_config() prints, as a dict."""
    return {
        "version": __version__,
        "arch_active": active_arch(),
        "arch_supported": list(supported_arches()),
        "arch_emulated": [a for a in ARCHES if _cy._arch_emulated(a)],
        "openmp": _cy._has_openmp(),
        "num_threads": get_num_threads(),
        "cpu_count": os.cpu_count(),
        "compiler": _cy._compiler(),
        "python": sys.version.split()[0],
    }


def show_config(file=None):
    """Print fastla's version, ISAs, threads and build facts.

    Examples
    --------
    >>> import fastla
    >>> fastla.show_config()   # doctest: +ELLIPSIS
    fastla ...
    """
    c = config_dict()
    lines = [
        f"fastla {c['version']}",
        f"  ISA in use        : {c['arch_active']}"
        + ("  (forced by FASTLA_ARCH)" if os.environ.get("FASTLA_ARCH") else ""),
        f"  ISAs this CPU runs: "
        + ", ".join(a + (" (emulated on AVX2: test build)" if a in c["arch_emulated"] else "")
                    for a in c["arch_supported"]),
        f"  OpenMP            : {'yes' if c['openmp'] else 'no (serial build)'}",
        f"  threads           : {c['num_threads']} (of {c['cpu_count']} cores)",
        f"  compiler          : {c['compiler']}",
        f"  python            : {c['python']}",
    ]
    print("\n".join(lines), file=file or sys.stdout)
