# headroom fit: the headline answers (tests/unit/memory_test.cpp checks the numbers) and exit codes.
headroom_cli_fails(fit-70b-qlora-4090 10 "DOES NOT FIT.*largest part: weights.*What would fit"
                   fit|llama-3-70b|--gpu|rtx-4090|--method|qlora|--gc|full)
headroom_cli_fails(fit-70b-qlora-a100 0 "verdict: FITS"
                   fit|llama-3-70b|--gpu|a100-sxm4-80gb|--method|qlora|--gc|full)
headroom_cli_fails(fit-8b-lora-4090 0 "verdict: FITS"
                   fit|llama-3-8b|--gpu|rtx-4090|--method|lora|--gc|full|--seq|2048)
headroom_cli_fails(fit-8b-full-h100 10 "DOES NOT FIT" fit|llama-3-8b|--gpu|h100-sxm5-80gb|--method|full)
headroom_cli_fails(fit-json 10 "\"fits\": false.*\"suggestions\": \\["
                   fit|llama-3-70b|--gpu|rtx-4090|--method|qlora|--json)
headroom_cli_fails(fit-solve 0 "max sequence: [0-9]+"
                   fit|llama-3-8b|--gpu|rtx-4090|--method|lora|--gc|full|--solve|max_seq)
headroom_cli_fails(fit-bad-method 3 "'method'.*did you mean 'qlora'" fit|llama-3-8b|--gpu|rtx-4090|--method|qlor)
headroom_cli_fails(fit-bad-gpu 3 "did you mean 'rtx-4090'" fit|llama-3-8b|--gpu|rtx4099)
headroom_cli_fails(fit-gpu-alias 10 "on 1x GeForce RTX 4090" fit|llama-3-8b|--gpu|rtx4090|--method|qlora)
headroom_cli_fails(fit-bad-parallel 3 "'parallel'.*NAME=VALUE" fit|llama-3-8b|--gpu|rtx-4090|--parallel|tp4)
headroom_cli_fails(fit-config-path 0 "verdict"
                   fit|${PROJECT_SOURCE_DIR}/data/models/llama-3-8b.json|--gpu|h100-sxm5-80gb)
# A Hugging Face repo id of a catalog model resolves offline, in any case (data/models/README.md).
headroom_cli_fails(fit-repo-id 0 "verdict"
                   fit|Qwen/Qwen2.5-7B-Instruct|--gpu|h100-sxm5-80gb)
headroom_cli_fails(fit-repo-id-lower-case 0 "verdict" fit|qwen/qwen2.5-7b-instruct|--gpu|h100-sxm5-80gb)
# An unknown model: the closest catalog ids, and what else would do.
headroom_cli_fails(fit-unknown-model 3
                   "unknown model 'qwen2.5-7b-instrct'; did you mean 'qwen2.5-7b-instruct'.*config.json.*Hugging Face repo id"
                   fit|qwen2.5-7b-instrct|--gpu|h100-sxm5-80gb)
# Every case field is an option (tests/cli/job_options_test.cpp checks the list); these two failed once.
headroom_cli_fails(fit-optimizer-in-backward 0 "verdict: FITS"
                   fit|llama-3-8b|--gpu|h100-sxm5-80gb|--method|lora|--optimizer-in-backward|--activation-offload|--gc|full|--batch|1)
# --gpus N alone: tp = N for inference (docs/cli.md); the JSON echoes the case's layout through the answer.
headroom_cli_fails(fit-gpus-inference 0 "on 8x H100" fit|llama-3-70b|--gpu|h100-sxm5-80gb|--gpus|8)
headroom_cli_fails(fit-gpus-split 3 "'gpus': 6 GPUs cannot be split" fit|llama-3-8b|--gpu|h100-sxm5-80gb|--gpus|6|--parallel|tp=4)
# A collective takes no model: perf times it.
headroom_cli_fails(perf-collective 0 "all_reduce of 1e\\+09 bytes on 8x .* ms, bus bandwidth [0-9.]+ GB/s"
                   perf|--gpu|h100-sxm5-80gb|--gpus|8|--task|collective|--collective|all_reduce|--bytes|1e9)
headroom_cli_fails(fit-collective 3 "'task'.*headroom perf --task collective"
                   fit|--gpu|h100-sxm5-80gb|--task|collective|--collective|all_reduce|--bytes|1e9)
headroom_cli_fails(fit-no-model 2 "MODEL .*is required" fit|--gpu|h100-sxm5-80gb)
# Misspelt commands and options: the closest spellings, exit 2.
headroom_cli_fails(unknown-command 2 "unknown command 'evl'; did you mean 'eval'" evl)
headroom_cli_fails(unknown-job-option 2 "--promt; did you mean '--prompt'" fit|llama-3-8b|--gpu|rtx-4090|--promt|3)
# A config.json without _id is named after its file, in every command as in `model` (docs/catalog.md).
file(READ ${PROJECT_SOURCE_DIR}/data/models/llama-3-8b.json _config)
string(REGEX REPLACE "\"_id\": \"[^\"]*\",\n *" "" _config "${_config}")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/my-model.json "${_config}")
headroom_cli_fails(fit-config-stem 0 "^my-model inference" fit|${CMAKE_CURRENT_BINARY_DIR}/my-model.json|--gpu|h100-sxm5-80gb)
headroom_cli_fails(model-config-stem 0 "my-model" model|${CMAKE_CURRENT_BINARY_DIR}/my-model.json)
headroom_cli_fails(data-config-stem 0 "my-model" --data|${CMAKE_CURRENT_BINARY_DIR}/my-model.json|model|my-model)
# A malformed config.json: exit 4, the parser's message without the JSON library's exception id.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/bad-config.json "{bad")
headroom_cli_fails(fit-bad-config 4 "bad-config.json: not valid JSON: parse error at line 1"
                   fit|${CMAKE_CURRENT_BINARY_DIR}/bad-config.json|--gpu|rtx-4090)
headroom_cli_fails(fit-missing-gpu 2 "error: --gpu is required\nRun headroom fit --help" fit|llama-3-8b)
