"""Sparse rows of ``python -m fastla bench`` and the matrices of the asv suite.

The matrices of issue 4: a 2-D Laplacian (5-point stencil, 2000 x 2000 grid),
a random 1e6 x 1e6 matrix with 10 non-zeros per row, and a power-law matrix
(1e6 rows, lognormal row lengths, ~20M non-zeros with a few rows of
100k-500k entries), float64 values with int32 indices.  They are built with
NumPy only (no scipy needed).  ``quick=True`` shrinks them so the whole sparse
section runs in seconds.

Peers, each only when importable: scipy.sparse (serial), MKL sparse through
sparse_dot_mkl, PyTorch CSR (``torch.sparse_csr_tensor`` @ x, MKL-backed) and
SuiteSparse:GraphBLAS (python-graphblas); the threaded peers get fastla's
thread count.  Every peer's answer is checked once against fastla's before it
is timed; a peer that disagrees (or fails) is left out with a note.

Bytes moved per call are counted as data + indices + indptr + x + y (+ X, Y
for SpMM); flops as 2 * nnz * (columns of x).  After the table,
`extra_report` prints every peer's GB/s (or GFLOP/s), the A.T @ x / A @ x
time ratios (scattering from A's arrays, and with ``cache_transpose()``: a
row per matrix times that product), and the balance: the 2-thread speedup over 1 thread of the
power-law matrix beside the Laplacian's and the random matrix's.
"""
import glob
import os
import sys

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
    """n x n, lognormal row lengths (mean ~`mean`) plus a few rows of `big`
    entries; uniformly random columns, sorted within each row (the canonical
    CSR of scipy and of the peers; unsorted rows would take A.T @ x's
    private-buffer plan, not the column split)."""
    rng = np.random.default_rng(seed)
    sigma = 1.0
    lens = rng.lognormal(np.log(mean) - sigma ** 2 / 2, sigma, n).astype(np.int64)
    lens = np.minimum(lens, n)
    for k, b in enumerate(big):
        lens[rng.integers(0, n)] = min(b, n)
    indptr = np.concatenate([[0], np.cumsum(lens)])
    nnz = int(indptr[-1])
    cols = rng.integers(0, n, nnz, dtype=np.int64)
    key = np.repeat(np.arange(n, dtype=np.int64), lens) * n + cols
    key.sort()
    cols = key % n
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


# SpMM: the Laplacian of a smaller grid in the full run (X and Y are
# n x 64 float64: 512 MB each at 1000 x 1000, still far beyond the caches;
# the 2000 x 2000 grid would need 2 GB each plus each peer's output).
SPMM_GRID = {True: 300, False: 1000}
SPMM_COLS = 64


def csr_bytes(A):
    return A.data.nbytes + A.indices.nbytes + A.indptr.nbytes


def load_mkl():
    """sparse_dot_mkl, or None.  If it cannot find libmkl_rt, point MKL_RT at
    the runtime of the `mkl` wheel (``pip install mkl``) for this import only.
    MKL's OpenMP threads would spin 200 ms after each call (KMP_BLOCKTIME) on
    the cores fastla is timed on next: unless the user set it, this process
    gets KMP_BLOCKTIME=0 (MKL threads sleep at once; a wake-up costs
    microseconds against calls of milliseconds)."""
    os.environ.setdefault("KMP_BLOCKTIME", "0")
    try:
        import sparse_dot_mkl
        return sparse_dot_mkl
    except ImportError:
        pass
    except Exception:                       # pragma: no cover - broken install
        return None
    found = []
    for d in {os.path.join(sys.prefix, "lib"), os.path.join(sys.base_prefix, "lib")}:
        found += sorted(glob.glob(os.path.join(d, "libmkl_rt.so*")))
    if not found:
        return None
    old = os.environ.get("MKL_RT")
    os.environ["MKL_RT"] = found[0]
    try:
        sys.modules.pop("sparse_dot_mkl", None)
        import sparse_dot_mkl
        return sparse_dot_mkl
    except Exception:
        return None
    finally:
        if old is None:
            os.environ.pop("MKL_RT", None)
        else:
            os.environ["MKL_RT"] = old


def _torch_csr(A, layout_csc=False):
    import torch
    make = torch.sparse_csc_tensor if layout_csc else torch.sparse_csr_tensor
    shape = A.shape[::-1] if layout_csc else A.shape
    return make(torch.from_numpy(A.indptr), torch.from_numpy(A.indices),
                torch.from_numpy(A.data), size=shape)


