"""Command line: ``python -m fastla bench [--quick] [--json FILE]`` and
``python -m fastla config``."""
import os
import sys

# The bench runs with OpenMP threads bound to cores (OMP_PROC_BIND=true)
# unless the caller chose a binding.  Unbound, a woken worker thread may be
# queued on the CPU where the calling thread spins at the end of the parallel
# region and wait out a whole scheduler time slice (4 ms here: a 128 x 128
# product then takes 4 ms instead of 17 us, seen on this 2-vCPU machine as
# soon as NumPy's OpenBLAS threads had run).  OpenMP reads the variable when
# it is loaded, i.e. when fastla is imported (which ``-m fastla`` has already
# done), so the command re-executes itself once with it set.
BIND_ENV = "OMP_PROC_BIND"


def main(argv=None):
    from_command_line = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "bench" and from_command_line and BIND_ENV not in os.environ:
        env = dict(os.environ, **{BIND_ENV: "true"})
        os.execve(sys.executable, [sys.executable, "-m", "fastla", *argv], env)
    if cmd == "bench":
        from fastla.bench.run import main as bench_main
        return bench_main(rest)
    if cmd == "config":
        import fastla
        fastla.show_config()
        return 0
    print(f"unknown command {cmd!r}\n" + __doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
