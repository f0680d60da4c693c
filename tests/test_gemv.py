"""fastla.matvec against NumPy: every ISA, both dtypes, 1 and 2 threads,
sizes around every vector width and block, all layouts, alpha/beta."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import fastla
from conftest import DTYPES, rng, tol

SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 511, 512, 513, 1031]


def reference(a, x, alpha=1.0, beta=0.0, y=None):
    r = alpha * (a.astype(np.float64) @ x.astype(np.float64))
    if beta != 0.0:
        r = r + beta * y.astype(np.float64)
    return r


def check(a, x, out=None, alpha=1.0, beta=0.0):
    y0 = None if out is None else out.copy()
    a0, x0 = a.copy(), x.copy()
    got = fastla.matvec(a, x, out, alpha=alpha, beta=beta)
    want = reference(a, x, alpha, beta, y0)
    scale = np.abs(a).astype(np.float64) @ np.abs(x).astype(np.float64) * abs(alpha) + 1e-30
    if beta != 0.0:
        scale = scale + abs(beta) * np.abs(y0)
    assert got.dtype == a.dtype and got.shape == (a.shape[0],)
    err = np.abs(got - want) / scale if got.size else np.zeros(0)
    assert np.all(err <= tol(a.dtype, a.shape[1])), (err.max(), a.shape)
    np.testing.assert_array_equal(a, a0)   # inputs untouched
    np.testing.assert_array_equal(x, x0)
    if out is not None:
        assert got is out
    return got


def layouts(a):
    """The same matrix values under every layout the kernels distinguish."""
    m, n = a.shape
    yield "C", a
    yield "F", np.asfortranarray(a)
    yield "T-view", np.ascontiguousarray(a.T).T
    big = np.zeros((2 * m + 1, 3 * n + 2), a.dtype)
    big[1::2, 2::3] = a
    yield "strided", big[1::2, 2::3]
    yield "reversed", np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1]


@pytest.mark.parametrize("m", SIZES)
def test_sizes_rows_and_cols(arch, dtype, m):
    r = rng(m)
    for n in (1, 9, 64, 65, 130):
        a = r.standard_normal((m, n)).astype(dtype)
        x = r.standard_normal(n).astype(dtype)
        check(a, x)
        check(np.asfortranarray(a), x)


@pytest.mark.parametrize("n", SIZES)
def test_sizes_inner(arch, dtype, n):
    r = rng(n + 1000)
    a = r.standard_normal((13, n)).astype(dtype)
    x = r.standard_normal(n).astype(dtype)
    for _, view in layouts(a):
        check(view, x)


@pytest.mark.parametrize("shape", [(1031, 997), (300, 2000), (2000, 300)])
def test_threads_and_layouts(arch, dtype, nthreads, shape):
    r = rng(7)
    a = r.standard_normal(shape).astype(dtype)
    x = r.standard_normal(shape[1]).astype(dtype)
    for _, view in layouts(a):
        check(view, x)


@pytest.mark.parametrize("alpha,beta", [(1.0, 0.0), (2.5, 0.0), (0.0, 0.5), (-1.0, 1.0), (0.5, -3.0), (0.0, 0.0)])
def test_alpha_beta(arch, dtype, alpha, beta):
    r = rng(3)
    for m, n in [(37, 41), (600, 700)]:
        a = r.standard_normal((m, n)).astype(dtype)
        x = r.standard_normal(n).astype(dtype)
        out = r.standard_normal(m).astype(dtype)
        check(a, x, out, alpha, beta)
        check(a.T.copy().T, x, out.copy(), alpha, beta)


def test_beta_zero_ignores_nan(arch, dtype):
    a = np.ones((5, 3), dtype)
    out = np.full(5, np.nan, dtype)
    fastla.matvec(a, np.ones(3, dtype), out, beta=0.0)
    np.testing.assert_array_equal(out, 3.0)
    out[:] = np.nan
    fastla.matvec(a, np.ones(3, dtype), out, alpha=0.0, beta=0.0)
    np.testing.assert_array_equal(out, 0.0)
    out[:] = np.nan   # n == 0 with beta == 0: zeros, not NaN
    fastla.matvec(np.ones((5, 0), dtype), np.ones(0, dtype), out)
    np.testing.assert_array_equal(out, 0.0)


def test_strided_x_and_out(arch, dtype):
    r = rng(11)
    a = r.standard_normal((70, 50)).astype(dtype)
    xs = r.standard_normal(150).astype(dtype)[::3]
    outs = r.standard_normal(140).astype(dtype)[::2]
    check(a, xs, outs, 1.5, 0.5)
    check(a, xs[::-1], outs[::-1].copy(), 1.0, 0.0)
    check(a, np.broadcast_to(np.asarray(2.0, dtype), (50,)))


def test_empty(dtype):
    assert fastla.matvec(np.ones((0, 4), dtype), np.ones(4, dtype)).shape == (0,)
    np.testing.assert_array_equal(fastla.matvec(np.ones((3, 0), dtype), np.ones(0, dtype)), 0.0)
    out = np.full(3, 2.0, dtype)
    fastla.matvec(np.ones((3, 0), dtype), np.ones(0, dtype), out, beta=0.5)
    np.testing.assert_array_equal(out, 1.0)


def test_overlap_out_with_input(arch, dtype):
    r = rng(5)
    k = tol(dtype, 40) * 40
    a = r.standard_normal((40, 40)).astype(dtype)
    x = r.standard_normal(40).astype(dtype)
    want = reference(a, x)
    got = fastla.matvec(a, x, a[:, 0])          # out is a column of a
    np.testing.assert_allclose(a[:, 0], want, rtol=k, atol=k)
    assert got.base is a
    a = r.standard_normal((30, 30)).astype(dtype)
    want = reference(a, a[0], 1.0, 1.0, a[0])
    fastla.matvec(a, a[0], a[0], beta=1.0)      # out is x and a row of a
    np.testing.assert_allclose(a[0], want, rtol=k, atol=k)


def test_list_inputs():
    np.testing.assert_allclose(fastla.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]), [3.0, 7.0])


# ---- errors ----

def test_dtype_errors():
    a = np.ones((3, 3))
    with pytest.raises(TypeError, match="float32 and float64.*astype"):
        fastla.matvec(a.astype(np.int64), np.ones(3))
    with pytest.raises(TypeError, match="mixed dtypes"):
        fastla.matvec(a, np.ones(3, np.float32))
    with pytest.raises(TypeError, match="float32 and float64"):
        fastla.matvec(a.astype(np.complex128), np.ones(3, np.complex128))


def test_shape_errors():
    with pytest.raises(ValueError, match=r"\(3, 4\) and \(5,\)"):
        fastla.matvec(np.ones((3, 4)), np.ones(5))
    with pytest.raises(ValueError, match="2-D"):
        fastla.matvec(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="2-D"):
        fastla.matvec(np.ones((3, 3)), np.ones((3, 1)))


def test_out_errors():
    a, x = np.ones((3, 4)), np.ones(4)
    with pytest.raises(ValueError, match="shape"):
        fastla.matvec(a, x, np.empty(4))
    with pytest.raises(ValueError, match="dtype"):
        fastla.matvec(a, x, np.empty(3, np.float32))
    ro = np.empty(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fastla.matvec(a, x, ro)
    with pytest.raises(TypeError, match="ndarray"):
        fastla.matvec(a, x, [0.0, 0.0, 0.0])


# ---- hypothesis ----

@st.composite
def gemv_problem(draw):
    m = draw(st.integers(0, 70))
    n = draw(st.integers(0, 70))
    dtype = draw(st.sampled_from(DTYPES))
    order = draw(st.sampled_from(["C", "F"]))
    rs = draw(st.integers(1, 3))
    cs = draw(st.integers(1, 3))
    flip = draw(st.booleans())
    seed = draw(st.integers(0, 2**31))
    return m, n, dtype, order, rs, cs, flip, seed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gemv_problem(), st.sampled_from([(1.0, 0.0), (0.5, 2.0)]))
def test_hypothesis(problem, ab):
    m, n, dtype, order, rs, cs, flip, seed = problem
    r = rng(seed)
    base = np.asarray(r.standard_normal((m * rs, n * cs)), dtype=dtype, order=order)
    a = base[::rs, ::cs]
    if flip:
        a = a[::-1]
    x = r.standard_normal(n).astype(dtype)
    out = r.standard_normal(m).astype(dtype)
    for arch in fastla.supported_arches():
        with fastla.use_arch(arch):
            check(a, x, out.copy(), *ab)
