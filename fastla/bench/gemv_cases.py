"""Bench rows of the dense matrix-vector product against NumPy."""
import numpy as np

import fastla


def gemv_cases(quick):
    """Each case: name, fastla callable, peers (name -> callable), bytes moved,
    flops, and which machine limit applies ("bandwidth" or "fma")."""
    cases = []
    big = (4096,) if quick else (4096, 8192)
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        for n in big:
            a = rng.standard_normal((n, n)).astype(dtype)
            x = rng.standard_normal(n).astype(dtype)
            out = np.empty(n, dtype)
            for orient, mat in (("N", a), ("T", a.T)):
                cases.append(dict(
                    name=f"gemv {np.dtype(dtype).name} {n}x{n} {orient}",
                    fastla=lambda mat=mat, x=x, out=out: fastla.matvec(mat, x, out),
                    peers={"numpy": lambda mat=mat, x=x, out=out: np.matmul(mat, x, out=out)},
                    bytes=a.nbytes + 2 * x.nbytes, flops=2.0 * n * n, limit="bandwidth"))
    for n in ((64, 256) if quick else (64, 128, 256, 512)):
        a = rng.standard_normal((n, n))
        x = rng.standard_normal(n)
        cases.append(dict(
            name=f"gemv float64 {n}x{n} N (small: call overhead)",
            fastla=lambda a=a, x=x: fastla.matvec(a, x),
            peers={"numpy": lambda a=a, x=x: a @ x},
            bytes=a.nbytes + 2 * x.nbytes, flops=2.0 * n * n, limit="bandwidth"))
    return cases
