"""Interleaved timing: every implementation of a case is timed in the same
round, rounds repeat, and the median per implementation is reported."""
import statistics
import time


def calibrate(fn, target=0.002):
    """Calls per sample so that one sample lasts about `target` seconds."""
    fn()                                   # warm-up (page faults, thread start)
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


def interleaved(impls, repeats=7, target=0.002):
    """Median seconds per call of each callable in `impls` (dict name -> fn),
    timed round-robin so drifting clocks and noise hit all of them alike."""
    numbers = {name: calibrate(fn, target) for name, fn in impls.items()}
    samples = {name: [] for name in impls}
    for _ in range(repeats):
        for name, fn in impls.items():
            n = numbers[name]
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - t0) / n)
    return {name: statistics.median(s) for name, s in samples.items()}
