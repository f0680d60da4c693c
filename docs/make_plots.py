"""Make the documentation's performance charts from a saved bench run.

    python docs/make_plots.py [BENCH.json] [OUTDIR]

Defaults: docs/_static/bench/bench-quick.json -> docs/_static/bench/.
The JSON is what ``python -m fastla bench --json FILE`` writes; the charts are
the ones ``python -m fastla bench --plot DIR`` draws (fastla.bench.plot), so
the docs show real bench output and the docs build never runs a benchmark.

To refresh the figures on a quiet machine (then commit the three files)::

    PYTHONWARNINGS=ignore python -m fastla bench --quick \\
        --json docs/_static/bench/bench-quick.json > docs/_static/bench/bench-quick.txt
    python docs/make_plots.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    src = argv[0] if argv else os.path.join(HERE, "_static", "bench", "bench-quick.json")
    outdir = argv[1] if len(argv) > 1 else os.path.join(HERE, "_static", "bench")
    from fastla.bench.plot import missing_matplotlib, plot_results
    msg = missing_matplotlib()
    if msg:
        print(msg, file=sys.stderr)
        return 2
    with open(src) as f:
        results = json.load(f)
    for path in plot_results(results, outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
