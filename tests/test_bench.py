"""`python -m fastla bench` runs end to end and writes its JSON figures."""
import json

from conftest import run_python


def test_bench_quick_json(tmp_path):
    out = tmp_path / "bench.json"
    r = run_python(["-m", "fastla", "bench", "--quick", "--only", "gemv",
                    "--repeats", "1", "--json", str(out)])
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for word in ("self-check", "kernel checks passed", "FMA peak", "bandwidth", "ratio", "gemv"):
        assert word in r.stdout
    data = json.loads(out.read_text())
    assert data["machine"]["fma_gflops"] and data["machine"]["bandwidth_gbs"]["read"] > 0
    assert all(c["gbs"] > 0 and c["seconds"]["fastla"] > 0 for c in data["cases"])
    assert all(ok for ok in data["selfcheck"].values())


def test_cli_help_and_unknown():
    r = run_python(["-m", "fastla"])
    assert r.returncode == 0 and "bench" in r.stdout
    r = run_python(["-m", "fastla", "frobnicate"])
    assert r.returncode == 2
