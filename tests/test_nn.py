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


def test_linear_k0_with_other_leading_dims(dtype):
    """No input features with x 1-D or N-D: the output is the bias, as in
    torch (x.reshape(-1, 0) used to fail on these)."""
    w = np.ones((2, 0), dtype)
    b = np.array([3.0, -1.0], dtype)
    np.testing.assert_array_equal(fastla.linear(np.ones((2, 3, 0), dtype), w, b),
                                  np.broadcast_to(b, (2, 3, 2)))
    np.testing.assert_array_equal(fastla.linear(np.ones((0,), dtype), w, b), b)
    assert fastla.linear(np.ones((4, 0, 0), dtype), w, b).shape == (4, 0, 2)
    gx, gw, gb = fastla.linear_backward(np.ones((2, 3, 2), dtype), np.ones((2, 3, 0), dtype), w)
    assert gx.shape == (2, 3, 0) and gw.shape == (2, 0)
    np.testing.assert_array_equal(gb, np.full(2, 6.0, dtype))


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


# ---------------------------------------------------------------- attention

def np_attention(q, k, v, mask=None, is_causal=False, scale=None):
    q, k, v = (np.asarray(a, np.float64) for a in (q, k, v))
    L, S = q.shape[-2], k.shape[-2]
    s = (q @ np.swapaxes(k, -1, -2)) * (1 / math.sqrt(q.shape[-1]) if scale is None else scale)
    if is_causal:
        mask = np.tril(np.ones((L, S), bool))
    if mask is not None:
        if mask.dtype == bool:
            s = np.where(mask, s, -np.inf)
        else:
            s = s + mask
    mx = s.max(-1, keepdims=True)
    mx = np.where(np.isfinite(mx), mx, 0)
    p = np.exp(s - mx)
    den = p.sum(-1, keepdims=True)
    out = (p @ v) / np.where(den > 0, den, 1)
    return np.where(den > 0, out, 0)


ATT_CASES = [(1, 2, 1, 1, False), (1, 1, 65, 300, False), (1, 2, 130, 130, True),
             (1, 1, 257, 100, True)]     # L and S around the query and key blocks
_ATT_DATA = {}


def att_case(dtype, d, case):
    """Inputs and float64 reference of one case, computed once per session."""
    key = (np.dtype(dtype).name, d, case)
    if key not in _ATT_DATA:
        B, H, L, S, causal = case
        r = rng(10 + d)
        q, k, v = (r.standard_normal((B, H, n, d)).astype(dtype) for n in (L, S, S))
        _ATT_DATA[key] = (q, k, v, np_attention(q, k, v, is_causal=causal))
    return _ATT_DATA[key]


def test_attention_vs_numpy(arch, nthreads, dtype):
    for d in (32, 80):
        for case in ATT_CASES:
            q, k, v, want = att_case(dtype, d, case)
            got = fastla.attention(q, k, v, is_causal=case[-1])
            assert got.shape == want.shape and got.dtype == dtype
            assert_close(got, want, dtype, case[3] + d)


@pytest.mark.parametrize("d", [32, 64, 80, 128])
def test_attention_head_dims(dtype, d):
    for case in ATT_CASES:
        q, k, v, want = att_case(dtype, d, case)
        assert_close(fastla.attention(q, k, v, is_causal=case[-1]), want, dtype, case[3] + d)


def mask_case(dtype):
    key = ("mask", np.dtype(dtype).name)
    if key not in _ATT_DATA:
        r = rng(11)
        B, H, L, S, E, Ev = 2, 3, 70, 290, 24, 40
        q = r.standard_normal((B, H, L, E)).astype(dtype)
        k = r.standard_normal((B, H, S, E)).astype(dtype)
        v = r.standard_normal((B, H, S, Ev)).astype(dtype)
        bmask = r.random((L, S)) < 0.6
        bmask[5] = False                      # a query that sees nothing: zeros
        bmask[6, 280:] = False
        bmask[7] = False
        bmask[7, 289] = True                  # a single key in the last (partial) block
        fmask = r.standard_normal((B, 1, L, S)).astype(dtype)   # broadcast over heads
        fmask[0, 0, 3, :200] = -np.inf
        _ATT_DATA[key] = (q, k, v, bmask, fmask, np_attention(q, k, v, bmask),
                          np_attention(q, k, v, fmask, scale=0.3))
    return _ATT_DATA[key]


