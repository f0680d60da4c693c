"""Interleaved timing: every implementation of a case is timed in the same
round, rounds repeat, and the median per implementation is reported."""
import statistics
import time


# Untimed calls before every sample.  One call is not enough on a small VM:
# after a pause the OpenMP worker of a 2-thread call can be queued behind the
# calling thread for a whole scheduler slice (4 ms) several calls in a row
# before the scheduler places it on the other core (see docs/performance.rst).
WARMUP_SECONDS = 0.02


def warm_up(fn, seconds=WARMUP_SECONDS):
    """Calls fn (at least once) until `seconds` have passed."""
    t_end = time.perf_counter() + seconds
    fn()
    while time.perf_counter() < t_end:
        fn()


def calibrate(fn, target=0.002):
    """Calls per sample so that one sample lasts about `target` seconds."""
    warm_up(fn)                            # page faults, thread start, placement
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    if dt >= target:
        return 1
    number = 1
    while True:
        number *= 2
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - t0 >= target or number >= 1 << 16:
            return number


# Pause when switching implementation: OpenBLAS's idle threads spin for
# about 2**28 TSC cycles (~0.1 s here) after a call, and libgomp's for a while;
# on a 2-core machine a spinning peer thread would be charged to the next
# implementation timed.
SWITCH_PAUSE = 0.15


def interleaved(impls, repeats=7, target=0.002, pause=SWITCH_PAUSE):
    """Median seconds per call of each callable in `impls` (dict name -> fn),
    timed round-robin so drifting clocks and noise hit all of them alike.
    Each sample is preceded by a pause (idle peer threads) and WARMUP_SECONDS
    of untimed calls."""
    numbers = {}
    for name, fn in impls.items():
        time.sleep(pause)
        numbers[name] = calibrate(fn, target)
    samples = {name: [] for name in impls}
    for _ in range(repeats):
        for name, fn in impls.items():
            n = numbers[name]
            if len(impls) > 1:
                time.sleep(pause)
            warm_up(fn)
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - t0) / n)
    return {name: statistics.median(s) for name, s in samples.items()}
