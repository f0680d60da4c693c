"""`python -m fastla bench`: self-check, configuration, the machine's
limits, and a table of fastla against its peers measured in the same run."""
import argparse
import json
import os
import platform
import sys

import numpy as np

import fastla
from fastla.bench import machine as _machine
from fastla.bench.peers import limit_numpy_blas
from fastla.bench.selfcheck import selfcheck
from fastla.bench.timing import interleaved


# Kernel areas, in the order the bench runs them.  Each has a module
# fastla.bench.<area>_cases with a function <area>_cases(quick) returning
# bench cases and, optionally, extra_report(cases, rows, machine, repeats).
AREAS = ("gemv", "gemm", "sparse", "strassen", "conv", "nn")


def _area_modules():
    import importlib
    mods = {}
    for area in AREAS:
        try:
            mods[area] = importlib.import_module(f"fastla.bench.{area}_cases")
        except ImportError as exc:          # an optional peer (e.g. scipy) is missing
            print(f"(bench: {area} skipped: {exc})", file=sys.stderr)
    return mods


def case_providers():
    """name -> function(quick) returning bench cases."""
    return {area: getattr(mod, f"{area}_cases") for area, mod in _area_modules().items()}


def extra_reports():
    """Area -> function(cases, rows, machine, repeats) printing extra tables."""
    return {area: mod.extra_report for area, mod in _area_modules().items()
            if hasattr(mod, "extra_report")}


def limit_of(case, mach):
    bits = 32 if "float32" in case["name"] else 64
    if case.get("limit", "bandwidth") == "fma":
        return "fma", _machine.peak_for(mach, bits)
    return "bandwidth", mach["bandwidth_gbs"]["read"]


def run_cases(cases, mach, repeats, out=sys.stdout):
    rows = []
    header = (f"{'case':44s} {'fastla':>10s} {'peer':>10s} {'best peer':>10s} {'ratio':>6s} "
              f"{'GFLOP/s':>8s} {'GB/s':>7s} {'% limit':>8s}")
    print(header, file=out)
    print("-" * len(header), file=out)
    for case in cases:
        impls = {"fastla": case["fastla"], **case["peers"]}
        med = interleaved(impls, repeats=repeats)
        peers = {k: v for k, v in med.items() if k != "fastla"}
        best_peer = min(peers, key=peers.get) if peers else None
        t = med["fastla"]
        gflops = case["flops"] / t / 1e9
        gbs = case["bytes"] / t / 1e9
        kind, limit = limit_of(case, mach)
        frac = (gflops if kind == "fma" else gbs) / limit
        ratio = peers[best_peer] / t if best_peer else float("nan")
        print(f"{case['name'][:44]:44s} {t * 1e3:9.3f}ms {peers[best_peer] * 1e3 if best_peer else 0:9.3f}ms "
              f"{best_peer or '-':>10s} {ratio:6.2f} {gflops:8.1f} {gbs:7.1f} {100 * frac:7.0f}%",
              file=out)
        rows.append({"name": case["name"], "seconds": med, "ratio_vs_best_peer": ratio,
                     "best_peer": best_peer, "gflops": gflops, "gbs": gbs,
                     "limit": kind, "limit_value": limit, "fraction_of_limit": frac,
                     "flops": case["flops"], "bytes": case["bytes"],
                     **({"shape": list(case["shape"])} if "shape" in case else {})})
    return rows


def _positive_int(text):
    """argparse type: an integer >= 1 (and small enough for a thread count)."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if not 1 <= v <= 2**31 - 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return v


def _check_json_path(p, path):
    """Errors out (before minutes of benchmarks) unless `path` can be written."""
    parent = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        p.error(f"--json {path}: is a directory")
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
        p.error(f"--json {path}: directory {parent} does not exist or is not writable")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m fastla bench",
                                description="Self-check and benchmark fastla against NumPy/SciPy.")
    p.add_argument("--quick", action="store_true", help="fewer sizes and repeats (< 1 minute)")
    p.add_argument("--json", metavar="FILE", help="write the raw figures as JSON")
    p.add_argument("--only", metavar="AREA", action="append", choices=AREAS,
                   help="run only these areas (repeatable): " + ", ".join(AREAS))
    p.add_argument("--repeats", type=_positive_int, default=None,
                   help="timed rounds per case (median)")
    p.add_argument("--threads", type=_positive_int, default=None,
                   help="threads for fastla (default: all)")
    p.add_argument("--plot", metavar="DIR",
                   help="write PNG charts of this run into DIR (needs matplotlib)")
    args = p.parse_args(argv)
    if args.plot:
        from fastla.bench import plot as _plot
        missing = _plot.missing_matplotlib()
        if missing:
            p.error(missing)
        try:
            os.makedirs(args.plot, exist_ok=True)
        except OSError as e:
            p.error(f"--plot {args.plot}: {e.strerror}")
        if not os.access(args.plot, os.W_OK):
            p.error(f"--plot {args.plot}: not writable")
    if args.json:
        _check_json_path(p, args.json)

    if args.threads is not None:
        fastla.set_num_threads(args.threads)
    note = limit_numpy_blas(fastla.get_num_threads())     # the peers on fastla's threads
    if note:
        print(note)
    print("== self-check ==")
    checks = selfcheck()
    bad = [label for label, ok in checks if not ok]
    print(f"{len(checks) - len(bad)}/{len(checks)} kernel checks passed"
          + (": FAILED " + ", ".join(bad) if bad else ""))
    print("\n== configuration ==")
    fastla.show_config()
    print(f"  numpy             : {np.__version__}")
    print("\n== machine limits (measured now, fastla's threads) ==")
    mach = _machine.measure(quick=args.quick)
    for key, v in mach["fma_gflops"].items():
        print(f"  FMA peak {key:16s}: {v:8.1f} GFLOP/s")
    for key, v in mach["bandwidth_gbs"].items():
        print(f"  bandwidth {key:15s}: {v:8.1f} GB/s")
    print("\n== fastla vs peers (medians, interleaved; ratio = best peer time / fastla time) ==")
    providers, reports = case_providers(), extra_reports()
    areas = args.only or list(providers)
    repeats = args.repeats or (3 if args.quick else 7)
    results = {"config": fastla._runtime.config_dict(), "machine": mach,
               "platform": platform.platform(), "numpy": np.__version__,
               "selfcheck": dict(checks), "cases": []}
    for area in areas:
        if area not in providers:
            p.error(f"unknown area {area!r}; choose from {', '.join(providers)}")
        cases = providers[area](args.quick)
        rows = run_cases(cases, mach, repeats)
        for row in rows:
            row["area"] = area
        if area in reports:
            reports[area](cases, rows, mach, repeats)
        results["cases"] += rows
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
        print(f"\nraw figures written to {args.json}")
    if args.plot:
        for path in _plot.plot_results(results, args.plot):
            print(f"chart written to {path}")
    return 1 if bad else 0
