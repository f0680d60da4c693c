"""Command line:

    python -m fastla bench [--quick] [--json FILE] ...   (bench --help for all)
    python -m fastla config        the build and run-time configuration
    python -m fastla --version     the version"""
import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "bench":
        from fastla.bench.run import main as bench_main
        return bench_main(rest)
    if cmd in ("config", "--version") and rest:
        print(f"{cmd} takes no arguments, got {' '.join(rest)!r}", file=sys.stderr)
        return 2
    if cmd == "config":
        import fastla
        fastla.show_config()
        return 0
    if cmd == "--version":
        from fastla._version import __version__
        print(f"fastla {__version__}")
        return 0
    print(f"unknown command {cmd!r}\n" + __doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
