"""fastla.sparse -- CSR matrices and their products (SpMV, transposed SpMV, SpMM).

``CSRMatrix`` holds float32/float64 values with int32 or int64 indices,
without copying arrays that are already suitable; its structure is validated
once, at construction.  ``A.T`` is a ``CSCMatrix`` view of the same arrays.
The products run in the C core (``fastla._sparse`` -> ``fastla.cy``), with
the GIL released, rows split between threads by non-zeros.  scipy is
optional: it is imported only by ``from_scipy``/``to_scipy`` (and when a
scipy matrix is passed to ``spmv``/``spmm``).
"""
import operator
import warnings

import numpy as np

from fastla import _sparse
from fastla import cy as _cy

__all__ = ["CSRMatrix", "CSCMatrix", "spmv", "spmm"]

_INT32_MAX = np.iinfo(np.int32).max
_INT64_MAX = np.iinfo(np.int64).max


def _narrow(dtype):
    """Does every value of this integer dtype fit int32?"""
    return dtype.itemsize < 4 or (dtype.kind == "i" and dtype.itemsize == 4)


def _index_dtype(indices_dtype, indptr_dtype, nrows, ncols, nnz):
    """The one index dtype of a CSRMatrix (its kernels take one index type for
    indices and indptr, and every offset into data/indices is then that
    wide), and a warning text or None.

    int32 when both dtypes fit int32 and so do nrows, ncols and nnz; else
    int64.  Only dtypes and sizes are looked at (so the choice is testable
    without allocating 2**31 entries).  Widening int32 arrays because a size
    passes 2**31 - 1 copies them: that is said in the warning.  An int32 (or
    narrower) indptr cannot hold nnz >= 2**31 (its last entry must equal
    nnz): ValueError.
    """
    for dt in (indices_dtype, indptr_dtype):
        if dt.kind not in "iu":
            raise TypeError(f"CSRMatrix: index arrays must be integers, got {dt}")
    big = max(nrows, ncols, nnz) > _INT32_MAX
    if nnz > _INT32_MAX and _narrow(indptr_dtype):
        raise ValueError(f"CSRMatrix: nnz = {nnz} does not fit the {indptr_dtype} indptr (its "
                         f"last entry must equal nnz, so it has overflowed); build indptr (and "
                         f"indices) as int64")
    if _narrow(indices_dtype) and _narrow(indptr_dtype) and not big:
        return np.dtype(np.int32), None
    narrow = [name for name, dt in (("indices", indices_dtype), ("indptr", indptr_dtype))
              if dt.itemsize == 4 and _narrow(dt)]
    if big and narrow:
        return np.dtype(np.int64), (
            f"CSRMatrix: {' and '.join(narrow)} copied from int32 to int64: shape "
            f"{(nrows, ncols)} with nnz = {nnz} needs 64-bit indices and offsets (one index "
            f"type per matrix); pass int64 arrays to avoid the copy")
    return np.dtype(np.int64), None


def _contig(a, dtype):
    """`a` itself when it is already contiguous and aligned with this (native)
    dtype, else an aligned copy (np.ascontiguousarray would hand back a
    contiguous misaligned array as it is)."""
    dtype = np.dtype(dtype).newbyteorder("=")
    if a.dtype == dtype and a.dtype.isnative and a.flags.c_contiguous and a.flags.aligned:
        return a
    return np.array(a, dtype=dtype, order="C", copy=True)


def _values(data, fname, name="data"):
    data = np.asarray(data)
    if data.dtype.kind != "f" or data.dtype.itemsize not in (4, 8):   # any byte order
        raise TypeError(f"{fname}: unsupported dtype {data.dtype}; supported dtypes are float32 "
                        f"and float64. Convert first, e.g. {name}.astype(np.float64)")
    if data.ndim != 1:
        raise ValueError(f"{fname}: {name} must be 1-D, got shape {data.shape}")
    return _contig(data, data.dtype)


def _shape(shape, fname):
    try:
        m, n = (operator.index(s) for s in shape)
    except (TypeError, ValueError):
        raise ValueError(f"{fname}: shape must be a pair of integers, got {shape!r}") from None
    if m < 0 or n < 0:
        raise ValueError(f"{fname}: shape must be non-negative, got {(m, n)}")
    if max(m, n) > _INT64_MAX:
        raise ValueError(f"{fname}: shape {(m, n)} is too large (at most 2**63 - 1 per dimension)")
    return m, n


