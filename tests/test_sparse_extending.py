"""A downstream Cython extension cimports the sparse API of fastla.cy (fused
over float/double and int32/int64) and calls the CSR kernels without the GIL;
built in a temporary directory from tests/extending_sparse/."""

import numpy as np
import pytest

from conftest import build_downstream

import fastla



@pytest.fixture(scope="module")
def ext(tmp_path_factory):
    return build_downstream("extending_sparse", tmp_path_factory)


def test_downstream_spmv(ext):
    A = fastla.CSRMatrix.from_coo([0, 1, 2, 2], [1, 0, 2, 0], [1.0, 2.0, 3.0, 4.0], (3, 3))
    x = np.array([1.0, 10.0, 100.0])
    y = np.full(3, np.nan)
    assert ext.spmv_nogil(A.data, A.indices, A.indptr, 3, x, y, False) == 0
    np.testing.assert_array_equal(y, A.toarray() @ x)
    assert ext.spmv_nogil(A.data, A.indices, A.indptr, 3, x, y, True) == 0
    np.testing.assert_array_equal(y, A.toarray().T @ x)
    bad = A.indices.copy()
    bad[0] = 7
    assert ext.spmv_nogil(A.data, bad, A.indptr, 3, x, y, False) == -5   # INDEX_RANGE


def test_downstream_spmm_int64_float32(ext):
    r = np.random.default_rng(0)
    A = fastla.CSRMatrix.from_coo(r.integers(0, 40, 300), r.integers(0, 30, 300),
                                  r.standard_normal(300).astype(np.float32), (40, 30))
    ind, ptr = A.indices.astype(np.int64), A.indptr.astype(np.int64)
    X = r.standard_normal((30, 19)).astype(np.float32)
    Y = np.empty((40, 19), np.float32)
    with fastla.threads(2):
        assert ext.spmm_nogil(A.data, ind, ptr, X, Y) == 0
    np.testing.assert_allclose(Y, A.toarray() @ X, rtol=1e-5, atol=1e-5)
