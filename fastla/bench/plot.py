"""PNG charts of a ``python -m fastla bench`` run (``--plot DIR``), drawn from
the same figures that ``--json FILE`` writes, so a saved JSON can be plotted
again later (``docs/make_plots.py`` does that for the documentation).

Two kinds of chart per bench area (gemm, gemv, sparse, ... whatever
``run.case_providers`` registers):

* compute-bound cases (``limit == "fma"``): GFLOP/s of fastla and of each peer
  as bars per case, with the FMA peak measured in the same run as a line; when
  an area has square problems of several sizes (``shape`` m = n = k), also a
  line chart of GFLOP/s against n;
* bandwidth-bound cases: GB/s (bytes the case moves / time) of fastla and each
  peer, with the read and triad bandwidth measured in the same run as lines.

matplotlib is optional: it is imported only here, through its object API
(no pyplot, no global backend change).
"""
import os
import re

#: labels of implementations in the charts (anything else is shown as is)
LABELS = {"fastla": "fastla", "numpy": "NumPy (OpenBLAS as shipped)",
          "numpy_skylakex": "NumPy, OPENBLAS_CORETYPE=SkylakeX",
          "scipy": "SciPy", "torch": "PyTorch", "mkl": "MKL sparse",
          "graphblas": "GraphBLAS"}
_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]


