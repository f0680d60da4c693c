# cython: language_level=3
"""fastla._nn -- Python layer of the neural-network operations: validate,
allocate, release the GIL, call the Cython API (fastla.cy).  The work is in
the C core (frame/gemm_frame.inc epilogue, frame/nn_frame.inc, the CSR
kernels); NumPy is only used here for index bookkeeping of embedding bags."""
import math
import numbers
import numpy as np
cimport numpy as cnp
from libc.stdint cimport int64_t
from fastla cimport cy
from fastla._capi cimport fastla_index
from fastla._checks cimport (as_array, float_type, elem_strides, shape_of, NPY_FLOAT32,
                             NPY_FLOAT64, raise_status, strided, aligned_copy)

cnp.import_array()

_ACTS = {None: cy.ACT_NONE, "relu": cy.ACT_RELU, "sigmoid": cy.ACT_SIGMOID,
         "tanh": cy.ACT_TANH, "gelu": cy.ACT_GELU}


cdef int act_code(str fname, object activation) except -1:
    if not (activation is None or isinstance(activation, str)) or activation not in _ACTS:
        raise ValueError(f"{fname}: unknown activation {activation!r}; expected one of "
                         f"None, 'relu', 'sigmoid', 'tanh', 'gelu'")
    return _ACTS[activation]


cdef cnp.ndarray as_2d(str fname, str name, object x, Py_ssize_t last):
    """x as (rows, last): 2-D as is, N-D reshaped (a view when possible)."""
    cdef cnp.ndarray X = as_array(x)
    if cnp.PyArray_NDIM(X) < 1:
        raise ValueError(f"{fname}: {name} must have at least 1 dimension, got shape {shape_of(X)}")
    if last >= 0 and X.shape[X.ndim - 1] != last:
        raise ValueError(f"{fname}: {name} has shape {shape_of(X)}, its last dimension "
                         f"must be {last}")
    if cnp.PyArray_NDIM(X) == 2:
        return X
    cdef Py_ssize_t rows = 1, d
    for d in range(X.ndim - 1):     # not reshape(-1, ...): -1 is ambiguous when last == 0
        rows *= X.shape[d]
    return <cnp.ndarray>X.reshape(rows, X.shape[X.ndim - 1])


def linear(x, weight, bias=None, *, activation=None):
    """Fused linear layer ``act(x @ weight.T + bias)``.

    Parameters
    ----------
    x : ndarray, shape (..., in_features), float32 or float64
        Any strides (transposed views and slices are not copied when 2-D).
    weight : ndarray, shape (out_features, in_features), same dtype
        PyTorch's layout (``torch.nn.Linear.weight``).
    bias : ndarray, shape (out_features,), optional
    activation : {None, 'relu', 'sigmoid', 'tanh', 'gelu'}
        Applied element-wise; ``'gelu'`` is the exact (erf) form, as
        ``torch.nn.functional.gelu`` by default.

    Returns
    -------
    out : ndarray, shape (..., out_features), C-ordered

    Raises
    ------
    TypeError
        Unsupported or mixed dtypes.
    ValueError
        Mismatched shapes or an unknown activation.

    Notes
    -----
    One GEMM (``fastla.matmul``'s blocked loop nest) with a fused epilogue:
    the bias and the activation are applied to each register tile of the
    output right after the micro-kernel finished it (while it is in L1), so
    the output is written once and never re-read. Activations are
    vectorized (exp/expm1 polynomial; erfc per element for GELU).

    Examples
    --------
    >>> import numpy as np, fastla
    >>> x = np.array([[1.0, -2.0]])
    >>> w = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> fastla.linear(x, w, np.array([0.0, 0.0, 0.5]), activation="relu")
    array([[1., 0., 0.]])
    """
    cdef int act = act_code("linear", activation)
    cdef cnp.ndarray W = as_array(weight)
    if cnp.PyArray_NDIM(W) != 2:
        raise ValueError(f"linear: weight must be 2-D (out_features, in_features), "
                         f"got shape {shape_of(W)}")
    cdef cnp.ndarray X0 = as_array(x)
    cdef int typenum = float_type("linear", X0, W)
    cdef Py_ssize_t nout = W.shape[0], nin = W.shape[1]
    if cnp.PyArray_NDIM(X0) < 1 or X0.shape[X0.ndim - 1] != nin:
        raise ValueError(f"linear: x has shape {shape_of(X0)} and weight has shape "
                         f"{shape_of(W)}: x's last dimension must be {nin}")
    cdef cnp.ndarray X = as_2d("linear", "x", X0, nin)
    cdef cnp.ndarray B = None
    cdef fastla_index sb[1]
    sb[0] = 0
    if bias is not None:
        B = as_array(bias)
        float_type("linear", X0, B)
        if cnp.PyArray_NDIM(B) != 1 or B.shape[0] != nout:
            raise ValueError(f"linear: bias has shape {shape_of(B)}, expected ({nout},) "
                             f"for weight of shape {shape_of(W)}")
        B = strided(B, sb)
    cdef fastla_index sx[2]
    cdef fastla_index sw[2]
    X = strided(X, sx)
    W = strided(W, sw)
    cdef cnp.npy_intp shape[2]
    shape[0] = X.shape[0]
    shape[1] = nout
    cdef cnp.ndarray C = cnp.PyArray_EMPTY(2, shape, typenum, 0)
    cdef fastla_index m = shape[0], n = nout, k = nin
    cdef void *bp = cnp.PyArray_DATA(B) if B is not None else NULL
    cdef int status
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.gemm_bias_act(m, n, k, <float>1, <const float *>cnp.PyArray_DATA(X),
                                      sx[0], sx[1], <const float *>cnp.PyArray_DATA(W), sw[1],
                                      sw[0], <float>0, <float *>cnp.PyArray_DATA(C), n, 1,
                                      <const float *>bp, sb[0], 1, act)
    else:
        with nogil:
            status = cy.gemm_bias_act(m, n, k, <double>1, <const double *>cnp.PyArray_DATA(X),
                                      sx[0], sx[1], <const double *>cnp.PyArray_DATA(W), sw[1],
                                      sw[0], <double>0, <double *>cnp.PyArray_DATA(C), n, 1,
                                      <const double *>bp, sb[0], 1, act)
    raise_status("linear", status)
    if X0.ndim != 2:
        return C.reshape(shape_of(X0)[:X0.ndim - 1] + (nout,))
    return C


