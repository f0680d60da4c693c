"""How noisy are the asv benchmarks?  Run the same suites twice on the same
commit and print how far the two runs disagree.

    python benchmarks/compare_runs.py                  # main GEMM, GEMV, SpMV cases
    python benchmarks/compare_runs.py -b bench_gemm    # any asv -b regexes
    python benchmarks/compare_runs.py --runs 3 --max-diff 0.05   # exit 1 above 5%

Each run is ``asv run --python=same --set-commit-hash HEAD`` (the fastla that
Python imports -- a worktree on PYTHONPATH is passed on to asv as
ASV_PYTHONPATH --, the suites' own repeat/warm-up settings) into its own
temporary results directory, so stored history in .asv/ is not touched.
For every benchmark and parameter combination it prints the results of the
runs and the spread (max / min - 1).  The project's target (issue 7): the
main GEMM, GEMV and SpMV cases agree within 5%.  Run it on a quiet machine:
other work on the same cores shows up directly as spread.
"""
import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: the main cases of issue 7: square GEMM, large GEMV, SpMV
DEFAULT_BENCH = [r"^bench_gemm\.GemmSquare\.", r"^bench_gemv\.GemvLarge\.",
                 r"^bench_sparse\.SpMV\.time_spmv\("]


def _config(results_dir):
    """A copy of asv.conf.json with absolute paths and its own results_dir."""
    with open(os.path.join(ROOT, "asv.conf.json")) as f:
        text = "\n".join(line for line in f if not line.lstrip().startswith("//"))
    conf = json.loads(text)
    conf["repo"] = ROOT
    conf["benchmark_dir"] = os.path.join(ROOT, conf.get("benchmark_dir", "benchmarks"))
    conf["env_dir"] = os.path.join(results_dir, "env")
    conf["html_dir"] = os.path.join(results_dir, "html")
    conf["results_dir"] = results_dir
    path = os.path.join(results_dir, "asv.conf.json")
    with open(path, "w") as f:
        json.dump(conf, f, indent=1)
    return path


def run_once(results_dir, benches, commit, extra):
    os.makedirs(results_dir, exist_ok=True)
    cfg = _config(results_dir)
    subprocess.run(["asv", "machine", "--yes", "--config", cfg], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    cmd = ["asv", "run", "--python=same", "--set-commit-hash", commit, "--config", cfg]
    for b in benches:
        cmd += ["-b", b]
    cmd += extra
    env = dict(os.environ)
    if env.get("PYTHONPATH") and "ASV_PYTHONPATH" not in env:
        # asv drops PYTHONPATH in the benchmark processes; ASV_PYTHONPATH is
        # passed on, so a worktree on PYTHONPATH is what gets measured
        env["ASV_PYTHONPATH"] = env["PYTHONPATH"]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True, env=env)
    return load_results(results_dir)


def load_results(results_dir):
    """{(benchmark, params): seconds} from every asv result file under results_dir."""
    out = {}
    for d, _, files in os.walk(results_dir):
        for name in files:
            if not name.endswith(".json") or name in ("machine.json", "benchmarks.json",
                                                      "asv.conf.json"):
                continue
            with open(os.path.join(d, name)) as f:
                data = json.load(f)
            cols = data.get("result_columns")
            if not cols or "results" not in data:
                continue
            for bench, row in data["results"].items():
                rec = dict(zip(cols, row))
                values = rec.get("result") or []
                params = rec.get("params") or []
                combos = list(itertools.product(*params)) if params else [()]
                for combo, v in zip(combos, values):
                    if v is not None:
                        out[(bench, ", ".join(map(str, combo)))] = float(v)
    return out


def compare(runs, max_diff):
    keys = sorted(set.intersection(*(set(r) for r in runs)))
    if not keys:
        print("no benchmark result common to all runs", file=sys.stderr)
        return 2
    spreads = []
    print(f"\n{'benchmark':46s} {'params':28s} " + " ".join(f"{'run ' + str(i + 1):>10s}"
                                                           for i in range(len(runs)))
          + f" {'spread':>7s}")
    for key in keys:
        vals = [r[key] for r in runs]
        spread = max(vals) / min(vals) - 1.0
        spreads.append(spread)
        flag = "  <-- above" if spread > max_diff else ""
        print(f"{key[0][-46:]:46s} {key[1][:28]:28s} "
              + " ".join(f"{v * 1e3:9.3f}ms" for v in vals) + f" {100 * spread:6.1f}%{flag}")
    spreads.sort()
    within = sum(s <= max_diff for s in spreads)
    print(f"\n{len(spreads)} cases: median spread {100 * spreads[len(spreads) // 2]:.1f}%, "
          f"max {100 * spreads[-1]:.1f}%; {within}/{len(spreads)} within "
          f"{100 * max_diff:.0f}%")
    return 0 if within == len(spreads) else 1


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-b", "--bench", action="append",
                   help="asv benchmark regex (repeatable; default: main GEMM/GEMV/SpMV)")
    p.add_argument("--runs", type=int, default=2, help="runs of the same commit (default 2)")
    p.add_argument("--max-diff", type=float, default=0.05,
                   help="allowed spread (default 0.05); exit 1 if a case exceeds it")
    p.add_argument("--keep", metavar="DIR", help="keep the runs' results in DIR")
    p.add_argument("--compare-only", metavar="DIR",
                   help="only compare the runs already stored in DIR/run1, DIR/run2, ...")
    p.add_argument("asv_args", nargs="*", help="more `asv run` arguments, after --")
    args = p.parse_args(argv)
    benches = args.bench or DEFAULT_BENCH
    if args.compare_only:
        dirs = sorted(os.path.join(args.compare_only, d) for d in os.listdir(args.compare_only)
                      if d.startswith("run"))
        return compare([load_results(d) for d in dirs], args.max_diff)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    base = args.keep or tempfile.mkdtemp(prefix="fastla-asv-noise-")
    runs = [run_once(os.path.join(base, f"run{i + 1}"), benches, commit, args.asv_args)
            for i in range(args.runs)]
    print(f"(results kept in {base})")
    return compare(runs, args.max_diff)


if __name__ == "__main__":
    sys.exit(main())