def _first_above_int64(a):
    """Position of the first value of a uint64 array above 2**63 - 1 (which
    no index or offset can be, and which int64 cannot hold), else None."""
    if a.dtype.kind != "u" or a.dtype.itemsize < 8 or a.size == 0:
        return None
    big = a > np.iinfo(np.int64).max
    return int(np.argmax(big)) if big.any() else None


def _checked_structure(data, indices, indptr, shape, fname, stacklevel):
    """(data, indices, indptr, (m, n)) validated and converted as the
    CSRMatrix constructor documents; raises on a malformed structure."""
    m, n = _shape(shape, fname)
    data = _values(data, fname)
    indices, indptr = np.asarray(indices), np.asarray(indptr)
    if indices.size == 0 and indices.dtype.kind == "f":
        indices = indices.astype(np.int32)      # [] (a float64 array): no entries
    if indices.ndim != 1 or indptr.ndim != 1:
        raise ValueError(f"{fname}: indices and indptr must be 1-D, got shapes "
                         f"{indices.shape} and {indptr.shape}")
    if indptr.shape[0] != m + 1:
        raise ValueError(f"{fname}: indptr has length {indptr.shape[0]}, expected "
                         f"nrows + 1 = {m + 1} for shape {(m, n)}")
    if indices.shape[0] != data.shape[0]:
        raise ValueError(f"{fname}: indices has length {indices.shape[0]} but data has "
                         f"length {data.shape[0]}")
    for name, a in (("indices", indices), ("indptr", indptr)):
        i = _first_above_int64(a)
        if i is not None:     # named as given: the cast to int64 would wrap it
            raise ValueError(f"{fname}: {name}[{i}] = {a[i]} is out of range for shape "
                             f"{(m, n)} with {data.shape[0]} entries")
    itype, note = _index_dtype(indices.dtype, indptr.dtype, m, n, data.shape[0])
    if note:
        warnings.warn(note, RuntimeWarning, stacklevel=stacklevel)
    indices, indptr = _contig(indices, itype), _contig(indptr, itype)
    _sparse.check(indptr, indices, m, n)
    return data, indices, indptr, (m, n)