cdef cnp.ndarray gemm_new(str fname, cnp.ndarray A, fastla_index *sa, cnp.ndarray Bm,
                          fastla_index *sb, fastla_index m, fastla_index n, fastla_index k,
                          int typenum):
    """A new C-ordered m x n array A B with A(i, p) = a[i sa0 + p sa1] and
    B(p, j) = b[p sb0 + j sb1]."""
    cdef cnp.npy_intp shape[2]
    shape[0] = m
    shape[1] = n
    cdef cnp.ndarray C = cnp.PyArray_EMPTY(2, shape, typenum, 0)
    cdef int status
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.gemm(m, n, k, <float>1, <const float *>cnp.PyArray_DATA(A), sa[0], sa[1],
                             <const float *>cnp.PyArray_DATA(Bm), sb[0], sb[1], <float>0,
                             <float *>cnp.PyArray_DATA(C), n, 1)
    else:
        with nogil:
            status = cy.gemm(m, n, k, <double>1, <const double *>cnp.PyArray_DATA(A), sa[0],
                             sa[1], <const double *>cnp.PyArray_DATA(Bm), sb[0], sb[1],
                             <double>0, <double *>cnp.PyArray_DATA(C), n, 1)
    raise_status(fname, status)
    return C


def linear_backward(grad_out, x, weight, out=None, *, activation=None,
                    needs=("input", "weight", "bias")):
    """Gradients of :func:`linear` with respect to its input, weight and bias.

    Parameters
    ----------
    grad_out : ndarray, shape (..., out_features)
        Gradient of the loss with respect to the layer's output.
    x : ndarray, shape (..., in_features)
        The forward input.
    weight : ndarray, shape (out_features, in_features)
    out : ndarray, shape (..., out_features), optional
        What the derivative of the activation is computed from, required
        when `activation` is not None: the saved forward output
        ``act(z)`` for ``'relu'``, ``'sigmoid'`` and ``'tanh'``, and the
        pre-activation ``z = x @ weight.T + bias`` for ``'gelu'`` (its
        derivative cannot be recovered from ``gelu(z)``; compute ``z`` with
        ``linear(x, weight, bias)`` and ``gelu`` with ``activation='gelu'``,
        or keep both).
    activation : {None, 'relu', 'sigmoid', 'tanh', 'gelu'}
    needs : iterable of {'input', 'weight', 'bias'}
        Which gradients to compute; the others are returned as None.

    Returns
    -------
    grad_input : ndarray, shape of `x`, or None
    grad_weight : ndarray, shape (out_features, in_features), or None
    grad_bias : ndarray, shape (out_features,), or None

    Notes
    -----
    With ``g = grad_out * act'(.)`` (one threaded element-wise pass, skipped
    without activation): ``grad_input = g @ weight``, ``grad_weight = g.T @
    x`` and ``grad_bias = g.sum(0)`` (a matrix-vector product); each product
    is one fastla GEMM/GEMV on transposed views, nothing is copied.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> x = np.array([[1.0, 2.0]]); w = np.array([[3.0, 4.0]])
    >>> gx, gw, gb = fastla.linear_backward(np.array([[1.0]]), x, w)
    >>> gx, gw, gb
    (array([[3., 4.]]), array([[1., 2.]]), array([1.]))
    """
    cdef int act = act_code("linear_backward", activation)
    needs = tuple(needs) if not isinstance(needs, str) else (needs,)
    for nd in needs:
        if nd not in ("input", "weight", "bias"):
            raise ValueError(f"linear_backward: needs has {nd!r}; expected 'input', "
                             f"'weight' or 'bias'")
    cdef cnp.ndarray W = as_array(weight)
    if cnp.PyArray_NDIM(W) != 2:
        raise ValueError(f"linear_backward: weight must be 2-D, got shape {shape_of(W)}")
    cdef Py_ssize_t nout = W.shape[0], nin = W.shape[1]
    cdef cnp.ndarray G0 = as_array(grad_out)
    cdef cnp.ndarray X0 = as_array(x)
    cdef int typenum = float_type("linear_backward", G0, W)
    float_type("linear_backward", X0, W)
    if (cnp.PyArray_NDIM(X0) < 1 or X0.shape[X0.ndim - 1] != nin or
            shape_of(G0) != shape_of(X0)[:X0.ndim - 1] + (nout,)):
        raise ValueError(f"linear_backward: grad_out has shape {shape_of(G0)}, x {shape_of(X0)}"
                         f" and weight {shape_of(W)}: expected x (..., {nin}) and grad_out "
                         f"(..., {nout}) with the same leading dimensions")
    cdef cnp.ndarray G = as_2d("linear_backward", "grad_out", G0, nout)
    cdef cnp.ndarray X = as_2d("linear_backward", "x", X0, nin)
    cdef fastla_index sg[2]
    cdef fastla_index sx[2]
    cdef fastla_index sw[2]
    cdef fastla_index sy[2]
    cdef fastla_index st[2]
    G = strided(G, sg)
    X = strided(X, sx)
    W = strided(W, sw)
    cdef fastla_index N = G.shape[0]
    cdef cnp.ndarray Y, D
    cdef cnp.npy_intp shape[2]
    cdef int status
    if act != cy.ACT_NONE:
        if out is None:
            raise ValueError(f"linear_backward: activation={activation!r} needs out (the saved "
                             f"forward output, or the pre-activation for 'gelu')")
        Y = as_array(out)
        float_type("linear_backward", Y, W)
        if shape_of(Y) != shape_of(G0):
            raise ValueError(f"linear_backward: out has shape {shape_of(Y)}, expected "
                             f"{shape_of(G0)} (the shape of grad_out)")
        Y = strided(as_2d("linear_backward", "out", Y, nout), sy)
        shape[0] = N
        shape[1] = nout
        D = cnp.PyArray_EMPTY(2, shape, typenum, 0)
        if typenum == NPY_FLOAT32:
            with nogil:
                status = cy.act_backward(N, nout, <const float *>cnp.PyArray_DATA(G), sg[0], sg[1],
                                         <const float *>cnp.PyArray_DATA(Y), sy[0], sy[1],
                                         <float *>cnp.PyArray_DATA(D), nout, act)
        else:
            with nogil:
                status = cy.act_backward(N, nout, <const double *>cnp.PyArray_DATA(G), sg[0],
                                         sg[1], <const double *>cnp.PyArray_DATA(Y), sy[0], sy[1],
                                         <double *>cnp.PyArray_DATA(D), nout, act)
        raise_status("linear_backward", status)
        G = D
        sg[0] = nout
        sg[1] = 1
    gx = gw = gb = None
    if "input" in needs:
        gx = gemm_new("linear_backward", G, sg, W, sw, N, nin, nout, typenum)
        if X0.ndim != 2:
            gx = gx.reshape(shape_of(X0))
    if "weight" in needs:
        st[0] = sg[1]
        st[1] = sg[0]
        gw = gemm_new("linear_backward", G, st, X, sx, nout, nin, N, typenum)
    cdef cnp.ndarray ones, GB
    cdef cnp.npy_intp nn
    if "bias" in needs:
        nn = N
        ones = cnp.PyArray_EMPTY(1, &nn, typenum, 0)
        ones[...] = 1
        nn = nout
        GB = cnp.PyArray_EMPTY(1, &nn, typenum, 0)
        if typenum == NPY_FLOAT32:
            with nogil:
                status = cy.gemv(nout, N, <float>1, <const float *>cnp.PyArray_DATA(G), sg[1],
                                 sg[0], <const float *>cnp.PyArray_DATA(ones), 1, <float>0,
                                 <float *>cnp.PyArray_DATA(GB), 1)
        else:
            with nogil:
                status = cy.gemv(nout, N, <double>1, <const double *>cnp.PyArray_DATA(G), sg[1],
                                 sg[0], <const double *>cnp.PyArray_DATA(ones), 1, <double>0,
                                 <double *>cnp.PyArray_DATA(GB), 1)
        raise_status("linear_backward", status)
        gb = GB
    return gx, gw, gb


