"""CSR matrices: products against a dense float64 oracle (and scipy.sparse),
structure validation, conversions, threads and every ISA."""
import threading

import numpy as np
import pytest

import fastla
from fastla.sparse import CSCMatrix
from conftest import DTYPES, rng, run_python, tol

sp = pytest.importorskip("scipy.sparse")

ITYPES = (np.int32, np.int64)


@pytest.fixture(params=ITYPES, ids=["int32", "int64"])
def itype(request):
    return request.param


# ---------------------------------------------------------------- structures
def csr_arrays(kind, dtype, itype, seed=0):
    """(data, indices, indptr, shape) of a test structure."""
    r = rng(seed)
    if kind == "random":             # big enough for 2 threads (nnz + rows > 2 * grain)
        m, n, per = 5000, 3000, 9
        lens = r.integers(0, 2 * per, m)
    elif kind == "empty_rows":
        m, n = 400, 300
        lens = r.integers(0, 6, m) * (r.random(m) < 0.4)
    elif kind == "no_entries":
        m, n = 50, 40
        lens = np.zeros(m, int)
    elif kind == "zero_rows":
        m, n = 0, 7
        lens = np.zeros(0, int)
    elif kind == "zero_cols":
        m, n = 6, 0
        lens = np.zeros(m, int)
    elif kind == "dense_row":        # one row holds half of the non-zeros
        m, n = 6000, 40000
        lens = r.integers(0, 6, m)
        lens[m // 3] = min(n, lens.sum())
    elif kind == "dups_unsorted":    # repeated and unsorted columns, explicit zeros
        m, n = 300, 50
        lens = r.integers(0, 12, m)
    else:
        raise ValueError(kind)
    indptr = np.concatenate([[0], np.cumsum(lens)])
    nnz = int(indptr[-1])
    if kind == "dense_row":
        cols = r.integers(0, n, nnz)
        i = m // 3
        cols[indptr[i]:indptr[i + 1]] = r.permutation(n)[:lens[i]]
    else:
        cols = r.integers(0, max(n, 1), nnz)
    data = r.standard_normal(nnz)
    if kind == "dups_unsorted":
        data[r.random(nnz) < 0.1] = 0.0
    return (data.astype(dtype), cols.astype(itype), indptr.astype(itype), (m, n))


KINDS = ["random", "empty_rows", "no_entries", "zero_rows", "zero_cols", "dense_row",
         "dups_unsorted"]


def dense(A):
    """Float64 oracle: scipy's float64 CSR of the same arrays (duplicates are
    summed by its products; .T and abs() work as for a dense array)."""
    return sp.csr_array((A.data.astype(np.float64), A.indices.astype(np.int64),
                         A.indptr.astype(np.int64)), shape=A.shape)


def absd(M):
    """The scipy matrix of |entries|, duplicates kept apart (np.abs would sum
    them first, which is not an error bound)."""
    M = M.copy()
    M.data = np.abs(M.data)
    return M


def todense(A):
    return dense(A).toarray()


def assert_close(got, ref, bound, dtype, k):
    """|got - ref| <= tol * bound elementwise (bound = the sum of |terms|)."""
    got = np.asarray(got, dtype=np.float64)
    assert got.shape == ref.shape
    err = np.abs(got - ref)
    lim = tol(dtype, k) * (bound + np.finfo(dtype).tiny)
    assert np.all(err <= lim), f"max err {err.max()} (limit {lim[err > lim].min()})"


def maxrow(A):
    return int(np.diff(A.indptr.astype(np.int64)).max(initial=1))


# ---------------------------------------------------------------- products
@pytest.mark.parametrize("kind", KINDS)
def test_spmv(kind, dtype, itype, arch, nthreads):
    A = fastla.CSRMatrix(*csr_arrays(kind, dtype, itype))
    D = dense(A)
    x = rng(1).standard_normal(A.shape[1]).astype(dtype)
    y = fastla.spmv(A, x)
    assert y.dtype == dtype and y.shape == (A.shape[0],)
    assert_close(y, D @ x, absd(D) @ np.abs(x), dtype, maxrow(A))
    assert_close(A @ x, D @ x, absd(D) @ np.abs(x), dtype, maxrow(A))


@pytest.mark.parametrize("kind", KINDS)
def test_spmv_transposed(kind, dtype, itype, arch, nthreads):
    A = fastla.CSRMatrix(*csr_arrays(kind, dtype, itype))
    D = dense(A)
    x = rng(2).standard_normal(A.shape[0]).astype(dtype)
    y = A.T @ x
    k = max(1, int(np.bincount(A.indices.astype(np.int64), minlength=1).max(initial=1)))
    assert y.dtype == dtype and y.shape == (A.shape[1],)
    assert_close(y, D.T @ x, absd(D.T) @ np.abs(x), dtype, k)


@pytest.mark.parametrize("kind", KINDS)
def test_spmm(kind, dtype, itype, arch, nthreads):
    A = fastla.CSRMatrix(*csr_arrays(kind, dtype, itype))
    D = dense(A)
    X = rng(3).standard_normal((A.shape[1], 21)).astype(dtype)
    Y = fastla.spmm(A, X)
    assert Y.dtype == dtype and Y.shape == (A.shape[0], 21)
    assert_close(Y, D @ X, absd(D) @ np.abs(X), dtype, maxrow(A))


@pytest.mark.parametrize("k", [1, 2, 7, 8, 16, 33, 64, 100, 300])
@pytest.mark.parametrize("xorder", ["C", "F", "strided"])
@pytest.mark.parametrize("oorder", ["C", "F"])
def test_spmm_layouts_and_widths(k, xorder, oorder, dtype, arch):
    A = fastla.CSRMatrix(*csr_arrays("dups_unsorted", dtype, np.int32))
    D = dense(A)
    X = rng(4).standard_normal((A.shape[1], 2 * k)).astype(dtype)
    X = X[:, ::2] if xorder == "strided" else np.asarray(X[:, :k], order=xorder)
    out = np.full((A.shape[0], k), np.nan, dtype=dtype, order=oorder)
    Y = fastla.spmm(A, X, out, alpha=1.5)
    assert Y is out
    assert_close(Y, 1.5 * (D @ X), 1.5 * (absd(D) @ np.abs(X)), dtype, maxrow(A))


def test_spmm_large_output(dtype, arch, nthreads):
    """Outputs of several MB, aligned and misaligned rows."""
    A = fastla.CSRMatrix(*csr_arrays("random", dtype, np.int32))
    D = dense(A)
    X = rng(17).standard_normal((A.shape[1], 261)).astype(dtype)
    Y = np.full((A.shape[0], 261), np.nan, dtype)
    fastla.spmm(A, X, Y)
    assert_close(Y, D @ X, absd(D) @ np.abs(X), dtype, maxrow(A))
    Yv = np.full((A.shape[0], 262), np.nan, dtype)[:, 1:]        # misaligned rows
    fastla.spmm(A, X, Yv)
    assert_close(Yv, D @ X, absd(D) @ np.abs(X), dtype, maxrow(A))


@pytest.mark.parametrize("lens", [(0, 3), (6, 14)], ids=["short", "long"])
def test_spmv_streaming_output(lens, dtype, arch, nthreads):
    """y beyond FASTLA_CSRMV_NT_BYTES (4 MB) per thread with beta == 0 is
    written with aligned non-temporal vector stores: head rows up to the first
    64-byte boundary, full lines, and tail rows; beta != 0 and a strided y take
    the plain stores.  Rows of 0-2 entries take the one-chain dot, rows of
    6-13 (mean >= CSRMV_SHORT) the four-chain one."""
    r = rng(22)
    m, n = 1_100_003 if dtype == np.float64 else 2_200_003, 5000
    if lens[0]:
        m //= 4
    indptr = np.concatenate([[0], np.cumsum(r.integers(*lens, m))]).astype(np.int32)
    A = fastla.CSRMatrix(r.standard_normal(indptr[-1]).astype(dtype),
                         r.integers(0, n, indptr[-1]).astype(np.int32), indptr, (m, n))
    D = dense(A)
    x = r.standard_normal(n).astype(dtype)
    ref, bound = D @ x, absd(D) @ np.abs(x)
    k = maxrow(A)
    yb = np.full(m + 3, np.nan, dtype)
    for y in (yb[:m], yb[3:]):                         # aligned and misaligned starts
        y[...] = np.nan
        fastla.spmv(A, x, y)
        assert_close(y, ref, bound, dtype, k)
    y = yb[1:m + 1]
    y[...] = np.nan
    fastla.spmv(A, x, y, alpha=-0.5)
    assert_close(y, -0.5 * ref, 0.5 * bound, dtype, k)
    y = yb[3:]
    y[...] = 1.0
    fastla.spmv(A, x, y, alpha=2.0, beta=-1.0)
    assert_close(y, 2.0 * ref - 1.0, 2.0 * bound + 1.0, dtype, k)


def test_spmm_streaming_output(dtype, arch, nthreads):
    """Y beyond FASTLA_CSRMM_NT_BYTES (8 MB) per thread with beta == 0 and
    16-byte aligned rows is written with non-temporal stores; a misaligned
    view and beta != 0 take the plain stores.  72 columns: streamed blocks
    of 4 vectors plus a vector tail."""
    r = rng(21)
    m, n, k = 40000, 3000, 72
    lens = r.integers(0, 6, m)
    indptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int32)
    A = fastla.CSRMatrix(r.standard_normal(indptr[-1]).astype(dtype),
                         r.integers(0, n, indptr[-1]).astype(np.int32), indptr, (m, n))
    D = dense(A)
    X = r.standard_normal((n, k)).astype(dtype)
    ref, bound = D @ X, absd(D) @ np.abs(X)
    Y = np.full((m, k), np.nan, dtype)
    assert Y.ctypes.data % 16 == 0
    fastla.spmm(A, X, Y)
    assert_close(Y, ref, bound, dtype, maxrow(A))
    Yv = np.full((m, k + 1), np.nan, dtype)[:, 1:]
    fastla.spmm(A, X, Yv)
    assert_close(Yv, ref, bound, dtype, maxrow(A))
    Y[...] = 1.0
    fastla.spmm(A, X, Y, alpha=2.0, beta=-1.0)
    assert_close(Y, 2.0 * ref - 1.0, 2.0 * bound + 1.0, dtype, maxrow(A))