class CSRMatrix:
    """Sparse matrix in compressed sparse row (CSR) format.

    Parameters
    ----------
    data : array_like, shape (nnz,), float32 or float64
        Values of the stored entries.
    indices : array_like, shape (nnz,), integer
        Column of each entry. Unsorted columns, repeated columns (summed by
        the products) and explicit zeros are allowed.
    indptr : array_like, shape (nrows + 1,), integer
        Row ``i`` holds entries ``indptr[i]:indptr[i+1]``.
    shape : tuple of int
        ``(nrows, ncols)``.

    Notes
    -----
    Arrays that are already contiguous, native-endian, float32/float64 and
    int32/int64 (both index arrays of one type) are used without copying.
    Other integer types are converted to int32 when they fit, else int64.
    One index type serves indices and indptr, and every offset into data
    and indices is formed in 64 bits: more than 2**31 - 1 non-zeros (or rows,
    or columns) need int64 arrays; int32 arrays given with such sizes are
    copied to int64 with a ``RuntimeWarning``, and an int32 `indptr` that
    would have to end at nnz >= 2**31 is a ``ValueError``.
    The structure is validated once here, in O(nnz) with threads:
    ``indptr[0] == 0``, non-decreasing, ``indptr[-1] == len(indices) ==
    len(data)``, ``0 <= indices < ncols``; otherwise a ``ValueError`` says
    what is wrong. Rebinding ``data``, ``indices``, ``indptr`` or ``shape``
    is allowed: the new structure is validated the same way (once, by the
    next operation) and the cached plans are dropped. Products never
    re-check it otherwise, so the index arrays must not be modified in place
    afterwards (values in `data` may be, and are seen by every
    product, except those with ``A.T`` after :meth:`cache_transpose`, which
    use a snapshot); ``A.T @ x`` on
    several threads notices an index outside the column range its cached
    plan gives a thread and raises ``ValueError`` instead of writing past
    its buffers. The nnz-balanced row
    partition used by the threaded kernels is computed on first use and
    cached per thread count.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> A = fastla.CSRMatrix(np.array([1.0, 2.0, 3.0]), np.array([0, 2, 1]),
    ...                      np.array([0, 2, 3]), (2, 3))
    >>> A
    <2x3 fastla.CSRMatrix, 3 stored entries, float64 values, int64 indices>
    >>> A @ np.ones(3)
    array([3., 3.])
    >>> A.T @ np.ones(2)
    array([1., 3., 2.])
    >>> A.toarray()
    array([[1., 0., 2.],
           [0., 3., 0.]])
    """

    __array_ufunc__ = None      # x @ A calls A.__rmatmul__, not numpy

    def __init__(self, data, indices, indptr, shape):
        self._set(*_checked_structure(data, indices, indptr, shape, "CSRMatrix", 3))

    _valid = None           # class default: also for objects pickled before it existed
    _tcache = None

    def _set(self, data, indices, indptr, shape):
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, shape
        self._valid = (data, indices, indptr, shape)
        self._parts = {}
        self._tcache = None

    def _ready(self):
        """Validates the structure again when `data`, `indices`, `indptr`
        or `shape` were rebound since it was last validated (and drops the
        cached plans; a cached transpose survives only if it is of these
        very arrays, see _cached_transpose).  Every path that hands the
        arrays to a kernel calls this first; O(1) otherwise (identity
        checks, so in-place edits of `data` are not "rebinding")."""
        v = self._valid
        if (v is None or self.data is not v[0] or self.indices is not v[1]
                or self.indptr is not v[2] or self.shape != v[3]):
            tcache = self._tcache
            self._set(*_checked_structure(self.data, self.indices, self.indptr, self.shape,
                                          "CSRMatrix", 4))
            self._tcache = tcache

    @classmethod
    def _trusted(cls, data, indices, indptr, shape):
        """A CSRMatrix of arrays fastla made itself (valid by construction)."""
        self = cls.__new__(cls)
        self._set(data, indices, indptr, tuple(shape))
        return self

    # ---- properties -------------------------------------------------------
    @property
    def dtype(self):
        """Value dtype (float32 or float64)."""
        return self.data.dtype

    @property
    def index_dtype(self):
        """Index dtype of `indices` and `indptr` (int32 or int64)."""
        return self.indices.dtype

    @property
    def nnz(self):
        """Number of stored entries (explicit zeros and duplicates included)."""
        return self.data.shape[0]

    ndim = 2

    def __repr__(self):
        m, n = self.shape
        return (f"<{m}x{n} fastla.CSRMatrix, {self.nnz} stored entries, {self.dtype} values, "
                f"{self.index_dtype} indices>")

    def _partition(self):
        """The nnz-balanced row partition for the current thread count (cached;
        the caller has called _ready())."""
        nt = _cy._get_num_threads()
        if nt <= 1:
            return None
        parts = self._parts.get(nt)
        if parts is None:
            parts = self._parts[nt] = _sparse.partition(self.indptr, self.shape[0], nt)
        return parts

    def _col_ranges(self, parts):
        """The columns each range of `parts` touches (cached with it; for A.T @ x)."""
        if parts is None:
            return None
        key = ("cols", parts.shape[0] - 1)
        cols = self._parts.get(key)
        if cols is None:
            cols = self._parts[key] = _sparse.col_ranges(self.indptr, self.indices, self.shape[0],
                                                         parts)
        return cols

    def _col_split(self, parts):
        """The column split plan of ``A.T @ x`` for the partition `parts`'
        thread count (cached with it), or None: one thread, rows with unsorted
        columns, row ranges whose columns barely overlap (a banded matrix,
        where the private buffers of the other plan are tiny and its threads
        read only their own rows), or a plan (rows x (threads - 1) offsets)
        larger than the indices."""
        if parts is None or self.shape[1] == 0:
            return None
        nt = parts.shape[0] - 1
        key = ("split", nt)
        if key not in self._parts:
            cols = self._col_ranges(parts)
            lo, hi = cols[0::2], cols[1::2]
            overlap = sum(max(0, min(hi[a], hi[b]) - max(lo[a], lo[b]))
                          for a in range(nt) for b in range(a + 1, nt))
            self._parts[key] = (
                _sparse.col_split(self.indptr, self.indices, self.shape[0], self.shape[1], nt)
                if overlap * 8 > self.shape[1] and self.shape[0] * (nt - 1) <= self.nnz
                else None)
        return self._parts[key]

    # ---- the cached transpose -----------------------------------------------
    def cache_transpose(self, enable=True):
        """Keep a CSR copy of the transpose for the products with ``A.T``.

        ``A.T @ x`` (and ``spmv``/``spmm`` of ``A.T``) normally scatter into
        the output from A's own arrays: no extra memory, and values edited
        in place are always seen, but the scatter into a random ``out`` runs
        1.4-2.4x slower than ``A @ x``. After ``A.cache_transpose()`` they
        run the untransposed kernels on a transposed copy made now (threaded
        counting sort, O(nnz); memory: nnz values and indices plus
        ncols + 1 offsets), so ``A.T @ x`` costs about what ``A @ x`` costs
        and ``spmm(A.T, X)`` no longer transposes on every call. This is
        the inspector-executor pattern of MKL's ``mkl_sparse_optimize``.

        The copy is a snapshot: values edited in place afterwards are **not**
        seen by the products with ``A.T`` (``x @ A`` and ``X @ A`` included,
        which multiply by it) until ``cache_transpose()`` is called again.
        Rebinding ``data``, ``indices``, ``indptr`` or ``shape`` drops the
        copy (the products notice). ``A @ x`` never uses it.

        Parameters
        ----------
        enable : bool
            False drops the copy (``A.T`` products scatter again).

        Examples
        --------
        >>> import numpy as np, fastla
        >>> A = fastla.CSRMatrix.from_coo([0, 1, 1], [2, 0, 2], [1.0, 2.0, 3.0], (2, 3))
        >>> A.cache_transpose()
        >>> A.T @ np.array([1.0, 10.0])
        array([20.,  0., 31.])
        >>> A.data[0] = 5.0          # an in-place edit: not seen until re-cached
        >>> A.T @ np.array([1.0, 10.0])
        array([20.,  0., 31.])
        >>> A.cache_transpose()
        >>> A.T @ np.array([1.0, 10.0])
        array([20.,  0., 35.])
        """
        self._ready()
        if not isinstance(enable, (bool, np.bool_)):
            raise TypeError(f"cache_transpose: enable must be a bool, got {type(enable).__name__}")
        self._tcache = None
        if enable:
            self._tcache = (self.data, self.indices, self.indptr, tuple(self.shape),
                            self.transpose(copy=True))

    @property
    def has_cached_transpose(self):
        """Whether the products with ``A.T`` use a cached transposed copy."""
        return self._cached_transpose() is not None

    def _cached_transpose(self):
        """The cached transposed CSRMatrix, or None (also when the arrays
        were rebound since it was made, which drops it)."""
        self._ready()
        c = self._tcache
        if c is None:
            return None
        if (c[0] is not self.data or c[1] is not self.indices or c[2] is not self.indptr
                or c[3] != tuple(self.shape)):
            self._tcache = None
            return None
        return c[4]

    # ---- row order ----------------------------------------------------------
    @property
    def has_sorted_indices(self):
        """Whether every row's columns are non-decreasing (repeats allowed).

        ``A.T @ x`` on several threads can split the columns between the
        threads only for such rows (see :func:`fastla.spmv`). O(nnz).
        """
        self._ready()
        ix = self.indices
        down = np.flatnonzero(ix[1:] < ix[:-1]) + 1      # p with ix[p] < ix[p - 1]
        return bool(np.isin(down, self.indptr[1:-1]).all())   # only at row starts

    def sort_indices(self):
        """Sort the columns of every row in place, values moving with them.

        Like ``scipy.sparse``'s ``sort_indices``: it rewrites `indices` and
        `data` (arrays shared with a scipy matrix stay consistent with each
        other) and drops the cached partitions and plans. O(nnz log nnz).

        Raises
        ------
        ValueError
            `indices` or `data` is read-only.

        Examples
        --------
        >>> import numpy as np, fastla
        >>> A = fastla.CSRMatrix(np.array([1.0, 2.0, 3.0]), np.array([2, 0, 1]),
        ...                      np.array([0, 2, 3]), (2, 3))
        >>> A.has_sorted_indices
        False
        >>> A.sort_indices()
        >>> A.indices, A.data
        (array([0, 2, 1]), array([2., 1., 3.]))
        """
        self._ready()
        if self.has_sorted_indices:
            return
        if not (self.indices.flags.writeable and self.data.flags.writeable):
            raise ValueError("sort_indices: indices or data is read-only")
        m, n = self.shape
        rows = np.repeat(np.arange(m, dtype=np.int64), np.diff(self.indptr))
        if m * n < 2**63:        # one int64 key: 4.7x faster than lexsort on 18M entries
            order = np.argsort(rows * n + self.indices, kind="stable")
        else:
            order = np.lexsort((self.indices, rows))
        self.indices[...] = self.indices[order]
        self.data[...] = self.data[order]
        self._parts = {}

    # ---- conversions ------------------------------------------------------
    @classmethod
    def from_scipy(cls, m):
        """A CSRMatrix of any scipy.sparse matrix or array.

        CSR input is wrapped without copying (when its dtypes are supported);
        CSC input is transposed by fastla's threaded counting sort; other
        formats go through scipy's ``tocsr()``.

        Examples
        --------
        >>> import numpy as np, scipy.sparse as sp, fastla
        >>> S = sp.csr_array(np.array([[0.0, 1.0], [2.0, 0.0]]))
        >>> A = fastla.CSRMatrix.from_scipy(S)
        >>> np.shares_memory(A.data, S.data)
        True
        >>> A @ np.array([1.0, 10.0])
        array([10.,  2.])
        """
        import scipy.sparse as sp
        if not sp.issparse(m):
            raise TypeError(f"from_scipy: expected a scipy.sparse matrix or array, "
                            f"got {type(m).__name__}")
        if m.format == "csc":
            return CSCMatrix.from_scipy(m).tocsr()
        if m.format != "csr":
            m = m.tocsr()
        nnz = int(m.indptr[-1]) if m.indptr.shape[0] else 0
        return cls(m.data[:nnz], m.indices[:nnz], m.indptr, m.shape)

    def to_scipy(self):
        """A ``scipy.sparse.csr_array`` sharing this matrix's arrays.

        Examples
        --------
        >>> import numpy as np, fastla
        >>> A = fastla.CSRMatrix.from_coo([0, 1], [1, 0], [5.0, 6.0], (2, 2))
        >>> S = A.to_scipy()
        >>> S.toarray()
        array([[0., 5.],
               [6., 0.]])
        >>> np.shares_memory(S.data, A.data)
        True
        """
        self._ready()
        import scipy.sparse as sp
        return sp.csr_array((self.data, self.indices, self.indptr), shape=self.shape, copy=False)

    @classmethod
    def from_coo(cls, rows, cols, values, shape):
        """A CSRMatrix from COO triplets; duplicate (row, col) pairs are summed.

        Parameters
        ----------
        rows, cols : array_like of int, shape (nnz,)
        values : array_like, shape (nnz,), float32 or float64
        shape : tuple of int

        Notes
        -----
        Indices are int32 when the shape and nnz fit, else int64. Each row
        keeps its columns in order of first occurrence. O(nnz + rows + cols).

        Examples
        --------
        >>> import numpy as np, fastla
        >>> A = fastla.CSRMatrix.from_coo([0, 1, 0], [1, 0, 1], [1.0, 2.0, 3.0], (2, 2))
        >>> A.toarray()
        array([[0., 4.],
               [2., 0.]])
        >>> A.nnz
        2
        """
        m, n = _shape(shape, "from_coo")
        values = _values(values, "from_coo", "values")
        rows, cols = np.asarray(rows), np.asarray(cols)
        if rows.ndim != 1 or cols.ndim != 1 or not (rows.shape == cols.shape == values.shape):
            raise ValueError(f"from_coo: rows, cols and values must be 1-D of one length, got "
                             f"shapes {rows.shape}, {cols.shape} and {values.shape}")
        if rows.size == 0:
            rows, cols = rows.astype(np.int32), cols.astype(np.int32)
        if rows.dtype.kind not in "iu" or cols.dtype.kind not in "iu":
            raise TypeError("from_coo: rows and cols must be integers")
        itype = np.dtype(np.int32 if max(m, n, values.shape[0]) <= _INT32_MAX else np.int64)
        for name, a, lim in (("rows", rows, m), ("cols", cols, n)):
            if a.size and (a.min() < 0 or a.max() >= lim):
                i = int(np.argmax((a < 0) | (a >= lim)))     # the first one, named
                raise ValueError(f"from_coo: {name}[{i}] = {a[i]} is out of range for shape "
                                 f"{(m, n)}")
        rows, cols = _contig(rows, itype), _contig(cols, itype)
        data, indices, indptr = _sparse.from_coo(rows, cols, values, m, n)
        return cls._trusted(data, indices, indptr, (m, n))

    def toarray(self):
        """The dense ndarray (duplicates summed).

        Examples
        --------
        >>> import fastla
        >>> fastla.CSRMatrix.from_coo([1], [0], [2.0], (2, 2)).toarray()
        array([[0., 0.],
               [2., 0.]])
        """
        self._ready()
        out = np.zeros(self.shape, dtype=self.dtype)
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        np.add.at(out, (rows, self.indices), self.data)
        return out

    @property
    def T(self):
        """The transpose as a CSCMatrix view of the same arrays (no copy).

        Examples
        --------
        >>> import numpy as np, fastla
        >>> A = fastla.CSRMatrix.from_coo([0, 0], [0, 2], [1.0, 2.0], (1, 3))
        >>> A.T.shape, np.shares_memory(A.T.data, A.data)
        ((3, 1), True)
        >>> A.T @ np.array([10.0])
        array([10.,  0., 20.])
        """
        return CSCMatrix(self)

    def transpose(self, copy=False):
        """The transpose: a CSC view (``copy=False``) or a new CSRMatrix.

        ``copy=True`` materializes it with fastla's threaded counting sort
        (the result has sorted indices).

        Examples
        --------
        >>> import fastla
        >>> A = fastla.CSRMatrix.from_coo([0, 1], [2, 0], [1.0, 2.0], (2, 3))
        >>> B = A.transpose(copy=True)
        >>> B
        <3x2 fastla.CSRMatrix, 2 stored entries, float64 values, int32 indices>
        >>> B.toarray()
        array([[0., 2.],
               [0., 0.],
               [1., 0.]])
        """
        if not copy:
            return self.T
        self._ready()
        m, n = self.shape
        data, indices, indptr = _sparse.transpose(self.data, self.indices, self.indptr, m, n)
        return CSRMatrix._trusted(data, indices, indptr, (n, m))

    def tocsc(self):
        """This matrix in CSC format (a CSCMatrix owning new arrays).

        Examples
        --------
        >>> import fastla
        >>> A = fastla.CSRMatrix.from_coo([0, 1], [1, 1], [1.0, 2.0], (2, 2))
        >>> C = A.tocsc()
        >>> C.indptr, C.indices
        (array([0, 0, 2], dtype=int32), array([0, 1], dtype=int32))
        """
        return CSCMatrix(self.transpose(copy=True))

    # ---- products ---------------------------------------------------------
    def __matmul__(self, other):
        if isinstance(other, (CSRMatrix, CSCMatrix)):
            return NotImplemented
        other = np.asarray(other)
        if other.ndim == 1:
            return spmv(self, other)
        if other.ndim == 2:
            return spmm(self, other)
        raise ValueError(f"matmul: expected a 1-D or 2-D operand, got shape {other.shape}")

    def __rmatmul__(self, other):
        other = np.asarray(other)
        if other.ndim == 1:
            return spmv(self.T, other)
        if other.ndim == 2:
            return spmm(self.T, other.T).T
        raise ValueError(f"matmul: expected a 1-D or 2-D operand, got shape {other.shape}")


