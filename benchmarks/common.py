"""Shared pieces of the asv suites: pinned threads, noise settings, seeded data.

Every suite derives from ThreadPinned, which gives it:
  * a pinned thread count: ``self._pin(threads)`` in ``setup`` (the thread
    count is a parameter of the suite, or a fixed number), reset to fastla's
    default in ``teardown`` so one suite never leaks its setting into the next;
  * asv timing settings that keep two runs of the same commit close (a suite
    may override them): each benchmark is warmed up (``warmup_time``), then
    timed in at least ``min_run_count`` samples and up to ``repeat`` =
    (min, max, seconds) samples per round, over ``rounds`` separate
    processes; asv chooses ``number`` (calls per sample) so that one sample
    lasts at least ``sample_time``; the result is the median.
"""
import numpy as np

import fastla


def rand(shape, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


class ThreadPinned:
    """Base of the suites: pinned threads, warm-up and repeat settings."""

    rounds = 2                 # two processes per benchmark, interleaved with the others
    repeat = (5, 20, 10.0)     # 5 to 20 samples per round, stop adding after 10 s
    min_run_count = 5
    warmup_time = 0.2          # seconds of untimed calls first (caches, page faults, clocks)
    sample_time = 0.02         # number (calls per sample) chosen so a sample lasts >= 20 ms
    number = 0                 # 0: let asv choose from sample_time

    def _pin(self, threads):
        fastla.set_num_threads(threads)

    def teardown(self, *params):
        fastla.set_num_threads(None)
