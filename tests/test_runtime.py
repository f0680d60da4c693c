"""Dispatch, threads, configuration and packaging facts."""
import io
import os

import numpy as np
import pytest

import fastla
from conftest import run_python


def test_show_config_mentions_everything():
    buf = io.StringIO()
    fastla.show_config(file=buf)
    text = buf.getvalue()
    for word in (fastla.__version__, fastla.active_arch(), "OpenMP", "threads", "compiler"):
        assert word in text
    for arch in fastla.supported_arches():
        assert arch in text


def test_emulated_arches_as_built():
    """A normal build emulates nothing.  CI's second run (a build with
    FASTLA_EMULATE_AVX512=1, tests run with FASTLA_EXPECT_EMULATED_AVX512=1)
    must really be running the avx512 kernel set, or it would only repeat the
    AVX2 run."""
    c = fastla._runtime.config_dict()
    if os.environ.get("FASTLA_EXPECT_EMULATED_AVX512"):
        assert c["arch_emulated"] == ["avx512"]
        assert "avx512" in fastla.supported_arches() and fastla.active_arch() == "avx512"
        buf = io.StringIO()
        fastla.show_config(file=buf)
        assert "avx512 (emulated" in buf.getvalue()
    else:
        assert c["arch_emulated"] == []


def test_best_arch_is_default():
    r = run_python("import fastla; print(fastla.active_arch(), fastla.supported_arches()[-1])",
                   FASTLA_ARCH="")
    active, best = r.stdout.split()
    assert active == best


@pytest.mark.parametrize("arch", fastla.supported_arches())
def test_forced_arch(arch):
    r = run_python("import fastla, numpy as np; print(fastla.active_arch());"
                   "print(fastla.matvec(np.eye(3), np.ones(3)).sum())", FASTLA_ARCH=arch)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [arch, "3.0"]


def test_forced_unknown_arch_is_clear_error():
    r = run_python("import fastla", FASTLA_ARCH="sse9")
    assert r.returncode != 0
    assert "FASTLA_ARCH" in r.stderr and "ref" in r.stderr


def test_unsupported_arch_error():
    missing = [a for a in fastla.ARCHES if a not in fastla.supported_arches()]
    if not missing:
        # Every ISA is present here: the selection logic is still checked
        # through the private selector with an impossible name.
        with pytest.raises(ValueError, match="unknown ISA"):
            with fastla.use_arch("neon"):
                pass
        return
    r = run_python("import fastla", FASTLA_ARCH=missing[0])
    assert r.returncode != 0 and "does not support" in r.stderr


def test_use_arch_restores():
    before = fastla.active_arch()
    with fastla.use_arch("ref"):
        assert fastla.active_arch() == "ref"
    assert fastla.active_arch() == before


def test_threads_api():
    default = fastla.get_num_threads()
    assert default >= 1
    with fastla.threads(1):
        assert fastla.get_num_threads() == 1
    assert fastla.get_num_threads() == default
    fastla.set_num_threads(1)
    try:
        assert fastla.get_num_threads() == 1
    finally:
        fastla.set_num_threads(None)
    assert fastla.get_num_threads() == default
    with pytest.raises(ValueError):
        fastla.threads(0)
    with pytest.raises(ValueError):
        fastla.set_num_threads(-2)
    for bad in (2.9, "2"):        # refused, not truncated or parsed
        with pytest.raises(TypeError, match="set_num_threads"):
            fastla.set_num_threads(bad)
        with pytest.raises(TypeError, match="threads: n must be an int"):
            fastla.threads(bad)
    with pytest.raises(ValueError, match="too large"):
        fastla.set_num_threads(2**31)
    assert fastla.get_num_threads() == default