def peer_factories(A, trans=False, notes=None):
    """name -> (make(x) -> zero-arg callable computing op(A) @ x as an ndarray
    or something np.asarray accepts), for each importable peer.  op(A) = A.T
    when `trans` (every peer reads A's own arrays as a CSC matrix).  GraphBLAS
    refuses duplicate entries: it gets A with duplicates summed (noted)."""
    nt = fastla.get_num_threads()
    out = {}
    try:
        import scipy.sparse as sp
        S = sp.csr_matrix((A.data, A.indices, A.indptr), shape=A.shape)
        S = S.T if trans else S              # CSC view: csc_matvec, no copy
        out["scipy"] = lambda x, S=S: (lambda: S @ x)
    except ImportError:
        S = None
    mkl = load_mkl() if S is not None else None
    if mkl is not None:
        mkl.mkl_set_num_threads(nt)
        out["mkl"] = lambda x, S=S: (lambda: mkl.dot_product_mkl(S, x))
    try:
        import warnings
        import torch
        torch.set_num_threads(nt)
        with warnings.catch_warnings():          # "sparse CSR support is in beta"
            warnings.simplefilter("ignore")
            T = _torch_csr(A, layout_csc=trans)

        def torch_peer(x, T=T):
            tx = torch.from_numpy(np.ascontiguousarray(x))
            return lambda: (T @ tx).numpy()
        out["torch"] = torch_peer
    except (ImportError, RuntimeError, TypeError):
        pass
    try:
        import graphblas as gb
        gb.ss.config["nthreads"] = nt
        try:
            G = gb.Matrix.from_csr(A.indptr, A.indices, A.data, nrows=A.shape[0],
                                   ncols=A.shape[1])
        except Exception:
            import scipy.sparse as sp
            C = sp.csr_matrix((A.data, A.indices, A.indptr), shape=A.shape, copy=True)
            C.sum_duplicates()
            G = gb.Matrix.from_csr(C.indptr, C.indices, C.data, nrows=A.shape[0],
                                   ncols=A.shape[1])
            if notes is not None:
                notes.append(f"graphblas gets A with duplicates summed (nnz {C.nnz} of {A.nnz})")

        def gb_peer(x, G=G):
            if x.ndim == 1:
                gx = gb.Vector.from_dense(x)
                return ((lambda: (gx @ G).new().to_dense(fill_value=0.0)) if trans
                        else (lambda: (G @ gx).new().to_dense(fill_value=0.0)))
            GX = gb.Matrix.from_dense(x)
            return lambda: (G @ GX).new().to_dense(fill_value=0.0)
        out["graphblas"] = gb_peer
    except Exception:                        # not installed, or no usable build
        pass
    return out


def checked_peers(factories, x, want, notes, label):
    """The peers of `factories` built for x whose answer matches `want`."""
    peers = {}
    scale = float(np.abs(want).max(initial=0.0)) or 1.0
    for name, make in factories.items():
        try:
            fn = make(x)
            got = np.asarray(fn())
            if got.shape == want.shape and np.allclose(got, want, rtol=1e-9, atol=1e-9 * scale):
                peers[name] = fn
            else:
                notes.append(f"{label}: {name} left out (wrong answer)")
        except Exception as exc:
            notes.append(f"{label}: {name} left out ({type(exc).__name__}: {exc})")
    return peers


_NOTES = []


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
    _NOTES.clear()
    for name, A in matrices(quick).items():
        # the same arrays with a transposed copy kept (CSRMatrix.cache_transpose)
        Ac = fastla.CSRMatrix(A.data, A.indices, A.indptr, A.shape)
        Ac.cache_transpose()
        for trans in (False, True, "cached"):
            notes = None if trans else _NOTES      # the duplicates note once per matrix
            op = Ac.T if trans == "cached" else A.T if trans else A
            x = rng.random(op.shape[1])
            y = np.empty(op.shape[0])
            label = (f"spmv {'A.T cached ' if trans == 'cached' else 'A.T ' if trans else ''}"
                     f"{name} f64/i32 nnz={A.nnz}")
            kind = "spmv_tc" if trans == "cached" else "spmv_t" if trans else "spmv"
            rows.append(dict(name=label, matrix=name, op=kind, A=A,
                             fastla=lambda op=op, x=x, y=y: fastla.spmv(op, x, y),
                             peers=checked_peers(peer_factories(A, trans, notes),
                                                 x, fastla.spmv(op, x), _NOTES, label),
                             bytes=csr_bytes(A) + x.nbytes + y.nbytes, flops=2 * A.nnz))
    A = laplacian_2d(SPMM_GRID[quick])
    k = SPMM_COLS
    X = rng.random((A.shape[1], k))
    Y = np.empty((A.shape[0], k))
    label = f"spmm laplacian2d n={A.shape[0]} x{k} f64/i32"
    rows.append(dict(name=label, matrix="laplacian2d", op="spmm", A=A,
                     fastla=lambda: fastla.spmm(A, X, Y),
                     peers=checked_peers(peer_factories(A), X, fastla.spmm(A, X), _NOTES, label),
                     bytes=csr_bytes(A) + X.nbytes + Y.nbytes, flops=2 * A.nnz * k,
                     limit="fma"))
    return rows