@pytest.mark.parametrize("op", ["spmv", "spmv_t", "spmm"])
def test_alpha_beta_and_nan_out(op, dtype, itype, arch, nthreads):
    A = fastla.CSRMatrix(*csr_arrays("random", dtype, itype))
    D = dense(A)
    Aop, Dop = (A.T, D.T) if op == "spmv_t" else (A, D)
    f = fastla.spmm if op == "spmm" else fastla.spmv
    x = rng(5).standard_normal((Dop.shape[1], 5) if op == "spmm" else Dop.shape[1]).astype(dtype)
    y0 = rng(6).standard_normal((Dop.shape[0], 5) if op == "spmm" else Dop.shape[0]).astype(dtype)
    k = max(D.shape)
    for alpha, beta in [(2.0, 0.5), (-1.0, 1.0), (0.0, 3.0), (0.0, 0.0)]:
        out = y0.copy()
        r = f(Aop, x, out, alpha=alpha, beta=beta)
        assert r is out
        ref = alpha * (Dop @ x) + beta * y0
        bound = abs(alpha) * (absd(Dop) @ np.abs(x)) + abs(beta) * np.abs(y0)
        assert_close(out, ref, bound, dtype, k)
    # beta == 0: NaN/Inf in out are ignored
    out = np.full_like(y0, np.nan)
    out.flat[0] = np.inf
    f(Aop, x, out, alpha=1.0, beta=0.0)
    assert np.all(np.isfinite(out))
    assert_close(out, Dop @ x, absd(Dop) @ np.abs(x), dtype, k)
    # out=None ignores beta
    assert_close(f(Aop, x, beta=7.0), Dop @ x, absd(Dop) @ np.abs(x), dtype, k)


@pytest.mark.parametrize("trans", [False, True])
def test_strided_x_and_out(trans, dtype, itype, arch, nthreads):
    A = fastla.CSRMatrix(*csr_arrays("random", dtype, itype))
    D = dense(A).T if trans else dense(A)
    op = A.T if trans else A
    xb = rng(7).standard_normal(3 * D.shape[1]).astype(dtype)
    for x in (xb[::3], xb[::-3], xb[1::3]):
        outb = np.full(2 * D.shape[0], np.nan, dtype=dtype)
        for out in (outb[::2], outb[-2::-2]):
            out[...] = 1.0
            fastla.spmv(op, x, out, alpha=0.5, beta=2.0)
            assert_close(out, 0.5 * (D @ x) + 2.0, 0.5 * (absd(D) @ np.abs(x)) + 2.0,
                         dtype, max(D.shape))
        assert np.all(np.isnan(outb[1::2]))


def test_out_overlapping_x():
    A = fastla.CSRMatrix(*csr_arrays("dups_unsorted", np.float64, np.int32))
    S = sp.csr_array((A.data, A.indices, A.indptr), shape=A.shape)
    B = fastla.CSRMatrix.from_scipy((S @ S.T).tocsr())      # square
    D = dense(B)
    x = rng(8).standard_normal(B.shape[0])
    for op, Dop in ((B, D), (B.T, D.T)):
        v = x.copy()
        fastla.spmv(op, v, v, alpha=1.0, beta=1.0)
        np.testing.assert_allclose(v, Dop @ x + x, rtol=1e-12, atol=1e-12)


