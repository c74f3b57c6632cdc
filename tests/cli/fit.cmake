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
headroom_cli_fails(fit-bad-gpu 3 "did you mean 'rtx-4090'" fit|llama-3-8b|--gpu|rtx4090)
headroom_cli_fails(fit-bad-parallel 3 "'parallel'.*NAME=VALUE" fit|llama-3-8b|--gpu|rtx-4090|--parallel|tp4)
headroom_cli_fails(fit-config-path 0 "verdict"
                   fit|${PROJECT_SOURCE_DIR}/data/models/llama-3-8b.json|--gpu|h100-sxm5-80gb)
