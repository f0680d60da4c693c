# cython: language_level=3, boundscheck=False, wraparound=False
"""fastla._conv -- Python layer of the 2-D convolution kernels (im2col,
col2im, conv2d and its backward) with torch.nn.functional's semantics:
validate, allocate, release the GIL, call the Cython API (fastla.cy).
No loops over data here."""
import collections
import operator

import numpy as np
cimport numpy as cnp
from fastla._outcache cimport empty_output
from fastla cimport cy
from fastla._capi cimport fastla_index, fastla_conv2d_geom
from fastla._checks cimport (as_array, float_type, elem_strides, shape_of, NPY_FLOAT32,
                            raise_status, strided, check_out, may_overlap,
                            aligned_copy, check_no_alias)

cnp.import_array()

Conv2dGrads = collections.namedtuple("Conv2dGrads", ["input", "weight", "bias"])
Conv2dGrads.__doc__ = """Gradients returned by :func:`fastla.conv2d_backward`.

A named tuple ``(input, weight, bias)``, in this order whatever ``needs``
says, with None for a gradient that was not requested (like the
``output_mask`` of ``torch.ops.aten.convolution_backward``).

Attributes
----------
input : ndarray or None
    Gradient with respect to ``x`` (its shape).
weight : ndarray or None
    Gradient with respect to ``weight`` (its shape).
bias : ndarray or None
    Gradient with respect to the bias, shape (C_out,).

Examples
--------
>>> import numpy as np, fastla
>>> g = fastla.conv2d_backward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)),
...                            np.ones((1, 1, 2, 2)), needs=("weight", "bias"))
>>> g.input is None, g.weight.shape, g.bias
(True, (1, 1, 2, 2), array([4.]))
"""
Conv2dGrads.input.__doc__ = "Gradient with respect to ``x``, or None if not requested."
Conv2dGrads.weight.__doc__ = "Gradient with respect to ``weight``, or None if not requested."
Conv2dGrads.bias.__doc__ = "Gradient with respect to the bias, or None if not requested."

_NEEDS = ("input", "weight", "bias")


def _pair(fname, name, value, int minimum):
    """(a, b) from an int or a pair of ints, each >= minimum."""
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = tuple(value.tolist())     # an array of two ints is a pair too
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{fname}: {name} must be an int or a pair of ints, got {value!r}")
        items = tuple(value)
    else:
        items = (value, value)
    try:
        out = tuple(operator.index(v) for v in items)
    except TypeError:
        raise TypeError(f"{fname}: {name} must be an int or a pair of ints, got {value!r}") from None
    if any(isinstance(v, bool) for v in items):
        raise TypeError(f"{fname}: {name} must be an int or a pair of ints, got {value!r}")
    if out[0] < minimum or out[1] < minimum:
        what = "positive" if minimum > 0 else "non-negative"
        raise ValueError(f"{fname}: {name} must be {what}, got {value!r}")
    if out[0] > 2**31 - 1 or out[1] > 2**31 - 1:
        raise ValueError(f"{fname}: {name} must be below 2**31, got {value!r}")
    return out


