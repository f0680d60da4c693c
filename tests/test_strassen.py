"""fastla.strassen_matmul: exact on small integers for every level, inside
its documented error bounds on random data, odd/rectangular sizes (peeling),
sizes around the blocking of every ISA, layouts, threads and errors."""
import numpy as np
import pytest

import fastla
from fastla import cy
from conftest import DTYPES, rng, views

LEVELS = (0, 1, 2)


def bits(dtype):
    return np.dtype(dtype).itemsize * 8


def ints(shape, dtype, seed):
    return rng(seed).integers(-3, 4, shape).astype(dtype)


def exact(a, b):
    return np.matmul(a.astype(np.float64), b.astype(np.float64))


def check_exact(a, b, levels, out=None):
    a0, b0 = a.copy(), b.copy()
    got = fastla.strassen_matmul(a, b, out, levels=levels)
    assert got.dtype == a.dtype and got.shape == (a.shape[0], b.shape[1])
    np.testing.assert_array_equal(got, exact(a, b), err_msg=f"{a.shape} @ {b.shape}, L={levels}")
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
    if out is not None:
        assert got is out
    return got


# ---- exactness: every variant must be exact on small integers ----

@pytest.mark.parametrize("levels", (1, 2))     # 0 is fastla.matmul bit for bit (below)
@pytest.mark.parametrize("shape", [(64, 64, 64), (257, 129, 131), (97, 101, 103), (8, 1, 8),
                                   (5, 301, 6)])
def test_exact_small_integers(arch, dtype, nthreads, levels, shape):
    m, n, k = shape
    check_exact(ints((m, k), dtype, m), ints((k, n), dtype, n), levels)


@pytest.mark.parametrize("levels", (1, 2))
def test_block_boundaries(arch, dtype, levels):
    """Sub-problems around MR, NR, MC and KC (more than one KC pass, several
    ic blocks, partial tiles) and their 2**levels multiples +- 1 (peeling)."""
    MR, NR, KC, MC, NC = cy._gemm_blocking(arch, bits(dtype))
    SKC = cy._strassen_kc(arch, bits(dtype))
    g = 2 ** levels
    shapes = [(g * MR, g * NR, g * 8), (g * MR + 1, g * NR - 1, g * 8 + 3),
              (g * (MR - 1), g * (NR + 1) + 2, g * 16 - 1),
              (g * (MC + MR + 1), g * (NR + 3), g * 8 + 1),
              (g * (MR + 3) + 1, g * NR + 1, g * (2 * SKC + 1) + 1)]   # 3 Strassen KC passes
    for m, n, k in shapes:
        check_exact(ints((m, k), dtype, 1), ints((k, n), dtype, 2), levels)


@pytest.mark.parametrize("levels, shape", [(1, (600, 260, 264)), (2, (640, 648, 656)),
                                           (1, (80, 800, 528)), (2, (160, 1600, 1056))])
def test_threads_larger(dtype, nthreads, levels, shape):
    """Products large enough for two threads (2 m n k / 8**L >= 8 * 2 * 64**3
    flops each), on both thread grids: rows of the blocks, or columns when
    the blocks are short (the last two shapes)."""
    m, n, k = shape
    check_exact(ints((m, k), dtype, 3), ints((k, n), dtype, 4), levels)


@pytest.mark.parametrize("levels", (1, 2))
def test_layouts(arch, dtype, nthreads, levels):
    m, n, k = 45, 38, 41
    a, b = ints((m, k), dtype, 5), ints((k, n), dtype, 6)
    for va in views(a):
        for vb in views(b):
            check_exact(va, vb, levels)
    for out in (np.full((m, n), np.nan, dtype), np.full((m, n), np.nan, dtype, order="F"),
                np.full((2 * m, 3 * n), np.nan, dtype)[::2, ::3],
                np.full((m, n), np.nan, dtype)[::-1, ::-1]):
        check_exact(a, b, levels, out=out)


# ---- accuracy against a higher-precision reference ----

