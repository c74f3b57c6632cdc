"""Builds and installs the headroom Python package (python/headroom, docs/python.md) with Debian's
setuptools, offline:

    python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation --no-index .

The extension module is compiled from the same headers as the CLI (include/), with pybind11 and
nlohmann_json from the system (Debian: pybind11-dev, nlohmann-json3-dev).
"""

import re
from pathlib import Path

from setuptools import Extension, setup

ROOT = Path(__file__).resolve().parent
_version_hpp = (ROOT / "include" / "headroom" / "version.hpp").read_text(encoding="utf-8")
VERSION = ".".join(
    re.search(rf"#define HEADROOM_VERSION_{part} (\d+)", _version_hpp).group(1) for part in ("MAJOR", "MINOR", "PATCH")
)

include_dirs = ["include", "src/capi"]
try:  # pybind11 installed as a Python package (pip) rather than in /usr/include (Debian's pybind11-dev)
    import pybind11

    include_dirs.append(pybind11.get_include())
except ImportError:
    pass

setup(
    name="headroom",
    version=VERSION,
    description="Does an LLM job fit on a GPU, how fast does it run: the headroom performance model",
    packages=["headroom"],
    package_dir={"": "python"},
    package_data={"headroom": ["py.typed", "*.pyi"]},
    ext_modules=[
        Extension(
            "headroom._headroom",
            sources=["python/src/module.cpp"],
            include_dirs=include_dirs,
            language="c++",
            extra_compile_args=["-std=c++20", "-fvisibility=hidden", "-g0"],
        )
    ],
    python_requires=">=3.8",
    zip_safe=False,
)
