# Build script of the downstream example: only fastla.get_include() is needed.
import fastla
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    name="fastla_extending_example",
    ext_modules=cythonize([Extension("extending", ["extending.pyx"],
                                     include_dirs=fastla.get_include())],
                          include_path=fastla.get_include(),
                          compiler_directives={"language_level": 3}),
)
