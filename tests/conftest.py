"""Shared fixtures: every kernel test runs on each ISA the CPU supports and
with 1 and 2 threads."""
import numpy as np
import pytest

import fastla

DTYPES = (np.float32, np.float64)


@pytest.fixture(params=fastla.supported_arches())
def arch(request):
    """Runs the test with the kernel table of each ISA this machine has."""
    with fastla.use_arch(request.param):
        yield request.param


@pytest.fixture(params=[1, 2])
def nthreads(request):
    with fastla.threads(request.param):
        yield request.param


@pytest.fixture(params=DTYPES, ids=["float32", "float64"])
def dtype(request):
    return request.param


def tol(dtype, k=1):
    """Relative tolerance for a length-k reduction in `dtype`."""
    eps = np.finfo(dtype).eps
    return 8 * eps * max(1, k) ** 0.5 + 4 * eps


def rng(seed=0):
    return np.random.default_rng(seed)