def el(a):
    """Element strides of an ndarray (whole elements: checked by the caller)."""
    return [s // a.itemsize for s in a.strides]


def _collapse_batch(tuple batch, list strides):
    """Merge the batch dimensions into at most two (n0, n1) with one stride
    each per operand; None if the strides do not allow it."""
    dims = list(batch)
    sts = [list(s) for s in strides]
    i = len(dims) - 2
    while i >= 0 and len(dims) > 2:
        if all(s[i] == s[i + 1] * dims[i + 1] for s in sts):
            dims[i] *= dims[i + 1]
            del dims[i + 1]
            for s in sts:
                s[i] = s[i + 1]
                del s[i + 1]
        i -= 1
    if len(dims) > 2:
        return None
    while len(dims) < 2:
        dims.insert(0, 1)
        for s in sts:
            s.insert(0, 0)
    return dims, sts


def attention(q, k, v, *, mask=None, is_causal=False, scale=None):
    """Scaled dot-product attention ``softmax(q @ k.T * scale + mask) @ v``.

    The semantics of ``torch.nn.functional.scaled_dot_product_attention``
    (without dropout), computed block by block with an online softmax: the
    ``L x S`` score matrix is never formed.

    Parameters
    ----------
    q : ndarray, shape (..., L, E), float32 or float64
    k : ndarray, shape (..., S, E), same dtype
    v : ndarray, shape (..., S, Ev), same dtype
        The leading (batch, heads, ...) dimensions broadcast. Any strides.
    mask : ndarray, shape broadcastable to (..., L, S), optional
        Boolean: True where a query may attend to a key. Floating (the
        dtype of `q`): added to the scaled scores.
    is_causal : bool
        Query ``i`` attends to keys ``j <= i`` only (top-left aligned, as
        PyTorch). Not together with `mask`.
    scale : float, optional
        Default ``1 / sqrt(E)``.

    Returns
    -------
    out : ndarray, shape (..., L, Ev), C-ordered
        Rows that may attend to no key, or whose scores are all ``-inf``,
        are zeros (as PyTorch). An inf or NaN in a value a mask excludes
        still reaches every row as ``0 * inf = NaN``, as in PyTorch.

    Notes
    -----
    For each block of about 192 queries, the keys are visited in blocks of
    256: ``S_blk = scale * K_blk Q_blk^T`` by fastla's GEMM micro-kernel
    (K and V packed once per head into its operand layout), masked, then
    the running maxima and sums of each query are updated and its output
    rescaled (online softmax, vectorized across queries) before ``O += P
    V_blk`` (micro-kernel again, reading P where the first product wrote
    it). Causal attention skips the key blocks above the diagonal (all of
    them are visited when ``v`` holds an inf or NaN, see above). Memory:
    O(L d) per head plus a 192 x 256 block per thread, never ``L x S``.
    Threads over heads (and query blocks when there are few heads).

    Examples
    --------
    >>> import numpy as np, fastla
    >>> q = np.zeros((1, 2, 3, 4)); k = np.zeros((1, 2, 5, 4))
    >>> v = np.arange(10.0).reshape(1, 1, 5, 2) * np.ones((1, 2, 1, 1))
    >>> fastla.attention(q, k, v)[0, 0]
    array([[4., 5.],
           [4., 5.],
           [4., 5.]])
    >>> fastla.attention(q, k, v, is_causal=True)[0, 0]
    array([[0., 1.],
           [1., 2.],
           [2., 3.]])
    """
    if not isinstance(is_causal, (int, np.bool_, np.integer)):   # bool is an int
        raise TypeError(f"attention: is_causal must be a bool, got {is_causal!r}")
    cdef cnp.ndarray Q = as_array(q), K = as_array(k), V = as_array(v)
    cdef int typenum = float_type("attention", Q, K)
    float_type("attention", Q, V)
    if Q.ndim < 2 or K.ndim < 2 or V.ndim < 2:
        raise ValueError(f"attention: q, k, v must have at least 2 dimensions, got "
                         f"{shape_of(Q)}, {shape_of(K)}, {shape_of(V)}")
    cdef Py_ssize_t L = Q.shape[Q.ndim - 2], E = Q.shape[Q.ndim - 1]
    cdef Py_ssize_t S = K.shape[K.ndim - 2], Ev = V.shape[V.ndim - 1]
    if K.shape[K.ndim - 1] != E or V.shape[V.ndim - 2] != S:
        raise ValueError(f"attention: shapes q {shape_of(Q)}, k {shape_of(K)}, v {shape_of(V)} "
                         f"do not match: need q (..., L, E), k (..., S, E), v (..., S, Ev)")
    cdef cnp.ndarray M = None
    cdef int mask_kind = 0
    if mask is not None:
        if is_causal:
            raise ValueError("attention: give either mask or is_causal=True, not both")
        M = as_array(mask)
        if M.dtype == np.bool_:
            mask_kind = 1
        elif cnp.PyArray_TYPE(M) == typenum:
            mask_kind = 2
        else:
            raise TypeError(f"attention: mask has dtype {M.dtype}; expected bool or "
                            f"{Q.dtype} (the dtype of q)")
        if M.ndim < 2:
            M = M.reshape((1,) * (2 - M.ndim) + shape_of(M))
    shapes = [shape_of(Q)[:Q.ndim - 2], shape_of(K)[:K.ndim - 2], shape_of(V)[:V.ndim - 2]]
    if M is not None:
        shapes.append(shape_of(M)[:M.ndim - 2])
    try:
        batch = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(f"attention: batch dimensions of q {shape_of(Q)}, k {shape_of(K)}, "
                         f"v {shape_of(V)}" + (f", mask {shape_of(M)}" if M is not None else "")
                         + " do not broadcast") from None
    if M is not None:
        try:
            M = np.broadcast_to(M, batch + (L, S))
        except ValueError:
            raise ValueError(f"attention: mask of shape {shape_of(M)} does not broadcast to "
                             f"{batch + (L, S)}") from None
        if mask_kind == 1:
            M = M.view(np.uint8)
    if scale is not None and (isinstance(scale, bool) or not isinstance(scale, numbers.Real)):
        raise TypeError(f"attention: scale must be a real number or None, got {scale!r}")
    cdef double sc = (1.0 / math.sqrt(E) if E > 0 else 1.0) if scale is None else float(scale)
    ops = [np.broadcast_to(Q, batch + (L, E)), np.broadcast_to(K, batch + (S, E)),
           np.broadcast_to(V, batch + (S, Ev))]
    if M is not None:
        ops.append(M)
    out = np.empty(batch + (L, Ev), dtype=Q.dtype)
    cdef fastla_index st[64]
    cdef int i
    cdef cnp.ndarray arr
    for i in range(len(ops)):
        arr = <cnp.ndarray>ops[i]
        if elem_strides(arr, st):
            ops[i] = aligned_copy(arr)
    nb = len(batch)
    coll = _collapse_batch(batch, [el(a)[:nb] for a in ops] + [el(out)[:nb]])
    if coll is None:
        ops = [np.ascontiguousarray(a) for a in ops]
        coll = _collapse_batch(batch, [el(a)[:nb] for a in ops] + [el(out)[:nb]])
    dims, bst = coll
    qs, ks, vs, os_ = el(ops[0])[nb:], el(ops[1])[nb:], el(ops[2])[nb:], el(out)[nb:]
    cdef cnp.ndarray Qa = ops[0], Ka = ops[1], Va = ops[2], Oa = out
    cdef void *mp = NULL
    ms = [0, 0]
    mb = [0, 0]
    if M is not None:
        M = <cnp.ndarray>ops[3]
        mp = cnp.PyArray_DATA(M)
        ms = el(M)[nb:]
        mb = bst[3]
    qb, kb, vb, ob = bst[0], bst[1], bst[2], bst[len(bst) - 1]
    cdef fastla_index n0 = dims[0], n1 = dims[1]
    cdef fastla_index args[20]
    vals = [qb[0], qb[1], qs[0], qs[1], kb[0], kb[1], ks[0], ks[1], vb[0], vb[1], vs[0], vs[1],
            mb[0], mb[1], ms[0], ms[1], ob[0], ob[1], os_[0], os_[1]]
    for i in range(20):
        args[i] = vals[i]
    cdef int causal = 1 if is_causal else 0
    cdef int status
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.attention(n0, n1, L, S, E, Ev, <float>sc,
                                  <const float *>cnp.PyArray_DATA(Qa), args[0], args[1], args[2], args[3],
                                  <const float *>cnp.PyArray_DATA(Ka), args[4], args[5], args[6], args[7],
                                  <const float *>cnp.PyArray_DATA(Va), args[8], args[9], args[10], args[11],
                                  mask_kind, mp, args[12], args[13], args[14], args[15], causal,
                                  <float *>cnp.PyArray_DATA(Oa), args[16], args[17], args[18], args[19])
    else:
        with nogil:
            status = cy.attention(n0, n1, L, S, E, Ev, sc,
                                  <const double *>cnp.PyArray_DATA(Qa), args[0], args[1], args[2], args[3],
                                  <const double *>cnp.PyArray_DATA(Ka), args[4], args[5], args[6], args[7],
                                  <const double *>cnp.PyArray_DATA(Va), args[8], args[9], args[10], args[11],
                                  mask_kind, mp, args[12], args[13], args[14], args[15], causal,
                                  <double *>cnp.PyArray_DATA(Oa), args[16], args[17], args[18], args[19])
    raise_status("attention", status)
    return out


def _bags(str fname, indices, offsets, include_last_offset, padding_idx, Py_ssize_t num):
    """(indptr, indices, shape, kept) for a table of `num` rows: int64 CSR rows
    (one row per bag) with padding entries removed; the shape of `indices`;
    and `kept`, which entries of the flattened indices remain (None: all), so
    that per-sample weights can follow them."""
    idx = np.asarray(indices)
    kept = None
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{fname}: indices must be integers (int32 or int64), got {idx.dtype}")
    if idx.dtype.kind == "u" and idx.dtype.itemsize == 8 and idx.size and \
            idx.max() > np.iinfo(np.int64).max:     # named as given: int64 would wrap it
        raise IndexError(f"{fname}: index {idx.max()} out of range for a table of {num} rows")
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{fname}: offsets must be None for 2-D indices (fixed-size bags)")
        nb, size = idx.shape
        indptr = np.arange(0, nb * size + 1, max(size, 1), dtype=np.int64)
        if size == 0:
            indptr = np.zeros(nb + 1, dtype=np.int64)
        flat = np.ascontiguousarray(idx, dtype=np.int64).reshape(-1)
    elif idx.ndim == 1:
        if offsets is None:
            raise ValueError(f"{fname}: offsets are required for 1-D indices")
        off = np.asarray(offsets)
        if off.dtype.kind not in "iu" or off.ndim != 1:
            raise TypeError(f"{fname}: offsets must be a 1-D integer array, got "
                            f"{off.dtype} of shape {off.shape}")
        flat = np.ascontiguousarray(idx, dtype=np.int64)
        if include_last_offset:
            if off.shape[0] < 1:
                raise ValueError(f"{fname}: offsets must not be empty with include_last_offset")
            indptr = np.ascontiguousarray(off, dtype=np.int64)
        else:
            indptr = np.empty(off.shape[0] + 1, dtype=np.int64)
            indptr[:-1] = off
            indptr[-1] = flat.shape[0]
        # checked here, before padding_idx remaps the offsets (a remap could
        # turn a malformed structure into a well-formed one); csr_check
        # checks the result again with the indices
        if indptr[-1] != flat.shape[0] or indptr[0] != 0 or np.any(indptr[1:] < indptr[:-1]):
            if include_last_offset and indptr[-1] != flat.shape[0]:
                raise ValueError(f"{fname}: with include_last_offset the last offset must be "
                                 f"len(indices) = {flat.shape[0]}, got {indptr[-1]}")
            raise ValueError(f"{fname}: offsets must start at 0, be non-decreasing and not "
                             f"exceed len(indices) = {flat.shape[0]}")
    else:
        raise ValueError(f"{fname}: indices must be 1-D (with offsets) or 2-D, got shape "
                         f"{idx.shape}")
    if padding_idx is not None:
        if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)):
            raise TypeError(f"{fname}: padding_idx must be an int, got {padding_idx!r}")
        if not -num <= padding_idx < num:
            raise ValueError(f"{fname}: padding_idx {padding_idx} must be within the "
                             f"{num} rows of weight (negative counts from the end)")
        pad = padding_idx + num if padding_idx < 0 else padding_idx
        keep = flat != pad
        if not keep.all():
            csum = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
            indptr = csum[indptr]
            flat = flat[keep]
            kept = np.flatnonzero(keep)
    return indptr, flat, idx.shape, kept


