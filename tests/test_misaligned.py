"""Operands whose data pointer is not a multiple of the item size (buffers
at odd byte offsets, ``np.frombuffer(..., offset=1)``): every function reads
them through an aligned copy and gives the aligned operand's result; outs
like that are written through a temporary.  (``np.ascontiguousarray``
returns such an array unchanged, so a copy made with it is still
misaligned: these used to crash or read garbage.)"""
import numpy as np
import pytest

import fastla


def misaligned(a):
    """A C-contiguous copy of a whose data starts one byte past an aligned
    address: same values, ``flags.aligned`` False."""
    a = np.asarray(a)
    buf = np.zeros(a.nbytes + 1, np.uint8)[1:]
    m = buf.view(a.dtype).reshape(a.shape)
    m[...] = a
    assert not m.flags.aligned
    return m


@pytest.fixture(params=[np.float32, np.float64], ids=["float32", "float64"])
def dt(request):
    return request.param


def data(shape, dt, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dt)


def same(got, want):
    np.testing.assert_array_equal(got, want)


def test_dense(dt):
    a, b, x = data((7, 5), dt), data((5, 3), dt, 1), data(5, dt, 2)
    same(fastla.matmul(misaligned(a), misaligned(b)), fastla.matmul(a, b))
    same(fastla.matvec(misaligned(a), misaligned(x)), fastla.matvec(a, x))
    a8, b8 = data((8, 8), dt), data((8, 8), dt, 1)
    same(fastla.strassen_matmul(misaligned(a8), misaligned(b8), levels=1),
         fastla.strassen_matmul(a8, b8, levels=1))


def test_dense_out(dt):
    a, b, x = data((7, 5), dt), data((5, 3), dt, 1), data(5, dt, 2)
    c0 = data((7, 3), dt, 3)
    out = misaligned(c0)
    fastla.matmul(a, b, out=out, beta=0.5)
    same(out, fastla.matmul(a, b, out=c0.copy(), beta=0.5))
    y0 = data(7, dt, 4)
    out = misaligned(y0)
    fastla.matvec(a, x, out=out, beta=2.0)
    same(out, fastla.matvec(a, x, out=y0.copy(), beta=2.0))


def test_sparse(dt):
    A = fastla.CSRMatrix.from_coo([0, 1, 2, 2], [1, 0, 2, 0], np.array([1.0, 2.0, 3.0, 4.0], dt),
                                  (3, 3))
    x, X = data(3, dt), data((3, 4), dt, 1)
    same(fastla.spmv(A, misaligned(x)), fastla.spmv(A, x))
    same(A.T @ misaligned(x), A.T @ x)
    same(fastla.spmm(A, misaligned(X)), fastla.spmm(A, X))
    # the structure's arrays themselves (values, int32 indices)
    B = fastla.CSRMatrix(misaligned(np.array([1.0, 2.0], dt)), misaligned(np.array([1, 0], np.int32)),
                         misaligned(np.array([0, 1, 2], np.int32)), (2, 2))
    same(B @ np.ones(2, dt), np.array([1.0, 2.0], dt))
    out = misaligned(np.zeros(3, dt))
    fastla.spmv(A, x, out=out)
    same(out, fastla.spmv(A, x))


def test_conv(dt):
    x, w, b = data((2, 3, 6, 5), dt), data((4, 3, 3, 3), dt, 1), data(4, dt, 2)
    same(fastla.conv2d(misaligned(x), misaligned(w), misaligned(b), padding=1),
         fastla.conv2d(x, w, b, padding=1))
    gy = data((2, 4, 6, 5), dt, 3)
    got = fastla.conv2d_backward(misaligned(gy), misaligned(x), misaligned(w), padding=1)
    want = fastla.conv2d_backward(gy, x, w, padding=1)
    for g, h in zip(got, want):
        same(g, h)
    cols = fastla.im2col(x, 3, padding=1)
    same(fastla.im2col(misaligned(x), 3, padding=1), cols)
    out = misaligned(np.full(cols.shape, np.nan, dt))
    fastla.im2col(x, 3, padding=1, out=out)
    same(out, cols)
    same(fastla.col2im(misaligned(cols), (6, 5), 3, padding=1), fastla.col2im(cols, (6, 5), 3, padding=1))


def test_nn(dt):
    x, w, b = data((4, 5), dt), data((3, 5), dt, 1), data(3, dt, 2)
    same(fastla.linear(misaligned(x), misaligned(w), misaligned(b)), fastla.linear(x, w, b))
    gy = data((4, 3), dt, 3)
    got = fastla.linear_backward(misaligned(gy), misaligned(x), misaligned(w))
    want = fastla.linear_backward(gy, x, w)
    for g, h in zip(got, want):
        same(g, h)
    table, idx, off = data((6, 4), dt, 4), np.array([0, 5, 2, 2, 1]), np.array([0, 2])
    for mode in ("sum", "mean", "max"):
        same(fastla.embedding_bag(misaligned(idx), misaligned(table), misaligned(off), mode=mode),
             fastla.embedding_bag(idx, table, off, mode=mode))
    q, k, v = data((2, 3, 4), dt, 5), data((2, 5, 4), dt, 6), data((2, 5, 4), dt, 7)
    same(fastla.attention(misaligned(q), misaligned(k), misaligned(v)), fastla.attention(q, k, v))