def test_scipy_inputs_and_rmatmul(dtype, itype):
    data, indices, indptr, shape = csr_arrays("dups_unsorted", dtype, itype)
    S = sp.csr_array((data, indices, indptr), shape=shape)
    D = dense(fastla.CSRMatrix(data, indices, indptr, shape))
    x = rng(9).standard_normal(shape[1]).astype(dtype)
    z = rng(10).standard_normal(shape[0]).astype(dtype)
    X = rng(11).standard_normal((shape[1], 4)).astype(dtype)
    bound = absd(D) @ np.abs(x)
    canonical = S.copy()
    canonical.sum_duplicates()    # (scipy's own COO product disagrees on duplicated CSR)
    for M in (S, sp.csr_matrix(S), S.tocsc(), sp.csc_matrix(S), canonical.tocoo(), S.tolil(),
              S.tobsr()):
        assert_close(fastla.spmv(M, x), D @ x, bound, dtype, 64)
        assert_close(fastla.spmm(M, X), D @ X, absd(D) @ np.abs(X), dtype, 64)
    A = fastla.CSRMatrix.from_scipy(S)
    assert_close(z @ A, D.T @ z, absd(D.T) @ np.abs(z), dtype, 64)
    assert_close(A.T @ z, D.T @ z, absd(D.T) @ np.abs(z), dtype, 64)
    Z = rng(12).standard_normal((shape[0], 3)).astype(dtype)
    assert_close(A.T @ Z, D.T @ Z, absd(D.T) @ np.abs(Z), dtype, 64)
    assert_close(Z.T @ A, Z.T @ D, np.abs(Z.T) @ absd(D), dtype, 64)


def test_errors_on_operands():
    A = fastla.CSRMatrix.from_coo([0, 1], [0, 2], [1.0, 2.0], (2, 3))
    with pytest.raises(ValueError, match=r"not aligned"):
        fastla.spmv(A, np.ones(2))
    with pytest.raises(ValueError, match=r"not aligned"):
        fastla.spmv(A.T, np.ones(3))
    with pytest.raises(ValueError, match=r"not aligned"):
        fastla.spmm(A, np.ones((2, 4)))
    with pytest.raises(TypeError, match="mixed dtypes"):
        fastla.spmv(A, np.ones(3, np.float32))
    with pytest.raises(TypeError, match="supported dtypes"):
        fastla.spmv(A, np.ones(3, np.int64))
    with pytest.raises(ValueError, match="out has shape"):
        fastla.spmv(A, np.ones(3), np.empty(3))
    with pytest.raises(ValueError, match="out has dtype"):
        fastla.spmv(A, np.ones(3), np.empty(2, np.float32))
    ro = np.empty(2)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fastla.spmv(A, np.ones(3), ro)
    with pytest.raises(TypeError, match="expected a fastla.CSRMatrix"):
        fastla.spmv(np.eye(3), np.ones(3))
    with pytest.raises(ValueError, match="1-D"):
        fastla.spmv(A, np.ones((3, 1)))


# ---------------------------------------------------------------- structure
GOOD = dict(data=np.array([1.0, 2.0, 3.0]), indices=np.array([0, 2, 1], np.int32),
            indptr=np.array([0, 2, 2, 3], np.int32), shape=(3, 3))


@pytest.mark.parametrize("change, message", [
    (dict(indptr=np.array([1, 2, 2, 3])), r"indptr\[0\] must be 0"),
    (dict(indptr=np.array([0, 2, 1, 3])), r"non-decreasing.*indptr\[2\] = 1 < indptr\[1\] = 2"),
    (dict(indptr=np.array([0, 2, 2, 2])), r"indptr\[-1\] = 2 must equal nnz"),
    (dict(indptr=np.array([0, 2, 2, 4])), r"indptr\[-1\] = 4 must equal nnz"),
    (dict(indptr=np.array([0, 2, 3])), r"indptr has length 3, expected nrows \+ 1 = 4"),
    (dict(indices=np.array([0, 3, 1])), r"indices\[1\] = 3 is out of range for 3 columns"),
    (dict(indices=np.array([0, -1, 1])), r"indices\[1\] = -1 is out of range"),
    (dict(indices=np.array([0, 2])), r"indices has length 2 but data has length 3"),
    (dict(indices=np.array([[0, 2, 1]])), r"must be 1-D"),
    (dict(shape=(3, -1)), r"non-negative"),
    (dict(shape=(3,)), r"pair of integers"),
])
@pytest.mark.parametrize("itype", ITYPES)
def test_malformed_structure_raises(change, message, itype):
    args = dict(GOOD, **change)
    for key in ("indices", "indptr"):
        args[key] = np.asarray(args[key]).astype(itype)
    with pytest.raises(ValueError, match=message):
        fastla.CSRMatrix(**args)


@pytest.mark.parametrize("key", ["indices", "indptr"])
def test_uint64_beyond_int64_is_named_as_given(key):
    """2**63 + 5 would wrap to a negative int64; the message shows the
    caller's value."""
    args = dict(GOOD)
    args[key] = np.asarray(args[key]).astype(np.uint64)
    args[key][1] = 2**63 + 5
    with pytest.raises(ValueError, match=rf"{key}\[1\] = 9223372036854775813 is out of range"):
        fastla.CSRMatrix(**args)


def test_malformed_found_anywhere_in_big_arrays(nthreads):
    data, indices, indptr, shape = csr_arrays("random", np.float64, np.int32)
    bad = indices.copy()
    bad[-7] = shape[1]
    with pytest.raises(ValueError, match=rf"indices\[{len(bad) - 7}\]"):
        fastla.CSRMatrix(data, bad, indptr, shape)
    bad = indptr.copy()
    bad[4000] = bad[4001] + 1
    with pytest.raises(ValueError, match=r"indptr\[4001\] .* < indptr\[4000\]"):
        fastla.CSRMatrix(data, indices, bad, shape)


def test_transposed_product_with_a_stale_plan_raises():
    """Index arrays edited after A.T @ x cached its thread plan (which the
    docs forbid) give a ValueError, not writes past the private buffers: a
    banded matrix's buffers span only the band around each thread's rows."""
    n = 20000
    T = sp.diags([np.ones(n - 1), 2 * np.ones(n), np.ones(n - 1)], [-1, 0, 1], format="csr")
    A = fastla.CSRMatrix.from_scipy(T)
    x = np.ones(n)
    with fastla.threads(2):
        np.testing.assert_allclose(A.T @ x, T.T @ x)
        A.indices[-1] = 0          # still a valid structure, but not the cached plan's
        with pytest.raises(ValueError, match="modified after"):
            A.T @ x


def test_from_coo_kernel_refuses_sizes_beyond_its_index_type():
    """The C kernel itself (the Python layer picks int64 first): 2**31
    columns do not fit int32 indices (it used to accept them)."""
    from fastla import _sparse
    empty = np.zeros(0, np.int32)
    with pytest.raises(ValueError, match="does not fit"):
        _sparse.from_coo(empty, empty, np.zeros(0), 1, 2**31)


def test_empty_lists_make_an_empty_matrix():
    """[] is a float64 array to NumPy: no entries, not a float index array."""
    A = fastla.CSRMatrix([], [], [0, 0, 0], (2, 3))
    assert A.nnz == 0 and A.index_dtype.kind == "i"
    np.testing.assert_array_equal(A @ np.ones(3), np.zeros(2))
    np.testing.assert_array_equal(A.T @ np.ones(2), np.zeros(3))
    with pytest.raises(TypeError, match="must be integers"):
        fastla.CSRMatrix([1.0], [0.0], [0, 1], (1, 2))


