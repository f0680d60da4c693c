"""Build script of fastla.

The C core (fastla/_src) is compiled into the fastla.cy extension:
  * frame/ and config/ and kernels/ref/ for baseline x86-64 (or any CPU),
  * kernels/<isa>/ once per ISA with that ISA's flags only (ISA_FLAGS), on x86-64.
The run-time dispatcher (config/dispatch.c) picks the table at import.

Environment:
  FASTLA_NO_OPENMP=1   build without OpenMP (serial kernels).
  FASTLA_ISAS=ref,avx2 build only these ISA kernel sets (default: all for the target).
  FASTLA_EMULATE_AVX512=1  test build: compile the avx512 kernel set (its 512-bit
                       vectors, tiles and blocking) with the AVX2 flags and let it
                       run on any AVX2 CPU, so the test suite executes that code on
                       a machine without AVX-512 (its AVX-512 intrinsics from SIMDe:
                       pip install simde-py).  Never for use: it is slow.
"""
import glob
import os
import platform
import shutil
import sys
import tempfile
import textwrap

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join("fastla", "_src")

ISA_FLAGS = {
    "avx2": ["-mavx2", "-mfma", "-mf16c"],
    "avx512": ["-mavx512f", "-mavx512bw", "-mavx512dq", "-mavx512vl", "-mavx2", "-mfma",
               "-mf16c", "-mprefer-vector-width=512"],
}
BASE_CFLAGS = ["-O3", "-std=gnu11", "-fno-math-errno", "-fno-trapping-math", "-Wno-unused-function"]


def read_version():
    ns = {}
    with open(os.path.join(HERE, "fastla", "_version.py")) as f:
        exec(f.read(), ns)
    return ns["__version__"]


def is_x86_64():
    return platform.machine().lower() in ("x86_64", "amd64")


def emulate_avx512():
    return os.environ.get("FASTLA_EMULATE_AVX512", "") not in ("", "0")


def isa_flags(isa):
    """The flags of one ISA's kernel set (AVX2's for an emulated AVX-512 set:
    GCC then splits each 512-bit vector operation into two 256-bit ones)."""
    return ISA_FLAGS["avx2" if isa == "avx512" and emulate_avx512() else isa]


def simde_include():
    """SIMDe's headers (the simde-py package): the emulated build's AVX-512
    intrinsics (fastla/_src/kernels/generic/avx512_intrin.h)."""
    try:
        import simde_py
    except ImportError:
        sys.exit("fastla: FASTLA_EMULATE_AVX512 needs SIMDe's headers: pip install simde-py")
    return simde_py.get_include()


def wanted_isas():
    isas = ["avx2", "avx512"] if is_x86_64() else []
    only = os.environ.get("FASTLA_ISAS")
    if only:
        isas = [i for i in isas if i in only.split(",")]
    return isas


def rel(*parts):
    return os.path.join(*parts)


def core_sources():
    """Sources compiled with baseline flags: frame, config tables, ref kernels."""
    srcs = sorted(glob.glob(rel(SRC, "frame", "*.c")))
    srcs += [rel(SRC, "config", "dispatch.c"), rel(SRC, "config", "ref.c")]
    srcs += sorted(glob.glob(rel(SRC, "kernels", "ref", "*.c")))
    if len(wanted_isas()) == 2:
        srcs += [rel(SRC, "config", "avx2.c"), rel(SRC, "config", "avx512.c")]
    return srcs


def isa_sources():
    return {isa: sorted(glob.glob(rel(SRC, "kernels", isa, "*.c"))) for isa in wanted_isas()}


def core_depends():
    return sorted(glob.glob(rel(SRC, "**", "*.h"), recursive=True)
                  + glob.glob(rel(SRC, "**", "*.inc"), recursive=True)
                  + glob.glob(rel("include", "fastla", "*.h")))


class BuildExt(build_ext):
    """Adds OpenMP when the compiler has it, and compiles each ISA's kernels
    with that ISA's flags only (the rest of the extension stays portable)."""

    def _probe_openmp(self):
        if os.environ.get("FASTLA_NO_OPENMP", "") not in ("", "0"):
            print("fastla: FASTLA_NO_OPENMP set: building without OpenMP (serial kernels)")
            return False
        code = "#include <omp.h>\nint main(void){return omp_get_max_threads() > 0 ? 0 : 1;}\n"
        tmp = tempfile.mkdtemp()
        try:
            src = os.path.join(tmp, "omp_probe.c")
            with open(src, "w") as f:
                f.write(code)
            objs = self.compiler.compile([src], output_dir=tmp, extra_postargs=["-fopenmp"])
            self.compiler.link_executable(objs, "omp_probe", output_dir=tmp,
                                          extra_postargs=["-fopenmp"])
            return True
        except Exception:
            print("fastla: WARNING: the compiler does not support OpenMP; "
                  "building serial kernels (fastla.show_config() will say so)", file=sys.stderr)
            return False
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def build_extensions(self):
        self.fastla_openmp = self._probe_openmp()
        super().build_extensions()

    def build_extension(self, ext):
        omp = ["-fopenmp"] if self.fastla_openmp else []
        ext.extra_compile_args = list(ext.extra_compile_args or []) + omp
        ext.extra_link_args = list(ext.extra_link_args or []) + omp
        if ext.name == "fastla.cy":
            objects = []
            for isa, srcs in isa_sources().items():
                objects += self.compiler.compile(
                    srcs, output_dir=self.build_temp, include_dirs=ext.include_dirs,
                    macros=ext.define_macros, depends=ext.depends,
                    extra_postargs=BASE_CFLAGS + isa_flags(isa) + omp)
            ext.extra_objects = list(ext.extra_objects or []) + objects
        super().build_extension(ext)


class BuildPy(build_py):
    """Ships the public C headers (include/fastla) inside the package."""

    def run(self):
        super().run()
        dest = os.path.join(self.build_lib, "fastla", "include", "fastla")
        os.makedirs(dest, exist_ok=True)
        for h in glob.glob(os.path.join(HERE, "include", "fastla", "*.h")):
            shutil.copy(h, dest)


def extensions():
    import numpy
    from Cython.Build import cythonize

    macros = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]
    incs_extra = []
    if len(wanted_isas()) == 2:
        macros.append(("FASTLA_HAVE_X86_KERNELS", "1"))
        if emulate_avx512():
            print("fastla: FASTLA_EMULATE_AVX512 set: avx512 kernels built with AVX2 flags (test build)")
            macros.append(("FASTLA_EMULATE_AVX512", "1"))
            incs_extra = [simde_include()]
    incs = ["include", SRC] + incs_extra
    exts = [
        Extension("fastla.cy", ["fastla/cy.pyx"] + core_sources(),
                  include_dirs=incs + [numpy.get_include()],
                  define_macros=macros, depends=core_depends(), extra_compile_args=BASE_CFLAGS),
    ]
    for name in ("_outcache", "_dense", "_sparse", "_strassen", "_conv", "_nn"):
        exts.append(Extension(f"fastla.{name}", [f"fastla/{name}.pyx"],
                              include_dirs=incs + [numpy.get_include()],
                              define_macros=macros, extra_compile_args=BASE_CFLAGS))
    return cythonize(exts, compiler_directives={"language_level": 3},
                     include_path=[HERE])


setup(
    version=read_version(),
    ext_modules=extensions(),
    cmdclass={"build_ext": BuildExt, "build_py": BuildPy},
)