def test_attention_masks(arch, nthreads, dtype):
    q, k, v, bmask, fmask, want_b, want_f = mask_case(dtype)
    got = fastla.attention(q, k, v, mask=bmask)
    assert_close(got, want_b, dtype, 290)
    np.testing.assert_array_equal(got[:, :, 5], 0)
    assert_close(fastla.attention(q, k, v, mask=fmask, scale=0.3), want_f, dtype, 290)
    # mask views with negative batch strides (offsets computed signed)
    m4 = rng(5).random(q.shape[:2] + bmask.shape) < 0.6      # one mask per (batch, head)
    m4[..., 0] = True
    np.testing.assert_array_equal(
        fastla.attention(q, k, v, mask=m4[::-1, ::-1]),
        fastla.attention(q, k, v, mask=np.ascontiguousarray(m4[::-1, ::-1])))


def test_attention_layouts_and_broadcasting(dtype):
    r = rng(12)
    q = r.standard_normal((3, 2, 50, 16)).astype(dtype)
    k = np.asfortranarray(r.standard_normal((1, 2, 90, 16)).astype(dtype))   # broadcast batch
    v = r.standard_normal((3, 2, 32, 90)).astype(dtype).swapaxes(-1, -2)    # transposed view
    qs = np.zeros((3, 2, 100, 16), dtype)
    qs[:, :, ::2] = q
    got = fastla.attention(qs[:, :, ::2], k, v)
    assert_close(got, np_attention(q, np.broadcast_to(k, (3, 2, 90, 16)), v), dtype, 90)
    # 2-D and 3-D operands, a leading-dims layout that cannot be collapsed
    assert_close(fastla.attention(q[0, 0], k[0, 0], v[0, 0]),
                 np_attention(q[0, 0], k[0, 0], v[0, 0]), dtype, 90)
    q5 = r.standard_normal((2, 3, 2, 20, 8)).astype(dtype).transpose(1, 0, 2, 3, 4)
    k5 = r.standard_normal((3, 2, 2, 25, 8)).astype(dtype)
    v5 = r.standard_normal((3, 2, 2, 25, 8)).astype(dtype)
    assert_close(fastla.attention(q5, k5, v5), np_attention(q5, k5, v5), dtype, 25)
    # S == 0: zeros, as torch
    np.testing.assert_array_equal(fastla.attention(q, k[:, :, :0], v[:, :, :0]), 0)


def test_attention_long_sequence():
    """L = 4096, causal, small batch: the blocked path never forms L x L."""
    r = rng(13)
    q = r.standard_normal((1, 1, 4096, 32)).astype(np.float32)
    k = r.standard_normal((1, 1, 4096, 32)).astype(np.float32)
    v = r.standard_normal((1, 1, 4096, 32)).astype(np.float32)
    got = fastla.attention(q, k, v, is_causal=True)
    rows = np.r_[0:3, 1000:1003, 4093:4096]
    # reference on the selected rows only (each row needs its prefix of keys)
    for i in rows:
        s = (q[0, 0, i].astype(np.float64) @ k[0, 0, :i + 1].T.astype(np.float64)) / math.sqrt(32)
        p = np.exp(s - s.max())
        want = p @ v[0, 0, :i + 1].astype(np.float64) / p.sum()
        np.testing.assert_allclose(got[0, 0, i], want, rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_attention_causal_inf_or_nan_in_an_excluded_value(arch, nthreads, dtype, bad):
    """A value the causal mask excludes still reaches every row as
    0 * bad = NaN, as in PyTorch and as with the same mask given explicitly
    (whole key blocks past a query block used to be skipped, so only the
    rows sharing its block saw it)."""
    r = rng(15)
    L = S = 300
    q, k, v = (r.standard_normal((2, n, 8)).astype(dtype) for n in (L, S, S))
    v[1, S - 1, 3] = bad
    got = fastla.attention(q, k, v, is_causal=True)
    explicit = fastla.attention(q, k, v, mask=np.tril(np.ones((L, S), bool)))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(explicit))
    assert np.isnan(got[1, :-1, 3]).all()
    np.testing.assert_array_equal(got[1, -1, 3], bad)        # the one row that attends it
    assert not np.isnan(np.delete(got[1], 3, axis=1)).any() and np.isfinite(got[0]).all()
    v[1, S - 1, 3] = 0
    assert_close(np.delete(got[1], 3, axis=1), np.delete(np_attention(q, k, v, is_causal=True)[1], 3,
                                                         axis=1), dtype, S)


