"""GEMV: fastla.matvec by size, dtype, orientation (N: C-ordered a,
T: transposed view) and threads.  Memory-bound: compare GB/s = a.nbytes / time."""
import numpy as np

import fastla

from .common import ThreadPinned, rand


class GemvLarge(ThreadPinned):
    params = ([2048, 4096], ["float32", "float64"], ["N", "T"], [1, 2])
    param_names = ["n", "dtype", "orientation", "threads"]
    repeat = (5, 20, 10.0)
    min_run_count = 5
    warmup_time = 0.2

    def setup(self, n, dtype, orientation, threads):
        self._pin(threads)
        a = rand((n, n), dtype)
        self.a = a if orientation == "N" else a.T
        self.x = rand(n, dtype, 1)
        self.out = np.empty(n, dtype)
        fastla.matvec(self.a, self.x, self.out)

    def time_matvec(self, n, dtype, orientation, threads):
        fastla.matvec(self.a, self.x, self.out)


class GemvSmall(ThreadPinned):
    """Call overhead: cache-resident sizes, one thread."""
    params = ([64, 256, 512], ["float64"])
    param_names = ["n", "dtype"]

    def setup(self, n, dtype):
        self._pin(1)
        self.a = rand((n, n), dtype)
        self.x = rand(n, dtype, 1)

    def time_matvec(self, n, dtype):
        fastla.matvec(self.a, self.x)