def test_bad_value_and_index_types():
    with pytest.raises(TypeError, match="supported dtypes are float32 and float64"):
        fastla.CSRMatrix(np.array([1, 2]), np.array([0, 1]), np.array([0, 2]), (1, 2))
    with pytest.raises(TypeError, match="must be integers"):
        fastla.CSRMatrix(np.array([1.0]), np.array([0.0]), np.array([0, 1]), (1, 2))
    with pytest.raises(TypeError, match="supported dtypes are float32 and float64"):
        fastla.CSRMatrix(np.array([1.0], np.float16), np.array([0]), np.array([0, 1]), (1, 2))
    with pytest.raises(ValueError, match="shape must be a pair of integers"):   # not truncated
        fastla.CSRMatrix(np.array([1.0]), np.array([0]), np.array([0, 1, 1]), (2.9, 1.5))


def test_zero_copy_and_index_types(dtype, itype):
    data, indices, indptr, shape = csr_arrays("dups_unsorted", dtype, itype)
    A = fastla.CSRMatrix(data, indices, indptr, shape)
    assert A.data is data and A.indices is indices and A.indptr is indptr
    assert A.index_dtype == itype and A.dtype == dtype
    S = A.to_scipy()
    assert isinstance(S, sp.csr_array)
    assert all(np.shares_memory(a, b) for a, b in
               ((S.data, data), (S.indices, indices), (S.indptr, indptr)))
    B = fastla.CSRMatrix.from_scipy(S)
    assert B.data is S.data or np.shares_memory(B.data, S.data)
    assert np.shares_memory(B.indices, S.indices)
    assert np.shares_memory(A.T.data, data) and A.T.T is A
    # mixed index types become int64 (the narrower array is copied)
    C = fastla.CSRMatrix(data, indices.astype(np.int32), indptr.astype(np.int64), shape)
    assert C.index_dtype == np.int64
    # small integer types become int32; unsigned 32-bit becomes int64
    E = fastla.CSRMatrix(data, indices.astype(np.int16), indptr.astype(np.uint16)
                         if indptr[-1] < 2**16 else indptr, shape)
    assert E.index_dtype in (np.int32, np.int64)
    assert fastla.CSRMatrix(data, indices.astype(np.uint32), indptr.astype(np.uint32),
                            shape).index_dtype == np.int64
    # a non-contiguous / byte-swapped input is copied, not rejected
    F = fastla.CSRMatrix(np.repeat(data, 2)[::2], indices.astype(indices.dtype.newbyteorder()),
                         indptr, shape)
    np.testing.assert_array_equal(F.toarray(), A.toarray())


def test_int64_required_by_shape():
    """Shapes beyond int32 switch to int64 indices (the machinery of > 2**31 nnz);
    int32 arrays that cannot hold the shape are refused by the C check."""
    n = 2**31 + 10
    with pytest.warns(RuntimeWarning, match="indptr copied from int32 to int64"):
        A = fastla.CSRMatrix(np.array([1.0, 2.0]), np.array([0, n - 1], np.int64),
                             np.array([0, 1, 2], np.int32), (2, n))
    assert A.index_dtype == np.int64 and A.indptr.dtype == np.int64
    assert A.T.shape == (n, 2)
    p = fastla.sparse._sparse.partition(A.indptr, 2, 2)
    assert p.tolist() == [0, 1, 2]
    # the C size guard returns before reading the arrays (no big allocation)
    for nrows, ncols in ((1, n), (n, 1)):
        with pytest.raises(ValueError, match="does not fit int32 indices; pass int64"):
            fastla.sparse._sparse.check(np.array([0, 0], np.int32), np.zeros(0, np.int32),
                                        nrows, ncols)


# ---------------------------------------------------------------- conversions
def test_index_width_choice_beyond_2_31():
    """The index dtype is chosen from dtypes and sizes only: checked here with
    sizes past 2**31 without allocating them."""
    from fastla.sparse import _index_dtype
    i32, i64, u32 = np.dtype(np.int32), np.dtype(np.int64), np.dtype(np.uint32)
    big = 2 ** 31
    assert _index_dtype(i32, i32, 10, 10, big - 1) == (i32, None)
    assert _index_dtype(i32, i64, 10, 10, 5) == (i64, None)          # mixed: int64, no note
    assert _index_dtype(u32, u32, 10, 10, 5) == (i64, None)
    # int32 column indices with an int64 indptr holding nnz >= 2**31: promoted, said so
    dt, note = _index_dtype(i32, i64, 10, 10, big)
    assert dt == i64 and "indices copied from int32 to int64" in note and str(big) in note
    # a shape beyond int32 widens int32 arrays too
    dt, note = _index_dtype(i32, i32, big, 3, 7)
    assert dt == i64 and "indices and indptr copied" in note
    assert _index_dtype(i64, i64, big, big, big) == (i64, None)
    # an int32 indptr cannot end at nnz >= 2**31
    with pytest.raises(ValueError, match="does not fit the int32 indptr.*int64"):
        _index_dtype(i32, i32, 10, 10, big)
    with pytest.raises(TypeError, match="must be integers"):
        _index_dtype(np.dtype(np.float64), i32, 1, 1, 0)


@pytest.mark.parametrize("op", ["spmv", "spmv_t", "spmm"])
def test_64bit_offsets_past_2_31(op, dtype, arch, nthreads):
    """Every offset into data/indices past 2**31 (int64 path): the kernels
    see indptr entries shifted by 2**32 + 3 while data and indices are
    addressed that many elements before their first entry (test hook), so a
    truncation to 32 bits anywhere would read the wrong entries."""
    data, indices, indptr, shape = csr_arrays("random", dtype, np.int64)
    A = fastla.CSRMatrix(data, indices, indptr, shape)
    D = dense(A)
    shift = 2 ** 32 + 3
    r = rng(31)
    if op == "spmv":
        x = r.standard_normal(shape[1]).astype(dtype)
        ref, bound = D @ x, absd(D) @ np.abs(x)
    elif op == "spmv_t":
        x = r.standard_normal(shape[0]).astype(dtype)
        ref, bound = D.T @ x, absd(D.T) @ np.abs(x)
    else:
        x = r.standard_normal((shape[1], 40)).astype(dtype)
        ref, bound = D @ x, absd(D) @ np.abs(x)
    got = fastla.sparse._sparse._offset_probe(op, A.data, A.indices, A.indptr + shift,
                                               shift, shape[1], x)
    assert_close(got, ref, bound, dtype, max(shape))


