"""Bench rows of Strassen's product (fastla.strassen_matmul) against fastla's
own classical GEMM (fastla.matmul) and NumPy, timed interleaved in the same
run.  GFLOP/s is *effective*: 2 m n k / time, as if the classical number of
flops had been done, so it can exceed the machine's FMA peak."""
import sys

import numpy as np

import fastla


def _cases(quick):
    if quick:
        return [((2048, 2048, 2048), np.float64, None)]
    rows = []
    for shape in ((2048, 2048, 2048), (4096, 4096, 4096)):
        for levels in (None, 1, 2):
            rows.append((shape, np.float64, levels))
    rows.append(((3001, 2999, 3003), np.float64, None))
    rows.append(((2048, 2048, 2048), np.float32, None))
    rows.append(((4096, 4096, 4096), np.float32, None))
    return rows


def strassen_cases(quick):
    cases = []
    rng = np.random.default_rng(0)
    for (m, n, k), dtype, levels in _cases(quick):
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        out = np.empty((m, n), dtype)
        bits = np.dtype(dtype).itemsize * 8
        lv = fastla.cy._strassen_levels(bits, m, n, k) if levels is None else levels
        tag = f"auto={lv}" if levels is None else f"L={levels}"
        cases.append(dict(
            name=f"strassen {tag} {np.dtype(dtype).name} {m}x{n}x{k}",
            fastla=lambda a=a, b=b, out=out, levels=levels:
                fastla.strassen_matmul(a, b, out, levels=levels),
            peers={"matmul": lambda a=a, b=b, out=out: fastla.matmul(a, b, out),
                   "numpy": lambda a=a, b=b, out=out: np.matmul(a, b, out=out)},
            bytes=a.nbytes + b.nbytes + out.nbytes, flops=2.0 * m * n * k, limit="fma",
            shape=(m, n, k), dtype=np.dtype(dtype).name))
    return cases


def extra_report(cases, rows, mach, repeats, out=sys.stdout):
    """Ratio against fastla's classical GEMM (the issue's target), the
    effective speed as a fraction of the FMA peak measured in this run, and
    (through the GEMM's report) against NumPy with OPENBLAS_CORETYPE=SkylakeX
    timed in a subprocess."""
    from fastla.bench import gemm_cases, machine as _machine
    gemm_cases.extra_report(cases, rows, mach, repeats, out=out)
    print("\n-- Strassen vs fastla.matmul (same run; effective GFLOP/s = 2mnk/t) --", file=out)
    print(f"{'case':44s} {'strassen':>9s} {'matmul':>9s} {'vs matmul':>9s} {'eff GF/s':>9s} "
          f"{'% peak':>7s}", file=out)
    for case, row in zip(cases, rows):
        t = row["seconds"]["fastla"]
        tm = row["seconds"]["matmul"]
        peak = _machine.peak_for(mach, 32 if "float32" in case["name"] else 64)
        g = case["flops"] / t / 1e9
        row["ratio_vs_matmul"] = tm / t
        print(f"{case['name'][:44]:44s} {t * 1e3:8.1f}ms {tm * 1e3:8.1f}ms {tm / t:9.3f} "
              f"{g:9.1f} {100 * g / peak:6.0f}%", file=out)


def crossover_table(sizes, dtype="float64", rounds=5, threads=1, out=sys.stdout):
    """How the crossovers in config/<isa>.h are measured: square products on
    `threads` threads; every round times fastla.matmul right before each
    level count, and the row gives the median over `rounds` of those
    adjacent ratios (matmul time / Strassen time) with their range, so a
    slow spell of a shared machine hits both sides of a ratio.  One thread
    uses the CPU time of the calling thread (time.thread_time), more use
    wall time."""
    import statistics
    import time
    clock = time.thread_time if threads == 1 else time.perf_counter
    rows = []
    with fastla.threads(threads):
        for n in sizes:
            rng = np.random.default_rng(0)
            a = rng.standard_normal((n, n)).astype(dtype)
            b = rng.standard_normal((n, n)).astype(dtype)
            c = np.empty((n, n), dtype)
            fastla.matmul(a, b, c)
            ratios = {f"L={lv}": [] for lv in (1, 2)}
            gflops = []
            for _ in range(rounds):
                for lv in (1, 2):
                    t0 = clock()
                    fastla.matmul(a, b, c)
                    t1 = clock()
                    fastla.strassen_matmul(a, b, c, levels=lv)
                    t2 = clock()
                    ratios[f"L={lv}"].append((t1 - t0) / max(t2 - t1, 1e-9))
                    gflops.append(2.0 * n ** 3 / max(t1 - t0, 1e-9) / 1e9)
            med = {k: statistics.median(v) for k, v in ratios.items()}
            rows.append((n, med))
            print(f"{fastla.active_arch():7s} {dtype:8s} n={n:5d}  "
                  + "  ".join(f"{k} {med[k]:.3f} [{min(v):.2f}-{max(v):.2f}]"
                              for k, v in ratios.items())
                  + f"   (matmul {statistics.median(gflops):.1f} GFLOP/s, {threads} thread"
                  + ("s)" if threads > 1 else ")"), file=out)
    return rows


if __name__ == "__main__":
    # python -m fastla.bench.strassen_cases [float32] [--threads N] n1 n2 ...
    args = sys.argv[1:]
    dt = args.pop(0) if args and args[0].startswith("float") else "float64"
    nthreads = 1
    if args[:1] == ["--threads"]:
        nthreads = int(args[1])
        args = args[2:]
    crossover_table([int(x) for x in args] or [1024, 1536, 2048, 3072], dt, threads=nthreads)
