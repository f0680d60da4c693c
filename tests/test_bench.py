"""`python -m fastla bench` runs end to end and writes its JSON figures."""
import importlib.util
import json
import os

import pytest

from conftest import run_python

HAVE_MPL = importlib.util.find_spec("matplotlib") is not None


def test_bench_quick_json(tmp_path):
    """One short run writes the JSON and, with matplotlib, the charts of the same run."""
    out = tmp_path / "bench.json"
    plot = ["--plot", str(tmp_path / "plots")] if HAVE_MPL else []
    r = run_python(["-m", "fastla", "bench", "--quick", "--only", "gemv",
                    "--repeats", "1", "--json", str(out), *plot])
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for word in ("self-check", "kernel checks passed", "FMA peak", "bandwidth", "ratio", "gemv"):
        assert word in r.stdout
    data = json.loads(out.read_text())
    assert data["machine"]["fma_gflops"] and data["machine"]["bandwidth_gbs"]["read"] > 0
    assert all(c["gbs"] > 0 and c["seconds"]["fastla"] > 0 for c in data["cases"])
    assert all(ok for ok in data["selfcheck"].values())
    assert all(c["area"] == "gemv" and c["bytes"] > 0 for c in data["cases"])
    if HAVE_MPL:
        assert sorted(f.name for f in (tmp_path / "plots").iterdir()) == ["gemv_gbs.png"]


def test_cli_help_and_unknown():
    r = run_python(["-m", "fastla"])
    assert r.returncode == 0 and "bench" in r.stdout
    r = run_python(["-m", "fastla", "frobnicate"])
    assert r.returncode == 2


def test_cli_version_and_config():
    import fastla
    r = run_python(["-m", "fastla", "--version"])
    assert r.returncode == 0 and r.stdout.strip() == f"fastla {fastla.__version__}"
    r = run_python(["-m", "fastla", "config"])
    assert r.returncode == 0 and "ISA in use" in r.stdout
    for cmd in ("config", "--version"):
        r = run_python(["-m", "fastla", cmd, "extra"])
        assert r.returncode == 2 and "takes no arguments" in r.stderr


def _tiny_results():
    """A bench JSON as `--json` writes it, reduced to a few rows."""
    def row(name, area, limit, fastla, peers, flops, nbytes, shape=None):
        r = {"name": name, "area": area, "limit": limit, "seconds": {"fastla": fastla, **peers},
             "flops": flops, "bytes": nbytes, "limit_value": 100.0}
        if shape:
            r["shape"] = shape
        return r
    return {
        "config": {"version": "0", "arch_active": "ref"}, "numpy": "2", "platform": "test",
        "machine": {"threads": 2, "fma_gflops": {"ref/float64": 100.0},
                    "bandwidth_gbs": {"read": 40.0, "copy": 35.0, "triad": 38.0}},
        "cases": [
            row("gemm float64 64x64x64", "gemm", "fma", 1e-5, {"numpy": 2e-5}, 2 * 64 ** 3,
                3 * 8 * 64 ** 2, [64, 64, 64]),
            row("gemm float64 128x128x128", "gemm", "fma", 6e-5, {"numpy": 9e-5,
                "numpy_skylakex": 7e-5}, 2 * 128 ** 3, 3 * 8 * 128 ** 2, [128, 128, 128]),
            row("gemm float32 64x4096x64", "gemm", "fma", 1e-4, {"numpy": 2e-4},
                2 * 64 * 4096 * 64, 1e6, [64, 4096, 64]),
            row("gemv float64 1024x1024 N", "gemv", "bandwidth", 1e-4, {"numpy": 2e-4},
                2 * 1024 ** 2, 8 * 1024 ** 2),
            row("spmv laplacian2d f64/i32", "sparse", "bandwidth", 1e-3, {"scipy": 3e-3},
                2e6, 1.2e7),
        ]}