def reference(a, b):
    """float64 for float32 inputs, np.longdouble for float64 inputs."""
    hi = np.float64 if a.dtype == np.float32 else np.longdouble
    return np.matmul(a.astype(hi), b.astype(hi))


def higham_bound(k, levels):
    """Higham's norm-wise bound (ASNA Thm. 23.2) with the inner dimension k:
    |C - AB|_max <= (3**L k**2 + 5 * 6**L k) u |A|_max |B|_max."""
    return 3.0 ** levels * k * k + 5.0 * 6.0 ** levels * k


def max_err(a, b, levels):
    got = fastla.strassen_matmul(a, b, levels=levels)
    want = reference(a, b)
    u = np.finfo(a.dtype).eps / 2
    return float(np.max(np.abs(got.astype(want.dtype) - want))) / (
        u * float(np.abs(a).max()) * float(np.abs(b).max()))


@pytest.mark.parametrize("levels", LEVELS)
@pytest.mark.parametrize("shape", [(128, 128, 128), (96, 80, 131), (64, 48, 520)])
def test_error_bound_rigorous(dtype, levels, shape):
    """Positive data (no cancellation in A B, the hard case for Strassen's
    differences) and zero-mean data, inside Higham's worst-case bound."""
    m, n, k = shape
    r = rng(k + levels)
    for a, b in ((r.random((m, k)), r.random((k, n))),
                 (r.standard_normal((m, k)), r.standard_normal((k, n)))):
        err = max_err(a.astype(dtype), b.astype(dtype), levels)
        assert err <= higham_bound(k, levels), (err, higham_bound(k, levels))


@pytest.mark.parametrize("levels", LEVELS)
@pytest.mark.parametrize("shape", [(128, 128, 128), (96, 80, 131), (64, 48, 520)])
def test_error_bound_zero_mean(dtype, levels, shape):
    """The documented typical bound for zero-mean data, on every ISA:
    |C - AB|_max <= 2**L k u |A|_max |B|_max (observed: at most ~0.35 k u)."""
    m, n, k = shape
    r = rng(3 * k + levels)
    a = r.standard_normal((m, k)).astype(dtype)
    b = r.standard_normal((k, n)).astype(dtype)
    want = reference(a, b)
    scale = np.finfo(dtype).eps / 2 * float(np.abs(a).max()) * float(np.abs(b).max())
    for arch in fastla.supported_arches():
        with fastla.use_arch(arch):
            got = fastla.strassen_matmul(a, b, levels=levels)
        err = float(np.max(np.abs(got.astype(want.dtype) - want))) / scale
        assert err <= 2 ** levels * k, (arch, err, 2 ** levels * k)


def test_levels_add_error_but_stay_close(dtype):
    """Level 0 is the classical GEMM bit for bit; levels 1 and 2 differ from
    it (a different algorithm), but by rounding only."""
    r = rng(9)
    a = r.standard_normal((96, 80)).astype(dtype)
    b = r.standard_normal((80, 72)).astype(dtype)
    c0 = fastla.strassen_matmul(a, b, levels=0)
    np.testing.assert_array_equal(c0, fastla.matmul(a, b))
    for levels in (1, 2):
        c = fastla.strassen_matmul(a, b, levels=levels)
        assert not np.array_equal(c, c0)
        np.testing.assert_allclose(c, c0, rtol=0, atol=2 ** levels * 80 * np.finfo(dtype).eps * 20)


# ---- level choice ----

def same_nonfinite(got, want):
    """inf (with its sign) and NaN at the same places."""
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want))
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(want))


