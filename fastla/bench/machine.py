"""The machine's limits, measured on the spot with fastla's own probes:
FMA peak per ISA and dtype, and STREAM-like read/copy/triad bandwidth with
the library's threads."""
import time

import numpy as np

from fastla import cy as _cy
from fastla._runtime import get_num_threads, supported_arches


def fma_peak(arch, bits, nthreads, seconds=0.05):
    """GFLOP/s of the FMA probe of `arch` for float`bits` on `nthreads` threads."""
    iters = 20000
    _cy._probe_fma(arch, bits, iters, nthreads)          # warm up, wake the cores
    while True:
        t0 = time.perf_counter()
        flops = _cy._probe_fma(arch, bits, iters, nthreads)
        dt = time.perf_counter() - t0
        if dt >= seconds:
            break
        iters = int(iters * max(2.0, 1.2 * seconds / max(dt, 1e-6)))
    best = dt
    for _ in range(2):
        t0 = time.perf_counter()
        _cy._probe_fma(arch, bits, iters, nthreads)
        best = min(best, time.perf_counter() - t0)
    return flops / best / 1e9


def bandwidth(nthreads, mbytes=320, repeats=5, arch=None):
    """GB/s of read (sum), copy (a = b) and triad (a = b + s c) over arrays of
    `mbytes` MB each, median of `repeats` passes after a warm-up."""
    arch = arch or supported_arches()[-1]
    n = int(mbytes * 1e6 // 8)
    a = np.zeros(n)
    b = np.ones(n)
    c = np.full(n, 2.0)
    out = {}
    for which, name, nbytes in ((0, "read", 8 * n), (1, "copy", 16 * n), (2, "triad", 24 * n)):
        _cy._probe_stream(arch, which, a, b, c, nthreads)
        ts = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            _cy._probe_stream(arch, which, a, b, c, nthreads)
            ts.append(time.perf_counter() - t0)
        out[name] = nbytes / float(np.median(ts)) / 1e9
    return out


def measure(quick=False):
    """Everything the bench compares against, as a dict."""
    nt = get_num_threads()
    arches = supported_arches()
    peaks = {}
    for arch in (arches[-1:] if quick else arches):
        for bits in (64, 32):
            peaks[f"{arch}/float{bits}"] = fma_peak(arch, bits, nt, 0.03 if quick else 0.1)
    bw = bandwidth(nt, mbytes=160 if quick else 320, repeats=3 if quick else 5)
    return {"threads": nt, "fma_gflops": peaks, "bandwidth_gbs": bw,
            "best_arch": arches[-1]}


def peak_for(machine, dtype_bits):
    """FMA peak of the best ISA for a dtype (GFLOP/s)."""
    return machine["fma_gflops"][f"{machine['best_arch']}/float{dtype_bits}"]
