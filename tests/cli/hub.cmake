# Hugging Face repo ids as MODEL, end to end without the internet: a stand-in for the Hub
# (hub_server.py, started and stopped as the ctest fixture hub_server) answers as the Hub does, and
# each test runs headroom with its own HF_HUB_CACHE (hub_run.cmake). Included from
# tests/cli/CMakeLists.txt. The served config is data/models/llama-3-8b.json, whose parameter count
# 8,030,261,248 the models README gives.
find_package(Python3 COMPONENTS Interpreter QUIET)
get_property(_hr_hub_http GLOBAL PROPERTY HEADROOM_HUB_HTTP)
set(_hr_hub ${CMAKE_CURRENT_BINARY_DIR}/hub)
set(_hr_llama ${PROJECT_SOURCE_DIR}/data/models/llama-3-8b.json)
set(_hr_commit 0123456789abcdef0123456789abcdef01234567)  # hub_server.py COMMIT, COMMIT_V1, ETAG
set(_hr_commit_v1 89abcdef0123456789abcdef0123456789abcdef)
set(_hr_etag fedcba9876543210fedcba9876543210fedcba98)
set(_hr_llama_total "total +8,030,261,248")

# hub_test(NAME CODE REGEX [SERVER] [FRESH] [SEED] [CACHE dir] [ENVS k=v...] [FILES f...] [SETUP fx] [REQUIRES fx] ARGS ...)
function(hub_test name code regex)
  cmake_parse_arguments(H "SERVER;FRESH;SEED" "CACHE;SETUP;REQUIRES" "ENVS;FILES;ARGS" ${ARGN})
  if(NOT H_CACHE)
    set(H_CACHE ${name})
  endif()
  string(JOIN "|" _args ${H_ARGS})
  string(JOIN "|" _envs ${H_ENVS})
  string(JOIN "|" _files ${H_FILES})
  set(_defs -DEXE=$<TARGET_FILE:headroom-cli> "-DARGS=${_args}" -DCODE=${code} "-DREGEX=${regex}"
            -DCACHE=${_hr_hub}/cache-${H_CACHE} "-DENVS=${_envs}" "-DFILES=${_files}")
  if(H_SERVER)
    list(APPEND _defs -DSTATE=${_hr_hub}/server)
  endif()
  if(H_FRESH)
    list(APPEND _defs -DFRESH=1)
  endif()
  if(H_SEED)
    list(APPEND _defs -DSEED=${_hr_llama})
  endif()
  add_test(NAME cli-hub-${name} COMMAND ${CMAKE_COMMAND} ${_defs} -P ${CMAKE_CURRENT_SOURCE_DIR}/hub_run.cmake)
  set_tests_properties(cli-hub-${name} PROPERTIES LABELS "cli;hub" TIMEOUT 60)
  if(H_SERVER)
    set_tests_properties(cli-hub-${name} PROPERTIES FIXTURES_REQUIRED "hub_server;${H_REQUIRES}")
  elseif(H_REQUIRES)
    set_tests_properties(cli-hub-${name} PROPERTIES FIXTURES_REQUIRED "${H_REQUIRES}")
  endif()
  if(H_SETUP)
    set_tests_properties(cli-hub-${name} PROPERTIES FIXTURES_SETUP ${H_SETUP})
  endif()
endfunction()

# Without the network at all: a cache that transformers filled is read (the endpoint is a closed port),
# with and without HF_HUB_OFFLINE; offline without a cached copy is exit 6 naming HF_HUB_OFFLINE.
hub_test(cached-by-transformers 0 "${_hr_llama_total}" SEED ARGS model headroom-test/cached-only)
hub_test(offline-cached 0 "headroom-test/cached-only inference on 1x H100 SXM5 80GB.*verdict: FITS" SEED
         ENVS HF_HUB_OFFLINE=1 ARGS fit headroom-test/cached-only --gpu h100-sxm5-80gb)
