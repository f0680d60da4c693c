"""The examples run (quick mode) and learn: each prints its test accuracy."""
import os
import re

import pytest

from conftest import TESTS_DIR, run_python

EXAMPLES = os.path.join(os.path.dirname(TESTS_DIR), "examples")


def run_example(name, *args):
    pytest.importorskip("sklearn")
    res = run_python([os.path.join(EXAMPLES, name), *args], timeout=300)
    assert res.returncode == 0, res.stderr
    m = re.search(r"accuracy=([0-9.]+)", res.stdout)
    assert m, res.stdout
    return float(m.group(1)), res.stdout


def test_mlp_digits_quick():
    acc, out = run_example("mlp_digits.py", "--quick", "--no-numpy")
    # 8 epochs of Adam: well above chance (0.1); the full run reaches >= 0.97
    assert acc >= 0.95, out
    assert "ms per epoch" in out


def test_cnn_digits_quick():
    acc, out = run_example("cnn_digits.py", "--quick")
    # 6 epochs; the full run (40 epochs) reaches >= 0.98
    assert acc >= 0.95, out