def _out_size(fname, hw, k, s, pad_lo, pad_hi, d):
    """Output sizes along H and W; ValueError when the dilated kernel does not
    fit the padded input."""
    res = []
    for ax in range(2):
        span = d[ax] * (k[ax] - 1) + 1
        padded = hw[ax] + pad_lo[ax] + pad_hi[ax]
        if span > padded:
            raise ValueError(
                f"{fname}: kernel size {tuple(k)} with dilation {tuple(d)} spans "
                f"({d[0] * (k[0] - 1) + 1}, {d[1] * (k[1] - 1) + 1}), larger than the padded "
                f"input ({hw[0] + pad_lo[0] + pad_hi[0]}, {hw[1] + pad_lo[1] + pad_hi[1]})")
        res.append((padded - span) // s[ax] + 1)
    return tuple(res)


def _padding(fname, padding, k, s, d):
    """(top/left pads, bottom/right pads) from an int, a pair, "valid" or
    "same" (torch's rule: total d*(k-1), the extra one at the end)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            if s != (1, 1):
                raise ValueError(f"{fname}: padding='same' is not supported for strided "
                                 f"convolutions (stride={s})")
            tot = (d[0] * (k[0] - 1), d[1] * (k[1] - 1))
            lo = (tot[0] // 2, tot[1] // 2)
            return lo, (tot[0] - lo[0], tot[1] - lo[1])
        raise ValueError(f"{fname}: padding must be an int, a pair, 'same' or 'valid', "
                         f"got {padding!r}")
    p = _pair(fname, "padding", padding, 0)
    return p, p


cdef int set_geom(fastla_conv2d_geom *g, tuple dims) except -1:
    (g.n, g.c, g.h, g.w, g.c_out, g.groups, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw,
     g.dh, g.dw, g.ho, g.wo) = dims
    return 0


_ALGORITHMS = ("auto", "direct", "winograd")


def _check_algorithm(fname, algorithm):
    if not isinstance(algorithm, str) or algorithm not in _ALGORITHMS:
        raise ValueError(f"{fname}: algorithm must be 'auto', 'direct' or 'winograd', "
                         f"got {algorithm!r}")


cdef bint _winograd_geometry(tuple dims):
    """True for the geometries Winograd's F(2x2, 3x3) computes."""
    n, c, h, w, c_out, grp, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo = dims
    return kh == 3 and kw == 3 and sh == 1 and sw == 1 and dh == 1 and dw == 1 and grp == 1


cdef bint _winograd_pays(tuple dims, int typenum) except -1:
    """algorithm="auto": True where this ISA's measured thresholds say
    Winograd is faster for this geometry and dtype (include/fastla/conv.h)."""
    cdef fastla_conv2d_geom g
    set_geom(&g, dims)
    if typenum == NPY_FLOAT32:
        return cy.conv2d_winograd_pays(&g, <float>0) != 0
    return cy.conv2d_winograd_pays(&g, <double>0) != 0


cdef bint collapses(int nd, cnp.npy_intp *n, fastla_index *s) noexcept:
    """True if the nd dims (sizes n, strides s, outermost first) are addressed
    with one stride (size-1 dims ignored), as the C core requires."""
    cdef fastla_index expect = 0
    cdef bint first = True
    cdef int k
    for k in range(nd - 1, -1, -1):
        if n[k] <= 1:
            continue
        if first:
            expect = s[k] * n[k]
            first = False
        elif s[k] != expect:
            return False
        else:
            expect *= n[k]
    return True


cdef cnp.ndarray collapsed(cnp.ndarray a, int first, fastla_index *st):
    """a (4-D) whose dims [first, 4) collapse to one stride, copying to
    C order only when they do not; element strides in st."""
    a = strided(a, st)
    cdef cnp.npy_intp *dims = cnp.PyArray_DIMS(a)
    if not collapses(4 - first, dims + first, st + first):
        a = strided(aligned_copy(a), st)
    return a


def _images(fname, x, name="x"):
    """(4-D array, batched?) for an (N, C, H, W) or unbatched (C, H, W) input."""
    cdef cnp.ndarray X = as_array(x)
    nd = cnp.PyArray_NDIM(X)
    if nd == 3:
        return X[None], False
    if nd != 4:
        raise ValueError(f"{fname}: expected {name} of shape (N, C, H, W) or (C, H, W), got "
                         f"shape {shape_of(X)}")
    return X, True


def im2col(x, kernel_size, *, stride=1, padding=0, dilation=1, out=None):
    """Sliding patches of images as columns (``torch.nn.functional.unfold``).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W) or (C, H, W), float32 or float64
        Any strides (C- or channels-last order, slices, steps): read in place.
    kernel_size, stride, padding, dilation : int or pair of ints
        Kernel (positive), stride (positive), zero padding on each side
        (non-negative) and dilation (positive), as in PyTorch.
    out : ndarray, optional
        Where to write the columns: the shape and dtype of the result, any
        strides, writeable, not overlapping `x`. Reusing one buffer saves the
        page faults of a fresh multi-megabyte array on every call (on the
        reference machine they cost as much as the copy itself).

    Returns
    -------
    cols : ndarray, shape (N, C*kh*kw, L) or (C*kh*kw, L)
        `out` if given, else a new C-contiguous array.
        ``cols[n, (c*kh + i)*kw + j, oh*W_out + ow]`` is
        ``x[n, c, oh*sh - ph + i*dh, ow*sw - pw + j*dw]`` (0 in the padding),
        with ``L = H_out * W_out``.

    Raises
    ------
    TypeError
        Unsupported dtype.
    ValueError
        Wrong number of dimensions, non-positive kernel/stride/dilation,
        negative padding, a kernel larger than the padded input, or an `out`
        of the wrong shape or dtype, read-only, or overlapping `x`.

    Notes
    -----
    Threads split the rows of `cols`; a row with stride 1 is a zero fill and
    one memcpy. Memory: exactly the output.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> fastla.im2col(x, 2)
    array([[[0., 1., 3., 4.],
            [1., 2., 4., 5.],
            [3., 4., 6., 7.],
            [4., 5., 7., 8.]]])
    >>> fastla.im2col(x, (1, 3), padding=(0, 1)).shape
    (1, 3, 9)
    """
    fname = "im2col"
    X, batched = _images(fname, x)
    cdef cnp.ndarray A = X
    cdef int typenum = float_type(fname, A, A)
    k = _pair(fname, "kernel_size", kernel_size, 1)
    s = _pair(fname, "stride", stride, 1)
    p = _pair(fname, "padding", padding, 0)
    d = _pair(fname, "dilation", dilation, 1)
    n, c, h, w = shape_of(A)
    ho, wo = _out_size(fname, (h, w), k, s, p, p, d)
    cdef fastla_conv2d_geom g
    set_geom(&g, (n, c, h, w, 0, 1, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], ho, wo))
    cdef fastla_index xs[4]
    cdef fastla_index cs[3]
    A = strided(A, xs)
    cdef cnp.npy_intp shape[3]
    shape[0] = n
    shape[1] = c * k[0] * k[1]
    shape[2] = ho * wo
    cdef cnp.ndarray O
    cdef cnp.npy_intp *oshape
    cdef bint via_copy = out is None   # the kernel writes a fresh C-ordered O
    if out is not None:
        oshape = &shape[0] if batched else &shape[1]
        check_out(fname, out, typenum, 3 if batched else 2, oshape)
        check_no_alias(fname, <cnp.ndarray>out)
        if may_overlap(<cnp.ndarray>out, <cnp.ndarray>X):
            raise ValueError(f"{fname}: out overlaps x")
        O = <cnp.ndarray>out if batched else (<object>out)[None]
        via_copy = elem_strides(O, cs) != 0     # misaligned out: written through a copy
    if via_copy:
        O = empty_output(3, shape, typenum)
        cs[0] = shape[1] * shape[2]
        cs[1] = shape[2]
        cs[2] = 1
    cdef int status
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.im2col(&g, <const float *>cnp.PyArray_DATA(A), xs,
                               <float *>cnp.PyArray_DATA(O), cs)
    else:
        with nogil:
            status = cy.im2col(&g, <const double *>cnp.PyArray_DATA(A), xs,
                               <double *>cnp.PyArray_DATA(O), cs)
    raise_status(fname, status)
    if out is not None:
        if via_copy:
            np.copyto(out, O if batched else O[0])
        return out
    return O if batched else O[0]


