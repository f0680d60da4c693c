"""Neural-network building blocks: fused linear layers and their gradients,
attention, embedding bags -- against NumPy references (always) and PyTorch
(when installed), on every ISA, 1 and 2 threads, both dtypes."""
import math

import numpy as np
import pytest

import fastla
from conftest import rng, tol

ACTS = [None, "relu", "sigmoid", "tanh", "gelu"]


def _erfc(x):
    return np.vectorize(math.erfc, otypes=[np.float64])(x)


def np_act(z, act):
    z = np.asarray(z, dtype=np.float64)
    if act is None:
        return z
    if act == "relu":
        return np.maximum(z, 0)
    if act == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if act == "tanh":
        return np.tanh(z)
    return 0.5 * z * _erfc(-z / math.sqrt(2))


def np_dact(z, act):
    z = np.asarray(z, dtype=np.float64)
    if act is None:
        return np.ones_like(z)
    if act == "relu":
        return (z > 0).astype(np.float64)
    if act == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)
    if act == "tanh":
        return 1 - np.tanh(z) ** 2
    return 0.5 * _erfc(-z / math.sqrt(2)) + z * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def assert_close(got, want, dtype, k=1, scale=None):
    want = np.asarray(want, dtype=np.float64)
    s = np.abs(want).max() if scale is None else scale
    s = max(float(s), 1.0) if want.size else 1.0
    np.testing.assert_allclose(np.asarray(got, np.float64), want, rtol=tol(dtype, k) * 4,
                               atol=tol(dtype, k) * 4 * s)


# ---------------------------------------------------------------- linear

LAYOUTS = ["C", "F", "xT", "strided"]


def make_x(shape, dtype, layout, r):
    a = r.standard_normal(shape) * 2
    if layout == "F":
        return np.asfortranarray(a.astype(dtype))
    if layout == "xT":
        return np.ascontiguousarray(a.T.astype(dtype)).T
    if layout == "strided":
        big = np.zeros((shape[0] * 2, shape[1] * 3), dtype)
        big[::2, ::3] = a
        return big[::2, ::3]
    return a.astype(dtype)


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_vs_numpy(arch, nthreads, dtype, act, with_bias):
    r = rng(1)
    for (m, k, n) in [(1, 1, 1), (7, 5, 3), (67, 130, 53), (9, 600, 70)]:
        for layout in LAYOUTS:
            x = make_x((m, k), dtype, layout, r)
            w = make_x((n, k), dtype, LAYOUTS[(LAYOUTS.index(layout) + 1) % 4], r)
            b = r.standard_normal(n).astype(dtype) if with_bias else None
            got = fastla.linear(x, w, b, activation=act)
            assert got.shape == (m, n) and got.dtype == dtype
            z = x.astype(np.float64) @ w.astype(np.float64).T
            if b is not None:
                z = z + b
            assert_close(got, np_act(z, act), dtype, k, scale=np.abs(z).max())


def test_linear_bias_strided_and_column_major_out_path(dtype):
    # bias with a stride; m small so GEMM takes the column orientation internally
    r = rng(2)
    x = r.standard_normal((3, 40)).astype(dtype)
    w = r.standard_normal((200, 40)).astype(dtype)
    bb = r.standard_normal(400).astype(dtype)
    got = fastla.linear(x, w, bb[::2], activation="relu")
    want = np.maximum(x.astype(np.float64) @ w.T.astype(np.float64) + bb[::2], 0)
    assert_close(got, want, dtype, 40)


def test_linear_batched_leading_dims(dtype):
    r = rng(3)
    x = r.standard_normal((2, 3, 5, 8)).astype(dtype)
    w = r.standard_normal((4, 8)).astype(dtype)
    got = fastla.linear(x, w, activation="tanh")
    assert got.shape == (2, 3, 5, 4)
    assert_close(got, np.tanh(x.astype(np.float64) @ w.T.astype(np.float64)), dtype, 8)