def test_from_coo_sums_duplicates(dtype):
    r = rng(13)
    m, n, nnz = 200, 150, 3000
    rows, cols = r.integers(0, m, nnz), r.integers(0, n, nnz)
    vals = r.standard_normal(nnz).astype(dtype)
    A = fastla.CSRMatrix.from_coo(rows, cols, vals, (m, n))
    S = sp.coo_array((vals, (rows, cols)), shape=(m, n)).tocsr()
    S.sum_duplicates()
    assert A.nnz == S.nnz and A.index_dtype == np.int32
    np.testing.assert_allclose(A.toarray(), S.toarray(), rtol=tol(dtype, 8), atol=tol(dtype, 8))
    # each row keeps distinct columns
    for i in range(m):
        row = A.indices[A.indptr[i]:A.indptr[i + 1]]
        assert len(np.unique(row)) == len(row)
    assert fastla.CSRMatrix.from_coo([], [], np.zeros(0, dtype), (3, 4)).nnz == 0
    # the message names the first bad index and its value
    with pytest.raises(ValueError, match=r"rows\[1\] = 3 is out of range"):
        fastla.CSRMatrix.from_coo([0, 3, 7], [0, 0, 0], np.ones(3, dtype), (3, 4))
    with pytest.raises(ValueError, match=r"cols\[1\] = -1 is out of range"):
        fastla.CSRMatrix.from_coo([0, 1], [0, -1], np.ones(2, dtype), (3, 4))
    big = np.array([0, 2**63 + 5], np.uint64)
    with pytest.raises(ValueError, match=r"cols\[1\] = 9223372036854775813 is out of range"):
        fastla.CSRMatrix.from_coo(np.array([0, 1], np.uint64), big, np.ones(2, dtype), (3, 4))
    with pytest.raises(ValueError, match="one length"):
        fastla.CSRMatrix.from_coo([0, 1], [0], np.ones(2, dtype), (3, 4))


@pytest.mark.parametrize("kind", KINDS)
def test_transpose_copy_and_tocsc(kind, dtype, itype, nthreads):
    data, indices, indptr, shape = csr_arrays(kind, dtype, itype)
    A = fastla.CSRMatrix(data, indices, indptr, shape)
    B = A.transpose(copy=True)
    assert isinstance(B, fastla.CSRMatrix) and B.shape == shape[::-1]
    assert B.index_dtype == itype and B.dtype == dtype
    ref = sp.csr_array((data, indices, indptr), shape=shape).tocsc()   # stable counting sort
    np.testing.assert_array_equal(B.indptr, ref.indptr)
    np.testing.assert_array_equal(B.indices, ref.indices)
    np.testing.assert_array_equal(B.data, ref.data)
    C = A.tocsc()
    assert isinstance(C, CSCMatrix) and C.shape == shape
    Sc = C.to_scipy()
    assert isinstance(Sc, sp.csc_array) and Sc.shape == shape
    np.testing.assert_array_equal(Sc.indices, ref.indices)
    assert isinstance(A.transpose(), CSCMatrix)
    R = C.tocsr()            # back to CSR: sorted indices, duplicates kept
    Sr = sp.csr_array((data, indices, indptr), shape=shape).copy()
    Sr.has_sorted_indices = False
    Sr.sort_indices()
    np.testing.assert_array_equal(R.indptr, Sr.indptr)
    np.testing.assert_array_equal(R.indices, Sr.indices)


def test_transpose_sees_values_edited_in_place(dtype):
    """A.T shares A's arrays: products with it (SpMV, SpMM, tocsr) always use
    the current values, never a copy taken at an earlier call."""
    A = fastla.CSRMatrix.from_coo([0, 1, 2, 2], [1, 0, 2, 0], np.array([1, 2, 3, 4], dtype),
                                  (3, 3))
    AT = A.T
    X = np.arange(6, dtype=dtype).reshape(3, 2)
    x = np.arange(3, dtype=dtype)
    np.testing.assert_array_equal(AT @ X, A.toarray().T @ X)
    np.testing.assert_array_equal(AT.tocsr().toarray(), A.toarray().T)
    A.data[:] *= -2
    np.testing.assert_array_equal(AT @ X, A.toarray().T @ X)
    np.testing.assert_array_equal(fastla.spmm(AT, X), A.toarray().T @ X)
    np.testing.assert_array_equal(fastla.spmv(AT, x), A.toarray().T @ x)
    np.testing.assert_array_equal(AT.tocsr().toarray(), A.toarray().T)


@pytest.mark.parametrize("kind", KINDS)
def test_cached_transpose_products(kind, dtype, itype, arch, nthreads):
    """With cache_transpose(), A.T's products run the untransposed kernels on
    the copy: same answers as the oracle, alpha/beta/NaN out, strided x and
    out, SpMM and x @ A."""
    A = fastla.CSRMatrix(*csr_arrays(kind, dtype, itype))
    A.cache_transpose()
    assert A.has_cached_transpose
    D = dense(A).T
    k = max(1, max(D.shape))
    xb = rng(21).standard_normal(3 * D.shape[1]).astype(dtype)
    for x in (xb[::3], xb[::-3]):
        bound = absd(D) @ np.abs(x)
        assert_close(A.T @ x, D @ x, bound, dtype, k)
        assert_close(x @ A, D @ x, bound, dtype, k)
        outb = np.full(2 * D.shape[0], np.nan, dtype=dtype)
        out = outb[::2]
        out[...] = np.nan
        assert fastla.spmv(A.T, x, out, alpha=0.5) is out
        assert_close(out, 0.5 * (D @ x), 0.5 * bound, dtype, k)
        out[...] = 1.0
        fastla.spmv(A.T, x, out, alpha=-2.0, beta=3.0)
        assert_close(out, -2.0 * (D @ x) + 3.0, 2.0 * bound + 3.0, dtype, k)
        assert np.all(np.isnan(outb[1::2]))
    for order in ("C", "F"):
        X = np.asarray(rng(22).standard_normal((D.shape[1], 9)).astype(dtype), order=order)
        assert_close(fastla.spmm(A.T, X), D @ X, absd(D) @ np.abs(X), dtype, k)
        assert_close(A.T @ X, D @ X, absd(D) @ np.abs(X), dtype, k)


def test_cached_transpose_is_a_snapshot(dtype):
    """The copy is taken when cache_transpose() is called: an in-place edit is
    not seen by A.T's products until it is called again (this also shows the
    copy is what they use); A @ x always sees it; rebinding an array or
    cache_transpose(False) drops the copy."""
    A = fastla.CSRMatrix.from_coo([0, 1, 2, 2], [1, 0, 2, 0], np.array([1, 2, 3, 4], dtype),
                                  (3, 3))
    x = np.arange(1, 4, dtype=dtype)
    X = np.arange(6, dtype=dtype).reshape(3, 2)
    before = A.toarray()
    assert not A.has_cached_transpose
    A.cache_transpose()
    A.data[:] *= -2
    np.testing.assert_array_equal(A.T @ x, before.T @ x)
    np.testing.assert_array_equal(fastla.spmm(A.T, X), before.T @ X)
    np.testing.assert_array_equal(A @ x, A.toarray() @ x)
    A.cache_transpose()
    np.testing.assert_array_equal(A.T @ x, A.toarray().T @ x)
    np.testing.assert_array_equal(fastla.spmm(A.T, X), A.toarray().T @ X)
    A.cache_transpose(False)
    assert not A.has_cached_transpose
    A.data[:] *= 3
    np.testing.assert_array_equal(A.T @ x, A.toarray().T @ x)
    A.cache_transpose()
    A.data = A.data.copy()            # rebinding: the products notice and scatter again
    A.data[:] = 1
    assert not A.has_cached_transpose
    np.testing.assert_array_equal(A.T @ x, A.toarray().T @ x)
    A.cache_transpose()
    assert A.T.has_cached_transpose
    A.shape = (3, 3)                  # an equal shape keeps the copy
    assert A.has_cached_transpose
    A.shape = (3, 5)                  # a rebound shape drops it
    assert not A.has_cached_transpose
    np.testing.assert_array_equal(A.T @ np.ones(3, dtype), A.toarray().T @ np.ones(3, dtype))
    A.shape = (3, 3)
    del A._tcache                     # an object pickled before the cache existed
    assert not A.has_cached_transpose
    A.cache_transpose()
    A.sort_indices()                  # the same matrix: the copy stays right
    np.testing.assert_array_equal(A.T @ x, A.toarray().T @ x)
    with pytest.raises(TypeError, match="enable must be a bool"):
        A.cache_transpose("yes")


