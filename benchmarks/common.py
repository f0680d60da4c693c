"""Shared pieces of the asv suites: pinned threads, seeded data."""
import numpy as np

import fastla


def rand(shape, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


class ThreadPinned:
    """Mixin: the last parameter is the thread count, pinned for the suite."""

    def _pin(self, threads):
        fastla.set_num_threads(threads)

    def teardown(self, *params):
        fastla.set_num_threads(None)