def balance(A, repeats, threads=(1, 2)):
    """Median seconds of fastla.spmv(A, x) with each thread count, interleaved."""
    from fastla.bench.timing import interleaved
    x = np.random.default_rng(3).random(A.shape[1])
    y = np.empty(A.shape[0])

    def with_threads(nt):
        def fn():
            with fastla.threads(nt):
                fastla.spmv(A, x, y)
        return fn
    return interleaved({nt: with_threads(nt) for nt in threads}, repeats=repeats)


def extra_report(cases, rows, mach, repeats, out=sys.stdout):
    """Per-peer rates, A.T/A time ratios and the thread balance (see module doc)."""
    for note in _NOTES:
        print(f"note: {note}", file=out)
    names = ["fastla", "scipy", "mkl", "torch", "graphblas"]
    print("\n-- sparse: every implementation (GB/s for SpMV, GFLOP/s for SpMM; "
          "same interleaved run as above) --", file=out)
    print(f"{'case':44s} " + " ".join(f"{nm:>9s}" for nm in names), file=out)
    for case, row in zip(cases, rows):
        unit = case["flops"] if case["op"] == "spmm" else case["bytes"]
        cells = []
        for nm in names:
            t = row["seconds"].get(nm)
            cells.append(f"{unit / t / 1e9:9.1f}" if t else f"{'-':>9s}")
        print(f"{case['name'][:44]:44s} " + " ".join(cells), file=out)

    bw = mach["bandwidth_gbs"]
    print(f"\n-- sparse: fastla's SpMV against this run's bandwidth (read {bw['read']:.1f}, "
          f"copy {bw['copy']:.1f}, triad {bw['triad']:.1f} GB/s; target: the Laplacian's "
          f"A @ x at >= 85% of the triad) --", file=out)
    for case, row in zip(cases, rows):
        if case["op"] == "spmv":
            gbs = case["bytes"] / row["seconds"]["fastla"] / 1e9
            row["fraction_of_triad"] = gbs / bw["triad"]
            print(f"  {case['matrix']:12s} {gbs:6.1f} GB/s  {100 * gbs / bw['read']:4.0f}% of read"
                  f"  {100 * gbs / bw['triad']:4.0f}% of triad", file=out)

    print("\n-- sparse: A.T @ x time / A @ x time (target <= 1.3): scattering from A's "
          "arrays, and with A.cache_transpose() --", file=out)
    by = {(c["matrix"], c["op"]): r for c, r in zip(cases, rows)}
    for (mat, op), r in by.items():
        if op == "spmv" and (mat, "spmv_t") in by:
            ratio = by[(mat, "spmv_t")]["seconds"]["fastla"] / r["seconds"]["fastla"]
            r["transposed_over_spmv"] = ratio
            line = f"  {mat:12s} scatter {ratio:5.2f}"
            if (mat, "spmv_tc") in by:
                cached = by[(mat, "spmv_tc")]["seconds"]["fastla"] / r["seconds"]["fastla"]
                r["cached_transposed_over_spmv"] = cached
                line += f"   cached transpose {cached:5.2f}"
            print(line, file=out)

    mats = {c["matrix"]: c["A"] for c in cases if c["op"] == "spmv"}
    if "laplacian2d" in mats and "powerlaw" in mats and (os.cpu_count() or 1) > 1:
        print("\n-- sparse: balance, fastla.spmv 2-thread speedup over 1 thread "
              "(target: power-law within 10% of the Laplacian) --", file=out)
        sp = {}
        # the random matrix has uniform rows but the power-law matrix's random
        # gathers: the like-for-like check that skewed rows scale as well
        for mat in [m for m in ("laplacian2d", "random10", "powerlaw") if m in mats]:
            med = balance(mats[mat], repeats)
            sp[mat] = med[1] / med[2]
            print(f"  {mat:12s} 1 thread {med[1] * 1e3:8.3f}ms  2 threads {med[2] * 1e3:8.3f}ms"
                  f"  speedup {sp[mat]:5.2f}", file=out)
        print(f"  power-law / Laplacian speedup: {sp['powerlaw'] / sp['laplacian2d']:5.2f}",
              file=out)
        if "random10" in sp:
            print(f"  power-law / random (uniform rows, random gathers) speedup: "
                  f"{sp['powerlaw'] / sp['random10']:5.2f}", file=out)
        for c, r in zip(cases, rows):
            if c["op"] == "spmv" and c["matrix"] in sp:
                r["speedup_2_over_1_thread"] = sp[c["matrix"]]