class CSCMatrix:
    """Sparse matrix in compressed sparse column (CSC) format.

    A CSCMatrix of shape (m, n) is the transpose view of a CSRMatrix of
    shape (n, m): it shares that matrix's arrays (``indptr`` runs over
    columns, ``indices`` are rows). ``CSRMatrix.T`` and ``tocsc()`` make
    them; ``A.T @ x`` runs the transposed SpMV kernel on the CSR arrays
    without forming the transpose (see :func:`fastla.spmv`), unless the
    CSRMatrix keeps a transposed copy (:meth:`CSRMatrix.cache_transpose`).

    Examples
    --------
    >>> import numpy as np, fastla
    >>> A = fastla.CSRMatrix.from_coo([0, 1], [1, 2], [1.0, 2.0], (2, 3))
    >>> At = A.T
    >>> At
    <3x2 fastla.CSCMatrix, 2 stored entries, float64 values, int32 indices>
    >>> At @ np.array([1.0, 1.0])
    array([0., 1., 2.])
    >>> At.T is A
    True
    """

    __array_ufunc__ = None

    def __init__(self, csr_t):
        if not isinstance(csr_t, CSRMatrix):
            raise TypeError("CSCMatrix wraps the CSRMatrix of its transpose; use "
                            "CSRMatrix.T, CSRMatrix.tocsc() or CSCMatrix.from_scipy()")
        self._t = csr_t

    data = property(lambda self: self._t.data, doc="Values of the stored entries.")
    indices = property(lambda self: self._t.indices, doc="Row of each entry.")
    indptr = property(lambda self: self._t.indptr, doc="Column j holds indptr[j]:indptr[j+1].")
    shape = property(lambda self: self._t.shape[::-1], doc="(nrows, ncols)")
    dtype = property(lambda self: self._t.dtype, doc="Value dtype.")
    index_dtype = property(lambda self: self._t.index_dtype, doc="Index dtype.")
    nnz = property(lambda self: self._t.nnz, doc="Number of stored entries.")
    ndim = 2

    @property
    def T(self):
        """The CSRMatrix this is the transpose of (no copy)."""
        return self._t

    @property
    def has_cached_transpose(self):
        """Whether products with this view use the transposed copy its
        CSRMatrix keeps (:meth:`CSRMatrix.cache_transpose`)."""
        return self._t.has_cached_transpose

    def __repr__(self):
        m, n = self.shape
        return (f"<{m}x{n} fastla.CSCMatrix, {self.nnz} stored entries, {self.dtype} values, "
                f"{self.index_dtype} indices>")

    @classmethod
    def from_scipy(cls, m):
        """A CSCMatrix sharing a scipy CSC matrix's arrays (others are converted).

        Examples
        --------
        >>> import numpy as np, scipy.sparse as sp, fastla
        >>> C = fastla.sparse.CSCMatrix.from_scipy(sp.csc_array(np.array([[1.0, 0.0], [0.0, 2.0]])))
        >>> C @ np.ones(2)
        array([1., 2.])
        """
        import scipy.sparse as sp
        if not sp.issparse(m):
            raise TypeError(f"from_scipy: expected a scipy.sparse matrix or array, "
                            f"got {type(m).__name__}")
        if m.format != "csc":
            m = m.tocsc()
        nnz = int(m.indptr[-1]) if m.indptr.shape[0] else 0
        return cls(CSRMatrix(m.data[:nnz], m.indices[:nnz], m.indptr, m.shape[::-1]))

    def to_scipy(self):
        """A ``scipy.sparse.csc_array`` sharing the arrays.

        Examples
        --------
        >>> import fastla
        >>> fastla.CSRMatrix.from_coo([0], [1], [3.0], (2, 2)).T.to_scipy().toarray()
        array([[0., 0.],
               [3., 0.]])
        """
        self._t._ready()      # arrays rebound since: validated, as CSRMatrix.to_scipy does
        import scipy.sparse as sp
        return sp.csc_array((self.data, self.indices, self.indptr), shape=self.shape, copy=False)

    def tocsr(self):
        """This matrix as a new CSRMatrix (threaded counting sort, O(nnz)).

        Built afresh on every call, never cached: the arrays this view shares
        may be edited in place between calls.

        Examples
        --------
        >>> import fastla
        >>> A = fastla.CSRMatrix.from_coo([0, 1], [1, 0], [1.0, 2.0], (2, 2))
        >>> A.T.tocsr().toarray()
        array([[0., 2.],
               [1., 0.]])
        """
        return self._t.transpose(copy=True)

    def toarray(self):
        """The dense ndarray.

        Examples
        --------
        >>> import fastla
        >>> fastla.CSRMatrix.from_coo([0], [1], [3.0], (1, 2)).T.toarray()
        array([[0.],
               [3.]])
        """
        return self._t.toarray().T.copy()

    def transpose(self, copy=False):
        """The transpose: the underlying CSRMatrix (``copy=False``) or a copy of it."""
        if not copy:
            return self._t
        t = self._t
        t._ready()            # a copy is trusted: validate arrays rebound since first
        return CSRMatrix._trusted(t.data.copy(), t.indices.copy(), t.indptr.copy(), t.shape)

    def __matmul__(self, other):
        return CSRMatrix.__matmul__(self, other)

    def __rmatmul__(self, other):
        return CSRMatrix.__rmatmul__(self, other)   # uses self.T, the CSR this transposes


