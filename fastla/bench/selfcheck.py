"""A quick self-check: every kernel on every ISA against NumPy."""
import numpy as np

import fastla


def selfcheck():
    """Returns a list of (label, ok) pairs; all ok on a healthy build."""
    rng = np.random.default_rng(42)
    results = []
    for arch in fastla.supported_arches():
        with fastla.use_arch(arch):
            for dtype, rtol in ((np.float32, 1e-4), (np.float64, 1e-12)):
                a = rng.standard_normal((301, 257)).astype(dtype)
                x = rng.standard_normal(257).astype(dtype)
                views = (a, np.asfortranarray(a), a.T.copy().T)
                ok = all(np.allclose(fastla.matvec(m, x), m @ x, rtol=rtol, atol=rtol * 50)
                         for m in views)
                s = a[::2, ::3]
                ok = ok and np.allclose(fastla.matvec(s, x[::3]), s @ x[::3],
                                        rtol=rtol, atol=rtol * 50)
                results.append((f"matvec {arch} {np.dtype(dtype).name}", bool(ok)))
    return results