def missing_matplotlib():
    """None if matplotlib can be imported, else a message saying how to get it."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return ("--plot needs matplotlib, which is not installed: "
                "`pip install matplotlib` (or the docs extra: `pip install \"fastla[docs]\"`); "
                "--json FILE works without it")
    return None


def _dtype(name):
    m = re.search(r"float32|float64|\bf32\b|\bf64\b", name)
    if not m:
        return "other"
    return {"f32": "float32", "f64": "float64"}.get(m.group(0), m.group(0))


def _impls(rows):
    seen = []
    for r in rows:
        for k in r["seconds"]:
            if k not in seen:
                seen.append(k)
    return sorted(seen, key=lambda k: (k != "fastla", k))


def _rate(row, impl, per):
    t = row["seconds"].get(impl)
    if not t:
        return float("nan")
    return row[per] / t / 1e9


def _color(impls, impl):
    return _COLORS[impls.index(impl) % len(_COLORS)]


def _figure(width, height):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _subtitle(results):
    cfg = results.get("config", {})
    mach = results.get("machine", {})
    parts = [f"fastla {cfg.get('version', '?')}", f"ISA {cfg.get('arch_active', '?')}",
             f"{mach.get('threads', '?')} threads", f"NumPy {results.get('numpy', '?')}"]
    return ", ".join(parts)


def _bars(ax, rows, impls, per, xlabel):
    n = len(impls)
    height = 0.8 / n
    ys = range(len(rows))
    for j, impl in enumerate(impls):
        vals = [_rate(r, impl, per) for r in rows]
        ax.barh([y + (j - (n - 1) / 2) * height for y in ys], vals, height=height,
                color=_color(impls, impl), label=LABELS.get(impl, impl))
    ax.set_yticks(list(ys))
    ax.set_yticklabels([r["name"] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)


def _compute_charts(area, rows, results, outdir):
    paths = []
    impls = _impls(rows)
    groups = {}
    for r in rows:
        groups.setdefault(_dtype(r["name"]), []).append(r)
    # bars: every compute-bound case
    fig = _figure(10, 1.2 + 0.22 * len(rows) * max(1, len(impls)) / 2 + 0.6 * len(groups))
    axes = fig.subplots(len(groups), 1, squeeze=False)[:, 0]
    for ax, (dt, grp) in zip(axes, sorted(groups.items())):
        _bars(ax, grp, impls, "flops", "GFLOP/s (2 m n k / time for GEMM)")
        peak = grp[0].get("limit_value")
        if peak:
            ax.axvline(peak, color="k", ls="--", lw=1, label=f"FMA peak {peak:.0f} (measured)")
        ax.set_title(f"{area} {dt}", fontsize=10)
        ax.legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{area}: GFLOP/s, medians ({_subtitle(results)})", fontsize=10)
    fig.tight_layout()
    path = os.path.join(outdir, f"{area}_gflops.png")
    fig.savefig(path)
    paths.append(path)
    # lines: square problems against n, when there are several sizes
    square = {dt: sorted((r for r in grp if r.get("shape") and len(set(r["shape"])) == 1),
                         key=lambda r: r["shape"][0])
              for dt, grp in groups.items()}
    square = {dt: grp for dt, grp in square.items() if len(grp) >= 2}
    if square:
        fig = _figure(5 * len(square) + 1, 4)
        axes = fig.subplots(1, len(square), squeeze=False)[0]
        for ax, (dt, grp) in zip(axes, sorted(square.items())):
            ns = [r["shape"][0] for r in grp]
            for impl in impls:
                ax.plot(ns, [_rate(r, impl, "flops") for r in grp], marker="o",
                        color=_color(impls, impl), label=LABELS.get(impl, impl))
            peak = grp[0].get("limit_value")
            if peak:
                ax.axhline(peak, color="k", ls="--", lw=1, label="FMA peak (measured)")
            ax.set_xscale("log", base=2)
            ax.set_xticks(ns)
            ax.set_xticklabels([str(n) for n in ns])
            ax.set_xlabel("n (square n x n x n)")
            ax.set_ylabel("GFLOP/s")
            ax.set_ylim(bottom=0)
            ax.set_title(f"{area} {dt}", fontsize=10)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
        fig.suptitle(f"{area}: GFLOP/s against size ({_subtitle(results)})", fontsize=10)
        fig.tight_layout()
        path = os.path.join(outdir, f"{area}_gflops_vs_size.png")
        fig.savefig(path)
        paths.append(path)
    return paths


def _bandwidth_chart(area, rows, results, outdir):
    impls = _impls(rows)
    fig = _figure(10, 1.5 + 0.22 * len(rows) * max(1, len(impls)) / 1.5)
    ax = fig.subplots()
    _bars(ax, rows, impls, "bytes", "GB/s (bytes the case moves / time)")
    bw = results.get("machine", {}).get("bandwidth_gbs", {})
    for key, style in (("read", "--"), ("triad", ":")):
        if key in bw:
            ax.axvline(bw[key], color="k", ls=style, lw=1,
                       label=f"{key} bandwidth {bw[key]:.0f} GB/s (measured)")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"{area}: GB/s against the measured memory bandwidth "
                 f"({_subtitle(results)})", fontsize=10)
    fig.tight_layout()
    path = os.path.join(outdir, f"{area}_gbs.png")
    fig.savefig(path)
    return [path]


def plot_results(results, outdir):
    """Write the PNG charts of one bench run into `outdir`.

    Parameters
    ----------
    results : dict
        What ``python -m fastla bench --json FILE`` writes: ``machine`` (the
        measured limits) and ``cases`` (one dict per row, with ``name``,
        ``area``, ``seconds`` per implementation, ``flops``, ``bytes``,
        ``limit`` and optionally ``shape``).
    outdir : str or path-like
        Created if missing.

    Returns
    -------
    list of str
        The paths written, in order.
    """
    msg = missing_matplotlib()
    if msg:
        raise ImportError(msg)
    os.makedirs(outdir, exist_ok=True)
    areas = {}
    for r in results["cases"]:
        if "flops" not in r or "bytes" not in r:
            continue                       # JSON from before --plot existed
        area = r.get("area") or r["name"].split()[0]
        areas.setdefault(area, []).append(r)
    paths = []
    for area, rows in areas.items():
        fma = [r for r in rows if r.get("limit") == "fma"]
        bw = [r for r in rows if r.get("limit") != "fma"]
        if fma:
            paths += _compute_charts(area, fma, results, outdir)
        if bw:
            paths += _bandwidth_chart(area, bw, results, outdir)
    return paths


def main(argv=None):
    """``python -m fastla.bench.plot BENCH.json DIR``: charts from a saved run."""
    import argparse
    import json
    p = argparse.ArgumentParser(prog="python -m fastla.bench.plot", description=main.__doc__)
    p.add_argument("json", help="a file written by `python -m fastla bench --json FILE`")
    p.add_argument("outdir", help="directory for the PNG files")
    args = p.parse_args(argv)
    msg = missing_matplotlib()
    if msg:
        p.error(msg)
    with open(args.json) as f:
        results = json.load(f)
    for path in plot_results(results, args.outdir):
        print(path)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main())