def test_attention_rows_of_minus_inf_scores_are_zeros(dtype):
    """Scores all -inf from the data (not a mask) give zeros, as PyTorch's
    (checked against it where installed)."""
    q = np.zeros((1, 3, 2), dtype)
    q[0, 0] = [-np.inf, 0]
    k = np.array([[[1, 0], [2, 0], [3, 1]]], dtype)
    v = np.array([[[1], [2], [4]]], dtype)
    for causal in (False, True):
        got = fastla.attention(q, k, v, is_causal=causal)
        np.testing.assert_array_equal(got[0, 0], 0)
        assert np.isfinite(got).all()
    try:
        import torch
    except ImportError:
        return
    for causal in (False, True):
        want = torch.nn.functional.scaled_dot_product_attention(
            *(torch.from_numpy(a) for a in (q, k, v)), is_causal=causal).numpy()
        assert_close(fastla.attention(q, k, v, is_causal=causal), want, dtype, 3)


@pytest.mark.parametrize("causal", [False, True])
def test_attention_vs_torch(dtype, causal):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    r = rng(14)
    q = r.standard_normal((2, 4, 200, 64)).astype(dtype)
    k = r.standard_normal((2, 4, 200, 64)).astype(dtype)
    v = r.standard_normal((2, 4, 200, 64)).astype(dtype)
    want = F.scaled_dot_product_attention(*(torch.from_numpy(a) for a in (q, k, v)),
                                          is_causal=causal).numpy()
    assert_close(fastla.attention(q, k, v, is_causal=causal), want, dtype, 264)
    m = r.random((200, 200)) < 0.5
    m[0] = False
    want = F.scaled_dot_product_attention(*(torch.from_numpy(a) for a in (q, k, v)),
                                          attn_mask=torch.from_numpy(m)).numpy()
    assert_close(fastla.attention(q, k, v, mask=m), want, dtype, 264)


def test_attention_errors():
    q = np.ones((2, 3, 4))
    with pytest.raises(ValueError, match="do not match"):
        fastla.attention(q, np.ones((2, 5, 3)), np.ones((2, 5, 4)))
    with pytest.raises(ValueError, match="broadcast"):
        fastla.attention(q, np.ones((3, 5, 4)), np.ones((3, 5, 4)))
    with pytest.raises(ValueError, match="not both"):
        fastla.attention(q, q, q, mask=np.ones((3, 3), bool), is_causal=True)
    with pytest.raises(TypeError, match="mask"):
        fastla.attention(q, q, q, mask=np.ones((3, 3), np.float32))
    with pytest.raises(ValueError, match="mask"):
        fastla.attention(q, q, q, mask=np.ones((4, 3), bool))
    with pytest.raises(TypeError, match="mixed"):
        fastla.attention(q, q.astype(np.float32), q)
    for bad in ("0.5", True):       # refused as in PyTorch, not parsed
        with pytest.raises(TypeError, match="scale"):
            fastla.attention(q, q, q, scale=bad)
    np.testing.assert_allclose(fastla.attention(q, q, q, scale=np.float32(0.5)),
                               fastla.attention(q, q, q, scale=0.5))


# ---------------------------------------------------------------- embedding bags

