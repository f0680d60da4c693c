# Build script of the downstream Strassen example: only fastla.get_include() is needed.
import fastla
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    name="fastla_extending_strassen_example",
    ext_modules=cythonize([Extension("extending_strassen", ["extending_strassen.pyx"],
                                     include_dirs=fastla.get_include())],
                          include_path=fastla.get_include(),
                          compiler_directives={"language_level": 3}),
)
