# CLI tests of `headroom scale` and `headroom plan` (docs/scaling.md).
headroom_cli_test(scale-ddp "gpus +link.*\n +1 +-.*\n +8 +pcie4_host .*efficiency"
                  scale gpt2-large --gpu rtx-4090 --gpus 1,8 --method full --batch 8 --seq 1024 --gc full)
headroom_cli_test(scale-json "\"efficiency\":.*\"gpus\": 8" scale gpt2-large --gpu a100-sxm4-80gb --gpus 1,8 --method full --json)
headroom_cli_test(plan-training "best by time of [0-9]+ fitting.*exposed comm"
                  plan llama-3-8b --task training --method full --gpus rtx-4090,a100-sxm4-80gb --max-gpus 8 --top 3)
headroom_cli_test(plan-cost-json "\"objective\": \"cost\".*\"skipped_unpriced\""
                  plan llama-3-8b --task training --objective cost --max-gpus 8 --top 2 --json)
headroom_cli_fails(scale-bad-count 3 "not a GPU count" scale gpt2 --gpu rtx-4090 --gpus 1,x)
headroom_cli_fails(plan-bad-objective 3 "not one of time, cost, tokens-per-dollar" plan gpt2 --objective speed)
headroom_cli_fails(scale-split 3 "cannot be split" scale gpt2 --gpu rtx-4090 --gpus 3 --tp 2)