cdef int check_rows(str fname, cnp.ndarray indptr, cnp.ndarray flat, Py_ssize_t num) except -1:
    cdef fastla_index where = -1
    cdef int err = cy.csr_check(indptr.shape[0] - 1, num, flat.shape[0],
                                <const int64_t *>cnp.PyArray_DATA(indptr),
                                <const int64_t *>cnp.PyArray_DATA(flat), &where)
    if err == 5:
        raise IndexError(f"{fname}: index {flat[where]} out of range for a table of {num} rows")
    if err != 0:
        raise ValueError(f"{fname}: offsets must start at 0, be non-decreasing and not "
                         f"exceed len(indices) = {flat.shape[0]} (error {err})")
    return 0


cdef int check_weights_mode(str fname, str mode, object per_sample_weights) except -1:
    if per_sample_weights is not None and mode != "sum":
        raise ValueError(f"{fname}: per_sample_weights is only supported for mode='sum' "
                         f"(got mode={mode!r}), as in PyTorch")
    return 0


cdef cnp.ndarray bag_values(str fname, str mode, cnp.ndarray indptr, cnp.ndarray flat,
                            object per_sample_weights, cnp.ndarray W, tuple idx_shape,
                            object kept):
    """The CSR values: per-sample weights (sum; given in the shape of the
    indices, then reduced to the `kept` entries, see _bags), 1 / bag size
    (mean) or ones (at least nnz of them)."""
    if per_sample_weights is not None:
        check_weights_mode(fname, mode, per_sample_weights)
        pw = as_array(per_sample_weights)
        float_type(fname, W, pw)
        if shape_of(pw) != idx_shape:
            raise ValueError(f"{fname}: per_sample_weights has shape {shape_of(pw)}, expected "
                             f"the shape of indices {idx_shape}")
        pw = pw.reshape(-1)
        return np.ascontiguousarray(pw if kept is None else pw[kept])
    if mode == "mean":
        cnt = np.diff(indptr)
        return np.repeat(1.0 / np.maximum(cnt, 1), cnt).astype(W.dtype)
    return ones(flat.shape[0], W.dtype)