def col2im(cols, output_size, kernel_size, *, stride=1, padding=0, dilation=1):
    """Sums columns back into images (``torch.nn.functional.fold``).

    The adjoint of :func:`im2col`: every column entry is added to the image
    pixel :func:`im2col` read it from, so overlapping patches accumulate.

    Parameters
    ----------
    cols : ndarray, shape (N, C*kh*kw, L) or (C*kh*kw, L), float32 or float64
        Any strides.
    output_size : int or pair of ints
        Image size (H, W).
    kernel_size, stride, padding, dilation : int or pair of ints
        As in :func:`im2col`; ``L`` must equal the number of patches.

    Returns
    -------
    x : ndarray, shape (N, C, H, W) or (C, H, W)

    Raises
    ------
    TypeError
        Unsupported dtype.
    ValueError
        Wrong number of dimensions, bad parameters, ``cols.shape[-2]`` not a
        multiple of ``kh*kw`` or ``cols.shape[-1]`` not the number of patches.

    Notes
    -----
    Threads split the image rows; each row's writer gathers every patch
    entry that lands on it, so there are no atomics and no races.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> fastla.col2im(np.ones((1, 4, 4)), (3, 3), 2)
    array([[[[1., 2., 1.],
             [2., 4., 2.],
             [1., 2., 1.]]]])
    """
    fname = "col2im"
    cdef cnp.ndarray C = as_array(cols)
    nd = cnp.PyArray_NDIM(C)
    batched = nd == 3
    if nd == 2:
        C = C[None]
    elif nd != 3:
        raise ValueError(f"{fname}: expected cols of shape (N, C*kh*kw, L) or (C*kh*kw, L), "
                         f"got shape {shape_of(C)}")
    cdef int typenum = float_type(fname, C, C)
    hw = _pair(fname, "output_size", output_size, 1)
    k = _pair(fname, "kernel_size", kernel_size, 1)
    s = _pair(fname, "stride", stride, 1)
    p = _pair(fname, "padding", padding, 0)
    d = _pair(fname, "dilation", dilation, 1)
    n, ck, L = shape_of(C)
    if ck % (k[0] * k[1]):
        raise ValueError(f"{fname}: cols.shape[-2] = {ck} is not a multiple of "
                         f"kh*kw = {k[0] * k[1]} (kernel_size {k})")
    ho, wo = _out_size(fname, hw, k, s, p, p, d)
    if L != ho * wo:
        raise ValueError(f"{fname}: cols.shape[-1] = {L} does not match the {ho} x {wo} = "
                         f"{ho * wo} patches of output_size {hw} with kernel_size {k}, "
                         f"stride {s}, padding {p}, dilation {d}")
    c = ck // (k[0] * k[1])
    cdef fastla_conv2d_geom g
    set_geom(&g, (n, c, hw[0], hw[1], 0, 1, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1],
                  ho, wo))
    cdef fastla_index xs[4]
    cdef fastla_index cs[3]
    C = strided(C, cs)
    cdef cnp.npy_intp shape[4]
    shape[0] = n
    shape[1] = c
    shape[2] = hw[0]
    shape[3] = hw[1]
    cdef cnp.ndarray out = empty_output(4, shape, typenum)
    elem_strides(out, xs)
    cdef int status
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.col2im(&g, <const float *>cnp.PyArray_DATA(C), cs, <float>0,
                               <float *>cnp.PyArray_DATA(out), xs)
    else:
        with nogil:
            status = cy.col2im(&g, <const double *>cnp.PyArray_DATA(C), cs, <double>0,
                               <double *>cnp.PyArray_DATA(out), xs)
    raise_status(fname, status)
    return out if batched else out[0]


