"""Sparse CSR: fastla.spmv / A.T @ x / spmm by matrix kind x dtype x threads.

Matrices (issue 4, smaller here so a quick run stays short): 2-D Laplacian
(5-point, 700 x 700 grid), random (300k x 300k, 10 per row), power-law
(250k rows, lognormal lengths + rows of 25k-120k).  Memory-bound: compare
GB/s = (data + indices + indptr + x + y) bytes / time; the bench command
(`python -m fastla bench`) prints those ratios beside the peers.  `Peers`
times scipy, MKL sparse (sparse_dot_mkl), PyTorch CSR and GraphBLAS on the
same problems with 2 threads; a peer that is not installed is skipped.
"""
import numpy as np

import fastla
from fastla.bench.sparse_cases import (SPMM_COLS, SPMM_GRID, laplacian_2d, peer_factories,
                                       power_law_csr, random_csr)

from .common import ThreadPinned

KINDS = {
    "laplacian2d": lambda dtype: laplacian_2d(700, dtype=dtype),
    "random10": lambda dtype: random_csr(300_000, dtype=dtype),
    "powerlaw": lambda dtype: power_law_csr(250_000, big=(25_000, 60_000, 120_000), dtype=dtype),
}


class _Pinned(ThreadPinned):
    def teardown(self, *params):
        fastla.set_num_threads(None)


class SpMV(_Pinned):
    params = (list(KINDS), ["float32", "float64"], [1, 2])
    param_names = ["matrix", "dtype", "threads"]
    repeat = (5, 20, 10.0)
    min_run_count = 5
    warmup_time = 0.2

    def setup(self, matrix, dtype, threads):
        fastla.set_num_threads(threads)
        self.A = KINDS[matrix](np.dtype(dtype))
        rng = np.random.default_rng(1)
        self.x = rng.random(self.A.shape[1]).astype(dtype)
        self.y = np.empty(self.A.shape[0], dtype)
        self.At = self.A.T
        # the same arrays with a transposed copy kept (CSRMatrix.cache_transpose)
        self.Ac = fastla.CSRMatrix(self.A.data, self.A.indices, self.A.indptr, self.A.shape)
        self.Ac.cache_transpose()
        self.Act = self.Ac.T
        fastla.spmv(self.A, self.x, self.y)
        fastla.spmv(self.At, self.x, self.y)
        fastla.spmv(self.Act, self.x, self.y)

    def time_spmv(self, matrix, dtype, threads):
        fastla.spmv(self.A, self.x, self.y)

    def time_spmv_transposed(self, matrix, dtype, threads):
        fastla.spmv(self.At, self.x, self.y)

    def time_spmv_transposed_cached(self, matrix, dtype, threads):
        fastla.spmv(self.Act, self.x, self.y)


class SpMM(_Pinned):
    params = (["laplacian2d", "random10"], ["float32", "float64"], [1, 2], [8, 64])
    param_names = ["matrix", "dtype", "threads", "ncols"]
    repeat = (3, 10, 10.0)
    min_run_count = 3

    def setup(self, matrix, dtype, threads, ncols):
        fastla.set_num_threads(threads)
        self.A = KINDS[matrix](np.dtype(dtype))
        rng = np.random.default_rng(2)
        self.X = rng.random((self.A.shape[1], ncols)).astype(dtype)
        self.Y = np.empty((self.A.shape[0], ncols), dtype)
        fastla.spmm(self.A, self.X, self.Y)

    def time_spmm(self, matrix, dtype, threads, ncols):
        fastla.spmm(self.A, self.X, self.Y)


class Conversions(_Pinned):
    params = (["laplacian2d", "powerlaw"], [1, 2])
    param_names = ["matrix", "threads"]

    def setup(self, matrix, threads):
        fastla.set_num_threads(threads)
        self.A = KINDS[matrix](np.dtype("float64"))

    def time_tocsc(self, matrix, threads):
        self.A.tocsc()

    def time_cache_transpose(self, matrix, threads):
        self.A.cache_transpose()

    def time_validate(self, matrix, threads):
        fastla.CSRMatrix(self.A.data, self.A.indices, self.A.indptr, self.A.shape)


class Peers(_Pinned):
    """The peers of the bench on SpMV, A.T SpMV and SpMM (64 columns), 2 threads."""
    params = (list(KINDS), ["spmv", "spmv_t", "spmm"], ["scipy", "mkl", "torch", "graphblas"])
    param_names = ["matrix", "op", "peer"]
    repeat = (3, 10, 10.0)
    min_run_count = 3

    def setup(self, matrix, op, peer):
        if op == "spmm" and matrix != "laplacian2d":
            raise NotImplementedError("SpMM is measured on the Laplacian")
        fastla.set_num_threads(2)
        A = (laplacian_2d(SPMM_GRID[True]) if op == "spmm"
             else KINDS[matrix](np.dtype("float64")))
        make = peer_factories(A, trans=(op == "spmv_t")).get(peer)
        if make is None:
            raise NotImplementedError(f"{peer} is not installed")
        rng = np.random.default_rng(1)
        n = A.shape[0] if op == "spmv_t" else A.shape[1]
        x = rng.random((n, SPMM_COLS)) if op == "spmm" else rng.random(n)
        self.fn = make(x)
        self.fn()

    def time_peer(self, matrix, op, peer):
        self.fn()
