"""The sparse bench's peer plumbing (not its timings): every installed peer
computes the same product as the oracle, wrong peers are left out with a
note, and the extra report derives its ratios from the rows."""
import io

import numpy as np
import pytest

import fastla
from fastla.bench import sparse_cases as sc

sp = pytest.importorskip("scipy.sparse")


def small_matrix():
    """37 x 29, unsorted columns and duplicate entries (like the power-law matrix)."""
    rng = np.random.default_rng(5)
    m, n = 37, 29
    lens = rng.integers(0, 12, m)
    indptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int32)
    indices = rng.integers(0, n, indptr[-1]).astype(np.int32)   # unsorted, with repeats
    return fastla.CSRMatrix(rng.random(indptr[-1]), indices, indptr, (m, n))


@pytest.mark.parametrize("op", ["spmv", "spmv_t", "spmm"])
def test_every_installed_peer_agrees(op):
    A = small_matrix()
    D = A.toarray()
    rng = np.random.default_rng(1)
    if op == "spmv":
        x = rng.random(A.shape[1])
        want = D @ x
    elif op == "spmv_t":
        x = rng.random(A.shape[0])
        want = D.T @ x
    else:
        x = rng.random((A.shape[1], 5))
        want = D @ x
    notes = []
    factories = sc.peer_factories(A, trans=(op == "spmv_t"), notes=notes)
    assert "scipy" in factories
    peers = sc.checked_peers(factories, x, want, notes, op)
    assert set(peers) == set(factories), notes
    for fn in peers.values():
        np.testing.assert_allclose(np.asarray(fn()), want, rtol=1e-12, atol=1e-12)


def test_wrong_or_failing_peer_left_out_with_note():
    x = np.arange(3.0)

    def boom(x):
        raise RuntimeError("no such backend")
    notes = []
    peers = sc.checked_peers({"good": lambda x: (lambda: x.copy()),
                              "wrong": lambda x: (lambda: x + 1),
                              "boom": boom}, x, x, notes, "case")
    assert list(peers) == ["good"]
    assert any("wrong" in n and "wrong answer" in n for n in notes)
    assert any("boom" in n and "no such backend" in n for n in notes)


def test_extra_report_ratios_and_balance():
    A = small_matrix()
    cases, rows = [], []
    for mat in ("laplacian2d", "random10", "powerlaw"):
        for op, t in (("spmv", 2.0), ("spmv_t", 3.0), ("spmv_tc", 2.2)):
            cases.append(dict(name=f"{op} {mat}", matrix=mat, op=op, A=A, bytes=100, flops=10))
            rows.append(dict(seconds={"fastla": t, "scipy": 4.0}))
    out = io.StringIO()
    mach = {"bandwidth_gbs": {"read": 1e-7, "copy": 1e-7, "triad": 4e-7}}
    sc.extra_report(cases, rows, mach, 1, out=out)
    text = out.getvalue()
    # 100 bytes in 2 s: 5e-8 GB/s, half the read and an eighth of the triad figure
    assert "laplacian2d     0.0 GB/s    50% of read    12% of triad" in text
    assert rows[0]["fraction_of_triad"] == pytest.approx(0.125)
    assert "laplacian2d  scatter  1.50   cached transpose  1.10" in text
    assert "powerlaw     scatter  1.50   cached transpose  1.10" in text
    assert rows[0]["transposed_over_spmv"] == pytest.approx(1.5)
    assert rows[0]["cached_transposed_over_spmv"] == pytest.approx(1.1)
    if "balance" in text:                 # needs more than one core
        assert rows[0]["speedup_2_over_1_thread"] > 0
        assert "power-law / Laplacian speedup" in text
        assert "power-law / random (uniform rows, random gathers) speedup" in text
        assert rows[3]["speedup_2_over_1_thread"] > 0      # the random matrix's spmv row
