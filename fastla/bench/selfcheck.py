"""A quick self-check: every kernel (GEMV, GEMM, CSR SpMV/SpMV-T/SpMM) on
every ISA this CPU runs, against NumPy."""
import numpy as np

import fastla


def _close(got, want, rtol):
    return bool(np.allclose(got, want, rtol=rtol, atol=rtol * 50))


def _checks(rng, dtype, rtol):
    """label -> ok for one dtype on the active ISA."""
    a = rng.standard_normal((301, 257)).astype(dtype)
    x = rng.standard_normal(257).astype(dtype)
    s = a[::2, ::3]
    gemv = all(_close(fastla.matvec(m, x), m @ x, rtol)
               for m in (a, np.asfortranarray(a), a.T.copy().T))
    gemv = gemv and _close(fastla.matvec(s, x[::3]), s @ x[::3], rtol)
    b = rng.standard_normal((257, 131)).astype(dtype)
    gemm = all(_close(fastla.matmul(m, b), m @ b, rtol) for m in (a, np.asfortranarray(a)))
    gemm = gemm and _close(fastla.matmul(s, b[::3]), s @ b[::3], rtol)
    dense = np.where(rng.random((300, 200)) < 0.05, rng.standard_normal((300, 200)), 0).astype(dtype)
    rows, cols = np.nonzero(dense)
    A = fastla.CSRMatrix.from_coo(rows, cols, dense[rows, cols], dense.shape)
    v, w = rng.standard_normal(200).astype(dtype), rng.standard_normal(300).astype(dtype)
    X = rng.standard_normal((200, 17)).astype(dtype)
    sparse = (_close(fastla.spmv(A, v), dense @ v, rtol) and _close(fastla.spmv(A.T, w), dense.T @ w, rtol)
              and _close(fastla.spmm(A, X), dense @ X, rtol))
    return {"matvec": gemv, "matmul": gemm, "csr spmv/spmv_t/spmm": sparse}


def selfcheck():
    """Returns a list of (label, ok) pairs; all ok on a healthy build."""
    rng = np.random.default_rng(42)
    results = []
    for arch in fastla.supported_arches():
        with fastla.use_arch(arch):
            for dtype, rtol in ((np.float32, 1e-4), (np.float64, 1e-12)):
                for name, ok in _checks(rng, dtype, rtol).items():
                    results.append((f"{name} {arch} {np.dtype(dtype).name}", ok))
    return results