_ONES = {}


def ones(n, dtype):
    """A read-only vector of at least n ones, kept between calls (the values
    of an unweighted bag matrix: no allocation and fill per call)."""
    key = np.dtype(dtype).char
    buf = _ONES.get(key)
    if buf is None or buf.shape[0] < n:
        buf = np.ones(max(n, 4096), dtype=dtype)
        buf.setflags(write=False)
        _ONES[key] = buf
    return buf


def embedding_bag(indices, weight, offsets=None, *, mode="mean", per_sample_weights=None,
                  include_last_offset=False, padding_idx=None):
    """Sums, means or maxima of bags of embedding rows.

    ``torch.nn.functional.embedding_bag``'s arguments and semantics (without
    ``max_norm`` and ``scale_grad_by_freq``).

    Parameters
    ----------
    indices : ndarray of int32 or int64
        1-D with `offsets` (bag ``b`` holds ``indices[offsets[b]:offsets[b+1]]``,
        the last bag runs to the end), or 2-D ``(bags, size)`` of fixed-size bags.
    weight : ndarray, shape (num_embeddings, dim), float32 or float64
    offsets : ndarray of int, optional
        Start of each bag (starts at 0, non-decreasing).
    mode : {'mean', 'sum', 'max'}
        ``'mean'`` is the default, as in PyTorch.
    per_sample_weights : ndarray, optional
        Shape of `indices`, `weight`'s dtype; each row is scaled before the
        sum (``mode='sum'`` only).
    include_last_offset : bool
        `offsets` has one more entry, the end of the last bag.
    padding_idx : int, optional
        Entries equal to it are left out of their bags (and of the means).

    Returns
    -------
    out : ndarray, shape (bags, dim)
        Empty bags give zeros.

    Notes
    -----
    The bags are the rows of a CSR matrix ``A`` (bags x num_embeddings) whose
    values are ones or the per-sample weights, and ``out = A @ weight`` is
    fastla's threaded CSR SpMM: rows of `weight` are gathered once per
    occurrence (prefetched ahead) and summed in SIMD register blocks;
    ``'mean'`` then divides each row by its bag's size. ``'max'`` has
    its own threaded kernel. Indices are validated (an out-of-range index is
    an IndexError).

    Examples
    --------
    >>> import numpy as np, fastla
    >>> w = np.arange(8.0).reshape(4, 2)
    >>> fastla.embedding_bag(np.array([0, 2, 3, 1]), w, np.array([0, 1, 1]), mode="sum")
    array([[ 0.,  1.],
           [ 0.,  0.],
           [12., 15.]])
    >>> fastla.embedding_bag(np.array([[0, 1], [3, 3]]), w, mode="max")
    array([[2., 3.],
           [6., 7.]])
    """
    if not isinstance(mode, str) or mode not in ("sum", "mean", "max"):
        raise ValueError(f"embedding_bag: mode must be 'sum', 'mean' or 'max', got {mode!r}")
    mode = str(mode)                # a str subclass (numpy.str_) as the plain str
    cdef cnp.ndarray W = as_array(weight)
    if W.ndim != 2:
        raise ValueError(f"embedding_bag: weight must be 2-D (num_embeddings, dim), got shape "
                         f"{shape_of(W)}")
    cdef int typenum = float_type("embedding_bag", W, W)
    indptr, flat, idx_shape, kept = _bags("embedding_bag", indices, offsets, include_last_offset,
                                          padding_idx, W.shape[0])
    cdef cnp.ndarray IP = indptr, IX = flat
    check_rows("embedding_bag", IP, IX, W.shape[0])
    cdef fastla_index nbags = IP.shape[0] - 1, dim = W.shape[1], num = W.shape[0]
    cdef cnp.npy_intp shape[2]
    shape[0] = nbags
    shape[1] = dim
    cdef cnp.ndarray out = cnp.PyArray_EMPTY(2, shape, typenum, 0)
    cdef fastla_index sw[2]
    cdef int status
    cdef cnp.ndarray D
    check_weights_mode("embedding_bag", mode, per_sample_weights)
    if mode == "max":
        if elem_strides(W, sw) or sw[1] != 1:
            W = strided(aligned_copy(W), sw)
        if typenum == NPY_FLOAT32:
            with nogil:
                status = cy.embedding_bag_max(nbags, dim, <const int64_t *>cnp.PyArray_DATA(IP),
                                              <const int64_t *>cnp.PyArray_DATA(IX),
                                              <const float *>cnp.PyArray_DATA(W), sw[0],
                                              <float *>cnp.PyArray_DATA(out), dim, NULL)
        else:
            with nogil:
                status = cy.embedding_bag_max(nbags, dim, <const int64_t *>cnp.PyArray_DATA(IP),
                                              <const int64_t *>cnp.PyArray_DATA(IX),
                                              <const double *>cnp.PyArray_DATA(W), sw[0],
                                              <double *>cnp.PyArray_DATA(out), dim, NULL)
        raise_status("embedding_bag", status)
        return out
    cdef void *vals = NULL       # NULL: every value is 1 (the kernel adds rows, no FMA)
    if per_sample_weights is not None:
        D = bag_values("embedding_bag", mode, IP, IX, per_sample_weights, W, idx_shape, kept)
        vals = cnp.PyArray_DATA(D)
    W = strided(W, sw)
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.csr_spmm(nbags, num, <const int64_t *>cnp.PyArray_DATA(IP),
                                 <const int64_t *>cnp.PyArray_DATA(IX),
                                 <const float *>vals, dim, <float>1,
                                 <const float *>cnp.PyArray_DATA(W), sw[0], sw[1], <float>0,
                                 <float *>cnp.PyArray_DATA(out), dim, 1, NULL, 0)
    else:
        with nogil:
            status = cy.csr_spmm(nbags, num, <const int64_t *>cnp.PyArray_DATA(IP),
                                 <const int64_t *>cnp.PyArray_DATA(IX),
                                 <const double *>vals, dim, <double>1,
                                 <const double *>cnp.PyArray_DATA(W), sw[0], sw[1], <double>0,
                                 <double *>cnp.PyArray_DATA(out), dim, 1, NULL, 0)
    raise_status("embedding_bag", status)
    if mode == "mean":           # sums of the bags divided by their sizes
        out *= (1.0 / np.maximum(np.diff(IP), 1)).astype(W.dtype)[:, None]
    return out


