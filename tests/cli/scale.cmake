# CLI tests of `headroom scale` and `headroom plan` (docs/scaling.md).
headroom_cli_test(scale-ddp "gpus +link.*\n +1 +-.*\n +8 +pcie4_host .*efficiency"
                  scale gpt2-large --gpu rtx-4090 --gpus 1,8 --method full --batch 8 --seq 1024 --gc full)
headroom_cli_test(scale-json "\"efficiency\":.*\"gpus\": 8" scale gpt2-large --gpu a100-sxm4-80gb --gpus 1,8 --method full --json)
headroom_cli_test(plan-training "best by time of [0-9]+ fitting.*exposed comm"
                  plan llama-3-8b --task training --method full --gpu rtx-4090,a100-sxm4-80gb --max-gpus 8 --top 3)
headroom_cli_test(plan-cost-json "\"objective\": \"cost\".*\"skipped_unpriced\""
                  plan llama-3-8b --task training --objective cost --max-gpus 8 --top 2 --json)
headroom_cli_fails(scale-bad-count 3 "not a GPU count" scale gpt2 --gpu rtx-4090 --gpus 1,x)
headroom_cli_fails(plan-bad-objective 3 "not one of time, cost, tokens-per-dollar, throughput" plan gpt2 --objective speed)
headroom_cli_fails(scale-split 3 "cannot be split" scale gpt2 --gpu rtx-4090 --gpus 3 --tp 2)
# --gpus is a count everywhere (docs/cli.md): plan's GPU types are --gpu; the old spelling says so.
headroom_cli_fails(plan-gpus-is-a-count 3 "'gpus': 'rtx-4090' is not a GPU count.*--gpu" plan gpt2 --gpus rtx-4090)
# What the options fix narrows plan's search: only 4 GPUs, zero 3, full checkpointing, micro-batch 2.
headroom_cli_fails(plan-fixed 0 "\n[a-z0-9-]+ +4 +[0-9]+/[0-9]+/[0-9]+ +3 +2 +full "
                   plan|llama-3-8b|--method|full|--gpu|a100-sxm4-80gb|--gpus|4|--parallel|zero=3|--gc|full|--batch|2|--top|1)
headroom_cli_fails(plan-no-solve 3 "'solve'.*does not solve" plan|gpt2|--solve|max_batch)
# scale --parallel: tp 2 at every count, the rest data parallel; at 8 GPUs dp = 8 / 2 = 4.
headroom_cli_fails(scale-parallel 0 "at 8 GPUs: dp 4, tp 2, pp 1"
                   scale|gpt2|--gpu|a100-sxm4-80gb|--gpus|2,8|--method|full|--parallel|tp=2)
# JSON output is rounded (docs/cases.md): no number with more than 5 significant digits such as
# 0.6787300000000001 (a nonzero digit, six or more digits or points, a nonzero digit).
foreach(_cmd "scale;gpt2-large;--gpu;a100-sxm4-80gb;--gpus;1,8;--method;full"
             "plan;llama-3-8b;--method;full;--objective;cost;--max-gpus;8;--top;3"
             "perf;llama-3-8b;--gpu;rtx-4090" "compare;llama-3-8b;--gpu;rtx-4090;--gpu;a100-sxm4-80gb"
             "fit;llama-3-8b;--gpu;rtx-4090;--method;lora"
             "serve;llama-3.1-8b;--gpu;h100-sxm5-80gb;--concurrency;1,8,64"
             "validate;${PROJECT_SOURCE_DIR}/tests/data/validation/public-memory.jsonl")
  list(GET _cmd 0 _name)
  add_test(NAME cli-${_name}-json-rounded COMMAND ${HR} ${_cmd} --json)
  set_tests_properties(cli-${_name}-json-rounded PROPERTIES PASS_REGULAR_EXPRESSION "\"[a-z_]+\": [0-9]"
                       FAIL_REGULAR_EXPRESSION "[1-9][0-9.][0-9.][0-9.][0-9.][0-9.][0-9.]+[1-9]" LABELS cli)
endforeach()
