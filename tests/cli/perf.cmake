# CLI tests of `headroom perf` and `headroom compare` (docs/cli.md, docs/time.md).
# Decode of an 8B model at batch 1 streams the weights: memory-bound, with the per-operator table.
headroom_cli_test(perf-decode-memory-bound
                  "decode step:.*operator +count +FLOPs +bytes +FLOP/B +time ms.*\nq_proj .*memory\n.*decode: [0-9.]+ tokens/s.*bound: memory"
                  perf llama-3-8b --gpu rtx-4090 --prompt 0 --generate 128)
# A 2048-token prompt is a large GEMM per projection: compute-bound.
headroom_cli_test(perf-prefill-compute-bound "prefill:.*\nq_proj .*compute\n.*prefill: [0-9]+ tokens/s, (80%: [0-9]+.+[0-9]+, )?TTFT.*bound: compute"
                  perf llama-3-8b --gpu a100-sxm4-80gb --prompt 2048 --generate 1)
headroom_cli_test(perf-training-mfu "train micro-batch:.*optimizer step:.*step time: .*MFU: [0-9.]+%.*6N \\+ 6 L a d s"
                  perf gpt2-large --gpu a100-sxm4-80gb --method full --batch 4 --seq 1024)
headroom_cli_test(perf-json "\"phases\": \\[.*\"operators\": \\[.*\"intensity\""
                  perf llama-3-8b --gpu rtx-4090 --json)
add_test(NAME cli-perf-plot
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli>
                 "-DARGS=perf|llama-3-8b|--gpu|rtx-4090|--plot|${CMAKE_CURRENT_BINARY_DIR}/perf-roofline.svg"
                 -DOUTPUT_FILE=${CMAKE_CURRENT_BINARY_DIR}/perf-roofline.svg "-DFILE_REGEX=<svg.*achievable.*q_proj"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/eval.cmake)
set_tests_properties(cli-perf-plot PROPERTIES LABELS cli)
headroom_cli_test(compare-4090-a100
                  "gpu +GiB +of GiB +fits.*\\$/Mtok\n-+.*\nrtx-4090 .* [0-9]+\\.[0-9]+\na100-sxm4-80gb .* [0-9]+\\.[0-9]+\n"
                  compare llama-3-8b --gpu rtx-4090 --gpu a100-sxm4-80gb)
headroom_cli_test(compare-json "\"usd_per_million_tokens\":" compare llama-3-8b --gpu rtx-4090 --gpu a100-sxm4-80gb --json)
headroom_cli_fails(perf-unknown-gpu 3 "did you mean 'rtx-4090'" perf llama-3-8b --gpu rtx-409)
headroom_cli_fails(compare-unknown-gpu 3 "did you mean 'rtx-4090'" compare llama-3-8b --gpu a100-sxm4-80gb --gpu rtx-409)
# --profile: the built-in profile as a file gives the built-in numbers.
headroom_cli_test(perf-profile "measured profile\\).*decode: 29\\.[0-9] tokens/s"
                  perf llama-3-8b --gpu rtx-4090 --profile ${PROJECT_SOURCE_DIR}/data/efficiency/builtin.json)
headroom_cli_test(compare-profile "rtx-4090 .* 29\\.[0-9] +[0-9.]+.+[0-9.]+ +memory"
                  compare llama-3-8b --gpu rtx-4090 --gpu a100-sxm4-80gb --profile ${PROJECT_SOURCE_DIR}/data/efficiency/builtin.json)