hub_test(offline-no-copy 6 "HF_HUB_OFFLINE is set and the Hugging Face cache has no config.json of 'headroom-test/llama-3-8b-copy'"
         FRESH ENVS HF_HUB_OFFLINE=yes ARGS model headroom-test/llama-3-8b-copy)
# A catalog entry (here from --data) wins over the Hub (nothing listens at HF_ENDPOINT here).
hub_test(catalog-first 0 "^headroom-test/Llama-3-7B .llama." FRESH
         ARGS --data ${PROJECT_SOURCE_DIR}/tests/data/hub/repo-id-in-catalog.json model headroom-test/Llama-3-7B)
# With --revision the same repo id asks the Hub for that revision (nothing listens here: exit 6), not the catalog.
hub_test(catalog-repo-id-with-revision 6 "cannot download http://127.0.0.1:1/headroom-test/Llama-3-7B/resolve/v1.0/config.json"
         FRESH ARGS --data ${PROJECT_SOURCE_DIR}/tests/data/hub/repo-id-in-catalog.json model headroom-test/Llama-3-7B
         --revision v1.0)
# A MODEL that is none of catalog id, file and repo id: the closest ids and what a MODEL may be.
headroom_cli_fails(unknown-model-says-what-model-is 3
                   "did you mean .*'llama-3-70b'.*MODEL is a catalog id .*config.json.*Hugging Face repo id"
                   fit llama-3-7b --gpu rtx-4090)
# --revision with a catalog id: answered, with a warning that it does not apply.
hub_test(revision-with-catalog-id 0 "warning: --revision applies to Hugging Face repo ids; 'llama-3-8b' is not one"
         FRESH ARGS fit llama-3-8b --gpu rtx-4090 --revision v1.0)
# HEADROOM_HF_TIMEOUT_S must be a positive number of seconds.
hub_test(bad-timeout 3 "'HEADROOM_HF_TIMEOUT_S': 'soon' is not a number of seconds > 0" FRESH
         ENVS HEADROOM_HF_TIMEOUT_S=soon ARGS model headroom-test/llama-3-8b-copy)

if(NOT _hr_hub_http)
  # A build without libcurl reads the cache (above) and says why it cannot download.
  hub_test(no-libcurl 6 "built without libcurl.*libcurl4-openssl-dev" FRESH ARGS model headroom-test/llama-3-8b-copy)
  return()
endif()

# libcurl is loaded at the first download, not at start (the downloads below show it is loaded then).
if(NOT WIN32)
  add_test(NAME cli-hub-curl-not-at-start
           COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli> -P ${CMAKE_CURRENT_SOURCE_DIR}/no_curl_at_start.cmake)
  set_tests_properties(cli-hub-curl-not-at-start PROPERTIES SKIP_REGULAR_EXPRESSION "no ldd on this machine"
                                                           LABELS "cli;hub")
endif()

# Nothing listens at HF_ENDPOINT: a network error (exit 6) that names the URL.
hub_test(unreachable 6 "cannot download http://127.0.0.1:1/headroom-test/llama-3-8b-copy/resolve/main/config.json"
         FRESH ARGS model headroom-test/llama-3-8b-copy)

if(NOT Python3_Interpreter_FOUND)
  message(STATUS "headroom: python3 not found, the tests against the Hub stand-in (cli-hub-*) are not run")
  return()
endif()
set(_hr_server ${CMAKE_CURRENT_SOURCE_DIR}/hub_server.py)
add_test(NAME cli-hub-server-start COMMAND ${Python3_EXECUTABLE} ${_hr_server} start ${_hr_hub}/server ${_hr_llama})
add_test(NAME cli-hub-server-stop COMMAND ${Python3_EXECUTABLE} ${_hr_server} stop ${_hr_hub}/server)
set_tests_properties(cli-hub-server-start PROPERTIES FIXTURES_SETUP hub_server LABELS "cli;hub")
set_tests_properties(cli-hub-server-stop PROPERTIES FIXTURES_CLEANUP hub_server LABELS "cli;hub")