def test_threads_blocks_in_different_python_threads_are_independent():
    """Overlapping (not nested) ``with fastla.threads(n)`` blocks in two
    Python threads: each sees its own count, a thread outside any block
    keeps the process's, and the process is back at its default after both
    (the first block to exit used to restore a stale process-wide value,
    leaving every thread at 1)."""
    import threading
    default = fastla.get_num_threads()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with fastla.threads(1):
            a_in.set()
            b_in.wait(10)
            seen["first"] = fastla.get_num_threads()
        a_out.set()

    def second():
        a_in.wait(10)
        seen["outside"] = fastla.get_num_threads()
        with fastla.threads(2):
            b_in.set()
            a_out.wait(10)
            seen["second"] = fastla.get_num_threads()

    ts = [threading.Thread(target=f) for f in (first, second)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(20)
    assert seen == {"first": 1, "outside": default, "second": 2}
    assert fastla.get_num_threads() == default


def test_default_is_openmps_at_load_not_a_limit_in_force_later():
    """In a fresh process: the default used to be recorded at the first
    set_num_threads call, here one made under a threadpoolctl limit of 1."""
    pytest.importorskip("threadpoolctl")
    code = ("import fastla, threadpoolctl\n"
            "default = fastla.get_num_threads()\n"
            "with threadpoolctl.threadpool_limits(1):\n"
            "    with fastla.threads(1):\n"
            "        pass\n"
            "    fastla.set_num_threads(1)\n"
            "fastla.set_num_threads(None)\n"
            "assert fastla.get_num_threads() == default, (fastla.get_num_threads(), default)\n")
    r = run_python(code, OMP_NUM_THREADS="2")
    assert r.returncode == 0, r.stderr


def test_omp_num_threads_default():
    r = run_python("import fastla; print(fastla.get_num_threads())", OMP_NUM_THREADS="1")
    assert r.stdout.strip() == "1"
    r = run_python("import fastla; print(fastla.get_num_threads())", unset=["OMP_NUM_THREADS"])
    expected = str(os.cpu_count()) if fastla._runtime.config_dict()["openmp"] else "1"
    assert r.stdout.strip() == expected


def test_threadpoolctl_sees_and_limits_fastla():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    if not fastla._runtime.config_dict()["openmp"]:
        pytest.skip("serial build")
    fastla.matvec(np.ones((4, 4)), np.ones(4))
    before = fastla.get_num_threads()
    info = threadpoolctl.threadpool_info()
    omp = [p for p in info if p["user_api"] == "openmp"]
    assert omp, info
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        assert fastla.get_num_threads() == 1
        # the kernels really use one thread: results are unchanged either way
        a = np.random.default_rng(0).standard_normal((3000, 300))
        np.testing.assert_allclose(fastla.matvec(a, np.ones(300)), a.sum(1), rtol=1e-10)
    assert fastla.get_num_threads() == before


def test_many_python_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor
    r = np.random.default_rng(1)
    mats = [r.standard_normal((400, 300)) for _ in range(8)]
    x = r.standard_normal(300)
    with ThreadPoolExecutor(4) as ex:
        results = list(ex.map(lambda a: fastla.matvec(a, x), mats * 4))
    for a, got in zip(mats * 4, results):
        np.testing.assert_allclose(got, a @ x, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("nthreads", [1, 2])
def test_release_workspace_frees_the_cached_blocks(nthreads):
    """After a large product the calling thread and its team hold cached
    workspace; release_workspace frees it (and says how much), a second
    call finds nothing, and kernels still give the same results after."""
    r = np.random.default_rng(5)
    a, b = r.standard_normal((600, 700)), r.standard_normal((700, 500))
    x = r.standard_normal((4, 96, 28, 28)).astype(np.float32)
    w = r.standard_normal((96, 96, 3, 3)).astype(np.float32)
    with fastla.threads(nthreads):
        c0 = fastla.matmul(a, b)
        y0 = fastla.conv2d(x, w, padding=1, algorithm="winograd")
        freed = fastla.release_workspace()
        assert freed >= 1 << 20
        assert fastla.release_workspace() == 0
        np.testing.assert_array_equal(fastla.matmul(a, b), c0)
        np.testing.assert_array_equal(fastla.conv2d(x, w, padding=1, algorithm="winograd"), y0)
        assert fastla.release_workspace() >= 1 << 20


def test_get_include_has_headers():
    inc = fastla.get_include()
    assert isinstance(inc, list) and inc
    for h in ("fastla.h", "types.h", "runtime.h", "gemv.h"):
        assert os.path.exists(os.path.join(inc[0], "fastla", h)), h


def test_version():
    assert fastla.__version__.count(".") == 2


def _eye_csr():
    import scipy.sparse as sp
    return fastla.CSRMatrix.from_scipy(sp.eye(3, format="csr"))


_A3 = np.ones((3, 3))


@pytest.mark.parametrize("call, exc, message", [
    (lambda: fastla.matvec(_A3, np.ones(3), alpha=None), TypeError, "matvec: alpha must be a real"),
    (lambda: fastla.matmul(_A3, _A3, beta=1j), TypeError, "matmul: beta must be a real"),
    (lambda: fastla.spmv(_eye_csr(), np.ones(3), alpha="2"), TypeError, "spmv: alpha must be a real"),
    (lambda: fastla.spmm(_eye_csr(), _A3, beta=None), TypeError, "spmm: beta must be a real"),
    (lambda: fastla.threads(2**40), ValueError, "threads: n = 1099511627776 is too large"),
    (lambda: fastla.threads(True), TypeError, "threads: n must be an int"),
    (lambda: fastla.set_num_threads(True), TypeError, "set_num_threads: n must be an int or None"),
    (lambda: fastla.CSRMatrix(np.ones(3), [0, 1, 2], [0, 2, 3], (2, 2**63)), ValueError,
     r"CSRMatrix: shape \(2, 9223372036854775808\) is too large"),
    (lambda: fastla.CSRMatrix.from_coo([0], [0], [[1.0]], (1, 1)), ValueError,
     r"from_coo: values must be 1-D"),
    (lambda: fastla.matvec(_A3, np.ones(3, np.float32)), TypeError,
     r"Convert one operand with \.astype\(np\.float64\) \(or the other with \.astype\(np\.float32\)\)"),
    (lambda: fastla.attention(_A3, _A3, _A3, is_causal="no"), TypeError,
     "attention: is_causal must be a bool"),
])
def test_argument_errors_name_the_argument(call, exc, message):
    """Found by probing the API: these used to raise Cython's bare messages
    ("must be real number, not NoneType", OverflowError without the
    argument), name the wrong argument, or (is_causal="no", threads(True))
    take a truthy value as a bool or a count."""
    with pytest.raises(exc, match=message):
        call()


def test_scalars_and_pairs_that_are_accepted():
    """The checks above keep accepting NumPy scalars and Python ints for
    alpha/beta, ints for is_causal, and an array of two ints as a pair."""
    np.testing.assert_array_equal(fastla.matmul(_A3, _A3, alpha=np.float32(2)), 2 * _A3 @ _A3)
    np.testing.assert_array_equal(fastla.matvec(_A3, np.ones(3), alpha=2, beta=np.int64(0)),
                                  2 * _A3 @ np.ones(3))
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(fastla.im2col(x, np.array([2, 2])), fastla.im2col(x, (2, 2)))
    q = np.random.default_rng(0).random((3, 2))
    np.testing.assert_allclose(fastla.attention(q, q, q, is_causal=1),
                               fastla.attention(q, q, q, is_causal=True))