def _operator(A, fname):
    """(CSRMatrix, transposed?) for a CSRMatrix, CSCMatrix or scipy.sparse input."""
    if isinstance(A, CSRMatrix):
        A._ready()
        return A, False
    if isinstance(A, CSCMatrix):
        cached = A._t._cached_transpose()     # validates A._t first (_ready)
        return (cached, False) if cached is not None else (A._t, True)
    fmt = getattr(A, "format", None)
    if fmt is not None and hasattr(A, "tocsr"):
        import scipy.sparse as sp
        if sp.issparse(A):
            if fmt == "csc":
                return CSCMatrix.from_scipy(A)._t, True
            return CSRMatrix.from_scipy(A), False
    raise TypeError(f"{fname}: expected a fastla.CSRMatrix, its .T, or a scipy.sparse matrix, "
                    f"got {type(A).__name__}")


def spmv(A, x, out=None, *, alpha=1.0, beta=0.0):
    """Sparse matrix-vector product ``alpha * A @ x + beta * out``.

    Parameters
    ----------
    A : CSRMatrix, CSCMatrix (e.g. ``B.T``) or scipy.sparse matrix/array, shape (m, n)
        scipy CSR and CSC inputs are used without copying (but validated on
        every call: wrap them once with ``CSRMatrix.from_scipy`` to validate
        once); other formats are converted. A CSCMatrix runs the transposed
        kernel on the arrays of its CSR transpose (never forming it), or the
        plain kernel on the transposed copy its CSRMatrix keeps after
        :meth:`CSRMatrix.cache_transpose`.
    x : ndarray, shape (n,), same dtype as `A`
        Any stride.
    out : ndarray, shape (m,), optional
        Writeable, `A`'s dtype, any stride. With ``beta == 0`` its contents
        are ignored (NaN included).
    alpha, beta : float

    Returns
    -------
    out : ndarray, shape (m,)

    Raises
    ------
    TypeError
        Unsupported or mixed dtypes.
    ValueError
        Mismatched shapes or a bad `out`.

    Notes
    -----
    Memory-bound: data, indices and indptr are read once. Rows are split
    between threads by non-zeros (a partition cached on the CSRMatrix), so a
    few very long rows do not unbalance the threads. For ``A.T @ x`` each
    thread scatters its rows straight into `out` where no other thread's rows
    touch the same columns (the column range of each thread's rows is cached
    with the partition), and into a private vector elsewhere; the private
    vectors are then added. A banded matrix needs almost no private storage.
    When the threads' rows reach across most columns (a random or power-law
    matrix) and every row's columns are sorted, the columns are split between
    the threads instead (each owns a range of `out` with about nnz / threads
    entries and scatters the pieces of every row that fall in it; the split
    points of each row are computed once and cached): no private vectors and
    no reduction. Unsorted rows (:meth:`CSRMatrix.sort_indices` sorts them)
    take the private vectors. A scatter into a random `out` cannot run at the
    speed of ``A @ x``'s gathers; when ``A.T @ x`` is repeated, a transposed
    copy made once (:meth:`CSRMatrix.cache_transpose`, a snapshot of the
    values) lets it run the untransposed kernel instead.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> A = fastla.CSRMatrix.from_coo([0, 1, 1], [0, 0, 1], [1.0, 2.0, 3.0], (2, 2))
    >>> fastla.spmv(A, np.array([1.0, 1.0]))
    array([1., 5.])
    >>> y = np.ones(2)
    >>> fastla.spmv(A.T, np.array([1.0, 1.0]), y, alpha=2.0, beta=1.0)
    array([7., 7.])
    """
    csr, trans = _operator(A, "spmv")
    parts = csr._partition()
    split = csr._col_split(parts) if trans else None
    return _sparse.spmv(csr.data, csr.indices, csr.indptr, csr.shape[0], csr.shape[1], x, out,
                        alpha, beta, trans, parts, csr._col_ranges(parts) if trans else None,
                        "spmv", split)


