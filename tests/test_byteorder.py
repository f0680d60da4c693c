"""Arrays in non-native byte order hold the same values: every entry point
reads them correctly (kernels see a native copy) and refuses them as `out`."""
import numpy as np
import pytest

import fastla
from conftest import rng


def swapped(a):
    return a.astype(a.dtype.newbyteorder("S"))


def _cases():
    r = rng(11)
    a, b = r.standard_normal((7, 5)), r.standard_normal((5, 6))
    x = r.standard_normal((2, 3, 8, 8))
    w = r.standard_normal((4, 3, 3, 3))
    q = r.standard_normal((1, 2, 9, 8))
    table = r.standard_normal((10, 4))
    idx = np.array([1, 3, 3, 9, 0])
    sp = fastla.CSRMatrix.from_coo([0, 1, 6], [2, 0, 4], [1.5, -2.0, 3.0], (7, 5))
    return [
        ("matvec", lambda f: fastla.matvec(f(a), f(b[:, 0]))),
        ("matmul", lambda f: fastla.matmul(f(a), f(b))),
        ("strassen_matmul", lambda f: fastla.strassen_matmul(f(a), f(b))),
        ("linear", lambda f: fastla.linear(f(a), f(b.T), f(b[0]), activation="tanh")),
        ("conv2d", lambda f: fastla.conv2d(f(x), f(w), f(w[:, 0, 0, 0]), padding=1)),
        ("im2col", lambda f: fastla.im2col(f(x), 3)),
        ("attention", lambda f: fastla.attention(f(q), f(q), f(q), is_causal=True)),
        ("spmv", lambda f: fastla.spmv(sp, f(b[:, 0]))),
        ("spmv_T", lambda f: fastla.spmv(sp.T, f(a[:, 0]))),
        ("spmm", lambda f: fastla.spmm(sp, f(b))),
        ("embedding_bag", lambda f: fastla.embedding_bag(idx, f(table), np.array([0, 2]))),
    ]


@pytest.mark.parametrize("name,call", _cases(), ids=[c[0] for c in _cases()])
def test_swapped_inputs_give_the_native_result(name, call):
    native = call(lambda v: v)
    got = call(swapped)
    np.testing.assert_array_equal(got, native)


def test_swapped_out_is_refused():
    a = np.ones((3, 3))
    out = swapped(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="byte order"):
        fastla.matmul(a, a, out=out)
    assert (out == 0).all()


def test_swapped_sparse_structure_gives_the_native_matrix():
    """CSRMatrix and from_coo take swapped values and indices (converted
    once at construction; the values used to be refused as an unsupported
    dtype)."""
    data, ind, ptr = np.array([1.0, 2.0, 3.0]), np.array([1, 0, 1]), np.array([0, 1, 3])
    want = fastla.CSRMatrix(data, ind, ptr, (2, 2)) @ np.array([1.0, 10.0])
    got = fastla.CSRMatrix(swapped(data), swapped(ind), swapped(ptr), (2, 2)) @ np.array([1.0, 10.0])
    np.testing.assert_array_equal(got, want)
    coo = fastla.CSRMatrix.from_coo(swapped(np.array([0, 1, 1])), swapped(ind), swapped(data), (2, 2))
    np.testing.assert_array_equal(coo @ np.array([1.0, 10.0]), want)