def np_embedding_bag(idx, w, offsets, mode, psw=None, include_last_offset=False,
                     padding_idx=None):
    idx = np.asarray(idx)
    if idx.ndim == 2:
        bags = [list(row) for row in idx]
        ws = [list(row) for row in psw] if psw is not None else None
    else:
        ends = list(offsets[1:]) if include_last_offset else list(offsets[1:]) + [len(idx)]
        starts = list(offsets[:-1]) if include_last_offset else list(offsets)
        bags = [list(idx[s:e]) for s, e in zip(starts, ends)]
        ws = [list(psw[s:e]) for s, e in zip(starts, ends)] if psw is not None else None
    out = np.zeros((len(bags), w.shape[1]))
    for b, bag in enumerate(bags):
        rows = [(j, i) for j, i in enumerate(bag) if i != padding_idx]
        if not rows:
            continue
        vals = np.array([w[i] * (ws[b][j] if ws else 1) for j, i in rows], np.float64)
        out[b] = {"sum": vals.sum(0), "mean": vals.mean(0), "max": vals.max(0)}[mode]
    return out


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_vs_numpy(arch, nthreads, dtype, mode):
    r = rng(20)
    # dims cover every piece of the SpMM kernel for both dtypes and vector widths:
    # 8- and 4-vector blocks, single vectors and a scalar tail (47 = 32+8+7 = 2*16+15,
    # 100 = 64+32+4, 150 = 128+16+6 = 2*64+16+6)
    for num, dim in [(1, 1), (30, 7), (60, 47), (500, 67), (300, 100), (200, 150)]:
        w = r.standard_normal((num, dim)).astype(dtype)
        idx = r.integers(0, num, 200)
        idx[:10] = idx[0]                                  # repeated indices
        offsets = np.array([0, 0, 10, 10, 11, 150, 200 - 1])   # empty bags, a last bag of 1
        got = fastla.embedding_bag(idx, w, offsets, mode=mode)
        assert got.shape == (7, dim) and got.dtype == dtype
        assert_close(got, np_embedding_bag(idx, w, offsets, mode), dtype, 140)
        got = fastla.embedding_bag(idx.astype(np.int32), w[:, ::-1], offsets.astype(np.int32),
                                   mode=mode)
        assert_close(got, np_embedding_bag(idx, w[:, ::-1], offsets, mode), dtype, 140)
        idx2 = r.integers(0, num, (13, 5))
        assert_close(fastla.embedding_bag(idx2, w, mode=mode),
                     np_embedding_bag(idx2, w, None, mode), dtype, 5)
        if mode == "sum":                    # the weighted kernel (values) beside the unit one
            psw = r.standard_normal(len(idx)).astype(dtype)
            assert_close(fastla.embedding_bag(idx, w, offsets, mode="sum", per_sample_weights=psw),
                         np_embedding_bag(idx, w, offsets, "sum", psw), dtype, 140)


def test_embedding_bag_options(dtype):
    r = rng(21)
    w = r.standard_normal((40, 9)).astype(dtype)
    idx = r.integers(0, 40, 50)
    idx[::7] = 3
    offsets = np.array([0, 5, 5, 20, 50])
    psw = r.standard_normal(50).astype(dtype)
    got = fastla.embedding_bag(idx, w, offsets, mode="sum", per_sample_weights=psw,
                               include_last_offset=True)
    assert got.shape == (4, 9)
    assert_close(got, np_embedding_bag(idx, w, offsets, "sum", psw, True), dtype, 30)
    for mode in ("sum", "mean", "max"):
        got = fastla.embedding_bag(idx, w, offsets[:-1], mode=mode, padding_idx=3)
        assert_close(got, np_embedding_bag(idx, w, offsets[:-1], mode, padding_idx=3), dtype, 30)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_backward(nthreads, dtype, mode):
    r = rng(22)
    num, dim = 60, 11
    w = r.standard_normal((num, dim)).astype(dtype)
    idx = r.integers(0, 20, 80)          # rows 20.. never used
    idx[:6] = 5
    offsets = np.array([0, 3, 3, 40])
    g = r.standard_normal((4, dim)).astype(dtype)
    rows, vals = fastla.embedding_bag_backward(g, idx, w, offsets, mode=mode)
    assert rows.dtype == np.int64 and (np.diff(rows) > 0).all() and rows.max() < 20
    dense = np.zeros((num, dim))
    dense[rows] = vals
    # reference: the gradient of sum(g * out) by linearity (sum, mean) or argmax (max)
    ref = np.zeros((num, dim))
    bags = [idx[0:3], idx[3:3], idx[3:40], idx[40:]]
    for b, bag in enumerate(bags):
        if len(bag) == 0:
            continue
        if mode == "max":
            win = bag[np.argmax(w[bag], axis=0)]
            ref[win, np.arange(dim)] += g[b]
        else:
            for i in bag:
                ref[i] += g[b] / (len(bag) if mode == "mean" else 1)
    assert_close(dense, ref, dtype, 40)
    psw = r.standard_normal(80).astype(dtype)
    if mode == "sum":
        rows, vals = fastla.embedding_bag_backward(g, idx, w, offsets, mode="sum",
                                                   per_sample_weights=psw)
        dense = np.zeros((num, dim))
        dense[rows] = vals
        ref = np.zeros((num, dim))
        for b, (s, e) in enumerate([(0, 3), (3, 3), (3, 40), (40, 80)]):
            for p in range(s, e):
                ref[idx[p]] += psw[p] * g[b]
        assert_close(dense, ref, dtype, 40)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_vs_torch(dtype, mode):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    r = rng(23)
    w = r.standard_normal((100, 16)).astype(dtype)
    idx = r.integers(0, 100, 64)
    offsets = np.array([0, 0, 7, 30, 30, 63])
    tw = torch.tensor(w, requires_grad=True)
    out = F.embedding_bag(torch.from_numpy(idx), tw, torch.from_numpy(offsets), mode=mode)
    g = r.standard_normal(out.shape).astype(dtype)
    out.backward(torch.from_numpy(g))
    assert_close(fastla.embedding_bag(idx, w, offsets, mode=mode), out.detach().numpy(), dtype, 30)
    rows, vals = fastla.embedding_bag_backward(g, idx, w, offsets, mode=mode)
    dense = np.zeros_like(w)
    dense[rows] = vals
    assert_close(dense, tw.grad.numpy(), dtype, 30)


def test_embedding_bag_errors():
    w = np.ones((5, 2))
    # a str subclass is a str (numpy.str_ from an array of mode names)
    np.testing.assert_array_equal(
        fastla.embedding_bag(np.array([0, 1]), w, np.array([0]), mode=np.str_("sum")), [[2, 2]])
    rows, vals = fastla.embedding_bag_backward(np.ones((1, 2)), np.array([0, 1]), w,
                                               np.array([0]), mode=np.str_("mean"))
    assert vals.shape == (2, 2)
    with pytest.raises(IndexError, match="out of range"):
        fastla.embedding_bag(np.array([0, 5]), w, np.array([0]))
    with pytest.raises(IndexError, match="out of range"):
        fastla.embedding_bag(np.array([0, -1]), w, np.array([0]))
    for fn in (fastla.embedding_bag, lambda i, w, o: fastla.embedding_bag_backward(np.ones((1, 2)), i, w, o)):
        # a uint64 beyond int64 is named as given, not as the int64 it would wrap to
        with pytest.raises(IndexError, match="index 9223372036854775813 out of range"):
            fn(np.array([0, 2**63 + 5], dtype=np.uint64), w, np.array([0]))
    with pytest.raises(ValueError, match="offsets"):
        fastla.embedding_bag(np.array([0, 1]), w, np.array([1]))
    with pytest.raises(ValueError, match="offsets"):
        fastla.embedding_bag(np.array([0, 1]), w, np.array([0, 2, 1]))
    with pytest.raises(ValueError, match="offsets are required"):
        fastla.embedding_bag(np.array([0, 1]), w)
    # with padding_idx too: the offsets are checked before the padding
    # entries are dropped (a negative offset or one past the end used to be
    # remapped into a well-formed structure, or fail inside NumPy)
    idx = np.array([0, 1, 2, 3])
    for off, pad in (([0, -1], 3), ([1, 3], 0), ([0, 7], 3), ([0, 3, 2], 4)):
        with pytest.raises(ValueError, match="offsets must start at 0"):
            fastla.embedding_bag(idx, w, np.array(off), mode="sum", padding_idx=pad)
        with pytest.raises(ValueError, match="offsets must start at 0"):
            fastla.embedding_bag_backward(np.ones((len(off), 2)), idx, w, np.array(off),
                                          mode="sum", padding_idx=pad)
    with pytest.raises(ValueError, match="mode"):
        fastla.embedding_bag(np.array([[0, 1]]), w, mode="min")
    with pytest.raises(ValueError, match="per_sample_weights"):
        fastla.embedding_bag(np.array([[0, 1]]), w, mode="mean", per_sample_weights=np.ones((1, 2)))
    with pytest.raises(TypeError, match="integers"):
        fastla.embedding_bag(np.array([[0.0, 1.0]]), w)
    with pytest.raises(TypeError, match="float32 and float64"):
        fastla.embedding_bag(np.array([[0, 1]]), w.astype(np.int64))