def _conv_geometry(fname, X, W, stride, padding, dilation, groups):
    """The geometry tuple of conv2d(X, W) after every check torch makes."""
    cdef cnp.ndarray A = X
    cdef cnp.ndarray B = as_array(W)
    if cnp.PyArray_NDIM(B) != 4:
        raise ValueError(f"{fname}: expected weight of shape (C_out, C_in/groups, kh, kw), got "
                         f"shape {shape_of(B)}")
    try:
        groups = operator.index(groups)
    except TypeError:
        raise TypeError(f"{fname}: groups must be an int, got {groups!r}") from None
    if groups < 1:
        raise ValueError(f"{fname}: groups must be positive, got {groups}")
    n, c, h, w = shape_of(A)
    c_out, cg, kh, kw = shape_of(B)
    if c % groups:
        raise ValueError(f"{fname}: input channels {c} (x of shape {shape_of(A)}) are not "
                         f"divisible by groups={groups}")
    if c_out % groups:
        raise ValueError(f"{fname}: output channels {c_out} (weight of shape {shape_of(B)}) "
                         f"are not divisible by groups={groups}")
    if cg * groups != c:
        raise ValueError(f"{fname}: weight of shape {shape_of(B)} expects {cg * groups} input "
                         f"channels (C_in/groups = {cg}, groups = {groups}), but x of shape "
                         f"{shape_of(A)} has {c}")
    if kh < 1 or kw < 1:
        raise ValueError(f"{fname}: weight of shape {shape_of(B)} has an empty kernel")
    k = (kh, kw)
    s = _pair(fname, "stride", stride, 1)
    d = _pair(fname, "dilation", dilation, 1)
    lo, hi = _padding(fname, padding, k, s, d)
    ho, wo = _out_size(fname, (h, w), k, s, lo, hi, d)
    return (n, c, h, w, c_out, groups, kh, kw, s[0], s[1], lo[0], lo[1], d[0], d[1], ho, wo)