# Success: downloaded, answered, and written into the cache as huggingface_hub lays it out; then the
# same id offline reads that copy.
hub_test(fit 0 "headroom-test/llama-3-8b-copy inference on 1x H100 SXM5 80GB.*verdict: FITS" SERVER FRESH
         CACHE download SETUP hub_downloaded
         FILES models--headroom-test--llama-3-8b-copy/refs/main
               models--headroom-test--llama-3-8b-copy/blobs/${_hr_etag}
               models--headroom-test--llama-3-8b-copy/snapshots/${_hr_commit}/config.json
         ARGS fit headroom-test/llama-3-8b-copy --gpu h100-sxm5-80gb)
hub_test(offline-after-download 0 "${_hr_llama_total}" CACHE download REQUIRES hub_downloaded
         ENVS HF_HUB_OFFLINE=1 ARGS model headroom-test/llama-3-8b-copy)
# Every job command resolves MODEL the same way.
hub_test(model 0 "${_hr_llama_total}" SERVER FRESH ARGS model headroom-test/llama-3-8b-copy)
hub_test(perf 0 "decode" SERVER FRESH ARGS perf headroom-test/llama-3-8b-copy --gpu h100-sxm5-80gb)
hub_test(compare 0 "h100-sxm5-80gb" SERVER FRESH ARGS compare headroom-test/llama-3-8b-copy --gpu h100-sxm5-80gb --gpu a100-sxm4-80gb)
hub_test(scale 0 "headroom-test/llama-3-8b-copy" SERVER FRESH ARGS scale headroom-test/llama-3-8b-copy --gpu h100-sxm5-80gb --gpus 1,2)
hub_test(plan 0 "headroom-test/llama-3-8b-copy" SERVER FRESH ARGS plan headroom-test/llama-3-8b-copy --gpu h100-sxm5-80gb --gpus 1)
# --revision: a tag is fetched at its own URL and cached under refs/<tag>; an unknown one is bad input.
hub_test(revision 0 "resolve/v1.0/config.json .commit ${_hr_commit_v1}." SERVER FRESH
         FILES models--headroom-test--llama-3-8b-copy/refs/v1.0
               models--headroom-test--llama-3-8b-copy/snapshots/${_hr_commit_v1}/config.json
         ARGS model headroom-test/llama-3-8b-copy --revision v1.0)
hub_test(unknown-revision 3 "'revision': 'v9' is not a branch, tag or commit of headroom-test/llama-3-8b-copy" SERVER FRESH
         ARGS model headroom-test/llama-3-8b-copy --revision v9)
# 404: an unknown model with the closest catalog ids and the Hub's answer.
hub_test(not-found 3 "unknown model 'headroom-test/Llama-3-7B'; did you mean .*'llama-3-8b'.*answered HTTP 404 .RepoNotFound."
         SERVER FRESH ARGS fit headroom-test/Llama-3-7B --gpu h100-sxm5-80gb)
hub_test(no-config 3 "headroom-test/no-config has no config.json at revision 'main'" SERVER FRESH
         ARGS model headroom-test/no-config)
# A gated repo: 401 names HF_TOKEN and the model page (exit 6); the token is sent as a Bearer header.
hub_test(gated 6 "access to headroom-test/gated is refused.*HF_TOKEN is not set.*http://127.0.0.1:[0-9]+/headroom-test/gated "
         SERVER FRESH ARGS fit headroom-test/gated --gpu h100-sxm5-80gb)
hub_test(gated-wrong-token 6 "HTTP 403 .GatedRepo.*the token in HF_TOKEN cannot read it" SERVER FRESH ENVS HF_TOKEN=not-the-token
         ARGS model headroom-test/gated)
hub_test(gated-token 0 "${_hr_llama_total}" SERVER FRESH ENVS HF_TOKEN=test-token ARGS model headroom-test/gated)
# A server that never answers: the request ends at HEADROOM_HF_TIMEOUT_S with exit 6.
hub_test(timeout 6 "did not answer in time .*limits: 1 s to connect, 1 s in all" SERVER FRESH
         ENVS HEADROOM_HF_TIMEOUT_S=1 ARGS model headroom-test/slow)