def test_rebinding_the_arrays_revalidates_and_drops_the_plans():
    """Rebinding data/indices/indptr (documented as allowed) after a
    threaded A.T @ x cached its plans: the plans of the old structure used
    to index the new arrays (a crash, or wrong results).  The new structure
    is validated like the constructor's, and a malformed one raises."""
    S1 = sp.random(400, 3000, density=0.5, random_state=0, format="csr")
    S2 = sp.random(400, 3000, density=0.05, random_state=1, format="csr")
    S1.sort_indices(); S2.sort_indices()
    x = np.ones(400)
    with fastla.threads(2):
        for first, second in ((S1, S2), (S2, S1)):
            A = fastla.CSRMatrix.from_scipy(first)
            np.testing.assert_allclose(A.T @ x, first.T @ x)
            np.testing.assert_allclose(A @ np.ones(3000), first @ np.ones(3000))
            B = fastla.CSRMatrix.from_scipy(second)
            A.data, A.indices, A.indptr = B.data, B.indices, B.indptr
            np.testing.assert_allclose(A.T @ x, second.T @ x)
            np.testing.assert_allclose(A @ np.ones(3000), second @ np.ones(3000))
            np.testing.assert_allclose(fastla.spmm(A.T, np.ones((400, 3))), second.T @ np.ones((400, 3)))
        A.indices = np.full(A.nnz, 3000, dtype=A.indices.dtype)
        with pytest.raises(ValueError, match="out of range"):
            A @ np.ones(3000)
        with pytest.raises(ValueError, match="out of range"):
            A.T @ x
        A.indices = B.indices
        A.indptr = B.indptr[:-1]
        with pytest.raises(ValueError, match="indptr has length"):
            A.toarray()
        A.indptr = B.indptr
        np.testing.assert_allclose(A.toarray(), S1.toarray())
        A.shape = (400, 10)
        with pytest.raises(ValueError, match="out of range"):
            A.transpose(copy=True)


def test_csc_view_validates_rebound_arrays():
    """A CSCMatrix view of a CSRMatrix whose arrays were rebound to a
    malformed structure: every method raises instead of trusting them.
    transpose(copy=True) (and tocsr) used to copy them into a matrix marked
    valid, and to_scipy handed them to scipy: both crashed in a later
    product."""
    for bad in ("indices", "indptr"):
        A = fastla.CSRMatrix(np.ones(3), np.array([0, 1, 2]), np.array([0, 2, 3]), (2, 3))
        if bad == "indices":
            A.indices = np.array([0, 1, 10**9])
            msg = "out of range"
        else:
            A.indptr = np.array([0, 2, 10**6])
            msg = "indptr"
        for call in (lambda: A.T.transpose(copy=True), lambda: A.T.tocsr(),
                     lambda: A.T.to_scipy(), lambda: A.T.toarray(), lambda: A.T @ np.ones(2)):
            with pytest.raises(ValueError, match=msg):
                call()
    A = fastla.CSRMatrix(np.ones(3), np.array([0, 1, 2]), np.array([0, 2, 3]), (2, 3))
    np.testing.assert_array_equal(A.T.transpose(copy=True).toarray(), A.toarray())
    np.testing.assert_array_equal(A.T.to_scipy().toarray(), A.toarray().T)


def test_partition_balances_nonzeros():
    data, indices, indptr, shape = csr_arrays("dense_row", np.float64, np.int64)
    A = fastla.CSRMatrix(data, indices, indptr, shape)
    for nparts in (1, 2, 3, 8):
        p = fastla.sparse._sparse.partition(A.indptr, shape[0], nparts)
        assert p[0] == 0 and p[-1] == shape[0] and np.all(np.diff(p) >= 0)
        work = [indptr[p[k + 1]] - indptr[p[k]] + p[k + 1] - p[k] for k in range(nparts)]
        total = indptr[-1] + shape[0]
        # every part within one row's work of the ideal share
        assert max(work) <= total / nparts + np.diff(indptr).max() + 1
    with fastla.threads(2):
        assert A._partition() is A._partition()          # cached per thread count