def conv2d(x, weight, bias=None, *, stride=1, padding=0, dilation=1, groups=1,
           algorithm="auto"):
    """2-D convolution (cross-correlation), ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W) or (C_in, H, W), float32 or float64
        Any strides (channels-last views included) are read in place.
    weight : ndarray, shape (C_out, C_in/groups, kh, kw), same dtype
        Used in place when each output channel's (C_in/groups, kh, kw)
        block has one stride (e.g. C-contiguous); copied otherwise.
    bias : ndarray, shape (C_out,), optional
    stride : int or pair of ints
        Positive.
    padding : int, pair of ints, "same" or "valid"
        Zero padding on each side; "same" (stride 1 only) pads
        ``dilation*(k-1)`` in total, the extra pixel at the bottom/right as
        PyTorch does.
    dilation : int or pair of ints
        Positive.
    groups : int
        ``C_in`` and ``C_out`` divisible by it; ``groups == C_in`` is a
        depthwise convolution.
    algorithm : {"auto", "direct", "winograd"}
        ``"direct"`` sums the products of inputs and weights as written,
        through fastla's GEMM. ``"winograd"`` uses Winograd's F(2x2, 3x3)
        minimal filtering: 2.25x fewer multiply-adds, for 3x3 kernels with
        stride 1, dilation 1 and groups 1 only (else a ValueError). Its
        rounding differs: inputs and weights are transformed before the
        channel sums and the sums transformed back; on standard normal
        data its largest error is within the direct one's range relative
        to each output's sum of absolute terms, its RMS error up to 1.8x
        the direct one's; but the error grows with the spread of a
        filter's weights (one tap 1000x the others: errors up to 840 x 2**-24
        of the sum of absolute terms in float32, against 7 x 2**-24 for
        the direct product),
        and an infinite input gives NaN in most outputs where the direct
        sum gives inf (the transforms subtract it from itself; docs/kernels/conv.rst).
        Pass ``"direct"`` where either matters. ``"auto"`` (the default)
        takes Winograd where this CPU's kernel table says it was measured
        faster -- float32, a Winograd geometry, at least 64 channels in
        and out, enough output tiles and images small enough for its
        workspace (``fastla.conv2d_algorithm`` tells which) -- and the
        direct product otherwise; float64 always takes the direct
        product. A forced ``"winograd"`` holds at least one image's
        transformed inputs and products, 16 (C_in + C_out) ceil(H_out/2)
        ceil(W_out/2) values, however large.

    Returns
    -------
    y : ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        ``H_out = (H + pad_top + pad_bottom - dilation*(kh-1) - 1) // stride + 1``.

    Raises
    ------
    TypeError
        Unsupported or mixed dtypes.
    ValueError
        Wrong dimensions, channels not divisible by `groups`, mismatched
        weight/bias, non-positive stride/dilation, or a kernel larger than the
        padded input.

    Notes
    -----
    Lowered to fastla's GEMM: chunks of output rows whose im2col columns fit
    a few-MB workspace are multiplied by the weights (one product per
    group), so memory stays near input + output + weights + workspace; with
    stride 1 along the width the columns are not built at all, the GEMM's
    packing gathers them from a zero-padded copy of the chunk's images
    (docs/kernels/conv.rst). ``algorithm="auto"`` takes Winograd F(2x2,
    3x3) instead where the CPU's kernel table measured it faster
    (:func:`conv2d_algorithm` says which).
    1x1 convolutions with stride 1 and no padding multiply the input
    directly, without im2col.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> w = np.ones((1, 1, 2, 2))
    >>> fastla.conv2d(x, w, stride=2)
    array([[[[10., 18.],
             [42., 50.]]]])
    >>> fastla.conv2d(x, w, np.array([1.0]), padding="same").shape
    (1, 1, 4, 4)
    """
    fname = "conv2d"
    _check_algorithm(fname, algorithm)
    X, batched = _images(fname, x)
    cdef cnp.ndarray A = X
    cdef cnp.ndarray Wt = as_array(weight)
    cdef int typenum = float_type(fname, A, Wt)
    cdef cnp.ndarray Bs = None
    if bias is not None:
        Bs = as_array(bias)
        float_type(fname, A, Bs)
    dims = _conv_geometry(fname, A, Wt, stride, padding, dilation, groups)
    n, c, h, w, c_out, grp, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo = dims
    if Bs is not None and shape_of(Bs) != (c_out,):
        raise ValueError(f"{fname}: bias of shape {shape_of(Bs)} does not match the "
                         f"{c_out} output channels (expected ({c_out},))")
    cdef bint wino = algorithm == "winograd"
    if algorithm == "auto":
        wino = _winograd_pays(dims, typenum)
    if wino and not _winograd_geometry(dims):
        raise ValueError(f"{fname}: algorithm='winograd' needs a 3x3 kernel, stride 1, "
                         f"dilation 1 and groups 1, got kernel {kh}x{kw}, stride {(sh, sw)}, "
                         f"dilation {(dh, dw)}, groups {grp}")
    cdef fastla_conv2d_geom g
    set_geom(&g, dims)
    cdef fastla_index xs[4]
    cdef fastla_index ws[4]
    cdef fastla_index ys[4]
    cdef fastla_index bs[1]
    A = strided(A, xs)
    if wino:
        Wt = strided(Wt, ws)
    else:
        Wt = collapsed(Wt, 1, ws)
    bs[0] = 0
    cdef const void *bptr = NULL
    if Bs is not None:
        Bs = strided(Bs, bs)
        bptr = cnp.PyArray_DATA(Bs)
    cdef cnp.npy_intp shape[4]
    shape[0] = n
    shape[1] = c_out
    shape[2] = ho
    shape[3] = wo
    cdef cnp.ndarray out = empty_output(4, shape, typenum)
    elem_strides(out, ys)
    cdef int status
    if wino and typenum == NPY_FLOAT32:
        with nogil:
            status = cy.conv2d_winograd(&g, <const float *>cnp.PyArray_DATA(A), xs,
                                        <const float *>cnp.PyArray_DATA(Wt), ws,
                                        <const float *>bptr, bs[0],
                                        <float *>cnp.PyArray_DATA(out), ys)
    elif wino:
        with nogil:
            status = cy.conv2d_winograd(&g, <const double *>cnp.PyArray_DATA(A), xs,
                                        <const double *>cnp.PyArray_DATA(Wt), ws,
                                        <const double *>bptr, bs[0],
                                        <double *>cnp.PyArray_DATA(out), ys)
    elif typenum == NPY_FLOAT32:
        with nogil:
            status = cy.conv2d(&g, <const float *>cnp.PyArray_DATA(A), xs,
                               <const float *>cnp.PyArray_DATA(Wt), ws, <const float *>bptr,
                               bs[0], <float *>cnp.PyArray_DATA(out), ys)
    else:
        with nogil:
            status = cy.conv2d(&g, <const double *>cnp.PyArray_DATA(A), xs,
                               <const double *>cnp.PyArray_DATA(Wt), ws, <const double *>bptr,
                               bs[0], <double *>cnp.PyArray_DATA(out), ys)
    raise_status(fname, status)
    return out if batched else out[0]


