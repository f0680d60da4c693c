"""Strassen: fastla.strassen_matmul by size x levels x dtype on 2 threads
(levels 0 is the classical GEMM, the baseline), plus a peeled odd shape.
Effective GFLOP/s = 2 n**3 / time."""
import numpy as np

import fastla

from .common import ThreadPinned, rand


class StrassenSquare(ThreadPinned):
    params = ([1024, 2048], [0, 1, 2], ["float32", "float64"])
    param_names = ["n", "levels", "dtype"]
    repeat = (3, 10, 20.0)
    min_run_count = 3
    warmup_time = 0.2

    def setup(self, n, levels, dtype):
        self._pin(2)
        self.a = rand((n, n), dtype)
        self.b = rand((n, n), dtype, 1)
        self.out = np.empty((n, n), dtype)
        fastla.strassen_matmul(self.a, self.b, self.out, levels=levels)

    def time_strassen(self, n, levels, dtype):
        fastla.strassen_matmul(self.a, self.b, self.out, levels=levels)


class StrassenPeeled(ThreadPinned):
    params = ([None, 1, 2],)
    param_names = ["levels"]
    repeat = (3, 10, 20.0)

    def setup(self, levels):
        self._pin(2)
        self.a = rand((1501, 1499), "float64")
        self.b = rand((1499, 1503), "float64", 1)
        self.out = np.empty((1501, 1503))

    def time_strassen(self, levels):
        fastla.strassen_matmul(self.a, self.b, self.out, levels=levels)
