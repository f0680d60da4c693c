"""The cache of large results (frame/outcache.h, fastla/_outcache.pyx):
fastla's large results are ordinary NumPy arrays whose buffers go back to
the cache when they die, and the next result of about the same size reuses
them.  Limits are lowered to a few MB so small arrays reach the cache."""
import threading

import numpy as np
import pytest

import fastla
from fastla import _outcache, cy
from conftest import run_python

try:
    from numpy._core.multiarray import get_handler_name
except ImportError:                     # NumPy 1.x
    from numpy.core.multiarray import get_handler_name

MB = 1 << 20


@pytest.fixture
def small_cache():
    fastla.release_workspace()
    old_min = cy._outcache_min_bytes()
    old = _outcache.limits(1 * MB, 8 * MB)
    yield
    _outcache.limits(old_min, old)
    fastla.release_workspace()


def test_large_results_reuse_their_buffers(small_cache):
    a = np.random.default_rng(0).standard_normal((512, 300))
    b = np.random.default_rng(1).standard_normal((300, 512))
    c = fastla.matmul(a, b)                       # 2 MB
    assert get_handler_name(c) == "fastla_outcache"
    assert c.flags.owndata and c.base is None and c.flags.c_contiguous
    np.testing.assert_allclose(c, a @ b, rtol=1e-12, atol=1e-12)
    where = c.ctypes.data
    assert where % 64 == 0
    del c
    assert cy._outcache_held() >= 2 * MB
    c = fastla.matmul(a, b)                       # the same pages again
    assert c.ctypes.data == where and cy._outcache_held() == 0
    np.testing.assert_allclose(c, a @ b, rtol=1e-12, atol=1e-12)
    small = fastla.matmul(a[:100], b)             # under the smallest kept size
    assert get_handler_name(small) != "fastla_outcache"


def test_only_close_sizes_reuse_and_the_total_holds(small_cache):
    x = np.ones((4, 8, 64, 64), np.float32)
    big = fastla.im2col(x, 3, padding=1)          # 4.5 MB
    where = big.ctypes.data
    del big
    half = fastla.im2col(x[:2], 3, padding=1)     # 2.25 MB: not the 4.5 MB block
    assert half.ctypes.data != where
    assert cy._outcache_held() >= 4 * MB
    arrays = [fastla.im2col(x[:2], 3, padding=1) for _ in range(5)]
    for got in arrays:
        np.testing.assert_array_equal(got, half)
    del arrays, half, got
    assert cy._outcache_held() <= 8 * MB         # the oldest went to keep the total
    assert fastla.release_workspace() >= 4 * MB
    assert cy._outcache_held() == 0


def test_cached_arrays_behave_like_any_array(small_cache):
    a = np.arange(600 * 500, dtype=np.float64).reshape(600, 500) / 1e5
    c = fastla.matmul(a, np.eye(500))
    want = c.copy()
    c.resize((700, 500), refcheck=False)          # realloc through the handler
    np.testing.assert_array_equal(c[:600], want)
    c.resize((10, 500), refcheck=False)
    np.testing.assert_array_equal(c, want[:10])
    import pickle
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(want)), want)


def test_threads_share_the_cache(small_cache):
    x = np.random.default_rng(2).standard_normal((2, 8, 64, 64)).astype(np.float32)
    want = fastla.im2col(x, 3, padding=1)
    bad = []

    def work():
        for _ in range(30):
            got = fastla.im2col(x, 3, padding=1)
            if not np.array_equal(got, want):
                bad.append(1)
            del got

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not bad
    assert cy._outcache_held() <= 8 * MB


def test_environment_turns_it_off():
    code = ("import numpy as np, fastla; from fastla import cy\n"
            "c = fastla.matmul(np.ones((3000, 1500)), np.ones((1500, 1500)))\n"
            "assert c.nbytes >= 32 << 20\n"
            "del c\n"
            "print(cy._outcache_held())\n")
    r = run_python(code, FASTLA_OUTPUT_CACHE_MB="0")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0"
    r = run_python(code, FASTLA_OUTPUT_CACHE_MB="64")
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) >= 32 << 20