def conv2d_algorithm(x, weight, *, stride=1, padding=0, dilation=1, groups=1):
    """The algorithm ``conv2d(x, weight, ..., algorithm="auto")`` takes here.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W) or (C_in, H, W), float32 or float64
        As in :func:`conv2d`; only its shape and dtype are read.
    weight : ndarray, shape (C_out, C_in/groups, kh, kw), same dtype
        As in :func:`conv2d`; only its shape and dtype are read.
    stride, padding, dilation, groups : int, pair of ints or str
        As in :func:`conv2d` (a string only for `padding`).

    Returns
    -------
    name : {"direct", "winograd"}
        ``"winograd"`` when the geometry is one Winograd's F(2x2, 3x3)
        computes (3x3, stride 1, dilation 1, groups 1) and the active ISA's
        kernel table holds measured thresholds that it meets: for AVX2,
        float32, at least 64 channels in and out, at least 784 output
        tiles of 2x2 in the batch and 196 per image (49 from 128 channels
        on), and one image's transformed inputs and products (16 (C_in +
        C_out) tiles values) within 32 MB. ISAs and dtypes without measured
        thresholds: always ``"direct"``. The choice depends on the ISA in use
        (:func:`fastla.use_arch`), not on the thread count.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d` for the same arguments.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> x = np.zeros((1, 3, 8, 8), np.float32)
    >>> fastla.conv2d_algorithm(x, np.zeros((4, 3, 3, 3), np.float32), padding=1)
    'direct'
    """
    fname = "conv2d_algorithm"
    X, _ = _images(fname, x)
    cdef cnp.ndarray A = X
    cdef cnp.ndarray Wt = as_array(weight)
    cdef int typenum = float_type(fname, A, Wt)
    dims = _conv_geometry(fname, A, Wt, stride, padding, dilation, groups)
    return "winograd" if _winograd_pays(dims, typenum) else "direct"


def _grad_padding(ph, pw):
    """Padding of the input gradient's Winograd convolution for a forward
    padding (ph, pw) (see _backward_winograd): 2 - p, or none when p > 2."""
    return max(0, 2 - ph), max(0, 2 - pw)


def _backward_winograd(grad_out, x, weight, stride, padding, dilation, groups, needs):
    """conv2d_backward(algorithm="winograd"): the weight and bias gradients
    (and every check) by the direct path, the input gradient by the Winograd
    forward: gx[i] = sum_d gy[i + p - d] w[d] is the stride-1 convolution of
    gy, zero-padded by 2 - p, with w transposed (C_out <-> C_in) and flipped;
    for p > 2 that convolution runs unpadded and its output is cropped at
    p - 2."""
    fname = "conv2d_backward"
    X, batched = _images(fname, x)
    Wt = as_array(weight)
    dims = _conv_geometry(fname, X, Wt, stride, padding, dilation, groups)
    n, c, h, w, c_out, grp, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo = dims
    if not _winograd_geometry(dims):
        raise ValueError(f"{fname}: algorithm='winograd' needs a 3x3 kernel, stride 1, "
                         f"dilation 1 and groups 1, got kernel {kh}x{kw}, stride {(sh, sw)}, "
                         f"dilation {(dh, dw)}, groups {grp}")
    rest = tuple(nm for nm in needs if nm != "input")
    grads = conv2d_backward(grad_out, x, weight, stride=stride, padding=padding,
                            dilation=dilation, groups=groups, needs=rest)
    if "input" not in needs:
        return grads
    flipped = Wt.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1]
    q = _grad_padding(ph, pw)
    gx = conv2d(grad_out, flipped, padding=q, algorithm="winograd")
    r0, c0 = max(0, ph - 2), max(0, pw - 2)
    if r0 or c0:
        gx = gx[..., r0:r0 + h, c0:c0 + w].copy()
    return Conv2dGrads(gx, grads.weight, grads.bias)


