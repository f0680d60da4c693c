"""OpenMP may start fewer threads than a kernel asks for (OMP_DYNAMIC,
OMP_THREAD_LIMIT): every kernel must still compute all of its output.  A
child process runs each public kernel under such limits with fastla set to
2 threads; its results must equal the ones computed here."""
import os
import pickle
import sys

import numpy as np
import pytest

import fastla
from conftest import run_python

CASES = r'''
import numpy as np, fastla
r = np.random.default_rng(5)
a = r.standard_normal((300, 257)); b = r.standard_normal((257, 301))
big = r.standard_normal((1024, 1000))
x = r.standard_normal((4, 8, 30, 30)); w = r.standard_normal((16, 8, 3, 3))
q = r.standard_normal((2, 3, 200, 64))
table = r.standard_normal((5000, 64)); idx = r.integers(0, 5000, 40000)
import scipy.sparse as sps
S = fastla.CSRMatrix.from_scipy(sps.random(3000, 2000, density=0.02, format="csr", random_state=1))
def results():
    return {
        "matvec": fastla.matvec(a, b[:, 0]),
        "matmul": fastla.matmul(a, b),
        "matmul_batch": fastla.matmul(q[0], q[0].transpose(0, 2, 1)),
        "strassen1": fastla.strassen_matmul(big, big.T, levels=1),
        "strassen2": fastla.strassen_matmul(big, big.T, levels=2),
        "linear": fastla.linear(a, b.T, None, activation="relu"),
        "conv2d": fastla.conv2d(x, w, padding=1),
        "conv2d_bwd": tuple(fastla.conv2d_backward(fastla.conv2d(x, w, padding=1), x, w, padding=1)),
        "im2col": fastla.im2col(x, 3, padding=1),
        "attention": fastla.attention(q, q, q, is_causal=True),
        "embedding_bag": fastla.embedding_bag(idx, table, np.arange(0, 40000, 40)),
        "spmv": fastla.spmv(S, np.cos(np.arange(2000.0))),
        "spmv_T": fastla.spmv(S.T, np.linspace(0, 1, 3000)),
        "spmm": fastla.spmm(S, np.ones((2000, 64))),
    }
'''


def test_every_kernel_fills_its_output_with_a_short_team(tmp_path):
    pytest.importorskip("scipy")
    if not fastla._runtime.config_dict()["openmp"]:
        pytest.skip("built without OpenMP")
    out = tmp_path / "child.pkl"
    code = CASES + (
        "fastla.set_num_threads(2)\n"
        "import pickle\n"
        f"pickle.dump({{k: np.asarray(v, dtype=object) if isinstance(v, tuple) else v "
        f"for k, v in results().items()}}, open({str(out)!r}, 'wb'))\n")
    r = run_python(code, OMP_DYNAMIC="true", OMP_THREAD_LIMIT="1")
    assert r.returncode == 0, r.stderr[-3000:]
    child = pickle.load(open(out, "rb"))
    ns = {}
    exec(CASES, ns)
    with fastla.threads(1):
        mine = ns["results"]()
    for name, want in mine.items():
        got = child[name]
        if isinstance(want, tuple):
            for g, w_ in zip(got, want):
                np.testing.assert_allclose(g, w_, rtol=1e-10, atol=1e-10, err_msg=name)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10, err_msg=name)