def test_plot_from_json(tmp_path):
    """The charts of a saved run: one file per chart kind, real PNGs."""
    pytest.importorskip("matplotlib")
    from fastla.bench.plot import plot_results
    paths = plot_results(_tiny_results(), tmp_path / "plots")
    names = sorted(p.rsplit("/", 1)[-1] for p in paths)
    assert names == ["gemm_gflops.png", "gemm_gflops_vs_size.png", "gemv_gbs.png",
                     "sparse_gbs.png"]
    for p in paths:
        with open(p, "rb") as f:
            head = f.read(8)
        assert head == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / "plots" / p.rsplit("/", 1)[-1]).stat().st_size > 5000


def test_plot_cli_from_saved_json(tmp_path):
    """`python -m fastla.bench.plot BENCH.json DIR` (what docs/make_plots.py calls)."""
    pytest.importorskip("matplotlib")
    src = tmp_path / "bench.json"
    src.write_text(json.dumps(_tiny_results()))
    r = run_python(["-m", "fastla.bench.plot", str(src), str(tmp_path / "out")])
    assert r.returncode == 0, r.stderr[-2000:]
    assert len(list((tmp_path / "out").glob("*.png"))) == 4


def test_bench_plot_option_without_matplotlib(tmp_path):
    """--plot without matplotlib: a clear message before any benchmark runs."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "matplotlib.py").write_text("raise ImportError('no matplotlib here')\n")
    r = run_python(["-m", "fastla", "bench", "--quick", "--plot", str(tmp_path / "p")],
                   PYTHONPATH=os.pathsep.join(filter(None, [str(blocker),
                                                            os.environ.get("PYTHONPATH")])))
    assert r.returncode == 2
    assert "--plot needs matplotlib" in r.stderr and "pip install" in r.stderr
    assert "self-check" not in r.stdout



def test_wino_cases_prints_a_ratio_and_the_choice(capsys):
    """python -m fastla.bench.wino_cases: one row per (batch, C, HW) with the
    measured ratio and what conv2d's automatic choice takes."""
    import fastla
    from fastla.bench import wino_cases
    try:
        wino_cases.main(["4,8", "6", "2", "--threads", "1"])
    finally:
        fastla.set_num_threads(None)    # --threads sets the process's count
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ISA ") and "1 threads" in out[0]
    rows = out[1:]
    assert len(rows) == 2
    for row, c in zip(rows, (4, 8)):
        assert f"C={c:4d}" in row and "auto: direct" in row   # too few channels to pay
        assert float(row.split("ratio")[1].split()[0]) > 0


@pytest.mark.parametrize("argv, message", [
    (["--threads", "0"], "positive integer"),
    (["--threads", "abc"], "positive integer"),
    (["--repeats", "-1"], "positive integer"),
    (["--only", "bogus"], "invalid choice"),
    (["--json", "/nonexistent-dir/x.json"], "does not exist or is not writable"),
])
def test_bench_rejects_bad_arguments_before_running(argv, message, capsys, tmp_path):
    """User errors are argparse errors (exit 2) raised before the self-check
    and the machine measurement, not tracebacks after minutes of benchmarks."""
    from fastla.bench import run
    with pytest.raises(SystemExit) as e:
        run.main(argv)
    assert e.value.code == 2
    err = capsys.readouterr()
    assert message in err.err and "self-check" not in err.out
    with pytest.raises(SystemExit):
        run.main(["--json", str(tmp_path)])            # a directory
    assert "is a directory" in capsys.readouterr().err


def test_numpy_blas_follows_fastla_threads():
    # `python -m fastla bench --threads N` limits NumPy's BLAS to N threads,
    # so its peers run on as many threads as fastla (a subprocess: the limit
    # holds for the rest of the process)
    pytest.importorskip("threadpoolctl")
    code = ("import fastla, threadpoolctl\n"
            "from fastla.bench.peers import limit_numpy_blas\n"
            "assert limit_numpy_blas(1) is None\n"
            "blas = [i for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas']\n"
            "assert blas and all(i['num_threads'] == 1 for i in blas), blas\n"
            "print('ok')\n")
    r = run_python(code)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr
