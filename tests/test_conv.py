"""im2col / col2im / conv2d / conv2d_backward against a slow direct-loop
reference, torch.nn.functional (when torch is installed), the adjoint
identity and finite differences."""
import numpy as np
import pytest

import fastla
from fastla import cy

from conftest import DTYPES, rng


def tol(dtype, k):
    eps = np.finfo(dtype).eps
    return 16 * eps * max(1, k) ** 0.5 + 8 * eps


def close(got, want, dtype, k):
    scale = max(1.0, float(np.abs(want).max(initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=0, atol=tol(dtype, k) * scale * 4)


# ---- slow, obvious reference (direct loops over every index) ----

def pads(padding, k, d):
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        tot = [d[a] * (k[a] - 1) for a in range(2)]
        lo = [t // 2 for t in tot]
        return tuple(lo), tuple(t - l for t, l in zip(tot, lo))
    p = padding if isinstance(padding, tuple) else (padding, padding)
    return p, p


def pair(v):
    return v if isinstance(v, tuple) else (v, v)


def ref_conv2d(x, w, b, stride, padding, dilation, groups):
    n, c, h, wd = x.shape
    co, cg, kh, kw = w.shape
    s, d = pair(stride), pair(dilation)
    lo, hi = pads(padding, (kh, kw), d)
    ho = (h + lo[0] + hi[0] - d[0] * (kh - 1) - 1) // s[0] + 1
    wo = (wd + lo[1] + hi[1] - d[1] * (kw - 1) - 1) // s[1] + 1
    og = co // groups
    y = np.zeros((n, co, ho, wo))
    for b_ in range(n):
        for o in range(co):
            gi = o // og
            for oh in range(ho):
                for ow in range(wo):
                    acc = 0.0 if b is None else float(b[o])
                    for cc in range(cg):
                        for i in range(kh):
                            for j in range(kw):
                                ih = oh * s[0] - lo[0] + i * d[0]
                                iw = ow * s[1] - lo[1] + j * d[1]
                                if 0 <= ih < h and 0 <= iw < wd:
                                    acc += float(w[o, cc, i, j]) * float(x[b_, gi * cg + cc, ih, iw])
                    y[b_, o, oh, ow] = acc
    return y


def ref_im2col(x, k, stride, padding, dilation):
    n, c, h, wd = x.shape
    k, s, p, d = pair(k), pair(stride), pair(padding), pair(dilation)
    ho = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    wo = (wd + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    cols = np.zeros((n, c * k[0] * k[1], ho * wo))
    for b in range(n):
        for cc in range(c):
            for i in range(k[0]):
                for j in range(k[1]):
                    for oh in range(ho):
                        for ow in range(wo):
                            ih, iw = oh * s[0] - p[0] + i * d[0], ow * s[1] - p[1] + j * d[1]
                            if 0 <= ih < h and 0 <= iw < wd:
                                cols[b, (cc * k[0] + i) * k[1] + j, oh * wo + ow] = x[b, cc, ih, iw]
    return cols


REF_CASES = [  # (x shape, weight shape, stride, padding, dilation, groups)
    ((2, 3, 5, 6), (4, 3, 3, 3), 1, 0, 1, 1),
    ((1, 4, 6, 5), (6, 2, 2, 3), (2, 1), (1, 2), (1, 2), 2),
    ((1, 3, 4, 4), (3, 1, 3, 3), 1, "same", 1, 3),          # depthwise
    ((2, 2, 5, 5), (3, 2, 2, 2), 1, "same", 2, 1),          # even kernel, asymmetric
    ((1, 2, 3, 4), (2, 2, 3, 4), 1, "valid", 1, 1),         # kernel == image
    ((2, 4, 4, 3), (5, 4, 1, 1), 1, 0, 1, 1),               # 1x1 GEMM path
]


@pytest.mark.parametrize("case", REF_CASES)
def test_conv2d_matches_direct_loops(case, dtype, nthreads):
    xs, wsh, s, p, d, g = case
    r = rng(1)
    x = r.standard_normal(xs).astype(dtype)
    w = r.standard_normal(wsh).astype(dtype)
    b = r.standard_normal(wsh[0]).astype(dtype)
    y = fastla.conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=g)
    assert y.dtype == dtype
    want = ref_conv2d(x, w, b, s, p, d, g)
    close(y, want, dtype, np.prod(wsh[1:]))


@pytest.mark.parametrize("k,s,p,d", [((2, 3), 1, 0, 1), (3, 2, 1, 1), ((1, 2), (1, 3), (0, 1), (2, 1))])
def test_im2col_matches_direct_loops(k, s, p, d, dtype, nthreads):
    x = rng(2).standard_normal((2, 3, 5, 7)).astype(dtype)
    got = fastla.im2col(x, k, stride=s, padding=p, dilation=d)
    np.testing.assert_array_equal(got, ref_im2col(x, k, s, p, d).astype(dtype))


@pytest.mark.parametrize("w,s,p", [(40, 2, 0), (41, 2, 3), (37, 3, 1), (9, 2, 1), (33, 2, 0),
                                   (34, 2, 1), (35, 2, 2), (16, 1, 0), (17, 1, 1), (31, 1, 0),
                                   (65, 1, 3), (70, 2, 3), (20, 1, 9), (12, 2, 17), (3, 1, 18)])
def test_im2col_strided_rows(w, s, p, arch, dtype):
    # each (channel, kernel offset) goes through the ISA's row_gather kernel:
    # whole vectors at strides 1 and 2 with an overlapping last vector
    # (row lengths around 8, 16, 32 and 64, the vector lengths of every
    # ISA), lane by lane at stride 3, zero columns at both ends (whole
    # vectors stored before the data, paddings of more than a vector
    # included), whole zero rows from the padding along the height
    x = rng(3).standard_normal((2, 2, 5, w)).astype(dtype)
    k, st, pad = (3, 3), (2, s), (1, p)
    got = fastla.im2col(x, k, stride=st, padding=pad)
    want = ref_im2col(x, k, st, pad, 1).astype(dtype)
    np.testing.assert_array_equal(got, want)
    # the same from a column-strided x and into a column-strided out
    xv = np.zeros(x.shape[:3] + (2 * w,), dtype)
    xv[..., ::2] = x
    out = np.full(want.shape[:2] + (2 * want.shape[2],), np.nan, dtype)[..., ::2]
    fastla.im2col(xv[..., ::2], k, stride=st, padding=pad, out=out)
    np.testing.assert_array_equal(out, want)


def strided_views(x):
    """Same values, different memory layouts: C order, channels-last view,
    a stepped slice, a negative-stride view."""
    yield x
    yield np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    big = np.zeros(x.shape[:3] + (2 * x.shape[3],), x.dtype)
    big[..., ::2] = x
    yield big[..., ::2]
    yield np.ascontiguousarray(x[:, :, ::-1])[:, :, ::-1]


def test_im2col_into_out(dtype, nthreads):
    """out=: the same columns as a fresh result, written into any strides;
    the unbatched form; bad outs are refused and left untouched."""
    x = np.random.default_rng(3).standard_normal((2, 3, 7, 6)).astype(dtype)
    want = fastla.im2col(x, (3, 2), stride=(2, 1), padding=1)
    out = np.full(want.shape, np.nan, dtype)
    assert fastla.im2col(x, (3, 2), stride=(2, 1), padding=1, out=out) is out
    np.testing.assert_array_equal(out, want)
    big = np.full((2, want.shape[1] * 2, want.shape[2] + 3), np.nan, dtype)
    view = big[:, ::2, 1:-2]                       # steps and an offset
    fastla.im2col(x, (3, 2), stride=(2, 1), padding=1, out=view)
    np.testing.assert_array_equal(view, want)
    assert np.isnan(big[:, 1::2]).all() and np.isnan(big[:, :, 0]).all()
    one = np.empty(want.shape[1:], dtype)
    fastla.im2col(x[1], (3, 2), stride=(2, 1), padding=1, out=one)
    np.testing.assert_array_equal(one, want[1])
    bad = [(np.empty(want.shape[1:], dtype), "shape"),
           (np.empty(want.shape, np.float32 if dtype == np.float64 else np.float64), "dtype"),
           (np.empty(want.shape, dtype), "read-only")]
    bad[2][0].flags.writeable = False
    for o, match in bad:
        before = o.copy()
        with pytest.raises(ValueError, match=match):
            fastla.im2col(x, (3, 2), stride=(2, 1), padding=1, out=o)
        np.testing.assert_array_equal(o, before)
    buf = np.zeros(x.size + want.size, dtype)
    xin = buf[:x.size].reshape(x.shape)
    xin[...] = x
    with pytest.raises(ValueError, match="overlaps"):
        fastla.im2col(xin, (3, 2), stride=(2, 1), padding=1, out=buf[x.size // 2:][:want.size].reshape(want.shape))


def np_im2col(x, k, s, p, d):
    """im2col by NumPy stride tricks (square kernel, equal strides)."""
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    span = (k - 1) * d + 1
    win = np.lib.stride_tricks.sliding_window_view(xp, (span, span), axis=(2, 3))
    win = win[:, :, ::s, ::s, ::d, ::d]              # (n, c, ho, wo, k, k)
    n, c, ho, wo = win.shape[:4]
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k * k, ho * wo)


@pytest.mark.parametrize("hw,k,s,p,d", [(48, 3, 1, 1, 1), (47, 3, 2, 2, 2)])
def test_large_im2col(hw, k, s, p, d, dtype, nthreads):
    """Columns larger than the caches (8 MB and more), threaded: the same
    values as NumPy's stride tricks, into a fresh array, into an out= that
    is not 16-byte aligned, and into a strided out=."""
    x = rng(5).standard_normal((4, 128 if s == 2 else 32, hw, hw)).astype(dtype)
    x0 = x.copy()
    want = np_im2col(x, k, s, p, d)
    assert want.nbytes >= 8 << 20
    np.testing.assert_array_equal(fastla.im2col(x, k, stride=s, padding=p, dilation=d), want)
    flat = np.full(want.size + 3, np.nan, dtype)
    out = flat[1:1 + want.size].reshape(want.shape)  # one element past an aligned start
    fastla.im2col(x, k, stride=s, padding=p, dilation=d, out=out)
    np.testing.assert_array_equal(out, want)
    assert np.isnan(flat[0]) and np.isnan(flat[1 + want.size:]).all()
    big = np.full(want.shape[:2] + (want.shape[2] + 1,), np.nan, dtype)
    fastla.im2col(x, k, stride=s, padding=p, dilation=d, out=big[:, :, 1:])
    np.testing.assert_array_equal(big[:, :, 1:], want)
    assert np.isnan(big[:, :, 0]).all()
    np.testing.assert_array_equal(x, x0)


@pytest.fixture
def staged_always():
    """im2col's staged path (rows built in an L1 stage, then copied out) for
    every size: the path large outputs take, on small shapes."""
    old = cy._im2col_stage_bytes(0)
    yield
    cy._im2col_stage_bytes(old)


@pytest.mark.parametrize("shape,k,s,p,d", [
    ((2, 3, 5, 7), (2, 3), (1, 2), 0, 1), ((1, 1, 1, 1), 1, 1, 0, 1), ((3, 2, 9, 13), 3, 2, 1, 1),
    ((2, 2, 5, 41), (3, 3), (2, 2), (1, 3), 1), ((1, 2, 6, 37), 3, (1, 3), (2, 1), 1),
    ((2, 3, 11, 11), 3, 2, 2, 2), ((1, 1, 3, 9000), (1, 3), (1, 2), (0, 1), 1),  # wo > the stage
    ((1, 4, 70, 70), 3, 1, 1, 1), ((2, 1, 4, 4), 4, 2, 0, 1), ((0, 2, 5, 5), 3, 2, 1, 1)])
def test_im2col_staged(shape, k, s, p, d, dtype, nthreads, arch, staged_always):
    """The staged path (strides of 2 and more along the width) gives the
    direct loops' values, fresh and into an out= at several offsets from a
    64-byte line, and leaves the input alone."""
    x = rng(4).standard_normal(shape).astype(dtype)
    x0 = x.copy()
    want = ref_im2col(x, k, s, p, d).astype(dtype)
    np.testing.assert_array_equal(fastla.im2col(x, k, stride=s, padding=p, dilation=d), want)
    for off in range(0, 64 // x.itemsize + 1, 3):
        flat = np.full(want.size + 32, np.nan, dtype)
        start = (-flat.ctypes.data % 64) // x.itemsize + off
        out = flat[start:start + want.size].reshape(want.shape)
        fastla.im2col(x, k, stride=s, padding=p, dilation=d, out=out)
        np.testing.assert_array_equal(out, want)
        assert np.isnan(flat[:start]).all() and np.isnan(flat[start + want.size:]).all()
    np.testing.assert_array_equal(x, x0)


@pytest.mark.parametrize("groups", [2, 4])   # 4: depthwise (direct loops)
def test_any_strides_and_inputs_untouched(dtype, groups):
    r = rng(3)
    x = r.standard_normal((2, 4, 6, 5)).astype(dtype)
    w = r.standard_normal((4, 4 // groups, 2, 3)).astype(dtype)
    want = ref_conv2d(x, w, None, 1, 1, 1, groups)
    cols_want = fastla.im2col(x, (2, 3), padding=1)
    gy = r.standard_normal(want.shape).astype(dtype)
    g_want = fastla.conv2d_backward(gy, x, w, padding=1, groups=groups)
    for xv in strided_views(x):
        copy = xv.copy()
        close(fastla.conv2d(xv, w, padding=1, groups=groups), want, dtype, 12)
        np.testing.assert_array_equal(fastla.im2col(xv, (2, 3), padding=1), cols_want)
        for wv in strided_views(w):
            for gyv in strided_views(gy):
                g = fastla.conv2d_backward(gyv, xv, wv, padding=1, groups=groups)
                for got, exp in zip(g, g_want):
                    close(got, exp, dtype, 30)
        np.testing.assert_array_equal(xv, copy)
    cols = r.standard_normal(cols_want.shape).astype(dtype)
    folded = fastla.col2im(cols, (6, 5), (2, 3), padding=1)
    for cv in (cols.transpose(0, 2, 1).copy().transpose(0, 2, 1), cols[:, ::-1][:, ::-1]):
        close(fastla.col2im(cv, (6, 5), (2, 3), padding=1), folded, dtype, 6)


@pytest.mark.parametrize("k,s,p,d", [(3, 1, 1, 1), ((2, 3), (2, 1), (0, 2), (1, 2)), (4, 3, 0, 1)])
def test_adjoint_identity(k, s, p, d, dtype, nthreads):
    """<im2col(x), y> == <x, col2im(y)> to rounding."""
    r = rng(4)
    x = r.standard_normal((2, 3, 8, 7)).astype(dtype)
    cols = fastla.im2col(x, k, stride=s, padding=p, dilation=d)
    y = r.standard_normal(cols.shape).astype(dtype)
    back = fastla.col2im(y, (8, 7), k, stride=s, padding=p, dilation=d)
    lhs = np.dot(cols.ravel().astype(np.float64), y.ravel())
    rhs = np.dot(x.ravel().astype(np.float64), back.ravel())
    assert abs(lhs - rhs) <= tol(dtype, y.size) * (abs(lhs) + np.sqrt(y.size))


def test_backward_finite_differences():
    r = rng(5)
    x = r.standard_normal((2, 4, 5, 6))
    w = r.standard_normal((6, 2, 3, 2))
    b = r.standard_normal(6)
    kw = dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2)
    gy = r.standard_normal(fastla.conv2d(x, w, b, **kw).shape)
    gx, gw, gb = fastla.conv2d_backward(gy, x, w, **kw)

    def loss(x_, w_, b_):
        return float(np.sum(fastla.conv2d(x_, w_, b_, **kw) * gy))

    h = 1e-6
    for arr, grad, idx in ((x, gx, (1, 3, 2, 4)), (x, gx, (0, 0, 0, 0)), (w, gw, (5, 1, 2, 1)),
                           (w, gw, (0, 0, 0, 0)), (b, gb, (3,))):
        plus, minus = arr.copy(), arr.copy()
        plus[idx] += h
        minus[idx] -= h
        args_p = [plus if arr is a else a for a in (x, w, b)]
        args_m = [minus if arr is a else a for a in (x, w, b)]
        fd = (loss(*args_p) - loss(*args_m)) / (2 * h)
        assert abs(fd - grad[idx]) < 1e-6 * max(1.0, abs(fd))


def test_backward_needs_and_zero_sizes(dtype):
    r = rng(6)
    x = r.standard_normal((2, 3, 5, 5)).astype(dtype)
    w = r.standard_normal((4, 3, 3, 3)).astype(dtype)
    gy = r.standard_normal((2, 4, 3, 3)).astype(dtype)
    full = fastla.conv2d_backward(gy, x, w)
    assert isinstance(full, fastla.Conv2dGrads)
    assert full.input.shape == x.shape and full.weight.shape == w.shape and full.bias.shape == (4,)
    only = fastla.conv2d_backward(gy, x, w, needs=("weight",))
    assert only.input is None and only.bias is None
    np.testing.assert_array_equal(only.weight, full.weight)
    only = fastla.conv2d_backward(gy, x, w, needs="input")
    np.testing.assert_array_equal(only.input, full.input)
    # empty batch: zero gradients, right shapes
    e = fastla.conv2d_backward(gy[:0], x[:0], w)
    assert e.input.shape == (0, 3, 5, 5)
    np.testing.assert_array_equal(e.weight, np.zeros_like(w))
    np.testing.assert_array_equal(e.bias, np.zeros(4, dtype))
    assert fastla.conv2d(x[:0], w).shape == (0, 4, 3, 3)
    # no output channels; no input channels (the output is the bias)
    assert fastla.conv2d(x, w[:0]).shape == (2, 0, 3, 3)
    y0 = fastla.conv2d(x[:, :0], w[:, :0], np.ones(4, dtype))
    np.testing.assert_array_equal(y0, np.ones((2, 4, 3, 3), dtype))


def test_unbatched_inputs(dtype):
    r = rng(7)
    x = r.standard_normal((3, 5, 4)).astype(dtype)
    w = r.standard_normal((2, 3, 2, 2)).astype(dtype)
    np.testing.assert_array_equal(fastla.conv2d(x, w), fastla.conv2d(x[None], w)[0])
    cols = fastla.im2col(x, 2)
    np.testing.assert_array_equal(cols, fastla.im2col(x[None], 2)[0])
    np.testing.assert_array_equal(fastla.col2im(cols, (5, 4), 2), fastla.col2im(cols[None], (5, 4), 2)[0])
    gy = r.standard_normal((2, 4, 3)).astype(dtype)
    g = fastla.conv2d_backward(gy, x, w)
    g1 = fastla.conv2d_backward(gy[None], x[None], w)
    np.testing.assert_array_equal(g.input, g1.input[0])
    np.testing.assert_array_equal(g.weight, g1.weight)


def test_workspace_chunking_large_rows(dtype, nthreads):
    """Images whose columns exceed the workspace are done in row chunks,
    small ones several images side by side, large batches with threads over
    chunks; all must agree with a product on an im2col of the whole batch."""
    r = rng(8)
    for xs, wsh in (((1, 40, 70, 70), (3, 40, 3, 3)), ((5, 8, 6, 6), (4, 8, 3, 3)),
                    ((6, 16, 12, 12), (16, 16, 3, 3)), ((9, 16, 7, 7), (8, 16, 3, 3))):
        x = r.standard_normal(xs).astype(dtype)
        w = r.standard_normal(wsh).astype(dtype)
        cols = fastla.im2col(x, 3, padding=1)
        want = np.einsum("ok,nkl->nol", w.reshape(wsh[0], -1).astype(np.float64), cols)
        y = fastla.conv2d(x, w, padding=1)
        close(y.reshape(want.shape), want, dtype, np.prod(wsh[1:]))
        gy = r.standard_normal(y.shape).astype(dtype)
        gx, gw, _ = fastla.conv2d_backward(gy, x, w, padding=1)
        gyf = gy.reshape(xs[0], wsh[0], -1).astype(np.float64)
        close(gw.reshape(wsh[0], -1), np.einsum("nol,nkl->ok", gyf, cols), dtype, gyf[0].size)
        gcols = np.einsum("ok,nol->nkl", w.reshape(wsh[0], -1).astype(np.float64), gyf)
        close(gx, fastla.col2im(gcols, xs[2:], 3, padding=1), dtype, wsh[0] * 9)


ERRORS = [
    (lambda x, w: fastla.conv2d(x, w, stride=0), ValueError, "stride"),
    (lambda x, w: fastla.conv2d(x, w, dilation=(1, -1)), ValueError, "dilation"),
    (lambda x, w: fastla.conv2d(x, w, padding=-1), ValueError, "padding"),
    (lambda x, w: fastla.conv2d(x, w, padding="full"), ValueError, "padding"),
    (lambda x, w: fastla.conv2d(x, w, stride=2, padding="same"), ValueError, "same"),
    (lambda x, w: fastla.conv2d(x, w[:, :, :, :0]), ValueError, "kernel"),
    (lambda x, w: fastla.conv2d(x[:, :, :2], w), ValueError, "larger than the padded"),
    (lambda x, w: fastla.conv2d(x, w, dilation=3), ValueError, "larger than the padded"),
    (lambda x, w: fastla.conv2d(x, w, groups=4), ValueError, "divisible by groups"),
    (lambda x, w: fastla.conv2d(x, w[:3], groups=2), ValueError, "divisible by groups"),
    (lambda x, w: fastla.conv2d(x, w, groups=0), ValueError, "groups"),
    (lambda x, w: fastla.conv2d(x, w[:, :2]), ValueError, "input channels"),
    (lambda x, w: fastla.conv2d(x[0, 0], w), ValueError, "shape"),
    (lambda x, w: fastla.conv2d(x, w[0]), ValueError, "weight"),
    (lambda x, w: fastla.conv2d(x, w.astype(np.float32)), TypeError, "mixed"),
    (lambda x, w: fastla.conv2d(x.astype(np.int64), w), TypeError, "float32"),
    (lambda x, w: fastla.conv2d(x, w, np.ones(3)), ValueError, "bias"),
    (lambda x, w: fastla.conv2d(x, w, np.ones(4, np.float32)), TypeError, "mixed"),
    (lambda x, w: fastla.conv2d(x, w, stride=(1, 2, 3)), ValueError, "stride"),
    (lambda x, w: fastla.conv2d(x, w, stride=1.5), TypeError, "stride"),
    (lambda x, w: fastla.conv2d(x, w, padding=2**62), ValueError, "padding must be below"),
    (lambda x, w: fastla.im2col(x, 3, padding=(0, 2**40)), ValueError, "padding must be below"),
    (lambda x, w: fastla.im2col(x, 0), ValueError, "kernel_size"),
    (lambda x, w: fastla.im2col(x, 6), ValueError, "larger than the padded"),
    (lambda x, w: fastla.im2col(x[0, 0], 2), ValueError, "shape"),
    (lambda x, w: fastla.col2im(np.ones((1, 5, 16)), (5, 5), 2), ValueError, "multiple"),
    (lambda x, w: fastla.col2im(np.ones((1, 4, 15)), (5, 5), 2), ValueError, "patches"),
    (lambda x, w: fastla.col2im(np.ones((4, 16)), (5, 5), 2, stride=0), ValueError, "stride"),
    (lambda x, w: fastla.conv2d_backward(np.ones((2, 4, 3, 2)), x, w), ValueError, "grad_out"),
    (lambda x, w: fastla.conv2d_backward(np.ones((2, 4, 3, 3)), x, w, needs=("x",)), ValueError,
     "needs"),
    (lambda x, w: fastla.conv2d_backward(np.ones((2, 4, 3, 3), np.float32), x, w), TypeError,
     "mixed"),
]


@pytest.mark.parametrize("fn,exc,match", ERRORS)
def test_errors(fn, exc, match):
    x = np.ones((2, 3, 5, 5))
    w = np.ones((4, 3, 3, 3))
    with pytest.raises(exc, match=match):
        fn(x, w)


# ---- torch.nn.functional as the oracle ----

IMPLICIT_CASES = [  # (x shape, weight shape, stride, padding, dilation, groups)
    ((2, 8, 9, 9), (520, 8, 3, 3), 1, 1, 1, 1),        # C_out > MC: shared B panel
    ((3, 5, 14, 14), (7, 5, 3, 3), 1, 1, 1, 1),        # L = 196: images side by side
    ((2, 6, 9, 11), (4, 3, 3, 2), (2, 1), (3, 0), (1, 3), 2),   # groups, sh 2, dilation
    ((1, 3, 40, 6), (5, 3, 5, 1), (1, 1), (4, 2), 1, 1),        # padding wider than kw
    ((2, 4, 3, 2), (3, 4, 3, 3), 1, 2, 1, 1),          # wo > W: mostly padding
    ((4, 3, 6, 5), (2, 3, 2, 4), 1, "same", 1, 1),     # even kernel, asymmetric padding
]


@pytest.mark.parametrize("case", IMPLICIT_CASES)
def test_conv2d_implicit_columns(case, arch, dtype, nthreads):
    """Stride 1 along the width: the GEMM gathers the columns from a padded
    copy of the images (no im2col).  Every ISA, odd shapes, strided x."""
    xs, wsh, s, p, d, g = case
    r = rng(13)
    x = r.standard_normal(xs).astype(dtype)
    w = r.standard_normal(wsh).astype(dtype)
    b = r.standard_normal(wsh[0]).astype(dtype)
    want = conv2d_via_im2col(x, w, b, s, p, d, g)
    close(fastla.conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=g), want, dtype,
          np.prod(wsh[1:]))
    wide = np.zeros(xs[:3] + (2 * xs[3] + 1,), dtype)[..., 1::2]     # x with a column stride
    wide[...] = x
    close(fastla.conv2d(wide, w, b, stride=s, padding=p, dilation=d, groups=g), want, dtype,
          np.prod(wsh[1:]))
    if isinstance(p, str):
        return
    # the input gradient: with stride 1 a forward convolution of gy with the
    # flipped, transposed weights (no col2im); oracle: col2im of W^T gy
    gy = r.standard_normal(want.shape).astype(dtype)
    gx, _, _ = fastla.conv2d_backward(gy, x, w, stride=s, padding=p, dilation=d, groups=g,
                                      needs=("input",))
    n, co = gy.shape[:2]
    og, cg = co // g, xs[1] // g
    gyf = gy.reshape(n, co, -1).astype(np.float64)
    gcols = np.concatenate([np.einsum("ok,nol->nkl", w[gi * og:(gi + 1) * og].reshape(og, -1),
                                      gyf[:, gi * og:(gi + 1) * og]) for gi in range(g)], axis=1)
    want_gx = fastla.col2im(gcols, xs[2:], wsh[2:], stride=s, padding=p, dilation=d)
    close(gx, want_gx, dtype, co * np.prod(wsh[2:]))


def conv2d_via_im2col(x, w, b, s, p, d, g):
    """The convolution as explicit columns and a float64 product per group."""
    co, cg, kh, kw = w.shape
    if isinstance(p, str):                  # "same": the reference's padding
        return ref_conv2d(x, w, b, s, p, d, g)
    cols = fastla.im2col(x.astype(np.float64), (kh, kw), stride=s, padding=p, dilation=d)
    n, K, L = cols.shape
    og, Kg = co // g, K // g
    y = np.concatenate([np.einsum("ok,nkl->nol", w[gi * og:(gi + 1) * og].reshape(og, -1),
                                  cols[:, gi * Kg:(gi + 1) * Kg]) for gi in range(g)], axis=1)
    y += b[None, :, None]
    s2, p2, d2 = pair(s), pair(p), pair(d)
    ho = (x.shape[2] + 2 * p2[0] - d2[0] * (kh - 1) - 1) // s2[0] + 1
    return y.reshape(n, co, ho, -1)


TORCH_CASES = [  # (x shape, weight shape, stride, padding, dilation, groups)
    ((2, 3, 7, 9), (4, 3, 3, 3), 1, 1, 1, 1),
    ((1, 8, 9, 9), (8, 8, 3, 3), 2, 1, 1, 1),
    ((3, 6, 10, 8), (6, 3, 3, 2), (1, 2), (2, 0), (2, 1), 2),
    ((2, 5, 8, 8), (10, 1, 3, 3), 1, "same", 1, 5),          # depthwise, multiplier 2
    ((1, 4, 6, 7), (4, 1, 4, 4), 1, "same", 2, 4),           # depthwise, even kernel
    ((2, 3, 6, 6), (5, 3, 6, 6), 1, "valid", 1, 1),          # kernel == image
    ((1, 3, 17, 19), (4, 3, 7, 5), (2, 3), (3, 2), 1, 1),
    ((2, 16, 7, 5), (8, 16, 1, 1), 1, 0, 1, 1),              # 1x1 direct GEMM
    ((2, 16, 7, 5), (8, 4, 1, 1), 1, 0, 1, 4),               # grouped 1x1
    ((2, 6, 7, 5), (8, 6, 1, 1), 2, 0, 1, 1),                # 1x1 strided
    ((1, 2, 30, 30), (3, 2, 5, 5), 3, 4, 2, 1),
    ((3, 8, 40, 40), (8, 1, 3, 3), 2, 1, 1, 8),              # depthwise, threaded planes
    ((2, 16, 24, 24), (8, 16, 3, 3), 1, 1, 1, 1),            # threaded im2col / col2im
    ((2, 4, 9, 8), (6, 2, 2, 3), 1, "same", (2, 1), 2),      # gx as a forward conv, uneven pad
    ((2, 3, 8, 8), (4, 3, 3, 3), 1, 3, 1, 1),                # pad > k - 1: gx through col2im
]


@pytest.mark.parametrize("case", TORCH_CASES)
def test_against_torch(case, dtype, nthreads):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    xs, wsh, s, p, d, g = case
    r = rng(9)
    x = r.standard_normal(xs).astype(dtype)
    w = r.standard_normal(wsh).astype(dtype)
    b = r.standard_normal(wsh[0]).astype(dtype)
    X = torch.tensor(x, requires_grad=True)
    W = torch.tensor(w, requires_grad=True)
    B = torch.tensor(b, requires_grad=True)
    Y = F.conv2d(X, W, B, stride=s, padding=p, dilation=d, groups=g)
    y = fastla.conv2d(x, w, b, stride=s, padding=p, dilation=d, groups=g)
    k = np.prod(wsh[1:])
    close(y, Y.detach().numpy(), dtype, k)
    gy = r.standard_normal(y.shape).astype(dtype)
    Y.backward(torch.tensor(gy))
    gx, gw, gb = fastla.conv2d_backward(gy, x, w, stride=s, padding=p, dilation=d, groups=g)
    close(gx, X.grad.numpy(), dtype, wsh[0] * k)
    close(gw, W.grad.numpy(), dtype, y[0, 0].size * xs[0])
    close(gb, B.grad.numpy(), dtype, y[0, 0].size * xs[0])
    if isinstance(p, str) or g > 1:
        return
    cols = fastla.im2col(x, wsh[2:], stride=s, padding=p, dilation=d)
    np.testing.assert_array_equal(cols, F.unfold(X.detach(), wsh[2:], stride=s, padding=p,
                                                 dilation=d).numpy())
    folded = fastla.col2im(cols, xs[2:], wsh[2:], stride=s, padding=p, dilation=d)
    want = F.fold(torch.tensor(cols), xs[2:], wsh[2:], stride=s, padding=p, dilation=d).numpy()
    close(folded, want, dtype, np.prod(wsh[2:]))


# ---- algorithm="winograd" (F(2x2, 3x3)) ----

WINO_CASES = [  # (x shape, C_out, padding)
    ((2, 3, 7, 9), 4, 1),          # odd H_out and W_out: half tiles at the edges
    ((1, 5, 8, 8), 3, 0),          # valid
    ((3, 16, 14, 14), 8, 1),
    ((2, 4, 5, 6), 3, 2),          # padding wider than the kernel's reach
    ((1, 2, 6, 5), 2, (1, 0)),     # different padding per axis
    ((1, 1, 3, 3), 1, 0),          # one output
    ((2, 3, 1, 1), 2, 1),          # 1x1 image, all padding but the centre
    ((40, 24, 16, 16), 24, 1),     # several chunks of images (8 MB of workspace)
    ((1, 0, 4, 4), 3, 1),          # no input channels: the bias
]


def wino_bound(x, w, b, padding):
    """Elementwise sum of |terms| of the direct product, float64."""
    return fastla.conv2d(np.abs(x).astype(np.float64), np.abs(w).astype(np.float64),
                         np.abs(b).astype(np.float64), padding=padding)


@pytest.mark.parametrize("case", WINO_CASES)
def test_winograd_matches_the_direct_product(case, arch, dtype, nthreads):
    """Within 8 eps of the sum of |terms| of every output (measured: at most
    2.4 eps on these cases, docs/kernels/conv.rst), against the direct
    product computed in float64."""
    xs, co, p = case
    r = rng(11)
    x = r.standard_normal(xs).astype(dtype)
    w = r.standard_normal((co, xs[1], 3, 3)).astype(dtype)
    b = r.standard_normal(co).astype(dtype)
    x0, w0 = x.copy(), w.copy()
    y = fastla.conv2d(x, w, b, padding=p, algorithm="winograd")
    want = fastla.conv2d(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64),
                         padding=p)
    assert y.dtype == dtype and y.shape == want.shape
    err = np.abs(y - want)
    assert np.all(err <= 8 * np.finfo(dtype).eps * wino_bound(x, w, b, p))
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(w, w0)


def test_winograd_against_the_slow_reference(dtype):
    r = rng(12)
    x = r.standard_normal((2, 3, 5, 6)).astype(dtype)
    w = r.standard_normal((4, 3, 3, 3)).astype(dtype)
    want = ref_conv2d(x, w, None, 1, 1, 1, 1)
    close(fastla.conv2d(x, w, padding=1, algorithm="winograd"), want, dtype, 27)
    close(fastla.conv2d(x[0], w, padding="same", algorithm="winograd"), want[0], dtype, 27)


def test_winograd_any_strides(dtype, nthreads):
    r = rng(13)
    x = r.standard_normal((2, 4, 6, 7)).astype(dtype)
    w = r.standard_normal((5, 4, 3, 3)).astype(dtype)
    want = fastla.conv2d(x, w, padding=1, algorithm="winograd")
    bound = wino_bound(x, w, np.zeros(5), 1)
    for xv in strided_views(x):
        for wv in strided_views(w):
            got = fastla.conv2d(xv, wv, padding=1, algorithm="winograd")
            assert np.all(np.abs(got - want) <= 8 * np.finfo(dtype).eps * bound)


@pytest.mark.parametrize("kwargs, match", [
    (dict(algorithm="fft"), "algorithm must be"),
    (dict(algorithm=None), "algorithm must be"),
    (dict(algorithm="winograd", stride=2), "needs a 3x3 kernel, stride 1"),
    (dict(algorithm="winograd", dilation=2, padding=2), "needs a 3x3 kernel"),
    (dict(algorithm="winograd", groups=3), "groups 1"),
])
def test_winograd_refuses_other_geometries(kwargs, match):
    x = np.ones((1, 3, 6, 6))
    with pytest.raises(ValueError, match=match):
        fastla.conv2d(x, np.ones((3, 3 // kwargs.get("groups", 1), 3, 3)), **kwargs)
    with pytest.raises(ValueError, match="3x3 kernel"):
        fastla.conv2d(x, np.ones((2, 3, 5, 5)), algorithm="winograd")


def test_winograd_non_finite_inputs(dtype):
    """The documented difference: an infinite input makes most outputs that
    see it NaN rather than inf; which outputs are non-finite agrees with the
    direct product, and a NaN input gives NaN in the same places."""
    x = rng(16).standard_normal((1, 2, 7, 9)).astype(dtype)
    w = rng(17).standard_normal((3, 2, 3, 3)).astype(dtype)
    for bad in (np.inf, -np.inf, np.nan):
        xb = x.copy()
        xb[0, 1, 3, 4] = bad
        direct = fastla.conv2d(xb, w, padding=1, algorithm="direct")
        wino = fastla.conv2d(xb, w, padding=1, algorithm="winograd")
        np.testing.assert_array_equal(np.isfinite(wino), np.isfinite(direct))
        assert (~np.isfinite(direct)).sum() == 3 * 9        # every channel's 3x3 neighbourhood
        if np.isnan(bad):
            assert np.isnan(wino[~np.isfinite(wino)]).all()
        fin = np.isfinite(direct)
        np.testing.assert_allclose(wino[fin], direct[fin], rtol=1e-4 if dtype == np.float32 else 1e-10,
                                   atol=1e-4 if dtype == np.float32 else 1e-10)


def test_winograd_against_torch():
    torch = pytest.importorskip("torch")
    r = rng(14)
    x = r.standard_normal((2, 32, 14, 14)).astype(np.float32)
    w = r.standard_normal((16, 32, 3, 3)).astype(np.float32)
    b = r.standard_normal(16).astype(np.float32)
    want = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                                      torch.from_numpy(b), padding=1).numpy()
    got = fastla.conv2d(x, w, b, padding=1, algorithm="winograd")
    assert np.all(np.abs(got - want) <= 16 * np.finfo(np.float32).eps * wino_bound(x, w, b, 1))


@pytest.mark.parametrize("padding", [0, 1, 2, 3, (1, 4), "same"])
def test_winograd_backward_input(padding, arch, dtype, nthreads):
    """conv2d_backward(algorithm="winograd"): the input gradient within 8 eps
    of its sum of |terms| (float64 direct oracle), paddings above 2 cropped
    right; the weight and bias gradients are the direct path's, bit for bit."""
    r = rng(15)
    x = r.standard_normal((3, 5, 9, 8)).astype(dtype)
    w = r.standard_normal((6, 5, 3, 3)).astype(dtype)
    gy = r.standard_normal(fastla.conv2d(x, w, padding=padding).shape).astype(dtype)
    direct = fastla.conv2d_backward(gy, x, w, padding=padding, algorithm="direct")
    wino = fastla.conv2d_backward(gy, x, w, padding=padding, algorithm="winograd")
    f64 = [a.astype(np.float64) for a in (gy, x, w)]
    want = fastla.conv2d_backward(*f64, padding=padding, needs=("input",)).input
    bound = fastla.conv2d_backward(np.abs(f64[0]), f64[1], np.abs(f64[2]), padding=padding,
                                   needs=("input",)).input
    assert wino.input.shape == x.shape and wino.input.dtype == dtype
    assert np.all(np.abs(wino.input - want) <= 8 * np.finfo(dtype).eps * bound)
    np.testing.assert_array_equal(wino.weight, direct.weight)
    np.testing.assert_array_equal(wino.bias, direct.bias)


def test_winograd_backward_needs_unbatched_and_refusals(dtype):
    r = rng(16)
    x = r.standard_normal((4, 6, 5)).astype(dtype)
    w = r.standard_normal((3, 4, 3, 3)).astype(dtype)
    gy = r.standard_normal((3, 6, 5)).astype(dtype)
    g = fastla.conv2d_backward(gy, x, w, padding=1, needs=("input",), algorithm="winograd")
    assert g.weight is None and g.bias is None and g.input.shape == x.shape
    close(g.input, fastla.conv2d_backward(gy, x, w, padding=1, needs=("input",),
                                          algorithm="direct").input, dtype, 27)
    g = fastla.conv2d_backward(gy, x, w, padding=1, needs=("weight",), algorithm="winograd")
    assert g.input is None and g.weight.shape == w.shape
    with pytest.raises(ValueError, match="3x3 kernel"):
        fastla.conv2d_backward(gy, x, w, padding=2, dilation=2, algorithm="winograd")
    with pytest.raises(ValueError, match="algorithm must be"):
        fastla.conv2d_backward(gy, x, w, padding=1, algorithm="Winograd")
    with pytest.raises(ValueError, match="grad_out has shape"):
        fastla.conv2d_backward(gy[:, :2], x, w, padding=1, algorithm="winograd")


# ---- algorithm="auto" (the default): Winograd where the ISA's table says it pays ----

AUTO_CASES = [  # (x shape, C_out, conv kwargs, float32 choice of the AVX2 table, of the AVX-512 one)
    ((1, 64, 56, 56), 64, dict(padding=1), "winograd", "direct"),     # 784 tiles in one image
    ((4, 64, 28, 28), 64, dict(padding=1), "winograd", "direct"),     # 196 per image, 784 in all
    ((3, 64, 28, 28), 64, dict(padding=1), "direct", "direct"),       # 588 tiles in all
    ((4, 63, 28, 28), 64, dict(padding=1), "direct", "direct"),       # 63 input channels
    ((4, 64, 28, 28), 63, dict(padding=1), "direct", "direct"),       # 63 output channels
    ((16, 128, 14, 14), 128, dict(padding=1), "winograd", "direct"),  # 49 per image at 128 channels
    ((16, 127, 14, 14), 128, dict(padding=1), "direct", "direct"),    # ... but not at 127
    ((4, 64, 29, 29), 64, dict(padding=0), "winograd", "direct"),     # odd 27x27 output: 14x14 tiles
    ((4, 64, 28, 28), 64, dict(padding=1, stride=2), "direct", "direct"),
    ((4, 64, 28, 28), 64, dict(padding=2, dilation=2), "direct", "direct"),
    ((4, 64, 28, 28), 64, dict(padding=1, groups=2), "direct", "direct"),
    ((1, 64, 127, 127), 64, dict(padding=1), "winograd", "direct"),   # 64^2 tiles: 32 MB of workspace
    ((1, 64, 129, 129), 64, dict(padding=1), "direct", "direct"),     # 65^2 tiles: over 32 MB
    ((1, 128, 56, 56), 64, dict(padding=1), "winograd", "direct"),    # 64 output channels
    # the AVX-512 table: >= 96 channels, >= 196 tiles per image (49 from 192
    # channels), >= 784 tiles in the batch
    ((3, 96, 28, 28), 96, dict(padding=1), "direct", "direct"),        # 588 tiles
    ((4, 95, 28, 28), 96, dict(padding=1), "winograd", "direct"),      # 95 input channels
    ((4, 96, 28, 28), 96, dict(padding=1), "winograd", "winograd"),    # 784 tiles
    ((1, 96, 56, 56), 96, dict(padding=1), "winograd", "winograd"),    # 784 in one image
    ((16, 192, 14, 14), 192, dict(padding=1), "winograd", "winograd"),  # 49 per image at 192
    ((16, 191, 14, 14), 192, dict(padding=1), "winograd", "direct"),    # ... but not at 191
    ((15, 192, 14, 14), 192, dict(padding=1), "direct", "direct"),      # 735 tiles
]


@pytest.mark.parametrize("case", AUTO_CASES)
def test_auto_choice_follows_the_measured_table(case, arch, dtype):
    """conv2d_algorithm: the AVX2 and AVX-512 tables' thresholds for float32
    (config/avx2.h, config/avx512.h); the reference ISA and float64, which
    measured none: always direct."""
    xs, co, kw, avx2_f32, avx512_f32 = case
    x = np.zeros(xs, dtype)
    w = np.zeros((co, xs[1] // kw.get("groups", 1), 3, 3), dtype)
    want = {"avx2": avx2_f32, "avx512": avx512_f32}.get(arch, "direct")
    if dtype != np.float32:
        want = "direct"
    assert fastla.conv2d_algorithm(x, w, **kw) == want
    # one image of the batch: the same, if its own tiles reach the batch minimum
    ho, wo = (xs[2] + 2 * kw["padding"] - 2), (xs[3] + 2 * kw["padding"] - 2)
    one_image_enough = -(-ho // 2) * -(-wo // 2) >= {"avx2": 784, "avx512": 784}.get(arch, 0)
    assert fastla.conv2d_algorithm(x[0], w, **kw) == (want if one_image_enough else "direct")


@pytest.mark.parametrize("case", [AUTO_CASES[1], AUTO_CASES[2], AUTO_CASES[7], AUTO_CASES[16]])
def test_auto_runs_the_chosen_algorithm(case, arch, nthreads):
    """The default conv2d and conv2d_backward give exactly what the chosen
    algorithm gives, and differ from the other one (so a wrong choice fails);
    the weight and bias gradients stay the direct ones."""
    xs, co, kw = case[:3]
    r = rng(17)
    x = r.standard_normal(xs).astype(np.float32)
    w = r.standard_normal((co, xs[1], 3, 3)).astype(np.float32)
    b = r.standard_normal(co).astype(np.float32)
    chosen = fastla.conv2d_algorithm(x, w, **kw)
    other = "direct" if chosen == "winograd" else "winograd"
    y = fastla.conv2d(x, w, b, **kw)
    np.testing.assert_array_equal(y, fastla.conv2d(x, w, b, algorithm=chosen, **kw))
    assert not np.array_equal(y, fastla.conv2d(x, w, b, algorithm=other, **kw))
    gy = r.standard_normal(y.shape).astype(np.float32)
    # the input gradient is a convolution of gy with the flipped, transposed weights
    p = kw["padding"]
    g_chosen = fastla.conv2d_algorithm(gy, w.transpose(1, 0, 2, 3), padding=2 - p)
    g = fastla.conv2d_backward(gy, x, w, **kw)
    want = fastla.conv2d_backward(gy, x, w, algorithm=g_chosen, **kw)
    direct = fastla.conv2d_backward(gy, x, w, algorithm="direct", **kw)
    np.testing.assert_array_equal(g.input, want.input)
    np.testing.assert_array_equal(g.weight, direct.weight)
    np.testing.assert_array_equal(g.bias, direct.bias)
    if g_chosen == "winograd":
        assert not np.array_equal(g.input, direct.input)


@pytest.mark.parametrize("padding", [3, (1, 0), "same"])
def test_auto_backward_other_paddings(padding):
    """The input gradient's Winograd convolution for paddings above 2
    (unpadded, cropped), per-axis and "same": auto gives exactly what the
    forced Winograd gives wherever it chooses it."""
    r = rng(18)
    x = r.standard_normal((4, 64, 28, 28)).astype(np.float32)
    w = r.standard_normal((64, 64, 3, 3)).astype(np.float32)
    y = fastla.conv2d(x, w, padding=padding, algorithm="direct")
    gy = r.standard_normal(y.shape).astype(np.float32)
    g = fastla.conv2d_backward(gy, x, w, padding=padding)
    wino = fastla.conv2d_backward(gy, x, w, padding=padding, algorithm="winograd")
    direct = fastla.conv2d_backward(gy, x, w, padding=padding, algorithm="direct")
    if fastla.active_arch() == "avx2":
        np.testing.assert_array_equal(g.input, wino.input)
        assert not np.array_equal(g.input, direct.input)
    else:
        np.testing.assert_array_equal(g.input, direct.input)


def test_auto_is_direct_without_the_input_gradient(monkeypatch):
    """Without the input gradient auto never takes the Winograd route."""
    from fastla import _conv

    def refuse(*args, **kwargs):
        raise AssertionError("the Winograd backward was taken")

    monkeypatch.setattr(_conv, "_backward_winograd", refuse)
    r = rng(18)
    x = r.standard_normal((4, 64, 28, 28)).astype(np.float32)
    w = r.standard_normal((64, 64, 3, 3)).astype(np.float32)
    gy = r.standard_normal((4, 64, 28, 28)).astype(np.float32)
    fastla.conv2d_backward(gy, x, w, padding=1, needs=("weight", "bias"))
    if fastla.conv2d_algorithm(x, w, padding=1) == "winograd":
        with pytest.raises(AssertionError, match="Winograd backward was taken"):
            fastla.conv2d_backward(gy, x, w, padding=1)


def test_auto_refusals():
    x = np.ones((1, 3, 6, 6))
    with pytest.raises(ValueError, match="'auto', 'direct' or 'winograd'"):
        fastla.conv2d(x, np.ones((2, 3, 3, 3)), algorithm="Auto")
    with pytest.raises(ValueError, match="does not match|channels"):
        fastla.conv2d_algorithm(x, np.ones((2, 4, 3, 3)))
    with pytest.raises(TypeError):
        fastla.conv2d_algorithm(x.astype(np.float32), np.ones((2, 3, 3, 3)))
    with pytest.raises(ValueError, match="grad_out has shape"):
        fastla.conv2d_backward(np.ones((1, 2, 5, 5)), x, np.ones((2, 3, 3, 3)), padding=1)
    # a geometry auto would take Winograd for, with a wrong grad_out
    x = np.ones((4, 64, 28, 28), np.float32)
    w = np.ones((64, 64, 3, 3), np.float32)
    with pytest.raises(ValueError, match="grad_out has shape"):
        fastla.conv2d_backward(np.ones((4, 64, 27, 28), np.float32), x, w, padding=1)
    with pytest.raises(TypeError):
        fastla.conv2d_backward(np.ones((4, 64, 28, 28)), x, w, padding=1)


def test_winograd_c_api_refuses_overflowing_geometry():
    """fastla_sconv2d_winograd through ctypes: a padding whose h + 2 ph
    overflows, and a geometry whose workspace size wraps size_t, are refused
    (the Python layer caps paddings first; this is the C contract)."""
    import ctypes
    from fastla import cy
    lib = ctypes.CDLL(cy.__file__)
    fn = lib.fastla_sconv2d_winograd
    idx = ctypes.c_int64
    P = ctypes.POINTER
    fn.argtypes = [P(idx * 16), ctypes.c_void_p, P(idx * 4), ctypes.c_void_p, P(idx * 4),
                   ctypes.c_void_p, idx, ctypes.c_void_p, P(idx * 4)]
    fn.restype = ctypes.c_int
    buf = np.zeros(64, np.float32)
    p = buf.ctypes.data
    st = (idx * 4)(0, 0, 0, 0)
    #                 n  c  h  w  c_out groups kh kw sh sw ph     pw dh dw ho          wo
    wrap = (idx * 16)(1, 1, 1, 1, 1, 1, 3, 3, 1, 1, 2**60, 1, 1, 1, 2**61 - 1, 1)
    assert fn(ctypes.byref(wrap), p, st, p, st, None, 0, p, st) == 1        # FASTLA_ERR_NOMEM
    over = (idx * 16)(1, 1, 1, 1, 1, 1, 3, 3, 1, 1, 2**62, 1, 1, 1, 0, 1)
    assert fn(ctypes.byref(over), p, st, p, st, None, 0, p, st) == 2        # FASTLA_ERR_ARG
    ok = (idx * 16)(1, 1, 1, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)
    assert fn(ctypes.byref(ok), p, st, p, st, None, 0, p, st) == 0