def test_linear_empty_and_k0(dtype):
    w = np.ones((3, 0), dtype)
    b = np.array([1.0, -1.0, 0.0], dtype)
    got = fastla.linear(np.ones((2, 0), dtype), w, b, activation="sigmoid")
    np.testing.assert_allclose(got, np.broadcast_to(1 / (1 + np.exp(-b.astype(float))), (2, 3)),
                               rtol=1e-6)
    assert fastla.linear(np.ones((0, 4), dtype), np.ones((3, 4), dtype)).shape == (0, 3)


def test_activation_accuracy_ulps(arch, dtype):
    """sigmoid/tanh within 4 ulp of a float64 (or libm) reference over the range,
    small arguments included; gelu within a few ulp plus a tiny absolute term."""
    z = np.concatenate([np.linspace(-40, 40, 20001), np.geomspace(1e-30, 1e-2, 300),
                        -np.geomspace(1e-30, 1e-2, 300), [0.0]]).astype(dtype)
    x = z[:, None]
    w = np.ones((1, 1), dtype)
    for act in ("sigmoid", "tanh", "gelu"):
        got = fastla.linear(x, w, activation=act)[:, 0].astype(np.float64)
        want = np_act(z.astype(np.float64), act)
        bound = np.full(z.shape, 4.0)
        if act == "gelu":
            # libm erfc reference; in float64 the rounding of z / sqrt(2) is
            # amplified by up to 2 z^2, in ours and in the reference, where the value is not tiny
            ok = np.abs(want) > 1e-300
            got, want, zz = got[ok], want[ok], z[ok].astype(np.float64)
            bound = 4.0 + (4 * zz * zz if dtype == np.float64 else 0.0)
        want_t = want.astype(dtype).astype(np.float64)
        ulp = np.spacing(np.maximum(np.abs(want_t), np.finfo(dtype).tiny).astype(dtype))
        err = np.abs(got - want) / ulp.astype(np.float64)
        assert (err <= bound).all(), (act, float(err.max()), z[np.argmax(err - bound)])


def test_activation_special_values(dtype):
    z = np.array([np.inf, -np.inf, np.nan, 1e30, -1e30], dtype)[:, None]
    w = np.ones((1, 1), dtype)
    with np.errstate(all="ignore"):
        s = fastla.linear(z, w, activation="sigmoid")[:, 0]
        t = fastla.linear(z, w, activation="tanh")[:, 0]
        r = fastla.linear(z, w, activation="relu")[:, 0]
    np.testing.assert_array_equal(s[[0, 1, 3, 4]], [1, 0, 1, 0])
    np.testing.assert_array_equal(t[[0, 1, 3, 4]], [1, -1, 1, -1])
    np.testing.assert_array_equal(r[[0, 1, 3, 4]], np.array([np.inf, 0, 1e30, 0], dtype))
    assert np.isnan(s[2]) and np.isnan(t[2]) and np.isnan(r[2])


@pytest.mark.parametrize("act", ACTS)
def test_linear_vs_torch(dtype, act):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    r = rng(4)
    x = r.standard_normal((33, 70)).astype(dtype)
    w = r.standard_normal((45, 70)).astype(dtype)
    b = r.standard_normal(45).astype(dtype)
    fn = {None: lambda t: t, "relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
          "gelu": F.gelu}[act]
    want = fn(F.linear(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b))).numpy()
    assert_close(fastla.linear(x, w, b, activation=act), want, dtype, 70)


def test_linear_errors():
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match="activation"):
        fastla.linear(x, np.ones((4, 3)), activation="softplus")
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\)"):
        fastla.linear(x, np.ones((4, 5)))
    with pytest.raises(ValueError, match="bias"):
        fastla.linear(x, np.ones((4, 3)), np.ones(3))
    with pytest.raises(TypeError, match="mixed"):
        fastla.linear(x, np.ones((4, 3), np.float32))
    with pytest.raises(TypeError, match="float32 and float64"):
        fastla.linear(x.astype(np.int64), np.ones((4, 3), np.int64))
    xs = x.copy()
    fastla.linear(xs, np.ones((4, 3)), np.ones(4), activation="relu")
    np.testing.assert_array_equal(xs, x)


# ---------------------------------------------------------------- linear backward

