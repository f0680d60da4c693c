"""Bench rows of the blocked GEMM against NumPy's OpenBLAS as shipped, plus
OpenBLAS forced onto its AVX-512 kernel (OPENBLAS_CORETYPE=SkylakeX), which
can only be chosen at load time and so is timed in a subprocess."""
import json
import os
import subprocess
import sys

import numpy as np

import fastla


def _shapes(quick):
    square = [(n, n, n) for n in ((256, 1024, 2048) if quick else (256, 512, 1024, 2048, 4096))]
    rank_k = [] if quick else [(4096, 4096, 64), (64, 4096, 4096), (4096, 64, 4096)]
    small = [(n, n, n) for n in ((32, 128) if quick else (16, 32, 64, 128))]
    return square + rank_k + small


def gemm_cases(quick):
    cases = []
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        for m, n, k in _shapes(quick):
            a = rng.standard_normal((m, k)).astype(dtype)
            b = rng.standard_normal((k, n)).astype(dtype)
            out = np.empty((m, n), dtype)
            cases.append(dict(
                name=f"gemm {np.dtype(dtype).name} {m}x{n}x{k}",
                fastla=lambda a=a, b=b, out=out: fastla.matmul(a, b, out),
                peers={"numpy": lambda a=a, b=b, out=out: np.matmul(a, b, out=out)},
                bytes=a.nbytes + b.nbytes + out.nbytes, flops=2.0 * m * n * k, limit="fma",
                shape=(m, n, k), dtype=np.dtype(dtype).name))
    return cases


_CHILD = r"""
import json, sys, time, numpy as np
shapes = json.loads(sys.argv[1]); repeats = int(sys.argv[2]); res = {}
rng = np.random.default_rng(0)
for name, (m, n, k), dt in shapes:
    a = rng.standard_normal((m, k)).astype(dt); b = rng.standard_normal((k, n)).astype(dt)
    out = np.empty((m, n), dt); np.matmul(a, b, out=out)
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number): np.matmul(a, b, out=out)
        if time.perf_counter() - t0 > 0.002 or number > 60000: break
        number *= 2
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(number): np.matmul(a, b, out=out)
        ts.append((time.perf_counter() - t0) / number)
    res[name] = sorted(ts)[len(ts) // 2]
print(json.dumps(res))
"""


def extra_report(cases, rows, mach, repeats, out=sys.stdout):
    """The SkylakeX comparison, then the 1 -> 2 thread scaling."""
    skylakex_report(cases, rows, repeats, out)
    scaling_report(cases, rows, mach, repeats, out)


def scaling_report(cases, rows, mach, repeats, out=sys.stdout):
    """Times the square products of n >= 1024 on one thread, interleaved with
    the machine's thread count, and prints the speedup and the fraction of
    the FMA peak measured for that many threads (only when there are more)."""
    from fastla.bench import machine as _machine
    from fastla.bench.timing import interleaved
    nt = fastla.get_num_threads()
    picked = [(c, r) for c, r in zip(cases, rows)
              if c["shape"][0] == c["shape"][1] == c["shape"][2] >= 1024]
    if nt < 2 or not picked:
        return
    print(f"\n-- fastla GEMM scaling, 1 -> {nt} threads (interleaved, same run) --", file=out)
    print(f"{'case':44s} {'1 thread':>10s} {f'{nt} threads':>10s} {'speedup':>8s} "
          f"{'% peak(1)':>9s} {f'% peak({nt})':>9s}", file=out)
    for case, row in picked:
        def one(fn=case["fastla"]):
            with fastla.threads(1):
                fn()
        med = interleaved({"one": one, "all": case["fastla"]}, repeats=max(3, repeats // 2))
        bits = 32 if "float32" in case["name"] else 64
        peak_all = _machine.peak_for(mach, bits)
        peak_one = peak_all / nt
        g1, gn = case["flops"] / med["one"] / 1e9, case["flops"] / med["all"] / 1e9
        row["scaling"] = {"threads": nt, "seconds_1": med["one"], "seconds_n": med["all"]}
        print(f"{case['name'][:44]:44s} {med['one'] * 1e3:9.3f}ms {med['all'] * 1e3:9.3f}ms "
              f"{med['one'] / med['all']:8.2f} {100 * g1 / peak_one:8.0f}% {100 * gn / peak_all:8.0f}%",
              file=out)


def skylakex_report(cases, rows, repeats, out=sys.stdout):
    """Times NumPy with OPENBLAS_CORETYPE=SkylakeX in a subprocess and prints
    fastla's ratio against it (labelled: not interleaved, same bench run)."""
    if "avx512" not in fastla.supported_arches():
        print("(OpenBLAS SkylakeX comparison skipped: this CPU does not run AVX-512, so "
              "OpenBLAS cannot use that kernel here)", file=out)
        return
    spec = [(c["name"], c["shape"], c["dtype"]) for c in cases]
    env = dict(os.environ, OPENBLAS_CORETYPE="SkylakeX",
               OPENBLAS_NUM_THREADS=str(fastla.get_num_threads()))   # fastla's threads
    try:
        r = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(spec), str(repeats)],
                           capture_output=True, text=True, env=env, timeout=900)
        sky = json.loads(r.stdout)
    except Exception as exc:  # pragma: no cover - reported, not fatal
        print(f"(OpenBLAS SkylakeX subprocess failed: {exc})", file=out)
        return
    print("\n-- vs NumPy with OPENBLAS_CORETYPE=SkylakeX (AVX-512 kernel; separate "
          "process, same run) --", file=out)
    print(f"{'case':44s} {'fastla':>10s} {'SkylakeX':>10s} {'ratio':>6s} {'fastla GF/s':>11s} "
          f"{'SkX GF/s':>9s}", file=out)
    for case, row in zip(cases, rows):
        t = row["seconds"]["fastla"]
        s = sky.get(case["name"])
        if s is None:
            continue
        row["seconds"]["numpy_skylakex"] = s
        row["ratio_vs_skylakex"] = s / t
        print(f"{case['name'][:44]:44s} {t * 1e3:9.3f}ms {s * 1e3:9.3f}ms {s / t:6.2f} "
              f"{case['flops'] / t / 1e9:11.1f} {case['flops'] / s / 1e9:9.1f}", file=out)
