"""Same inputs, same thread count, same bits: every threaded kernel whose
threads combine partial results (reductions, private buffers, chunks handed
out to threads) gives identical output on repeated calls.  Sizes are large
enough for 2 threads to split the work (and, for the convolution backward,
for the threads to take whole chunks of images with private weight
gradients, the case that was not deterministic)."""
import numpy as np
import pytest
import scipy.sparse as sp

import fastla

from conftest import rng

CALLS = 6


def same_bits(a, b):
    if isinstance(a, tuple):
        return all(same_bits(u, v) for u, v in zip(a, b))
    if a is None:
        return b is None
    return np.array_equal(np.asarray(a), np.asarray(b))


def cases():
    r = rng(40)
    f32 = np.float32
    a = r.standard_normal((700, 900)).astype(f32)
    b = r.standard_normal((900, 500)).astype(f32)
    c = r.standard_normal((1100, 1100)).astype(f32)
    nnz = 400_000
    s = sp.csr_array((r.standard_normal(nnz).astype(f32),
                      (r.integers(0, 60_000, nnz), r.integers(0, 30_000, nnz))),
                     shape=(60_000, 30_000))
    m = fastla.CSRMatrix.from_scipy(s)
    x = r.standard_normal(30_000).astype(f32)
    y = r.standard_normal(60_000).astype(f32)
    yy = r.standard_normal((60_000, 16)).astype(f32)
    xi = r.standard_normal((8, 32, 20, 20)).astype(f32)
    wi = r.standard_normal((16, 32, 3, 3)).astype(f32)
    gy = r.standard_normal((8, 16, 18, 18)).astype(f32)
    xl = r.standard_normal((4096, 256)).astype(f32)
    wl = r.standard_normal((128, 256)).astype(f32)
    q = r.standard_normal((2, 4, 256, 64)).astype(f32)
    emb = r.standard_normal((20_000, 64)).astype(f32)
    idx = r.integers(0, 20_000, 100_000)
    off = np.arange(0, 100_000, 20)
    return {
        "matmul": lambda: fastla.matmul(a, b),
        "matvec_transposed": lambda: fastla.matvec(a.T, a[:, 0].copy()),
        "strassen": lambda: fastla.strassen_matmul(c, c, levels=1),
        "spmv": lambda: fastla.spmv(m, x),
        "spmv_transposed": lambda: fastla.spmv(m.T, y),
        "spmm_transposed": lambda: fastla.spmm(m.T, yy),
        "tocsc": lambda: m.tocsc().data,
        "conv2d_backward": lambda: tuple(fastla.conv2d_backward(gy, xi, wi, algorithm="direct")),
        "conv2d_backward_winograd": lambda: tuple(fastla.conv2d_backward(
            gy, xi, wi, padding=0, algorithm="winograd")),
        "col2im": lambda: fastla.col2im(fastla.im2col(xi, 3), (20, 20), 3),
        "linear_backward": lambda: tuple(fastla.linear_backward(np.ones((4096, 128), f32), xl,
                                                                wl)),
        "attention": lambda: fastla.attention(q, q, q),
        "embedding_bag_backward": lambda: tuple(fastla.embedding_bag_backward(
            np.full((len(off), 64), 0.1, f32), idx, emb, off)),
    }


CASES = cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_repeated_calls_give_the_same_bits(name, nthreads):
    fn = CASES[name]
    first = fn()
    for _ in range(CALLS - 1):
        assert same_bits(fn(), first), f"{name}: a repeated call gave different bits"


@pytest.mark.parametrize("m, k, n", [(700, 900, 500),     # rows split between threads
                                     (64, 900, 2000),     # a short A: columns split
                                     (3000, 300, 40)])    # few columns: A read in place
def test_dense_products_do_not_depend_on_the_thread_count(m, k, n):
    """Every element's k-sum runs in one order whatever the thread split
    (docs/kernels/dense.rst, "Reproducibility")."""
    r = rng(41)
    for dtype in (np.float32, np.float64):
        a = r.standard_normal((m, k)).astype(dtype)
        b = r.standard_normal((k, n)).astype(dtype)
        with fastla.threads(1):
            one = fastla.matmul(a, b), fastla.matvec(a, b[:, 0]), fastla.matvec(a.T, a[:, 0])
        with fastla.threads(2):
            two = fastla.matmul(a, b), fastla.matvec(a, b[:, 0]), fastla.matvec(a.T, a[:, 0])
        assert same_bits(one, two)