@pytest.mark.parametrize("act", ACTS)
def test_linear_backward_vs_numpy(arch, nthreads, dtype, act):
    r = rng(5)
    for (m, k, n) in [(1, 1, 1), (13, 7, 5), (70, 90, 33)]:
        for layout in ("C", "xT", "strided"):
            x = make_x((m, k), dtype, layout, r)
            w = make_x((n, k), dtype, "F", r)
            b = r.standard_normal(n).astype(dtype)
            g = make_x((m, n), dtype, layout, r)
            z = x.astype(np.float64) @ w.T.astype(np.float64) + b
            saved = fastla.linear(x, w, b) if act == "gelu" else fastla.linear(x, w, b,
                                                                              activation=act)
            gx, gw, gb = fastla.linear_backward(g, x, w, saved if act else None, activation=act)
            gz = g.astype(np.float64) * np_dact(z, act)
            assert_close(gx, gz @ w.astype(np.float64), dtype, n)
            assert_close(gw, gz.T @ x.astype(np.float64), dtype, m)
            assert_close(gb, gz.sum(0), dtype, m)


def test_linear_backward_needs(dtype):
    r = rng(6)
    x = r.standard_normal((4, 3)).astype(dtype)
    w = r.standard_normal((2, 3)).astype(dtype)
    g = r.standard_normal((4, 2)).astype(dtype)
    gx, gw, gb = fastla.linear_backward(g, x, w, needs=("weight",))
    assert gx is None and gb is None and gw.shape == (2, 3)
    gx, gw, gb = fastla.linear_backward(g, x, w, needs="input")
    assert gw is None and gb is None and gx.shape == (4, 3)


@pytest.mark.parametrize("act", ACTS)
def test_linear_backward_finite_differences(act):
    """float64 gradients of L = sum(c * act(x w^T + b)) by central differences."""
    r = rng(7)
    x = r.standard_normal((5, 4))
    w = r.standard_normal((3, 4))
    b = r.standard_normal(3)
    c = r.standard_normal((5, 3))

    def loss(x, w, b):
        return float((c * fastla.linear(x, w, b, activation=act)).sum())

    saved = fastla.linear(x, w, b) if act == "gelu" else fastla.linear(x, w, b, activation=act)
    gx, gw, gb = fastla.linear_backward(c, x, w, saved if act else None, activation=act)
    h = 1e-6
    for arr, grad in ((x, gx), (w, gw), (b, gb)):
        num = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + h
            fp = loss(x, w, b)
            arr[idx] = old - h
            fm = loss(x, w, b)
            arr[idx] = old
            num[idx] = (fp - fm) / (2 * h)
        np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("act", ACTS)
def test_linear_backward_vs_torch(dtype, act):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    r = rng(8)
    x = r.standard_normal((2, 17, 30)).astype(dtype)
    w = r.standard_normal((20, 30)).astype(dtype)
    b = r.standard_normal(20).astype(dtype)
    g = r.standard_normal((2, 17, 20)).astype(dtype)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    fn = {None: lambda t: t, "relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
          "gelu": F.gelu}[act]
    fn(F.linear(tx, tw, tb)).backward(torch.from_numpy(g))
    saved = fastla.linear(x, w, b) if act == "gelu" else fastla.linear(x, w, b, activation=act)
    gx, gw, gb = fastla.linear_backward(g, x, w, saved, activation=act)
    assert gx.shape == x.shape
    assert_close(gx, tx.grad.numpy(), dtype, 20)
    assert_close(gw, tw.grad.numpy(), dtype, 34)
    assert_close(gb, tb.grad.numpy(), dtype, 34)


def test_linear_backward_errors():
    x, w, g = np.ones((4, 3)), np.ones((2, 3)), np.ones((4, 2))
    with pytest.raises(ValueError, match="needs out"):
        fastla.linear_backward(g, x, w, activation="relu")
    with pytest.raises(ValueError, match="grad_out"):
        fastla.linear_backward(np.ones((4, 3)), x, w)
    with pytest.raises(ValueError, match="out has shape"):
        fastla.linear_backward(g, x, w, np.ones((4, 3)), activation="tanh")
    with pytest.raises(ValueError, match="needs"):
        fastla.linear_backward(g, x, w, needs=("inputs",))
