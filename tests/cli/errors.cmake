# Bad input files and bad lines end in headroom's typed errors (docs/cli.md, exit codes), never an
# abort: numbers beyond the double range, fields of the wrong type, directories given as files and
# files of the wrong kind. Included from tests/cli/CMakeLists.txt.
set(_hr_errors ${PROJECT_SOURCE_DIR}/tests/data/errors)

# eval answers every line: after a number beyond the double range and a null line it goes on.
add_test(NAME cli-eval-huge-number-and-null
         COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:headroom-cli> "-DARGS=eval|--input|${_hr_errors}/huge-number.jsonl"
                 -DEXPECT=${_hr_errors}/huge-number.expect -P ${CMAKE_CURRENT_SOURCE_DIR}/eval.cmake)
set_tests_properties(cli-eval-huge-number-and-null PROPERTIES LABELS "cli;eval")

# A number beyond the double range in a file: a data error (4) naming the file and the field.
headroom_cli_fails(profile-huge-number 4 "profile-huge.json: field 'families.ada.gemm.m_half': number 1e400 is beyond"
                   fit llama-3-8b --gpu rtx-4090 --profile ${_hr_errors}/profile-huge.json)
headroom_cli_fails(data-huge-number 4 "gpu-huge.json: field 'dense_tflops.bf16': number 1e400 is beyond"
                   --data ${_hr_errors}/gpu-huge.json gpus)
headroom_cli_fails(model-path-huge-number 4 "config-huge.json: field 'hidden_size': number 1e400 is beyond"
                   model ${_hr_errors}/config-huge.json)
headroom_cli_fails(fit-path-huge-number 4 "config-huge.json: field 'hidden_size': number 1e400 is beyond"
                   fit ${_hr_errors}/config-huge.json --gpu rtx-4090)

# A calibration file whose kind is not a string or whose schema is not a number.
headroom_cli_fails(calibration-kind-number 4
                   "calibration-kind-number.json: field 'kind': not a headroom calibration file .kind must be \"headroom-calibration\".. got number 5"
                   fit llama-3-8b --gpu rtx-4090 --profile ${_hr_errors}/calibration-kind-number.json)
headroom_cli_fails(calibration-schema-string 4
                   "calibration-schema-string.json: field 'schema': unsupported schema version .this build reads 1.. got string \"1\""
                   fit llama-3-8b --gpu rtx-4090 --profile ${_hr_errors}/calibration-schema-string.json)

# A directory where a file belongs: an I/O error (5) that says so.
headroom_cli_fails(eval-input-directory 5 "cannot read '.*errors': it is a directory. give a .jsonl file of cases"
                   eval --input ${_hr_errors})
headroom_cli_fails(validate-directory 5 "cannot read '.*errors': it is a directory. give a .jsonl file of validation cases"
                   validate ${_hr_errors})


# A file of the wrong kind says what it is.
headroom_cli_fails(profile-given-gpu-record 4 "a10.json: this is a GPU record, not an efficiency profile"
                   fit llama-3-8b --gpu rtx-4090 --profile ${PROJECT_SOURCE_DIR}/data/gpus/a10.json)
headroom_cli_fails(profile-given-config 4 "llama-3-8b.json: this is a Hugging Face config.json, not an efficiency profile"
                   fit llama-3-8b --gpu rtx-4090 --profile ${PROJECT_SOURCE_DIR}/data/models/llama-3-8b.json)
headroom_cli_fails(data-given-profile 4
                   "builtin.json: this is an efficiency profile, not a GPU record or a Hugging Face config.json. --profile reads it"
                   --data ${PROJECT_SOURCE_DIR}/data/efficiency/builtin.json gpus)
headroom_cli_fails(model-path-given-gpu-record 4 "a10.json: this is a GPU record, not a Hugging Face config.json"
                   model ${PROJECT_SOURCE_DIR}/data/gpus/a10.json)
headroom_cli_fails(fit-path-given-gpu-record 4 "this is a GPU record, not a Hugging Face config.json"
                   fit ${PROJECT_SOURCE_DIR}/data/gpus/a10.json --gpu rtx-4090)

# validate: a number beyond the double range in a validation line is a data error naming the line.
headroom_cli_fails(validate-huge-number 4
                   "validation-huge.jsonl:1: field 'case.batch': number 1e400 is beyond the range of a double"
                   validate ${_hr_errors}/validation-huge.jsonl)

# Consistency checks (checks.hpp, docs/cases.md "Checks"): an error is bad input (3) naming the
# field, the value and a fix; a warning is printed as "warning: ..." and the job is answered.
headroom_cli_fails(check-tp-divides-heads 3 "'parallel.tp': tp = 3 does not divide the model's 32 attention heads"
                   fit llama-3-8b --gpu h100-sxm5-80gb --gpus 3 --parallel tp=3)
headroom_cli_fails(check-fp8-on-v100 3 "'compute': compute \"fp8\" cannot run on v100-sxm2-32gb"
                   perf llama-3-8b --gpu v100-sxm2-32gb --compute fp8)
headroom_cli_fails(check-kv-heads-replicated 0 "warning: 'parallel.tp': tp = 16 is more than the model's 8 KV heads: each KV head is replicated 2 times"
                   fit llama-3-8b --gpu h100-sxm5-80gb --gpus 16 --parallel tp=16)
headroom_cli_fails(check-field-not-applying 0 "warning: field 'seq' does not apply to task inference; ignored"
                   fit llama-3-8b --gpu h100-sxm5-80gb --seq 4096)
headroom_cli_fails(check-warning-in-json 0 "\"warnings\": \\[\n *\"field 'seq' does not apply to task inference; ignored\""
                   fit llama-3-8b --gpu h100-sxm5-80gb --seq 4096 --json)

# No command: the usage line and the list of commands, exit 2 (a wrong command line).
headroom_cli_fails(no-command 2 "error: a command is required\nusage: headroom .*COMMAND.*commands:\n  gpus .*\n  fit ")