def layout_matrix(kind, dtype, itype):
    """Structures whose per-thread column ranges exercise every case of the
    transposed kernel's layout: banded (neighbouring ranges overlap by the
    band), reversed (the first rows touch the last columns), blocks (disjoint
    ranges, every thread writes y directly), a middle run of empty rows (a
    thread with no columns), one wide row, and random columns (full buffers:
    reduced by the last thread with 2 threads, split after a barrier with 3,
    serial with 4)."""
    r = rng(11)
    m = n = 24001
    i = np.repeat(np.arange(m), 5)
    band = i + np.tile(np.array([-150, -1, 0, 1, 150]), m)
    if kind == "banded":
        cols = band
    elif kind == "reversed":
        cols = (m - 1) - band
    elif kind == "blocks":
        cols = (i // 6000) * 6000 + r.integers(0, 6000, i.size)
    elif kind == "empty_middle":
        cols = band
        keep = (i < m // 3) | (i >= 2 * m // 3)
        i, cols = i[keep], cols[keep]
    elif kind == "random":
        cols = r.integers(0, n, i.size)
    elif kind == "wide_row":
        cols = band
        i = np.concatenate([i, np.full(n, m // 2)])
        cols = np.concatenate([cols, np.arange(n)])
    ok = (cols >= 0) & (cols < n)
    i, cols = i[ok], cols[ok]
    order = np.argsort(i, kind="stable")
    i, cols = i[order], cols[order]
    indptr = np.searchsorted(i, np.arange(m + 1))
    data = r.standard_normal(i.size).astype(dtype)
    return fastla.CSRMatrix(data, cols.astype(itype), indptr.astype(itype), (m, n))


@pytest.mark.parametrize("kind", ["banded", "reversed", "blocks", "empty_middle", "wide_row",
                                  "random"])
@pytest.mark.parametrize("nt", [2, 3, 4])
def test_spmv_transposed_column_ranges(kind, nt, dtype, itype):
    A = layout_matrix(kind, dtype, itype)
    D = dense(A).T
    x = rng(12).standard_normal(A.shape[0]).astype(dtype)
    bound = absd(D) @ np.abs(x)
    with fastla.threads(nt):
        parts = A._partition()
        cols = A._col_ranges(parts)
        if parts is None:                                  # serial build: no partition
            assert cols is None
        else:                                              # the cached ranges are the true ones
            ip, ix = A.indptr.astype(np.int64), A.indices.astype(np.int64)
            for k in range(nt):
                c = ix[ip[parts[k]]:ip[parts[k + 1]]]
                assert tuple(cols[2 * k:2 * k + 2]) == ((c.min(), c.max() + 1) if c.size
                                                        else (0, 0))
            assert A._col_ranges(parts) is cols
        y = A.T @ x
        assert_close(y, D @ x, bound, dtype, 8)
        outb = np.full(2 * A.shape[1], np.nan, dtype=dtype)
        out = outb[::2]
        out[...] = 1.0
        fastla.spmv(A.T, x, out, alpha=0.5, beta=2.0)      # strided out: no direct fast path
        assert_close(out, 0.5 * (D @ x) + 2.0, 0.5 * bound + 2.0, dtype, 8)
        assert np.all(np.isnan(outb[1::2]))
        out = np.full(A.shape[1], np.nan, dtype=dtype)
        fastla.spmv(A.T, x, out, beta=0.0)                 # beta == 0 ignores NaN
        assert_close(out, D @ x, bound, dtype, 8)


# ---------------------------------------------------------------- integration
def test_cg_linear_operator_matches_scipy():
    from scipy.sparse.linalg import LinearOperator, aslinearoperator, cg
    g = 40
    T = sp.diags_array([-1.0, 2.0, -1.0], offsets=[-1, 0, 1], shape=(g, g))
    L = (sp.kron(T, sp.eye_array(g)) + sp.kron(sp.eye_array(g), T)).tocsr()
    A = fastla.CSRMatrix.from_scipy(L)
    b = rng(14).standard_normal(g * g)
    runs = []
    for op in (LinearOperator(L.shape, matvec=lambda v: fastla.spmv(A, v), dtype=np.float64),
               aslinearoperator(L)):
        it = []
        x, info = cg(op, b, rtol=1e-10, maxiter=2000, callback=lambda xk: it.append(1))
        runs.append((x, info, len(it)))
    (x1, info1, n1), (x2, info2, n2) = runs
    assert info1 == info2 == 0
    assert n1 == n2
    np.testing.assert_allclose(x1, x2, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(L @ x1, b, atol=1e-7 * np.linalg.norm(b))


def test_concurrent_calls_from_python_threads():
    A = fastla.CSRMatrix(*csr_arrays("random", np.float64, np.int32))
    D = dense(A)
    x = rng(15).standard_normal(A.shape[0])
    ref = D.T @ x
    errors = []

    def work():
        for _ in range(5):
            if not np.allclose(A.T @ x, ref, rtol=1e-12, atol=1e-12):
                errors.append(1)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors


def test_scipy_is_optional():
    code = (
        "import sys; sys.modules['scipy'] = None\n"
        "import numpy as np, fastla\n"
        "A = fastla.CSRMatrix.from_coo([0, 1], [1, 0], [2.0, 3.0], (2, 2))\n"
        "assert (A @ np.ones(2)).tolist() == [2.0, 3.0]\n"
        "assert (A.T @ np.ones(2)).tolist() == [3.0, 2.0]\n"
        "assert A.tocsc().nnz == 2\n"
        "try:\n    A.to_scipy()\nexcept ImportError:\n    print('ok')\n"
    )
    r = run_python(code, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


# ---------------------------------------------------------------- hypothesis
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@st.composite
def structures(draw):
    m = draw(st.integers(0, 25))
    n = draw(st.integers(0, 25))
    rows = [draw(st.lists(st.integers(0, n - 1), max_size=12)) if n else [] for _ in range(m)]
    lens = [len(r) for r in rows]
    indptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    indices = np.array([c for r in rows for c in r], dtype=np.int64)
    vals = draw(st.lists(st.sampled_from([0.0, 1.0, -2.5, 0.5, 3.0, -1.0]),
                         min_size=len(indices), max_size=len(indices)))
    dtype = draw(st.sampled_from(DTYPES))
    itype = draw(st.sampled_from(ITYPES))
    k = draw(st.integers(1, 40))
    return (np.array(vals, dtype=dtype), indices.astype(itype), indptr.astype(itype), (m, n), k)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structures())
def test_hypothesis_structures(s):
    data, indices, indptr, shape, k = s
    dtype = data.dtype.type
    A = fastla.CSRMatrix(data, indices, indptr, shape)
    D = dense(A)             # abs(D) keeps duplicates apart: a true error bound
    r = rng(16)
    x = r.standard_normal(shape[1]).astype(dtype)
    z = r.standard_normal(shape[0]).astype(dtype)
    X = r.standard_normal((shape[1], k)).astype(dtype)
    assert_close(A @ x, D @ x, absd(D) @ np.abs(x), dtype, 12)
    assert_close(A.T @ z, D.T @ z, absd(D.T) @ np.abs(z), dtype, 300)
    assert_close(A @ X, D @ X, absd(D) @ np.abs(X), dtype, 12)
    np.testing.assert_array_equal(A.transpose(copy=True).toarray(), A.toarray().T)
    rows = np.repeat(np.arange(shape[0]), np.diff(indptr.astype(np.int64)))
    B = fastla.CSRMatrix.from_coo(rows, indices, data, shape)
    np.testing.assert_allclose(B.toarray(), todense(A), rtol=tol(dtype, 12),
                               atol=tol(dtype, 12) * 40)


def split_matrix(kind, dtype, itype):
    """Sorted-row structures for the column split plan of A.T @ x."""
    r = rng(13)
    m, n = 20011, 15013
    lens = r.integers(0, 12, m)
    if kind == "wide_rows":                     # a few rows hold most of the entries
        lens[[7, m // 2, m - 1]] = [n, n // 2, n // 3]
    elif kind == "empty_rows":
        lens[r.random(m) < 0.7] = 0
    indptr = np.concatenate([[0], np.cumsum(lens)])
    nnz = int(indptr[-1])
    if kind == "one_column":                    # every entry in column 4 (empty parts)
        cols = np.full(nnz, 4)
    elif kind == "skewed":                      # most entries in the last 100 columns
        cols = np.where(r.random(nnz) < 0.9, r.integers(n - 100, n, nnz), r.integers(0, n, nnz))
    else:
        cols = r.integers(0, n, nnz)
    if kind == "wide_rows":
        for i in (7, m // 2, m - 1):
            cols[indptr[i]:indptr[i + 1]] = r.choice(n, lens[i], replace=False)
    for i in range(m):                          # sorted rows (duplicates kept)
        cols[indptr[i]:indptr[i + 1]].sort()
    data = r.standard_normal(nnz).astype(dtype)
    return fastla.CSRMatrix(data, cols.astype(itype), indptr.astype(itype), (m, n))


@pytest.mark.parametrize("kind", ["random", "wide_rows", "empty_rows", "one_column", "skewed"])
@pytest.mark.parametrize("nt", [2, 3, 4])
def test_spmv_transposed_column_split(kind, nt, dtype, itype):
    from fastla import _sparse
    A = split_matrix(kind, dtype, itype)
    m, n = A.shape
    ip, ix = A.indptr.astype(np.int64), A.indices.astype(np.int64)
    bounds, split = _sparse.col_split(A.indptr, A.indices, m, n, nt)
    assert split.dtype == itype and split.shape == (m * (nt - 1),)
    c = bounds[:nt + 1]
    assert c[0] == 0 and c[-1] == n and np.all(np.diff(c) >= 0)
    # the split points are the true ones
    rows = np.repeat(np.arange(m), np.diff(ip))
    for k in range(1, nt):
        first = ip[:-1] + np.bincount(rows[ix < c[k]], minlength=m)
        assert np.array_equal(split.reshape(m, nt - 1)[:, k - 1], first)
    # each part's row range holds exactly the rows with entries in its columns
    part = np.searchsorted(c, ix, side="right") - 1
    for k in range(nt):
        rk = rows[part == k]
        expect = (rk.min(), rk.max() + 1) if rk.size else (0, 0)
        assert tuple(bounds[nt + 1 + 2 * k:nt + 3 + 2 * k]) == expect
    if kind == "random":                        # balanced to a bin's worth of entries
        counts = np.bincount(part, minlength=nt)
        assert counts.max() - counts.min() < 0.02 * A.nnz
    # the kernel with this plan
    D = dense(A).T
    x = rng(14).standard_normal(m).astype(dtype)
    bound = absd(D) @ np.abs(x)

    def spmv_t(x, out=None, alpha=1.0, beta=0.0):
        return _sparse.spmv(A.data, A.indices, A.indptr, m, n, x, out, alpha, beta, True,
                            None, None, "spmv", (bounds, split))

    for team in (nt, nt + 1, 1):                # another team size runs without the plan
        with fastla.threads(team):
            assert_close(spmv_t(x), D @ x, bound, dtype, 8)
            outb = np.full(2 * n, np.nan, dtype=dtype)
            out = outb[::2]
            out[...] = 1.0
            spmv_t(x, out, alpha=0.5, beta=2.0)                  # strided out
            assert_close(out, 0.5 * (D @ x) + 2.0, 0.5 * bound + 2.0, dtype, 8)
            assert np.all(np.isnan(outb[1::2]))
            out = np.full(n, np.nan, dtype=dtype)
            spmv_t(x, out)                                       # beta == 0 ignores NaN
            assert_close(out, D @ x, bound, dtype, 8)
            xs = np.repeat(x, 3)[::3]                            # strided x
            assert_close(spmv_t(xs), D @ x, bound, dtype, 8)
    # chosen and cached by the API, except where the rows' columns barely overlap
    with fastla.threads(nt):
        parts = A._partition()
        if parts is None:                       # serial build
            return
        plan = A._col_split(parts)
        if kind == "one_column" or m * (nt - 1) > A.nnz:    # no overlap / plan too big
            assert plan is None
        else:
            assert plan is not None and A._col_split(parts) is plan
            assert np.array_equal(plan[0], bounds) and np.array_equal(plan[1], split)
        assert_close(A.T @ x, D @ x, bound, dtype, 8)


def test_col_split_choice(itype):
    """The split plan serves sorted rows reaching across the columns; unsorted
    rows and banded matrices keep the private-buffer plan."""
    from fastla import _sparse
    A = split_matrix("random", np.float64, itype)
    m, n = A.shape
    unsorted = fastla.CSRMatrix(A.data, A.indices[::-1].copy(), A.indptr, A.shape)
    assert _sparse.col_split(unsorted.indptr, unsorted.indices, m, n, 2) is None
    banded = layout_matrix("banded", np.float64, itype)
    with fastla.threads(2):
        parts = A._partition()
        if parts is None:
            pytest.skip("serial build")
        assert A._col_split(parts) is not None
        assert unsorted._col_split(unsorted._partition()) is None
        assert banded._col_split(banded._partition()) is None
        x = rng(15).standard_normal(m)
        assert_close(unsorted.T @ x, dense(unsorted).T @ x,
                     absd(dense(unsorted).T) @ np.abs(x), np.float64, 8)


@pytest.mark.parametrize("kind", ["random", "dups_unsorted", "empty_rows", "no_entries",
                                  "zero_rows"])
def test_sort_indices(kind, dtype, itype):
    A = fastla.CSRMatrix(*csr_arrays(kind, dtype, itype))
    D = dense(A)
    ip = A.indptr.astype(np.int64)
    sorted_rows = all(np.all(np.diff(A.indices[ip[i]:ip[i + 1]]) >= 0)
                      for i in range(A.shape[0]))
    assert A.has_sorted_indices == sorted_rows
    A.sort_indices()
    assert A.has_sorted_indices
    for i in range(A.shape[0]):
        assert np.all(np.diff(A.indices[ip[i]:ip[i + 1]].astype(np.int64)) >= 0)
    assert np.array_equal(dense(A).toarray(), D.toarray())   # same matrix, values moved along


def test_sort_indices_plan_and_readonly():
    A = split_matrix("random", np.float64, np.int32)
    S = A.to_scipy()
    U = fastla.CSRMatrix(S.data, S.indices[::-1].copy(), S.indptr, S.shape)  # unsorted rows
    ref = dense(U).toarray()
    ix_ro = U.indices.copy()
    ix_ro.flags.writeable = False
    ro = fastla.CSRMatrix(U.data.copy(), ix_ro, U.indptr, U.shape)
    assert not ro.has_sorted_indices
    with pytest.raises(ValueError, match="read-only"):
        ro.sort_indices()
    assert np.array_equal(ro.indices, ix_ro) and ro.indices is ix_ro     # untouched
    with fastla.threads(2):
        parts = U._partition()
        if parts is not None:
            assert U._col_split(parts) is None
        U.sort_indices()
        assert U.has_sorted_indices and np.array_equal(dense(U).toarray(), ref)
        if parts is not None:                    # caches dropped: the split plan now applies
            assert U._col_split(U._partition()) is not None
        x = rng(16).standard_normal(U.shape[0])
        assert_close(U.T @ x, ref.T @ x, np.abs(ref.T) @ np.abs(x), np.float64, 8)


def test_sort_indices_huge_columns():
    """rows x columns beyond int64: the sort falls back from one int64 key to lexsort."""
    n = 2**62
    A = fastla.CSRMatrix(np.array([1.0, 2.0, 3.0, 4.0]),
                         np.array([n - 1, 5, n - 2, 0], dtype=np.int64),
                         np.array([0, 2, 2, 4], dtype=np.int64), (3, n))
    assert not A.has_sorted_indices
    A.sort_indices()
    assert A.indices.tolist() == [5, n - 1, 0, n - 2] and A.data.tolist() == [2.0, 1.0, 4.0, 3.0]
