"""Sparse rows of ``python -m fastla bench`` and the matrices of the asv suite.

The matrices of issue 4: a 2-D Laplacian (5-point stencil), a random matrix
with 10 non-zeros per row, and a power-law matrix (lognormal row lengths plus
a few rows of 100k-500k entries), float64 values with int32 indices.  They are
built with NumPy only (no scipy needed).  ``quick=True`` shrinks them so the
whole sparse section runs in seconds.

Bytes moved per call are counted as data + indices + indptr + x + y (+ X, Y
for SpMM); flops as 2 * nnz * (columns of x).
"""
import numpy as np

import fastla


def laplacian_2d(g, dtype=np.float64, itype=np.int32):
    """The 5-point Laplacian of a g x g grid: (g*g) x (g*g), sorted indices."""
    n = g * g
    i = np.arange(n)
    r, c = i // g, i % g
    cols = np.stack([i - g, i - 1, i, i + 1, i + g], axis=1)
    ok = np.stack([r > 0, c > 0, np.ones(n, bool), c < g - 1, r < g - 1], axis=1)
    vals = np.where(np.arange(5) == 2, 4.0, -1.0)[None, :].repeat(n, 0)
    indptr = np.concatenate([[0], np.cumsum(ok.sum(1))]).astype(itype)
    return fastla.CSRMatrix(vals[ok].astype(dtype), cols[ok].astype(itype), indptr, (n, n))


def random_csr(n, per_row=10, dtype=np.float64, itype=np.int32, seed=0):
    """n x n with `per_row` uniformly random columns per row (sorted)."""
    rng = np.random.default_rng(seed)
    cols = np.sort(rng.integers(0, n, (n, per_row), dtype=np.int64), axis=1).ravel()
    indptr = (np.arange(n + 1, dtype=np.int64) * per_row).astype(itype)
    return fastla.CSRMatrix(rng.random(n * per_row).astype(dtype), cols.astype(itype),
                            indptr, (n, n))


def power_law_csr(n, mean=18, big=(100_000, 250_000, 500_000), dtype=np.float64,
                  itype=np.int32, seed=0):
    """n x n, lognormal row lengths (mean ~`mean`) plus a few rows of `big` entries."""
    rng = np.random.default_rng(seed)
    sigma = 1.0
    lens = rng.lognormal(np.log(mean) - sigma ** 2 / 2, sigma, n).astype(np.int64)
    lens = np.minimum(lens, n)
    for k, b in enumerate(big):
        lens[rng.integers(0, n)] = min(b, n)
    indptr = np.concatenate([[0], np.cumsum(lens)])
    nnz = int(indptr[-1])
    cols = rng.integers(0, n, nnz, dtype=np.int64)
    return fastla.CSRMatrix(rng.random(nnz).astype(dtype), cols.astype(itype),
                            indptr.astype(itype), (n, n))


def matrices(quick):
    """name -> CSRMatrix (float64, int32)."""
    if quick:
        return {"laplacian2d": laplacian_2d(700),
                "random10": random_csr(300_000),
                "powerlaw": power_law_csr(250_000, big=(25_000, 60_000, 120_000))}
    return {"laplacian2d": laplacian_2d(2000),
            "random10": random_csr(1_000_000),
            "powerlaw": power_law_csr(1_000_000)}


def csr_bytes(A):
    return A.data.nbytes + A.indices.nbytes + A.indptr.nbytes


def _peers_spmv(A, x, trans):
    """Zero-arg callables of the installed peers for y = A x (or A^T x)."""
    peers = {}
    try:
        import scipy.sparse as sp
        S = sp.csr_matrix((A.data, A.indices, A.indptr), shape=A.shape)
        St = S.T                   # CSC view: scipy's csc_matvec, no copy
        peers["scipy"] = (lambda: St @ x) if trans else (lambda: S @ x)
    except ImportError:
        return peers
    try:
        import sparse_dot_mkl
        peers["mkl"] = ((lambda: sparse_dot_mkl.dot_product_mkl(St, x)) if trans
                        else (lambda: sparse_dot_mkl.dot_product_mkl(S, x)))
    except ImportError:
        pass
    try:
        import torch
        T = torch.sparse_csr_tensor(torch.from_numpy(A.indptr.astype(np.int64)),
                                    torch.from_numpy(A.indices.astype(np.int64)),
                                    torch.from_numpy(A.data), size=A.shape)
        tx = torch.from_numpy(x)
        if not trans:
            peers["torch"] = lambda: torch.mv(T, tx)
    except (ImportError, RuntimeError):
        pass
    try:
        import graphblas as gb
        G = gb.Matrix.from_csr(A.indptr, A.indices, A.data, nrows=A.shape[0], ncols=A.shape[1])
        gx = gb.Vector.from_dense(x)
        peers["graphblas"] = ((lambda: (gx @ G).new()) if trans else (lambda: (G @ gx).new()))
    except Exception:
        pass
    return peers


def _peers_spmm(A, X):
    peers = {}
    try:
        import scipy.sparse as sp
        S = sp.csr_matrix((A.data, A.indices, A.indptr), shape=A.shape)
        peers["scipy"] = lambda: S @ X
    except ImportError:
        return peers
    try:
        import sparse_dot_mkl
        peers["mkl"] = lambda: sparse_dot_mkl.dot_product_mkl(S, X)
    except ImportError:
        pass
    return peers


def sparse_cases(quick):
    """Rows for the bench table: dicts with name, fastla, peers, bytes, flops.

    Examples
    --------
    >>> from fastla.bench.sparse_cases import laplacian_2d
    >>> laplacian_2d(3).toarray()[4]
    array([ 0., -1.,  0., -1.,  4., -1.,  0., -1.,  0.])
    """
    rows = []
    rng = np.random.default_rng(1)
    mats = matrices(quick)
    for name, A in mats.items():
        m, n = A.shape
        x = rng.random(n)
        y = np.empty(m)
        base = csr_bytes(A) + x.nbytes + y.nbytes
        rows.append(dict(name=f"spmv {name} f64/i32 nnz={A.nnz}",
                         fastla=lambda A=A, x=x, y=y: fastla.spmv(A, x, y),
                         peers=_peers_spmv(A, x, False), bytes=base, flops=2 * A.nnz))
        At = A.T
        rows.append(dict(name=f"spmv A.T {name} f64/i32 nnz={A.nnz}",
                         fastla=lambda At=At, x=x, y=y: fastla.spmv(At, x, y),
                         peers=_peers_spmv(A, x, True), bytes=base, flops=2 * A.nnz))
    A = mats["laplacian2d"]
    k = 64
    X = rng.random((A.shape[1], k))
    Y = np.empty((A.shape[0], k))
    rows.append(dict(name=f"spmm laplacian2d x{k} f64/i32",
                     fastla=lambda: fastla.spmm(A, X, Y), peers=_peers_spmm(A, X),
                     bytes=csr_bytes(A) + X.nbytes + Y.nbytes, flops=2 * A.nnz * k))
    return rows
