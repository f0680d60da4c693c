"""A downstream Cython extension cimports fastla.cy and calls its kernels
without the GIL; built in a temporary directory from tests/extending/."""

import numpy as np
import pytest

from conftest import build_downstream



@pytest.fixture(scope="module")
def extending(tmp_path_factory):
    return build_downstream("extending", tmp_path_factory)


def test_downstream_gemv_double(extending):
    r = np.random.default_rng(0)
    a = r.standard_normal((50, 30))
    x = r.standard_normal(30)
    y = r.standard_normal(50)
    want = 2.0 * a @ x + 0.5 * y
    assert extending.gemv_nogil(a, x, y, 2.0, 0.5) == 0
    np.testing.assert_allclose(y, want, rtol=1e-12, atol=1e-12)
    at = r.standard_normal((30, 50)).T        # transposed view: column-contiguous path
    y = np.empty(50)
    assert extending.gemv_nogil(at, x, y, 1.0, 0.0) == 0
    np.testing.assert_allclose(y, at @ x, rtol=1e-12, atol=1e-12)


def test_downstream_gemv_float(extending):
    r = np.random.default_rng(1)
    a = r.standard_normal((20, 33)).astype(np.float32)
    x = r.standard_normal(33).astype(np.float32)
    y = np.full(20, np.nan, np.float32)
    assert extending.sgemv_nogil(a, x, y) == 0
    np.testing.assert_allclose(y, a @ x, rtol=1e-5, atol=1e-5)


def test_downstream_sees_thread_setting(extending):
    import fastla
    with fastla.threads(1):
        assert extending.threads() == 1


def test_downstream_conv2d(extending):
    import fastla
    r = np.random.default_rng(2)
    x = r.standard_normal((2, 4, 9, 8)).astype(np.float32)
    w = r.standard_normal((6, 2, 3, 3)).astype(np.float32)
    y = np.full((2, 6, 5, 4), np.nan, np.float32)
    assert extending.conv2d_nogil(x, w, y, 2, 1) == 0
    np.testing.assert_allclose(y, fastla.conv2d(x, w, stride=2, padding=1, groups=2),
                               rtol=1e-5, atol=1e-5)
