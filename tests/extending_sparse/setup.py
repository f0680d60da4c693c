# Build script of the downstream sparse example: only fastla.get_include() is needed.
import fastla
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    name="fastla_extending_sparse_example",
    ext_modules=cythonize([Extension("extending_sparse", ["extending_sparse.pyx"],
                                     include_dirs=fastla.get_include())],
                          include_path=fastla.get_include(),
                          compiler_directives={"language_level": 3}),
)
