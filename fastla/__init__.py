"""fastla: fast CPU linear-algebra kernels for Python and Cython.

Dense matrix-vector products with run-time CPU dispatch (portable C, AVX2,
AVX-512) and OpenMP threads, a cimportable Cython API (``fastla.cy``) and C
headers (``fastla.get_include()``).

>>> import numpy as np, fastla
>>> fastla.matvec(np.eye(3), np.arange(3.0))
array([0., 1., 2.])
"""
from fastla._version import __version__
from fastla._runtime import (
    ARCHES,
    active_arch,
    get_include,
    get_num_threads,
    set_num_threads,
    show_config,
    supported_arches,
    threads,
    use_arch,
    _select_arch_from_env,
)
from fastla._dense import matvec
from fastla.sparse import CSRMatrix, spmm, spmv

_select_arch_from_env()
del _select_arch_from_env

__all__ = [
    "__version__",
    "matvec",
    "CSRMatrix",
    "spmv",
    "spmm",
    "show_config",
    "get_include",
    "set_num_threads",
    "get_num_threads",
    "threads",
    "use_arch",
    "active_arch",
    "supported_arches",
    "ARCHES",
]
