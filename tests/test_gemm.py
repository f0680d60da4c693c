"""fastla.matmul (blocked GEMM) against NumPy; every micro-kernel alone."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import fastla
from fastla import cy
from conftest import DTYPES, rng, tol, views


def bits(dtype):
    return np.dtype(dtype).itemsize * 8


def reference(a, b, alpha=1.0, beta=0.0, c=None):
    r = alpha * np.matmul(a.astype(np.float64), b.astype(np.float64))
    if beta != 0.0:
        r = r + beta * c.astype(np.float64)
    return r


def check(a, b, out=None, alpha=1.0, beta=0.0):
    c0 = None if out is None else out.copy()
    a0, b0 = a.copy(), b.copy()
    got = fastla.matmul(a, b, out, alpha=alpha, beta=beta)
    want = reference(a, b, alpha, beta, c0)
    k = a.shape[-1]
    scale = abs(alpha) * np.matmul(np.abs(a).astype(np.float64), np.abs(b).astype(np.float64))
    if beta != 0.0:
        scale = scale + abs(beta) * np.abs(c0)
    assert got.shape == want.shape and got.dtype == a.dtype
    if got.size:
        err = np.abs(got - want) / (scale + np.finfo(np.float64).tiny)
        assert err.max() <= tol(a.dtype, k), (err.max(), a.shape, b.shape)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
    if out is not None:
        assert got is out
    return got


# ---- micro-kernels alone, on full and partial tiles ----

@pytest.mark.parametrize("arch", fastla.supported_arches())
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_micro_kernel(arch, dtype):
    MR, NR, KC, MC, NC = cy._gemm_blocking(arch, bits(dtype))
    r = rng(MR * NR)
    # k = 13 runs whole rounds of every accumulator bank count of the edge
    # tiles (2, 3, 4, 8 banks) and a remainder
    for k in (1, 2, 7, 13, KC):
        # narrow tiles run only the vectors they need: cross each vector boundary
        narrow = [(MR, w) for w in sorted({NR // 3, NR // 3 + 1, NR // 2, NR // 2 + 1,
                                           2 * NR // 3, 2 * NR // 3 + 1}) if 0 < w < NR]
        for m, n in [(MR, NR), (MR - 1, NR), (MR, NR - 1), (1, 1), (MR, 1), (1, NR),
                     (MR // 2 + 1, NR // 2 + 1), (2, NR), (3, NR // 2)] + narrow:
            a = np.zeros((k, MR), dtype)
            b = np.zeros((k, NR), dtype)
            a[:, :m] = r.standard_normal((k, m))
            b[:, :n] = r.standard_normal((k, n))
            # A in place (ukr_ra): m rows with stride lda; the rows past m and
            # the columns past k are NaN, so reading them would show
            lda = k + 3
            a_rows = np.full((MR + 1) * lda, np.nan, dtype)
            a_rows.reshape(MR + 1, lda)[:m, :k] = a[:, :m].T
            for order, a_in in (("C", a.ravel()), ("F", a.ravel()), ("C", a_rows)):
                ld = lda if a_in is a_rows else 0
                for beta in (0.0, 0.5):
                    c = np.asarray(r.standard_normal((m + 2, n + 3)), dtype, order=order)
                    if beta == 0.0:
                        c[:m, :n] = np.nan
                    c_before = c.copy()
                    cy._gemm_ukr(arch, m, n, k, 1.5, a_in, b.ravel(), beta, c, ld)
                    want = 1.5 * a[:, :m].T.astype(np.float64) @ b[:, :n] + beta * np.nan_to_num(c_before[:m, :n])
                    # randomized residual check: (C - ref) v is small for random v
                    v = r.standard_normal(n)
                    resid = np.abs((c[:m, :n] - want) @ v).max() if m else 0.0
                    bound = tol(dtype, k) * (np.abs(a).sum() * np.abs(b).max() * np.abs(v).sum() + 1)
                    assert resid <= bound, (arch, m, n, k, order, ld, beta)
                    np.testing.assert_array_equal(c[m:], c_before[m:])      # outside the tile untouched
                    np.testing.assert_array_equal(c[:, n:], c_before[:, n:])


# ---- packing kernels alone: every layout, partial slivers, signed sums ----

@pytest.mark.parametrize("arch", fastla.supported_arches())
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("which", [0, 1], ids=["A-sliver", "B-sliver"])
def test_pack_kernel(arch, dtype, which):
    MR, NR, KC, MC, NC = cy._gemm_blocking(arch, bits(dtype))
    W = NR if which else MR
    r = rng(W + 7)
    for kc in (1, 7, 8, 16, 17, 37):
        for mn in sorted({W, W - 1, 1, W // 2 + 1}):
            # (si, sp): W values contiguous per p, each row contiguous along p
            # (the transposed case), and neither
            for si, sp in ((1, W + 3), (kc + 2, 1), (3 * kc + 1, 3)):
                size = (mn - 1) * si + (kc - 1) * sp + 1
                for coefs in ((1.0,), (1.0, -1.0), (1.0, 1.0, -1.0, 1.0), (0.5,)):
                    srcs = [r.standard_normal(size).astype(dtype) for _ in coefs]
                    before = [x.copy() for x in srcs]
                    guarded = np.full(kc * W + 16, np.nan, dtype)   # a tail to catch overruns
                    dst = guarded[:kc * W]
                    cy._gemm_pack(arch, which, mn, kc, srcs, list(coefs), si, sp, dst)
                    assert np.isnan(guarded[kc * W:]).all(), (arch, W, mn, kc, si, sp)
                    want = np.zeros((kc, W), np.float64)
                    for c, x in zip(coefs, srcs):
                        i, p = np.meshgrid(np.arange(mn), np.arange(kc))
                        want[:, :mn] += c * x[i * si + p * sp].astype(np.float64)
                    got = dst.reshape(kc, W)
                    np.testing.assert_allclose(got, want, rtol=4 * np.finfo(dtype).eps,
                                               atol=4 * np.finfo(dtype).eps * len(coefs) * 8,
                                               err_msg=f"{arch} W={W} mn={mn} kc={kc} si={si} sp={sp}")
                    assert all(np.array_equal(x, y) for x, y in zip(srcs, before))


@pytest.mark.parametrize("arch", fastla.supported_arches())
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_pack_gather_kernel(arch, dtype):
    # dst[p*NR + e] = src[rowoff[p] + coloff[e]]: lanes in runs of consecutive
    # offsets (conv2d's output rows: 1, 2, up to NR runs), arbitrary offsets
    # (lane by lane), partial slivers; rows anywhere in src.
    MR, NR, KC, MC, NC = cy._gemm_blocking(arch, bits(dtype))
    r = rng(NR + 11)
    pad = 64                                     # FASTLA_BGATHER_SLACK
    src = r.standard_normal(4000 + 2 * pad).astype(dtype)
    before = src.copy()
    for width in (1, 2, 3, 5, 7, NR - 1, NR, NR + 3, 1000):      # run length (output row)
        for first in sorted({0, 1, width - 1}):                   # where the sliver starts
            lanes = np.arange(first, first + NR)
            col = (lanes // width) * (width + 37) + lanes % width  # rows 37 apart
            for kind in ("runs", "random"):
                if kind == "random":
                    col = r.integers(0, 1500, NR)
                for mn in sorted({NR, NR - 1, 1, NR // 2 + 1}):
                    for kc in (0, 1, 5, 17):
                        rowoff = r.integers(0, 2000, max(kc, 1)).astype(np.int64)
                        coloff = np.ascontiguousarray(col[:mn], dtype=np.int64)
                        guarded = np.full(max(kc, 1) * NR + 16, np.nan, dtype)
                        dst = guarded[:max(kc, 1) * NR]
                        cy._gemm_pack_gather(arch, mn, kc, src, pad, rowoff, coloff, dst)
                        assert np.isnan(guarded[max(kc, 1) * NR:]).all()
                        if kc == 0:
                            assert np.isnan(guarded).all()
                            continue
                        want = np.zeros((kc, NR), dtype)
                        want[:, :mn] = src[pad + rowoff[:kc, None] + coloff[None, :]]
                        np.testing.assert_array_equal(
                            dst.reshape(kc, NR), want,
                            err_msg=f"{arch} width={width} first={first} {kind} mn={mn} kc={kc}")
    np.testing.assert_array_equal(src, before)


# ---- whole GEMM around every block boundary ----

@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_block_boundaries(arch, dtype):
    MR, NR, KC, MC, NC = cy._gemm_blocking(arch, bits(dtype))
    r = rng(1)
    shapes = []
    for d in (-1, 0, 1):
        shapes += [(MR + d, NR + 1, 5), (MR, NR + d, 9), (3, 5, KC + d), (MC + d, 7, 11),
                   (5, NC + d, 3), (2 * MR + d, 2 * NR - d, KC + 1)]
    shapes += [(1, 1, 1), (2, 3, 5), (13, 17, 19), (97, 89, 83), (1, 300, 2), (300, 1, 2),
               (4, 4, 1000), (500, 3, 7), (3, 500, 7)]
    for m, n, k in shapes:
        if min(m, n, k) < 1:
            continue
        a = r.standard_normal((m, k)).astype(dtype)
        b = r.standard_normal((k, n)).astype(dtype)
        check(a, b)
        check(np.asfortranarray(a), b, np.empty((m, n), dtype, order="F"))


def test_block_boundaries_reading_c(arch, dtype, nthreads):
    # A KC pass that reads C back (beta != 0, or any pass after the first)
    # blocks the rows by mc_read, one that only writes C by MC: m past the
    # short-A limit FLY_M, around one and two mc_read blocks beyond it and
    # around MC (the two kinds of pass in one call when k > KC), packed A
    # (n past the in-place limits) and A read in place (n = 29)
    MR, NR, KC, MC, NC = cy._gemm_blocking(arch, bits(dtype))
    MCR, FLY_M, FLY_KC = cy._gemm_paths(arch, bits(dtype))
    assert MR <= MCR and MCR % MR == 0
    ra_n, _ = cy._gemm_in_place(arch, bits(dtype))
    r = rng(5)
    ms = sorted(m for m in {FLY_M + 1, FLY_M + MCR - 1, FLY_M + MCR, FLY_M + MCR + 1,
                            FLY_M + 2 * MCR + 1, MC + MCR + 1} if m > FLY_M)
    for m in ms:
        for n in (max(301, ra_n + 13), 29):
            for k, beta in ((KC + 3, 0.0), (KC + 3, 0.5), (9, 1.0), (9, 0.0)):
                a = r.standard_normal((m, k)).astype(dtype)
                b = r.standard_normal((k, n)).astype(dtype)
                c = r.standard_normal((m, n)).astype(dtype)
                check(a, b, c, alpha=1.5, beta=beta)


def test_short_a_path(arch, dtype, nthreads):
    # m <= FLY_M: A is one block, B packed sliver by sliver FLY_KC deep;
    # m around FLY_M (the switch to the panel path), k around FLY_KC and KC,
    # C read back or not
    MR, NR, KC, MC, NC = cy._gemm_blocking(arch, bits(dtype))
    MCR, FLY_M, FLY_KC = cy._gemm_paths(arch, bits(dtype))
    r = rng(6)
    for m in (FLY_M - 1, FLY_M, FLY_M + 1):
        for k in sorted({FLY_KC - 1, FLY_KC + 1, KC + 1, 2 * FLY_KC + 5}):
            n = 3 * NR + 5
            a = r.standard_normal((m, k)).astype(dtype)
            b = r.standard_normal((k, n)).astype(dtype)
            c = r.standard_normal((m, n)).astype(dtype)
            check(a, b, c.copy(), beta=0.0)
            check(a, b, c, alpha=-1.0, beta=2.0)


@pytest.mark.parametrize("n", ["packed", 77, 29], ids=["packed-A", "A-in-place-table", "A-in-place"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_layouts(arch, dtype, nthreads, n):
    # n <= 4 NR with unit column stride: A is read in place (negative and
    # stepped row strides included); so is n <= RA_N with min(m, k) <= RA_MK
    # where the ISA's table says so (AVX2: 256, 512; AVX-512: 1024, 4096);
    # wider products pack it
    r = rng(2)
    m, k = 131, 259
    ra_n, ra_mk = cy._gemm_in_place(arch, bits(dtype))
    assert ra_mk >= k or ra_n == 0
    if n == "packed":
        n = max(301, ra_n + 13)
    a = r.standard_normal((m, k)).astype(dtype)
    b = r.standard_normal((k, n)).astype(dtype)
    for av in views(a):
        for bv in views(b):
            check(av, bv)
    for cv in views(np.zeros((m, n), dtype)):
        check(a, b, cv)
    check(a.T.copy().T, b.T.copy().T)


@pytest.mark.parametrize("shape", [(600, 500, 400), (2000, 40, 300), (40, 2000, 300), (64, 64, 2000)])
def test_threads_large(dtype, nthreads, shape):
    m, n, k = shape
    r = rng(3)
    a = r.standard_normal((m, k)).astype(dtype)
    b = r.standard_normal((k, n)).astype(dtype)
    check(a, b)
    check(np.asfortranarray(a), b.T.copy().T, np.zeros((m, n), dtype, order="F"), 0.5, 2.0)


@pytest.mark.parametrize("alpha,beta", [(1.0, 0.0), (-2.0, 0.0), (0.5, 1.0), (1.0, -0.5), (0.0, 3.0), (0.0, 0.0)])
def test_alpha_beta(arch, dtype, alpha, beta):
    r = rng(4)
    for m, n, k in ((9, 25, 17), (100, 70, 300)):
        a = r.standard_normal((m, k)).astype(dtype)
        b = r.standard_normal((k, n)).astype(dtype)
        out = r.standard_normal((m, n)).astype(dtype)
        check(a, b, out, alpha, beta)


def test_beta_zero_ignores_nan(arch, dtype):
    for m, n, k in ((5, 7, 3), (70, 90, 50), (4, 4, 0)):
        out = np.full((m, n), np.nan, dtype)
        got = fastla.matmul(np.ones((m, k), dtype), np.ones((k, n), dtype), out)
        np.testing.assert_array_equal(got, float(k))


def test_empty_dimensions(dtype):
    assert fastla.matmul(np.ones((0, 3), dtype), np.ones((3, 4), dtype)).shape == (0, 4)
    assert fastla.matmul(np.ones((3, 2), dtype), np.ones((2, 0), dtype)).shape == (3, 0)
    np.testing.assert_array_equal(fastla.matmul(np.ones((3, 0), dtype), np.ones((0, 4), dtype)), 0)
    out = np.full((3, 4), 2.0, dtype)
    fastla.matmul(np.ones((3, 0), dtype), np.ones((0, 4), dtype), out, beta=0.5)
    np.testing.assert_array_equal(out, 1.0)
    assert fastla.matmul(np.ones((0, 3, 4), dtype), np.ones((4, 2), dtype)).shape == (0, 3, 2)


def test_out_overlapping_inputs(dtype):
    r = rng(5)
    a = r.standard_normal((40, 40)).astype(dtype)
    b = r.standard_normal((40, 40)).astype(dtype)
    want = reference(a, b, 1.0, 1.0, a)
    fastla.matmul(a, b, a, beta=1.0)           # out is a
    np.testing.assert_allclose(a, want, rtol=tol(dtype, 40) * 20, atol=tol(dtype, 40) * 40)
    x = r.standard_normal((30, 30)).astype(dtype)
    want = reference(x, x)
    fastla.matmul(x, x, x)                      # in-place square
    np.testing.assert_allclose(x, want, rtol=tol(dtype, 30) * 20, atol=tol(dtype, 30) * 40)


# ---- batches (attention's per-head products) ----

@pytest.mark.parametrize("sa,sb", [((6, 7, 5), (6, 5, 9)), ((7, 5), (6, 5, 9)), ((6, 7, 5), (5, 9)),
                                   ((1, 7, 5), (6, 5, 9)), ((6, 7, 5), (1, 5, 9)),
                                   ((3, 130, 70), (3, 70, 90))])
def test_batched(dtype, nthreads, sa, sb):
    r = rng(6)
    a = r.standard_normal(sa).astype(dtype)
    b = r.standard_normal(sb).astype(dtype)
    check(a, b)
    if a.ndim == 3:
        check(a.transpose(0, 2, 1).copy().transpose(0, 2, 1), b)
    out = np.full(np.broadcast_shapes(sa[:-2] + (1, 1), sb[:-2] + (1, 1))[:-2] + (sa[-2], sb[-1]), np.nan, dtype)
    if out.ndim == 2:
        out = out[None]
    check(a, b, out)


def test_batched_many_small(dtype):
    r = rng(7)
    a = r.standard_normal((64, 16, 32)).astype(dtype)
    b = r.standard_normal((64, 32, 16)).astype(dtype)
    with fastla.threads(2):
        check(a, b)
        check(a, b.transpose(0, 2, 1).copy().transpose(0, 2, 1), np.zeros((64, 16, 16), dtype, order="F"))


# ---- errors ----

def test_errors():
    with pytest.raises(TypeError, match="float32 and float64"):
        fastla.matmul(np.ones((2, 2), np.int32), np.ones((2, 2), np.int32))
    with pytest.raises(TypeError, match="mixed"):
        fastla.matmul(np.ones((2, 2)), np.ones((2, 2), np.float32))
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4, 2\)"):
        fastla.matmul(np.ones((2, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="do not broadcast"):
        fastla.matmul(np.ones((2, 2, 3)), np.ones((3, 3, 2)))
    with pytest.raises(ValueError, match="2-D or 3-D"):
        fastla.matmul(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="shape"):
        fastla.matmul(np.ones((2, 3)), np.ones((3, 4)), np.empty((4, 2)))
    with pytest.raises(ValueError, match="dtype"):
        fastla.matmul(np.ones((2, 3)), np.ones((3, 4)), np.empty((2, 4), np.float32))
    ro = np.empty((2, 4))
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fastla.matmul(np.ones((2, 3)), np.ones((3, 4)), ro)


# ---- hypothesis ----

@st.composite
def gemm_problem(draw):
    m, n, k = draw(st.integers(0, 60)), draw(st.integers(0, 60)), draw(st.integers(0, 60))
    dtype = draw(st.sampled_from(DTYPES))
    la = draw(st.sampled_from(["C", "F", "step", "rev"]))
    lb = draw(st.sampled_from(["C", "F", "step", "rev"]))
    lc = draw(st.sampled_from(["C", "F"]))
    seed = draw(st.integers(0, 2**31))
    return m, n, k, dtype, la, lb, lc, seed


def layout(x, how):
    if how == "F":
        return np.asfortranarray(x)
    if how == "step":
        big = np.zeros((x.shape[0] * 2, x.shape[1] * 2), x.dtype)
        big[::2, ::2] = x
        return big[::2, ::2]
    if how == "rev":
        return np.ascontiguousarray(x[::-1, ::-1])[::-1, ::-1]
    return x


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gemm_problem(), st.sampled_from([(1.0, 0.0), (0.5, -1.5)]))
def test_hypothesis(problem, ab):
    m, n, k, dtype, la, lb, lc, seed = problem
    r = rng(seed)
    a = layout(r.standard_normal((m, k)).astype(dtype), la)
    b = layout(r.standard_normal((k, n)).astype(dtype), lb)
    out = np.asarray(r.standard_normal((m, n)), dtype, order=lc)
    for arch in fastla.supported_arches():
        with fastla.use_arch(arch):
            check(a, b, out.copy(order="K"), *ab)


def test_scratch_cache_contract_on_many_threads():
    """The workspace cache (frame/scratch.h) lends each block to one caller
    at a time, hands nested callers their own (cached or, past the slots,
    fresh), keeps large requests up to its cap and never caches larger ones,
    stays within its per-thread total (idle blocks make room), shrugs off a
    double release, and is freed with its thread (run under threads that
    exit; the C check runs with the GIL held, so they take turns)."""
    import threading
    import time
    from fastla import cy
    assert cy._scratch_check() == 0
    exits = cy._scratch_exits()
    results = []
    workers = [threading.Thread(target=lambda: results.append(cy._scratch_check()))
               for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert results == [0] * 8
    # each worker's cache goes with it; join() returns once the Python side
    # is done, a moment before the OS thread runs its exit destructors
    deadline = time.monotonic() + 10
    while cy._scratch_exits() - exits < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cy._scratch_exits() - exits >= 8


def test_concurrent_callers_each_get_their_own_workspace():
    """Python threads calling matmul at once (the GIL is released inside)."""
    import threading
    r = rng(7)
    pairs = [(r.standard_normal((40 + i, 33)), r.standard_normal((33, 50 - i))) for i in range(6)]
    errors = []

    def work(a, b):
        for _ in range(50):
            if not np.allclose(fastla.matmul(a, b), a @ b, rtol=1e-12, atol=1e-12):
                errors.append((a.shape, b.shape))
                return

    workers = [threading.Thread(target=work, args=p) for p in pairs]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []


@pytest.mark.parametrize("fn", [fastla.matmul, fastla.strassen_matmul])
def test_out_whose_elements_alias_is_refused(fn):
    a = np.ones((4, 3))
    base = np.zeros(4)
    out = np.lib.stride_tricks.as_strided(base, shape=(4, 5), strides=(8, 0), writeable=True)
    with pytest.raises(ValueError, match="zero stride"):
        fn(a, np.ones((3, 5)), out=out)
    assert (base == 0).all()


def test_other_outs_whose_elements_alias_are_refused():
    """matvec, spmv, spmm and im2col refuse them too (they used to write
    every result into the one element, the last one winning)."""
    base = np.zeros(8)
    alias = lambda shape, strides: np.lib.stride_tricks.as_strided(
        base, shape=shape, strides=strides, writeable=True)
    A = fastla.CSRMatrix.from_coo([0, 1, 2], [0, 0, 1], [1.0, 2.0, 3.0], (3, 2))
    calls = [lambda: fastla.matvec(np.ones((3, 2)), np.ones(2), out=alias((3,), (0,))),
             lambda: fastla.spmv(A, np.ones(2), out=alias((3,), (0,))),
             lambda: fastla.spmm(A, np.ones((2, 4)), out=alias((3, 4), (8, 0))),
             lambda: fastla.im2col(np.ones((1, 2, 3, 3)), 2, out=alias((1, 8, 4), (0, 0, 8)))]
    for call in calls:
        with pytest.raises(ValueError, match="zero stride"):
            call()
    assert (base == 0).all()