@pytest.mark.parametrize("levels", (1, 2))
@pytest.mark.parametrize("shape", [(8, 8, 8), (67, 45, 53), (130, 70, 97)])
@pytest.mark.parametrize("where", ["a_inf", "a_nan", "b_neginf", "both", "fringe"])
def test_nonfinite_operands_propagate_as_in_matmul(arch, dtype, nthreads, levels, shape, where):
    """A core with an inf or NaN is recomputed classically: the non-finite
    entries are those of fastla.matmul (a block sum would have turned one inf
    into NaNs across other rows), the finite ones agree with it."""
    m, k, n = shape
    a, b = ints((m, k), dtype, 1), ints((k, n), dtype, 2)
    if where in ("a_inf", "both"):
        a[m // 3, k // 2] = np.inf
    if where == "a_nan":
        a[1, 0] = np.nan
    if where in ("b_neginf", "both"):
        b[k - 1, n // 4] = -np.inf
    if where == "fringe":         # past the Strassen core: the classical fringe has it
        a[m - 1, 0] = np.inf
    want = fastla.matmul(a, b)
    got = fastla.strassen_matmul(a, b, levels=levels)
    same_nonfinite(got, want)
    fin = np.isfinite(want)
    with np.errstate(invalid="ignore"):
        ref = exact(a, b)
    np.testing.assert_array_equal(got[fin], ref[fin])


@pytest.mark.parametrize("levels", (1, 2))
def test_block_sum_overflow_recomputed(dtype, nthreads, levels):
    """Finite operands whose block sums overflow (A00 + A11 = 2 * big) but
    whose classical products do not: the result is the classical one."""
    big = np.finfo(dtype).max * 0.75
    m = 64
    a = np.full((m, m), big, dtype)
    b = np.full((m, m), 1.0 / (4 * m), dtype)
    want = fastla.matmul(a, b)
    assert np.all(np.isfinite(want))
    got = fastla.strassen_matmul(a, b, levels=levels)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, want, rtol=8 * np.finfo(dtype).eps)


def test_levels_auto_follows_table(dtype):
    r = rng(10)
    for m, n, k in ((40, 40, 40), (300, 20, 300)):
        a = r.standard_normal((m, k)).astype(dtype)
        b = r.standard_normal((k, n)).astype(dtype)
        lv = cy._strassen_levels(bits(dtype), m, n, k)
        assert lv in LEVELS
        np.testing.assert_array_equal(fastla.strassen_matmul(a, b),
                                      fastla.strassen_matmul(a, b, levels=lv))
    assert cy._strassen_levels(bits(dtype), 8, 8, 8) == 0
    assert cy._strassen_levels(bits(dtype), 1 << 16, 1 << 16, 1 << 16) >= 1 or \
        fastla.active_arch() == "ref"


def test_levels_reduced_for_small_sizes(dtype):
    """levels=2 on a dimension of 2 or 3 runs one level; on 1, the classical GEMM."""
    a, b = ints((3, 50), dtype, 11), ints((50, 40), dtype, 12)
    np.testing.assert_array_equal(fastla.strassen_matmul(a, b, levels=2),
                                  fastla.strassen_matmul(a, b, levels=1))
    a1 = ints((1, 50), dtype, 13)
    np.testing.assert_array_equal(fastla.strassen_matmul(a1, b, levels=2), fastla.matmul(a1, b))
    check_exact(a, b, 2)


def test_empty_and_unit_dimensions(dtype):
    for m, n, k in ((0, 5, 4), (5, 0, 4), (5, 4, 0), (0, 0, 0), (1, 1, 1), (2, 2, 2)):
        a, b = ints((m, k), dtype, 1), ints((k, n), dtype, 2)
        for levels in (None, 0, 1, 2):
            out = np.full((m, n), np.nan, dtype)
            got = fastla.strassen_matmul(a, b, out, levels=levels)
            assert got is out
            np.testing.assert_array_equal(got, exact(a, b))


def test_broadcast_inputs(dtype):
    """Zero strides (np.broadcast_to) on odd sizes: the GEMV fringe paths
    need non-zero vector strides and fall back to GEMM."""
    col = ints((63, 1), dtype, 15)        # A with a zero column stride
    row = ints((1, 67), dtype, 16)        # B with a zero row stride
    for levels in (1, 2):
        check_exact(np.broadcast_to(col, (63, 65)), ints((65, 67), dtype, 17), levels)
        check_exact(ints((63, 65), dtype, 18), np.broadcast_to(row, (65, 67)), levels)
        check_exact(np.broadcast_to(col, (63, 65)), np.broadcast_to(row, (65, 67)), levels)


def test_out_overlapping_inputs(dtype):
    a = ints((40, 40), dtype, 14)
    want = exact(a, a)
    x = a.copy()
    got = fastla.strassen_matmul(x, x, out=x, levels=1)
    assert got is x
    np.testing.assert_array_equal(x, want)
    y = a.copy()
    fastla.strassen_matmul(y, a, out=y.T, levels=2)
    np.testing.assert_array_equal(y.T, exact(a, a))


@pytest.fixture(scope="module")
def downstream(tmp_path_factory):
    from conftest import build_downstream
    return build_downstream("extending_strassen", tmp_path_factory)


def test_cython_api_downstream(downstream, nthreads):
    """A downstream extension cimports cy.strassen (both dtypes, strided
    views) and cy.strassen_levels, built against fastla.get_include()."""
    for dtype in DTYPES:
        a = ints((70, 90), dtype, 19)
        b = np.asfortranarray(ints((90, 50), dtype, 20))
        c = np.full((140, 50), np.nan, dtype)[::2]
        for levels in (-1, 0, 1, 2):
            assert downstream.strassen_nogil(a, b, c, levels) == 0
            np.testing.assert_array_equal(c, exact(a, b))
        assert downstream.strassen_nogil(a, b, c, 3) == 2     # FASTLA_ERR_ARG: levels > 2
        assert downstream.levels_for(bits(dtype), 70, 50, 90) == \
            cy._strassen_levels(bits(dtype), 70, 50, 90)


def test_bench_rows_and_crossover_script():
    """The bench rows compute the product, and the crossover script (how the
    per-ISA crossovers were measured) runs."""
    import io
    from fastla.bench import strassen_cases
    case = strassen_cases.strassen_cases(quick=True)[0]
    assert set(case["peers"]) == {"matmul", "numpy"} and case["flops"] > 0
    for threads in (1, 2):
        text = io.StringIO()
        rows = strassen_cases.crossover_table([48], rounds=1, threads=threads, out=text)
        assert rows[0][0] == 48 and set(rows[0][1]) == {"L=1", "L=2"}
        assert all(v > 0 for v in rows[0][1].values())
        assert f"{threads} thread" in text.getvalue()


# ---- errors ----

def test_errors():
    a = np.ones((4, 3))
    b = np.ones((3, 5))
    with pytest.raises(TypeError, match="float32 and float64"):
        fastla.strassen_matmul(a.astype(np.int64), b.astype(np.int64))
    with pytest.raises(TypeError, match="mixed dtypes"):
        fastla.strassen_matmul(a, b.astype(np.float32))
    with pytest.raises(ValueError, match=r"\(4, 3\) and \(4, 3\) not aligned"):
        fastla.strassen_matmul(a, a)
    with pytest.raises(ValueError, match="2-D"):
        fastla.strassen_matmul(np.ones((2, 4, 3)), b)
    with pytest.raises(ValueError, match="2-D"):
        fastla.strassen_matmul(np.ones(3), b)
    with pytest.raises(ValueError, match="out has shape"):
        fastla.strassen_matmul(a, b, np.empty((5, 4)))
    with pytest.raises(ValueError, match="out has dtype"):
        fastla.strassen_matmul(a, b, np.empty((4, 5), np.float32))
    ro = np.empty((4, 5))
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fastla.strassen_matmul(a, b, ro)
    with pytest.raises(TypeError, match="out must be a numpy.ndarray"):
        fastla.strassen_matmul(a, b, [[0.0] * 5] * 4)
    for bad in (-1, 3, 10):
        with pytest.raises(ValueError, match=r"levels must be in 0\.\.2"):
            fastla.strassen_matmul(a, b, levels=bad)
    for bad in (1.0, "1", True):
        with pytest.raises(TypeError, match="levels must be an int"):
            fastla.strassen_matmul(a, b, levels=bad)
    assert fastla.strassen_matmul(a, b, levels=np.int64(1)).shape == (4, 5)
