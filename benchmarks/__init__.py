# asv imports this package before any suite (and so before fastla loads
# OpenMP): bind OpenMP threads to cores unless the caller chose a binding,
# as `python -m fastla bench` does (see fastla/__main__.py for why).
import os

os.environ.setdefault("OMP_PROC_BIND", "true")
