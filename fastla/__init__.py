"""fastla: fast CPU linear-algebra kernels for Python and Cython.

Dense matrix-vector products with run-time CPU dispatch (portable C, AVX2,
AVX-512) and OpenMP threads, a cimportable Cython API (``fastla.cy``) and C
headers (``fastla.get_include()``).

>>> import numpy as np, fastla
>>> fastla.matvec(np.eye(3), np.arange(3.0))
array([0., 1., 2.])
"""
from fastla._version import __version__

try:
    from fastla import cy as _cy
except ImportError as exc:  # pragma: no cover - only in an unbuilt source tree
    import os as _os
    _here = _os.path.dirname(_os.path.abspath(__file__))
    if _os.path.exists(_os.path.join(_here, "_src")):
        raise ImportError(
            f"fastla's compiled core is missing in {_here}: this looks like an unbuilt "
            "source tree. Install with `pip install -e .` (or `pip install .` and run "
            "from another directory)") from exc
    raise
from fastla._runtime import (
    ARCHES,
    active_arch,
    get_include,
    get_num_threads,
    release_workspace,
    set_num_threads,
    show_config,
    supported_arches,
    threads,
    use_arch,
    _select_arch_from_env,
)
from fastla._dense import matmul, matvec
from fastla.sparse import CSRMatrix, spmm, spmv
from fastla._strassen import strassen_matmul
from fastla._conv import (Conv2dGrads, col2im, conv2d, conv2d_algorithm, conv2d_backward,
                          im2col)
from fastla._nn import (attention, embedding_bag, embedding_bag_backward, linear,
                        linear_backward)

_select_arch_from_env()
del _select_arch_from_env

__all__ = [
    "__version__",
    "matvec",
    "matmul",
    "CSRMatrix",
    "spmv",
    "spmm",
    "show_config",
    "get_include",
    "release_workspace",
    "set_num_threads",
    "get_num_threads",
    "threads",
    "use_arch",
    "active_arch",
    "supported_arches",
    "ARCHES",
    "strassen_matmul",
    "im2col",
    "col2im",
    "conv2d",
    "conv2d_backward",
    "conv2d_algorithm",
    "Conv2dGrads",
    "linear",
    "linear_backward",
    "attention",
    "embedding_bag",
    "embedding_bag_backward",
]
