"""Where Winograd pays: the measurements behind conv2d's automatic choice
(the FASTLA_WINO_* thresholds of config/<isa>.h).

    python -m fastla.bench.wino_cases [--threads N] [--dtype float64]
                                      CHANNELS HW [BATCHES]

CHANNELS, HW and BATCHES are comma-separated lists (BATCHES defaults to
32,1).  For each (batch, C, HW): a float32 (or float64) 3x3 convolution with
padding 1, C channels in and out, HW x HW images; the direct product and
Winograd are called in turn, a few calls each per round, 9 rounds, and the
median of the per-round ratio direct time / Winograd time is printed with
the choice of ``fastla.conv2d_algorithm`` on the active ISA.  Adjacent
calls, so the VM's drifting clock and noise hit both alike."""
import argparse
import statistics
import time

import numpy as np

import fastla


def ratio(x, w, rounds=9, target=0.01):
    """Median over rounds of direct time / Winograd time, adjacent calls."""
    direct = lambda: fastla.conv2d(x, w, padding=1, algorithm="direct")
    wino = lambda: fastla.conv2d(x, w, padding=1, algorithm="winograd")
    direct()
    wino()
    t0 = time.perf_counter()
    direct()
    reps = max(1, int(target / max(time.perf_counter() - t0, 1e-6)))
    ratios = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            direct()
        t1 = time.perf_counter()
        for _ in range(reps):
            wino()
        t2 = time.perf_counter()
        ratios.append((t1 - t0) / (t2 - t1))
    return statistics.median(ratios), (t1 - t0) / reps


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m fastla.bench.wino_cases", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("channels", help="comma-separated channel counts (in = out)")
    ap.add_argument("hw", help="comma-separated image sizes (square)")
    ap.add_argument("batches", nargs="?", default="32,1", help="comma-separated batch sizes")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    args = ap.parse_args(argv)
    if args.threads is not None:
        fastla.set_num_threads(args.threads)
    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(0)
    print(f"ISA {fastla.active_arch()}, {fastla.get_num_threads()} threads, {dtype.name}, "
          f"3x3 padding 1; ratio = direct time / Winograd time")
    for n in (int(v) for v in args.batches.split(",")):
        for c in (int(v) for v in args.channels.split(",")):
            for hw in (int(v) for v in args.hw.split(",")):
                x = rng.standard_normal((n, c, hw, hw)).astype(dtype)
                w = rng.standard_normal((c, c, 3, 3)).astype(dtype)
                r, t = ratio(x, w)
                choice = fastla.conv2d_algorithm(x, w, padding=1)
                print(f"N={n:3d} C={c:4d} {hw:3d}x{hw:<3d} ratio {r:5.2f}  "
                      f"direct {t * 1e3:9.3f} ms  auto: {choice}", flush=True)


if __name__ == "__main__":
    main()