def spmm(A, X, out=None, *, alpha=1.0, beta=0.0):
    """Sparse times dense matrix product ``alpha * A @ X + beta * out``.

    Parameters
    ----------
    A : CSRMatrix, CSCMatrix or scipy.sparse matrix/array, shape (m, n)
        A CSCMatrix is materialized as CSR on each call (threaded counting sort,
        O(nnz), small beside the product's O(nnz k); not cached, so values edited
        in place are always seen), unless its CSRMatrix keeps a transposed
        copy (:meth:`CSRMatrix.cache_transpose`), which is then used.
    X : ndarray, shape (n, k), same dtype as `A`
        Row-major is the fast path; column-major and strided inputs are
        packed to row-major first (O(n k)).
    out : ndarray, shape (m, k), optional
        Any layout; with ``beta == 0`` its contents are ignored.
    alpha, beta : float

    Returns
    -------
    out : ndarray, shape (m, k)

    Notes
    -----
    The kernel vectorizes across the columns of X: for each row of A and
    each block of 4 SIMD vectors of columns (8 on AVX-512, then single
    vectors and a scalar tail), the block of the output row is accumulated
    in registers over the row's entries. Rows are split between
    threads by non-zeros.

    Examples
    --------
    >>> import numpy as np, fastla
    >>> A = fastla.CSRMatrix.from_coo([0, 1], [1, 0], [2.0, 3.0], (2, 2))
    >>> fastla.spmm(A, np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[6., 8.],
           [3., 6.]])
    """
    if isinstance(A, CSCMatrix):
        csr = A._t._cached_transpose()
        if csr is None:
            csr = A.tocsr()
    else:
        csr, trans = _operator(A, "spmm")
        if trans:
            csr = CSCMatrix(csr).tocsr()
    return _sparse.spmm(csr.data, csr.indices, csr.indptr, csr.shape[0], csr.shape[1], X, out,
                        alpha, beta, csr._partition(), "spmm")