def _backward_winograd_pays(x, weight, stride, padding, dilation, groups):
    """conv2d_backward(algorithm="auto"): True if conv2d's automatic choice
    takes Winograd for the input gradient's convolution (grad_out, C_out
    channels, with the flipped weights to C_in channels; see
    _backward_winograd).  Errors are left to the backward's own checks."""
    fname = "conv2d_backward"
    try:
        X, _ = _images(fname, x)
        Wt = as_array(weight)
        typenum = float_type(fname, X, Wt)
        dims = _conv_geometry(fname, X, Wt, stride, padding, dilation, groups)
    except (TypeError, ValueError):
        return False
    n, c, h, w, c_out, grp, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo = dims
    if not _winograd_geometry(dims):
        return False
    q0, q1 = _grad_padding(ph, pw)
    gdims = (n, c_out, ho, wo, c, 1, 3, 3, 1, 1, q0, q1, 1, 1, ho + 2 * q0 - 2, wo + 2 * q1 - 2)
    return _winograd_pays(gdims, typenum)


def conv2d_backward(grad_out, x, weight, *, stride=1, padding=0, dilation=1, groups=1,
                    needs=("input", "weight", "bias"), algorithm="auto"):
    """Gradients of :func:`conv2d` with respect to its input, weight and bias.

    Parameters
    ----------
    grad_out : ndarray, shape (N, C_out, H_out, W_out) or (C_out, H_out, W_out)
        Gradient of the loss with respect to ``conv2d(x, weight, ...)``.
    x : ndarray, shape (N, C_in, H, W) or (C_in, H, W)
        The forward input (only read when the weight gradient is needed,
        but always checked).
    weight : ndarray, shape (C_out, C_in/groups, kh, kw)
    stride : int or pair of ints
        As in :func:`conv2d`.
    padding : int, pair of ints, "same" or "valid"
        As in :func:`conv2d`.
    dilation : int or pair of ints
        As in :func:`conv2d`.
    groups : int
        As in :func:`conv2d`.
    needs : iterable of {"input", "weight", "bias"}
        The gradients to compute; the others are returned as None.
    algorithm : {"auto", "direct", "winograd"}
        ``"winograd"`` computes the input gradient, a convolution of
        `grad_out` with the flipped, transposed weights, by
        ``conv2d(..., algorithm="winograd")`` (same conditions and rounding
        caveat; paddings above 2 take the larger output and crop it). The
        weight and bias gradients are computed as with ``"direct"``.
        ``"auto"`` (the default) takes ``"winograd"`` when the input
        gradient is needed and :func:`conv2d`'s automatic choice takes
        Winograd for that gradient's convolution, ``"direct"`` otherwise.

    Returns
    -------
    grads : Conv2dGrads
        Named tuple ``(input, weight, bias)`` in this fixed order, as
        ``torch.ops.aten.convolution_backward`` returns them, with None for
        gradients not in `needs`. Shapes: those of `x`, `weight` and
        ``(C_out,)``.

    Raises
    ------
    TypeError
        Unsupported or mixed dtypes.
    ValueError
        As :func:`conv2d`, a `grad_out` whose shape is not the output's, or an
        unknown name in `needs`.

    Notes
    -----
    Same row chunks as the forward: per chunk, im2col of `x` then
    ``grad_weight += grad_out_chunk @ cols.T`` (GEMM accumulating, partial
    sums added in a fixed order, so repeated calls agree bit for bit).
    ``grad_input`` is, for stride 1 (and padding within the dilated kernel),
    the forward convolution of `grad_out` with the flipped, transposed
    weights (Winograd where `algorithm` selects it); otherwise
    ``cols' = weight.T @ grad_out_chunk`` (GEMM) folded in by col2im.
    ``grad_bias`` sums `grad_out` over images and pixels.
    A `grad_out` whose (H_out, W_out) plane does not have one stride is
    copied to C order first.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> w = np.ones((1, 1, 2, 2))
    >>> gx, gw, gb = fastla.conv2d_backward(np.ones((1, 1, 2, 2)), x, w)
    >>> gx[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> gw[0, 0], gb
    (array([[ 8., 12.],
           [20., 24.]]), array([4.]))
    >>> fastla.conv2d_backward(np.ones((1, 1, 2, 2)), x, w, needs=("bias",)).input is None
    True
    """
    fname = "conv2d_backward"
    if isinstance(needs, str):
        needs = (needs,)
    needs = tuple(needs)
    for name in needs:
        if name not in _NEEDS:
            raise ValueError(f"{fname}: unknown gradient {name!r} in needs; expected names "
                             f"from {_NEEDS}")
    _check_algorithm(fname, algorithm)
    if algorithm == "auto" and "input" in needs and _backward_winograd_pays(x, weight, stride,
                                                                          padding, dilation,
                                                                          groups):
        algorithm = "winograd"
    if algorithm == "winograd":
        return _backward_winograd(grad_out, x, weight, stride, padding, dilation, groups, needs)
    X, batched = _images(fname, x)
    GY, gy_batched = _images(fname, grad_out, "grad_out")
    if batched != gy_batched:
        raise ValueError(f"{fname}: grad_out of shape {shape_of(as_array(grad_out))} and x of "
                         f"shape {shape_of(as_array(x))} must both be batched or unbatched")
    cdef cnp.ndarray A = X
    cdef cnp.ndarray G = GY
    cdef cnp.ndarray Wt = as_array(weight)
    cdef int typenum = float_type(fname, A, Wt)
    float_type(fname, A, G)
    dims = _conv_geometry(fname, A, Wt, stride, padding, dilation, groups)
    n, c, h, w, c_out, grp, kh, kw, sh, sw, ph, pw, dh, dw, ho, wo = dims
    if shape_of(G) != (n, c_out, ho, wo):
        raise ValueError(f"{fname}: grad_out has shape {shape_of(G)}, expected the output "
                         f"shape {(n, c_out, ho, wo)}")
    cdef fastla_conv2d_geom g
    set_geom(&g, dims)
    cdef fastla_index xs[4]
    cdef fastla_index ws[4]
    cdef fastla_index gys[4]
    cdef fastla_index gxs[4]
    cdef fastla_index gws[4]
    cdef fastla_index gbs = 1
    G = collapsed(G, 2, gys)
    cdef bint need_x = "input" in needs, need_w = "weight" in needs, need_b = "bias" in needs
    cdef cnp.ndarray GX = None, GW = None, GB = None
    cdef void *gx_p = NULL
    cdef void *gw_p = NULL
    cdef void *gb_p = NULL
    cdef const void *x_p = NULL
    cdef const void *w_p = NULL
    cdef cnp.npy_intp shape[4]
    if need_x:
        Wt = collapsed(Wt, 1, ws)
        w_p = cnp.PyArray_DATA(Wt)
        shape[0] = n
        shape[1] = c
        shape[2] = h
        shape[3] = w
        GX = empty_output(4, shape, typenum)
        elem_strides(GX, gxs)
        gx_p = cnp.PyArray_DATA(GX)
    if need_w:
        A = strided(A, xs)
        x_p = cnp.PyArray_DATA(A)
        GW = empty_output(4, cnp.PyArray_DIMS(Wt), typenum)
        elem_strides(GW, gws)
        gw_p = cnp.PyArray_DATA(GW)
    if need_b:
        shape[0] = c_out
        GB = cnp.PyArray_EMPTY(1, shape, typenum, 0)
        gb_p = cnp.PyArray_DATA(GB)
    cdef int status
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.conv2d_backward(&g, <const float *>cnp.PyArray_DATA(G), gys,
                                        <const float *>x_p, xs, <const float *>w_p, ws,
                                        <float *>gx_p, gxs, <float *>gw_p, gws,
                                        <float *>gb_p, gbs)
    else:
        with nogil:
            status = cy.conv2d_backward(&g, <const double *>cnp.PyArray_DATA(G), gys,
                                        <const double *>x_p, xs, <const double *>w_p, ws,
                                        <double *>gx_p, gxs, <double *>gw_p, gws,
                                        <double *>gb_p, gbs)
    raise_status(fname, status)
    if GX is not None and not batched:
        GX = GX[0]
    return Conv2dGrads(GX, GW, GB)
