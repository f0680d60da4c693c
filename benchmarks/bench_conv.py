"""2-D convolution: fastla.conv2d forward, forward + backward and im2col on
the five NCHW shapes of issue 6 (N = 8 here so a run stays short; the bench
command uses N = 32), float32, 1 and 2 threads, with PyTorch's timings and
peak memory beside them when torch is installed (its threads set alike).

GFLOP/s of a forward = 2 N C_out H_out W_out C_in kh kw / time.  peakmem_
of conv2d forward is the figure issue 6 compares with PyTorch's
(``peakmem_forward`` vs ``peakmem_forward_torch``).  ``Conv2d`` runs the
default (``algorithm="auto"``, Winograd where the ISA's table says it
pays); ``Conv2dDirect`` and ``Conv2dWinograd`` force one algorithm.
"""
import numpy as np

import fastla

from .common import ThreadPinned, rand

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - torch is optional
    torch = None

# (C_in, H, W, C_out, k, stride, padding)
SHAPES = {
    "64x56x56-64-k3": (64, 56, 56, 64, 3, 1, 1),
    "128x28x28-128-k3": (128, 28, 28, 128, 3, 1, 1),
    "256x14x14-256-k3": (256, 14, 14, 256, 3, 1, 1),
    "3x224x224-64-k7s2": (3, 224, 224, 64, 7, 2, 3),
    "64x56x56-256-k1": (64, 56, 56, 256, 1, 1, 0),
}
N = 8


class _Conv(ThreadPinned):
    params = (list(SHAPES), [1, 2])
    param_names = ["shape", "threads"]
    repeat = (3, 10, 20.0)
    min_run_count = 3
    warmup_time = 0.1

    def setup(self, shape, threads):
        self._pin(threads)
        c, h, w, co, k, s, p = SHAPES[shape]
        self.s, self.p = s, p
        self.x = rand((N, c, h, w), "float32")
        self.w = rand((co, c, k, k), "float32", 1)
        self.b = rand((co,), "float32", 2)
        ho, wo = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        self.gy = rand((N, co, ho, wo), "float32", 3)
        if torch is not None:
            torch.set_num_threads(threads)
            self.X = torch.from_numpy(self.x)
            self.W = torch.from_numpy(self.w)
            self.B = torch.from_numpy(self.b)
            self.Xr = self.X.clone().requires_grad_()
            self.Wr = self.W.clone().requires_grad_()
            self.Br = self.B.clone().requires_grad_()
            self.GY = torch.from_numpy(self.gy)

    def _need_torch(self):
        if torch is None:
            raise NotImplementedError("torch is not installed")


class Conv2d(_Conv):
    def time_forward(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, stride=self.s, padding=self.p)

    def peakmem_forward(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, stride=self.s, padding=self.p)

    def time_forward_backward(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, stride=self.s, padding=self.p)
        fastla.conv2d_backward(self.gy, self.x, self.w, stride=self.s, padding=self.p)


class Conv2dDirect(_Conv):
    """conv2d(algorithm="direct"): the direct product on every shape."""

    def time_forward_direct(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, stride=self.s, padding=self.p, algorithm="direct")

    def peakmem_forward_direct(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, stride=self.s, padding=self.p, algorithm="direct")

    def time_forward_backward_direct(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, stride=self.s, padding=self.p, algorithm="direct")
        fastla.conv2d_backward(self.gy, self.x, self.w, stride=self.s, padding=self.p,
                               algorithm="direct")


class Conv2dWinograd(_Conv):
    """conv2d(algorithm="winograd") on the 3x3 stride-1 shapes (forced)."""

    def setup(self, shape, threads):
        c, h, w, co, k, s, p = SHAPES[shape]
        if k != 3 or s != 1:
            raise NotImplementedError("Winograd F(2x2, 3x3) needs a 3x3 kernel and stride 1")
        super().setup(shape, threads)

    def time_forward_winograd(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, padding=self.p, algorithm="winograd")

    def peakmem_forward_winograd(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, padding=self.p, algorithm="winograd")

    def time_forward_backward_winograd(self, shape, threads):
        fastla.conv2d(self.x, self.w, self.b, padding=self.p, algorithm="winograd")
        fastla.conv2d_backward(self.gy, self.x, self.w, padding=self.p, algorithm="winograd")


class Conv2dTorch(_Conv):
    """PyTorch's CPU path on the same data (skipped without torch)."""

    def setup(self, shape, threads):
        self._need_torch()
        super().setup(shape, threads)

    def time_forward_torch(self, shape, threads):
        F.conv2d(self.X, self.W, self.B, stride=self.s, padding=self.p)

    def peakmem_forward_torch(self, shape, threads):
        F.conv2d(self.X, self.W, self.B, stride=self.s, padding=self.p)

    def time_forward_backward_torch(self, shape, threads):
        self.Xr.grad = self.Wr.grad = self.Br.grad = None
        F.conv2d(self.Xr, self.Wr, self.Br, stride=self.s, padding=self.p).backward(self.GY)


class Im2col(ThreadPinned):
    """Columns of the first and fourth shapes (N = 4): GB/s = (input + columns) / time."""
    params = (["64x56x56-64-k3", "3x224x224-64-k7s2"], [1, 2])
    param_names = ["shape", "threads"]

    def setup(self, shape, threads):
        self._pin(threads)
        c, h, w, co, k, s, p = SHAPES[shape]
        self.k, self.s, self.p = k, s, p
        self.x = rand((4, c, h, w), "float32")
        if torch is not None:
            torch.set_num_threads(threads)
            self.X = torch.from_numpy(self.x)

    def time_im2col(self, shape, threads):
        fastla.im2col(self.x, self.k, stride=self.s, padding=self.p)



class Im2colTorch(Im2col):
    """torch.nn.functional.unfold on the same data (skipped without torch)."""

    def setup(self, shape, threads):
        if torch is None:
            raise NotImplementedError("torch is not installed")
        super().setup(shape, threads)

    def time_im2col(self, shape, threads):
        F.unfold(self.X, self.k, stride=self.s, padding=self.p)
