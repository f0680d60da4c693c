"""Neural-network building blocks: fused linear forward and forward+backward,
attention (time and peak memory: O(L d), never L x L) and embedding bags.
GFLOP/s = 2 m n k / time for linear, 4 B H L^2 d (half when causal) for
attention."""
import numpy as np

import fastla

from .common import ThreadPinned, rand


class LinearRelu(ThreadPinned):
    params = ([(256, 784, 512), (1024, 1024, 1024), (64, 2048, 2048)], ["float32", "float64"],
              [1, 2])
    param_names = ["m_in_out", "dtype", "threads"]

    def setup(self, shape, dtype, threads):
        self._pin(threads)
        m, k, n = shape
        self.x = rand((m, k), dtype)
        self.w = rand((n, k), dtype, 1)
        self.b = rand((n,), dtype, 2)
        self.g = rand((m, n), dtype, 3)
        self.y = fastla.linear(self.x, self.w, self.b, activation="relu")

    def time_forward(self, shape, dtype, threads):
        fastla.linear(self.x, self.w, self.b, activation="relu")

    def time_forward_backward(self, shape, dtype, threads):
        y = fastla.linear(self.x, self.w, self.b, activation="relu")
        fastla.linear_backward(self.g, self.x, self.w, y, activation="relu")


class LinearActivations(ThreadPinned):
    params = (["relu", "sigmoid", "tanh", "gelu"],)
    param_names = ["activation"]

    def setup(self, act):
        self._pin(2)
        self.x = rand((512, 512), "float32")
        self.w = rand((512, 512), "float32", 1)
        self.b = rand((512,), "float32", 2)

    def time_linear(self, act):
        fastla.linear(self.x, self.w, self.b, activation=act)


class Attention(ThreadPinned):
    params = ([(2, 4, 512, 64, False), (1, 4, 2048, 64, True)], ["float32"], [1, 2])
    param_names = ["B_H_L_d_causal", "dtype", "threads"]

    def setup(self, shape, dtype, threads):
        self._pin(threads)
        B, H, L, d, self.causal = shape
        self.q = rand((B, H, L, d), dtype)
        self.k = rand((B, H, L, d), dtype, 1)
        self.v = rand((B, H, L, d), dtype, 2)

    def time_attention(self, shape, dtype, threads):
        fastla.attention(self.q, self.k, self.v, is_causal=self.causal)

    def peakmem_attention(self, shape, dtype, threads):
        fastla.attention(self.q, self.k, self.v, is_causal=self.causal)


class EmbeddingBag(ThreadPinned):
    params = (["sum", "mean", "max"], [1, 2])
    param_names = ["mode", "threads"]

    def setup(self, mode, threads):
        self._pin(threads)
        rng = np.random.default_rng(0)
        self.w = rand((100_000, 64), "float32")
        self.idx = rng.integers(0, 100_000, 2048 * 32)
        self.offsets = np.arange(0, 2048 * 32, 32)
        self.g = rand((2048, 64), "float32", 1)

    def time_forward(self, mode, threads):
        fastla.embedding_bag(self.idx, self.w, self.offsets, mode=mode)

    def time_backward(self, mode, threads):
        fastla.embedding_bag_backward(self.g, self.idx, self.w, self.offsets, mode=mode)