def embedding_bag_backward(grad_out, indices, weight, offsets=None, *, mode="mean",
                           per_sample_weights=None, include_last_offset=False,
                           padding_idx=None):
    """Row-sparse gradient of :func:`embedding_bag` with respect to `weight`.

    Parameters
    ----------
    grad_out : ndarray, shape (bags, dim)
        Gradient of the loss with respect to the output of
        :func:`embedding_bag`.
    indices : ndarray of int32 or int64
        As given to :func:`embedding_bag`.
    weight : ndarray, shape (num_embeddings, dim)
        As given to :func:`embedding_bag`; read only for ``mode='max'`` (to
        find the winning rows), otherwise only its shape and dtype are used.
    offsets : ndarray of int, optional
        As given to :func:`embedding_bag`.
    mode : {'mean', 'sum', 'max'}
        As given to :func:`embedding_bag`.
    per_sample_weights : ndarray, optional
        As given to :func:`embedding_bag` (``mode='sum'`` only).
    include_last_offset : bool
        As given to :func:`embedding_bag`.
    padding_idx : int, optional
        As given to :func:`embedding_bag`.

    Returns
    -------
    rows : ndarray of int64, shape (nrows,)
        The distinct embedding rows that received a gradient, sorted.
    values : ndarray, shape (nrows, dim)
        Their gradients: the dense gradient is ``g = np.zeros_like(weight);
        g[rows] = values`` (as a CSR matrix: rows ``rows`` of a
        ``(num_embeddings, dim)`` matrix with every column stored).

    Notes
    -----
    ``dW = A^T grad_out`` for the bag matrix ``A`` of :func:`embedding_bag`:
    ``A^T`` is built by fastla's counting-sort CSR transpose, its empty rows
    are dropped and the product is one threaded CSR SpMM. ``'max'``
    scatters each output element's gradient to the row that won the maximum.
    The gradient with respect to `per_sample_weights` is not computed.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> w = np.zeros((5, 2))
    >>> rows, vals = fastla.embedding_bag_backward(np.ones((2, 2)), np.array([[1, 3], [3, 3]]),
    ...                                            w, mode="sum")
    >>> rows, vals
    (array([1, 3]), array([[1., 1.],
           [3., 3.]]))
    """
    if not isinstance(mode, str) or mode not in ("sum", "mean", "max"):
        raise ValueError(f"embedding_bag_backward: mode must be 'sum', 'mean' or 'max', "
                         f"got {mode!r}")
    mode = str(mode)
    fname = "embedding_bag_backward"
    cdef cnp.ndarray W = as_array(weight)
    if W.ndim != 2:
        raise ValueError(f"{fname}: weight must be 2-D, got shape {shape_of(W)}")
    cdef cnp.ndarray G = as_array(grad_out)
    cdef int typenum = float_type(fname, G, W)
    indptr, flat, idx_shape, kept = _bags(fname, indices, offsets, include_last_offset,
                                          padding_idx, W.shape[0])
    check_weights_mode(fname, mode, per_sample_weights)
    cdef cnp.ndarray IP = indptr, IX = flat
    check_rows(fname, IP, IX, W.shape[0])
    cdef fastla_index nbags = IP.shape[0] - 1, dim = W.shape[1], num = W.shape[0]
    if shape_of(G) != (nbags, dim):
        raise ValueError(f"{fname}: grad_out has shape {shape_of(G)}, expected {(nbags, dim)}")
    cdef cnp.npy_intp shape[2]
    cdef int status
    cdef fastla_index sg[2]
    cdef cnp.ndarray AM, OV, WC
    if mode == "max":
        shape[0] = nbags
        shape[1] = dim
        AM = cnp.PyArray_EMPTY(2, shape, cnp.NPY_INT64, 0)
        OV = np.empty((nbags, dim), dtype=W.dtype)
        WC = np.ascontiguousarray(W)
        if typenum == NPY_FLOAT32:
            with nogil:
                status = cy.embedding_bag_max(nbags, dim, <const int64_t *>cnp.PyArray_DATA(IP),
                                              <const int64_t *>cnp.PyArray_DATA(IX),
                                              <const float *>cnp.PyArray_DATA(WC), dim,
                                              <float *>cnp.PyArray_DATA(OV), dim,
                                              <int64_t *>cnp.PyArray_DATA(AM))
        else:
            with nogil:
                status = cy.embedding_bag_max(nbags, dim, <const int64_t *>cnp.PyArray_DATA(IP),
                                              <const int64_t *>cnp.PyArray_DATA(IX),
                                              <const double *>cnp.PyArray_DATA(WC), dim,
                                              <double *>cnp.PyArray_DATA(OV), dim,
                                              <int64_t *>cnp.PyArray_DATA(AM))
        raise_status(fname, status)
        am = AM.reshape(-1)
        valid = am >= 0
        rows, inv = np.unique(am[valid], return_inverse=True)
        values = np.zeros((rows.shape[0], dim), dtype=W.dtype)
        cols = np.broadcast_to(np.arange(dim), (nbags, dim)).reshape(-1)[valid]
        np.add.at(values, (inv, cols), np.asarray(G).reshape(-1)[valid])
        return rows.astype(np.int64), values
    D = bag_values(fname, mode, IP, IX, per_sample_weights, W, idx_shape, kept)
    # A^T (num x nbags) by the counting-sort transpose
    cdef cnp.ndarray TP = np.empty(num + 1, dtype=np.int64)
    cdef cnp.ndarray TI = np.empty(IX.shape[0], dtype=np.int64)
    cdef cnp.ndarray TD = np.empty(IX.shape[0], dtype=W.dtype)
    cdef cnp.ndarray Dc = D
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.csr_transpose(nbags, num, <const int64_t *>cnp.PyArray_DATA(IP),
                                      <const int64_t *>cnp.PyArray_DATA(IX),
                                      <const float *>cnp.PyArray_DATA(Dc),
                                      <int64_t *>cnp.PyArray_DATA(TP),
                                      <int64_t *>cnp.PyArray_DATA(TI),
                                      <float *>cnp.PyArray_DATA(TD))
    else:
        with nogil:
            status = cy.csr_transpose(nbags, num, <const int64_t *>cnp.PyArray_DATA(IP),
                                      <const int64_t *>cnp.PyArray_DATA(IX),
                                      <const double *>cnp.PyArray_DATA(Dc),
                                      <int64_t *>cnp.PyArray_DATA(TP),
                                      <int64_t *>cnp.PyArray_DATA(TI),
                                      <double *>cnp.PyArray_DATA(TD))
    raise_status(fname, status)
    rows = np.flatnonzero(np.diff(TP)).astype(np.int64)
    cdef cnp.ndarray CP = np.ascontiguousarray(np.append(TP[rows], TP[num]))
    cdef fastla_index nr = rows.shape[0]
    shape[0] = nr
    shape[1] = dim
    cdef cnp.ndarray V = cnp.PyArray_EMPTY(2, shape, typenum, 0)
    G = strided(G, sg)
    if typenum == NPY_FLOAT32:
        with nogil:
            status = cy.csr_spmm(nr, nbags, <const int64_t *>cnp.PyArray_DATA(CP),
                                 <const int64_t *>cnp.PyArray_DATA(TI),
                                 <const float *>cnp.PyArray_DATA(TD), dim, <float>1,
                                 <const float *>cnp.PyArray_DATA(G), sg[0], sg[1], <float>0,
                                 <float *>cnp.PyArray_DATA(V), dim, 1, NULL, 0)
    else:
        with nogil:
            status = cy.csr_spmm(nr, nbags, <const int64_t *>cnp.PyArray_DATA(CP),
                                 <const int64_t *>cnp.PyArray_DATA(TI),
                                 <const double *>cnp.PyArray_DATA(TD), dim, <double>1,
                                 <const double *>cnp.PyArray_DATA(G), sg[0], sg[1], <double>0,
                                 <double *>cnp.PyArray_DATA(V), dim, 1, NULL, 0)
    raise_status(fname, status)
    return rows, V
