"""GEMM: fastla.matmul by size, dtype and threads (square), rank-k shapes,
small sizes (call overhead) and batched products.  GFLOP/s = 2 m n k / time."""
import numpy as np

import fastla

from .common import ThreadPinned, rand


class GemmSquare(ThreadPinned):
    params = ([256, 1024, 2048], ["float32", "float64"], [1, 2])
    param_names = ["n", "dtype", "threads"]
    repeat = (5, 20, 20.0)
    min_run_count = 5
    warmup_time = 0.2

    def setup(self, n, dtype, threads):
        self._pin(threads)
        self.a = rand((n, n), dtype)
        self.b = rand((n, n), dtype, 1)
        self.out = np.empty((n, n), dtype)
        fastla.matmul(self.a, self.b, self.out)

    def time_matmul(self, n, dtype, threads):
        fastla.matmul(self.a, self.b, self.out)


class GemmRankK(ThreadPinned):
    params = ([(2048, 2048, 64), (64, 2048, 2048), (2048, 64, 2048)], ["float32", "float64"])
    param_names = ["mnk", "dtype"]

    def setup(self, mnk, dtype):
        self._pin(2)
        m, n, k = mnk
        self.a = rand((m, k), dtype)
        self.b = rand((k, n), dtype, 1)
        self.out = np.empty((m, n), dtype)

    def time_matmul(self, mnk, dtype):
        fastla.matmul(self.a, self.b, self.out)


class GemmSmall(ThreadPinned):
    params = ([16, 32, 64, 128], ["float32", "float64"])
    param_names = ["n", "dtype"]

    def setup(self, n, dtype):
        self._pin(2)
        self.a = rand((n, n), dtype)
        self.b = rand((n, n), dtype, 1)

    def time_matmul(self, n, dtype):
        fastla.matmul(self.a, self.b)


class GemmBatched(ThreadPinned):
    params = ([(96, 128, 64), (12, 512, 64)], ["float32"], [1, 2])
    param_names = ["batch_L_d", "dtype", "threads"]

    def setup(self, shape, dtype, threads):
        self._pin(threads)
        batch, L, d = shape
        self.q = rand((batch, L, d), dtype)
        self.k = rand((batch, d, L), dtype, 1)

    def time_scores(self, shape, dtype, threads):
        fastla.matmul(self.q, self.k)

    def peakmem_scores(self, shape, dtype, threads):
        fastla.matmul(self.q, self.k)
