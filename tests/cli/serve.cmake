# CLI tests of `headroom serve` and `headroom plan --task serving` (docs/cli.md, docs/serving.md).
headroom_cli_test(serve-help "default 1,2,4,8,16,32,64,128,256.*--rate.*--slo-ttft.*--slo-tpot.*--slo-percentile.*--plot"
                  serve --help)
headroom_cli_fails(serve-both-loads 3 "'request_rate': give --concurrency .* or --rate .*, not both"
                   serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--concurrency|1,8|--rate|5)
headroom_cli_fails(serve-unknown-runtime 3 "'runtime': unknown value 'vlm'; did you mean 'vllm'"
                   serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--runtime|vlm)
headroom_cli_fails(serve-bad-concurrency 3 "'concurrency'" serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--concurrency|1,x)
headroom_cli_fails(serve-zero-rate 3 "'request_rate'.*> 0" serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--rate|0)
headroom_cli_fails(serve-percentile-alone 3 "'slo': --slo-percentile needs a target"
                   serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--slo-percentile|90)
headroom_cli_fails(serve-bad-percentile 3 "'slo.percentile': must be 50, 90 or 99; got 75" serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--slo-tpot|0.05|--slo-percentile|75)
headroom_cli_fails(serve-training 3 "'task': `serve` answers task serving"
                   serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--method|full)
headroom_cli_fails(serve-no-solve 3 "'solve'.*remove --solve" serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--solve|max_concurrency)
headroom_cli_fails(serve-bad-price 3 "'price_per_gpu_hour'.*US dollars per GPU-hour"
                   serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--price-per-gpu-hour|free)
headroom_cli_fails(serve-no-gpu 2 "--gpu is required" serve|llama-3.1-8b)
# The table: one row per load point in the order given, the units in the header, the SLO column and
# the knee line (a TPOT target of 1 us no load meets; 10 s every load meets).
headroom_cli_fails(serve-table 0
  "concurrency +TTFT ms +TTFT p90 ms +TPOT ms +TPOT p90 ms +e2e s +out tok/s +tok/s/GPU +req/s +\\$/Mtok +SLO\n[- ]+\n +1 +[0-9.]+ .* ok\n +8 .* ok\nknee: meets the SLO up to concurrency 8; largest concurrency that meets it: [0-9]+"
  serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--concurrency|1,8|--slo-tpot|10)
headroom_cli_fails(serve-knee-none 0 "BREAKS\n.*BREAKS\nknee: no load point meets the SLO; first breaks at 1 .mean TPOT [0-9.]+ ms > 0.001 ms."
                   serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--concurrency|1,8|--slo-tpot|0.000001)
headroom_cli_fails(serve-rate 0 "\n +rate +TTFT ms.*\n *5 req/s +[0-9.]+ +[0-9.]+" serve|llama-3.1-8b|--gpu|h100-sxm5-80gb|--rate|5)
headroom_cli_test(serve-json "\"gpus\": \\[.*\"points\": \\[.*\"concurrency\": 1,.*\"serving\": {.*\"ttft_p90_s\".*\"usd_per_million_output_tokens\""
                  serve llama-3.1-8b --gpu h100-sxm5-80gb --concurrency 1,8 --json)
# A model that cannot fit: exit 10, each point says so.
headroom_cli_fails(serve-does-not-fit 10 "does not fit" serve|llama-3-70b|--gpu|rtx-4090|--concurrency|1)
# plan --task serving: the table and the line that says why the winner wins.
headroom_cli_fails(plan-serving 0
  "best by cost of [0-9]+ fitting layouts.*\ngpu +gpus +dp/tp/ep +concurrency +TTFT p90 ms +TPOT p90 ms +out tok/s +tok/s/GPU +KV reqs +\\$/h +\\$/Mtok\n.*\nwhy: [a-z0-9-]+ x[0-9]+ .* fits with KV for [0-9]+ concurrent requests of 640 tokens and meets the SLO"
  plan|llama-3.1-8b|--task|serving|--gpu|h100-sxm5-80gb,a100-sxm4-80gb|--max-gpus|2|--slo-ttft|1|--slo-tpot|0.05|--slo-percentile|90)
headroom_cli_fails(plan-serving-rate 3 "'request_rate'.*closed-loop" plan|llama-3.1-8b|--task|serving|--request-rate|5)
# Inference planning uses a serving engine: not eager PyTorch's one speed on every GPU, and never a
# pipeline inside a node (pp = 2 on 2 GPUs).
headroom_cli_fails(plan-inference-vllm 0 "best by time" plan|llama-3-70b|--task|inference|--max-gpus|8)
add_test(NAME cli-plan-inference-no-pp-in-node COMMAND ${HR} plan llama-3-70b --task inference --max-gpus 8 --top 50)
set_tests_properties(cli-plan-inference-no-pp-in-node PROPERTIES FAIL_REGULAR_EXPRESSION "\n[a-z0-9-]+ +[1-8] +1/[1-4]/[2-8] "
                     PASS_REGULAR_EXPRESSION "best by time" LABELS cli)
# Arithmetic on the JSON and the SVG (hand-checkable: prices, counts, series): serve_check.py.
if(Python3_Interpreter_FOUND)
  add_test(NAME cli-serve-arithmetic
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/serve_check.py ${HR}
                   ${PROJECT_SOURCE_DIR}/tests/data/gpus_serving ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(cli-serve-arithmetic PROPERTIES LABELS cli)
endif()