def test_bench_cases_registered():
    from fastla.bench import nn_cases, run
    assert run.case_providers()["nn"] is nn_cases.nn_cases
    names = [c["name"] for c in nn_cases.nn_cases(True)]
    assert any(n.startswith("linear relu fwd+bwd") for n in names)
    assert any(n.startswith("attention causal") for n in names)
    assert {"embedding_bag sum", "embedding_bag mean", "embedding_bag max"} <= {
        " ".join(n.split()[:2]) for n in names}


def test_linear_one_sample_1d(dtype):
    """A 1-D x is one sample, as in torch.nn.functional.linear."""
    x = np.arange(3.0, dtype=dtype)
    w = np.arange(6.0, dtype=dtype).reshape(2, 3) - 2
    b = np.array([1.0, -9.0], dtype)
    y = fastla.linear(x, w, b, activation="relu")
    np.testing.assert_array_equal(y, np.maximum(w.astype(float) @ x + b, 0))
    gx, gw, gb = fastla.linear_backward(np.ones(2, dtype), x, w, y, activation="relu")
    mask = (y > 0).astype(float)
    np.testing.assert_allclose(gx, mask @ w, rtol=1e-6)
    np.testing.assert_allclose(gw, np.outer(mask, x), rtol=1e-6)
    np.testing.assert_array_equal(gb, mask)
    assert gx.shape == (3,) and y.shape == (2,)


@pytest.mark.parametrize("padding_idx", [5, -5, None])
def test_embedding_bag_weights_follow_padding_and_truncation_vs_torch(dtype, padding_idx):
    """Per-sample weights are given in the shape of the indices and must stay
    with their entries when padding entries are dropped; a negative
    padding_idx counts from the end, as in PyTorch."""
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    r = rng(24)
    w = r.standard_normal((10, 3)).astype(dtype)
    idx = np.array([0, 5, 2, 5, 3, 7, 5, 1])
    psw = r.standard_normal(idx.shape).astype(dtype)
    for offsets, last in ((np.array([0, 2]), False), (np.array([0, 2, 8]), True)):
        want = F.embedding_bag(torch.from_numpy(idx), torch.from_numpy(w),
                               torch.from_numpy(offsets), mode="sum",
                               per_sample_weights=torch.from_numpy(psw),
                               include_last_offset=last, padding_idx=padding_idx)
        got = fastla.embedding_bag(idx, w, offsets, mode="sum", per_sample_weights=psw,
                                   include_last_offset=last, padding_idx=padding_idx)
        assert_close(got, want.numpy(), dtype, 10)
        tw = torch.tensor(w, requires_grad=True)
        F.embedding_bag(torch.from_numpy(idx), tw, torch.from_numpy(offsets), mode="sum",
                        per_sample_weights=torch.from_numpy(psw), include_last_offset=last,
                        padding_idx=padding_idx).sum().backward()
        rows, vals = fastla.embedding_bag_backward(np.ones_like(got), idx, w, offsets,
                                                   mode="sum", per_sample_weights=psw,
                                                   include_last_offset=last,
                                                   padding_idx=padding_idx)
        dense = np.zeros_like(w)
        dense[rows] = vals
        assert_close(dense, tw.grad.numpy(), dtype, 10)


def test_embedding_bag_padding_and_weight_errors():
    w = np.ones((5, 2))
    idx, off = np.array([0, 1, 2]), np.array([0, 1])
    for bad in (5, -6):
        with pytest.raises(ValueError, match="padding_idx"):
            fastla.embedding_bag(idx, w, off, padding_idx=bad)
    with pytest.raises(TypeError, match="padding_idx"):
        fastla.embedding_bag(idx, w, off, padding_idx=1.5)
    with pytest.raises(ValueError, match="shape of indices"):
        fastla.embedding_bag(idx, w, off, mode="sum", per_sample_weights=np.ones(2))
    # PyTorch reads the last bag to the end of `indices` whatever the last
    # offset says; fastla asks for the documented value instead of guessing
    with pytest.raises(ValueError, match="last offset"):
        fastla.embedding_bag(idx, w, np.array([0, 1, 2]), include_last_offset=True)
    with pytest.raises(ValueError, match="per_sample_weights"):
        fastla.embedding_bag_backward(np.ones((2, 2)), idx, w, off, mode="max",
                                      per_sample_weights=np.ones(3))
    with pytest.raises(ValueError, match="activation"):
        fastla.linear(np.ones((2, 2)), np.ones((2, 2)), activation=["relu"])
