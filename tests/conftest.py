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


def views(x):
    """The same values of a 2-D array under every layout the packing routines
    distinguish: C, F, a strided slice, negative strides, a transposed copy."""
    yield np.ascontiguousarray(x)
    yield np.asfortranarray(x)
    big = np.zeros((2 * x.shape[0] + 1, 3 * x.shape[1] + 1), x.dtype)
    big[1::2, ::3][:, : x.shape[1]] = x
    yield big[1::2, ::3][:, : x.shape[1]]
    yield np.ascontiguousarray(x[::-1, ::-1])[::-1, ::-1]
    yield np.ascontiguousarray(x.T).T


TESTS_DIR = __import__("os").path.dirname(__import__("os").path.abspath(__file__))


def run_python(args, env=None, unset=(), timeout=600, **env_vars):
    """Run `python <args>` (a code string means `-c code`) in a child process
    whose working directory is tests/, never the source tree: there a plain
    `pip install .` would be shadowed by the unbuilt `fastla/` folder.
    `env_vars` are added to the environment and names in `unset` removed."""
    import os
    import subprocess
    import sys
    e = dict(os.environ if env is None else env)
    e.update(env_vars)
    for name in unset:
        e.pop(name, None)
    argv = ["-c", args] if isinstance(args, str) else list(args)
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=e,
                          cwd=TESTS_DIR, timeout=timeout)


def build_downstream(name, tmp_path_factory):
    """Build tests/<name>/ (setup.py + <name>.pyx) in a temporary directory
    the way a downstream project would, and import the extension."""
    import importlib.util
    import os
    import shutil
    import subprocess
    import sys
    pytest.importorskip("Cython")
    here = os.path.dirname(os.path.abspath(__file__))
    module = name
    d = tmp_path_factory.mktemp(name)
    for f in ("setup.py", f"{module}.pyx"):
        shutil.copy(os.path.join(here, name, f), d)
    r = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=d,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    so = [f for f in os.listdir(d) if f.startswith(module) and f.endswith((".so", ".pyd"))]
    spec = importlib.util.spec_from_file_location(module, os.path.join(d, so[0]))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
