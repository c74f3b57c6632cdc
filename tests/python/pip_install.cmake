# docs/python.md's install, offline: a virtual environment that sees the system's setuptools and
# wheel, `pip install --no-build-isolation --no-index`, then the installed package answers a case and
# ships its type stubs. -DPYTHON= -DSRC=source tree -DWORK=scratch folder
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/src/python ${WORK}/src/src)
# A copy of what the package is built from, so the build leaves nothing in the source tree.
file(COPY ${SRC}/setup.py ${SRC}/pyproject.toml ${SRC}/include DESTINATION ${WORK}/src)
file(COPY ${SRC}/python/headroom ${SRC}/python/src DESTINATION ${WORK}/src/python PATTERN __pycache__ EXCLUDE)
file(COPY ${SRC}/src/capi DESTINATION ${WORK}/src/src)

function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${PYTHON} -m venv --system-site-packages ${WORK}/venv)
set(VPY ${WORK}/venv/bin/python)
set(ENV{PIP_NO_CACHE_DIR} 1)
set(ENV{PIP_DISABLE_PIP_VERSION_CHECK} 1)
unset(ENV{PYTHONPATH})
run(${VPY} -m pip install --no-build-isolation --no-index --no-deps ${WORK}/src)
# Run from WORK so that no source folder named headroom shadows the installed package.
run(${VPY} -c [=[
import os, sys, headroom
where = os.path.dirname(headroom.__file__)
assert where.startswith(sys.prefix), (where, sys.prefix)
for f in ("py.typed", "_headroom.pyi", "__init__.py"):
    assert os.path.exists(os.path.join(where, f)), f
a = headroom.fit("llama-3-70b", gpu="rtx-4090", method="qlora")
assert a.ok and a.fits is False, a
print(headroom.__version__, where)
]=])
message(STATUS "installed: ${out}")
