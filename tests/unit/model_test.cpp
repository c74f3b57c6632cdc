// Parameter counting (headroom/model.hpp) against the oracle of data/models/README.md and the
// worked figures of the docs/reference/formulas.md (§1.1 block linears, §1.3 LoRA, §2.5 KV cache).
// Every number below is copied from those documents, not from this code's output.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "headroom/catalog/builtin_models.hpp"
#include "headroom/job.hpp"
#include "headroom/model.hpp"

using namespace headroom;

namespace {

struct ReadmeTotal {
  std::string_view id;
  std::int64_t total;
};
struct ReadmeParts {
  std::string_view id;
  std::int64_t embedding, lm_head, blocks, final_norm, total;
};

// id, `params (computed)` column of data/models/README.md ("## Models" table).
constexpr std::array<ReadmeTotal, 109> readme_totals{{
    {"bloom-7b1", 7'069'016'064},
    {"codellama-34b", 33'743'970'304},
    {"codellama-7b", 6'738'546'688},
    {"deepseek-r1", 671'026'419'200},
    {"deepseek-r1-distill-llama-70b", 70'553'706'496},
    {"deepseek-r1-distill-llama-8b", 8'030'261'248},
    {"deepseek-r1-distill-qwen-1.5b", 1'777'088'000},
    {"deepseek-r1-distill-qwen-14b", 14'770'033'664},
    {"deepseek-r1-distill-qwen-32b", 32'763'876'352},
    {"deepseek-r1-distill-qwen-7b", 7'615'616'512},
    {"deepseek-v3", 671'026'419'200},
    {"falcon-40b", 41'303'293'952},
    {"falcon-7b", 6'921'720'704},
    {"gemma-2-27b", 27'227'128'320},
    {"gemma-2-2b-it", 2'614'341'888},
    {"gemma-2-9b", 9'241'705'984},
    {"gemma-3-12b-it", 12'187'325'040},
    {"gemma-3-1b-it", 999'885'952},
    {"gemma-3-27b-it", 27'432'406'640},
    {"gemma-3-4b-it", 4'300'079'472},
    {"glm-4.5", 352'797'829'024},
    {"glm-4.5-air", 106'852'251'264},
    {"gpt-oss-120b", 116'829'156'672},
    {"gpt-oss-20b", 20'914'757'184},
    {"gpt2", 124'439'808},
    {"gpt2-large", 774'030'080},
    {"gpt2-medium", 354'823'168},
    {"gpt2-xl", 1'557'611'200},
    {"gpt3-125m", 125'226'240},
    {"gpt3-175b", 174'604'259'328},
    {"kimi-k2-instruct", 1'026'408'232'448},
    {"llama-13b", 13'015'864'320},
    {"llama-2-13b", 13'015'864'320},
    {"llama-2-70b", 68'976'648'192},
    {"llama-2-7b", 6'738'415'616},
    {"llama-3-70b", 70'553'706'496},
    {"llama-3-8b", 8'030'261'248},
    {"llama-3.1-405b", 405'853'388'800},
    {"llama-3.1-405b-instruct", 405'853'388'800},
    {"llama-3.1-70b", 70'553'706'496},
    {"llama-3.1-70b-instruct", 70'553'706'496},
    {"llama-3.1-8b", 8'030'261'248},
    {"llama-3.1-8b-instruct", 8'030'261'248},
    {"llama-3.2-1b-instruct", 1'235'814'400},
    {"llama-3.2-3b", 3'212'749'824},
    {"llama-3.2-3b-instruct", 3'212'749'824},
    {"llama-3.3-70b", 70'553'706'496},
    {"llama-30b", 32'528'943'616},
    {"llama-4-maverick-17b-128e-instruct", 400'711'848'960},
    {"llama-4-scout-17b-16e-instruct", 107'769'861'120},
    {"llama-65b", 65'285'660'672},
    {"llama-7b", 6'738'415'616},
    {"megatron-gpt-1.7b", 1'652'230'656},
    {"megatron-gpt-1008b", 1'008'038'758'400},
    {"megatron-gpt-145.6b", 145'622'261'760},
    {"megatron-gpt-18.4b", 18'449'756'160},
    {"megatron-gpt-1t", 1'008'038'758'400},
    {"megatron-gpt-22b", 22'074'273'792},
    {"megatron-gpt-3.6b", 3'562'168'320},
    {"megatron-gpt-310.1b", 310'130'540'544},
    {"megatron-gpt-39.1b", 39'096'041'472},
    {"megatron-gpt-529.6b", 529'600'819'200},
    {"megatron-gpt-7.5b", 7'467'786'240},
    {"megatron-gpt-76.1b", 76'050'739'200},
    {"minimax-m2", 228'689'764'864},
    {"minimax-m2.5", 228'689'764'864},
    {"mistral-7b-instruct-v0.3", 7'248'023'552},
    {"mistral-small-24b-instruct-2501", 23'572'403'200},
    {"mixtral-8x22b-v0.1", 140'620'634'112},
    {"mixtral-8x7b-v0.1", 46'702'792'704},
    {"mpt-125m", 125'311'488},
    {"mpt-13b", 12'853'954'560},
    {"mpt-1b", 1'315'950'592},
    {"mpt-30b", 29'957'200'896},
    {"mpt-350m", 355'985'408},
    {"mpt-3b", 2'651'837'440},
    {"mpt-70b", 64'862'437'376},
    {"mpt-760m", 760'470'528},
    {"mpt-7b", 6'649'286'656},
    {"mt-nlg-530b", 529'600'819'200},
    {"nemo-gpt3-20b", 20'256'221'184},
    {"nemo-gpt3-5b", 5'047'365'632},
    {"nemotron-22b", 21'266'116'608},
    {"nemotron-4-340b", 341'029'195'776},
    {"nemotron-8b", 8'540'135'424},
    {"nemotron-h-56b-base-8k", 56'324'350'464},
    {"opt-13b", 12'853'473'280},
    {"phi-1_5", 1'418'270'720},
    {"phi-4", 14'659'507'200},
    {"qwen2.5-14b", 14'770'033'664},
    {"qwen2.5-32b-instruct", 32'763'876'352},
    {"qwen2.5-7b-instruct", 7'615'616'512},
    {"qwen2.5-72b", 72'706'203'648},
    {"qwen2.5-72b-instruct", 72'706'203'648},
    {"qwen3-0.6b", 596'049'920},
    {"qwen3-1.7b", 1'720'574'976},
    {"qwen3-14b", 14'768'307'200},
    {"qwen3-235b-a22b", 235'093'634'560},
    {"qwen3-30b-a3b", 30'532'122'624},
    {"qwen3-32b", 32'762'123'264},
    {"qwen3-4b", 4'022'468'096},
    {"qwen3-8b", 8'190'735'360},
    {"qwen3-coder-480b-a35b-instruct", 480'154'875'392},
    {"qwen3-next-80b-a3b-thinking", 79'674'391'296},
    {"qwen3.5-122b-a10b", 122'562'817'776},
    {"qwen3.5-27b", 27'356'728'560},
    {"qwen3.5-35b-a3b", 35'107'181'936},
    {"qwen3.5-397b-a17b", 396'802'360'816},
    {"stablelm-base-alpha-3b", 3'637'321'728},
}};

// id, embedding, untied lm_head, all blocks, final norm, total: the "Parameter count by part" table.
constexpr std::array<ReadmeParts, 109> readme_parts{{
    {"bloom-7b1", 1'027'612'672, 0, 6'041'395'200, 8'192, 7'069'016'064},
    {"codellama-34b", 262'144'000, 262'144'000, 33'219'674'112, 8'192, 33'743'970'304},
    {"codellama-7b", 131'137'536, 131'137'536, 6'476'267'520, 4'096, 6'738'546'688},
    {"deepseek-r1", 926'679'040, 926'679'040, 669'173'053'952, 7'168, 671'026'419'200},
    {"deepseek-r1-distill-llama-70b", 1'050'673'152, 1'050'673'152, 68'452'352'000, 8'192, 70'553'706'496},
    {"deepseek-r1-distill-llama-8b", 525'336'576, 525'336'576, 6'979'584'000, 4'096, 8'030'261'248},
    {"deepseek-r1-distill-qwen-1.5b", 233'373'696, 233'373'696, 1'310'339'072, 1'536, 1'777'088'000},
    {"deepseek-r1-distill-qwen-14b", 778'567'680, 778'567'680, 13'212'893'184, 5'120, 14'770'033'664},
    {"deepseek-r1-distill-qwen-32b", 778'567'680, 778'567'680, 31'206'735'872, 5'120, 32'763'876'352},
    {"deepseek-r1-distill-qwen-7b", 544'997'376, 544'997'376, 6'525'618'176, 3'584, 7'615'616'512},
    {"deepseek-v3", 926'679'040, 926'679'040, 669'173'053'952, 7'168, 671'026'419'200},
    {"falcon-40b", 532'676'608, 0, 40'770'600'960, 16'384, 41'303'293'952},
    {"falcon-7b", 295'469'056, 0, 6'626'242'560, 9'088, 6'921'720'704},
    {"gemma-2-27b", 1'179'648'000, 0, 26'047'475'712, 4'608, 27'227'128'320},
    {"gemma-2-2b-it", 589'824'000, 0, 2'024'515'584, 2'304, 2'614'341'888},
    {"gemma-2-9b", 917'504'000, 0, 8'324'198'400, 3'584, 9'241'705'984},
    {"gemma-3-12b-it", 1'006'878'720, 0, 10'759'151'616, 3'840, 12'187'325'040},
    {"gemma-3-1b-it", 301'989'888, 0, 697'894'912, 1'152, 999'885'952},
    {"gemma-3-27b-it", 1'409'630'208, 0, 25'599'710'720, 5'376, 27'432'406'640},
    {"gemma-3-4b-it", 671'252'480, 0, 3'209'008'128, 2'560, 4'300'079'472},
    {"glm-4.5", 775'946'240, 775'946'240, 351'245'931'424, 5'120, 352'797'829'024},
    {"glm-4.5-air", 620'756'992, 620'756'992, 105'610'733'184, 4'096, 106'852'251'264},
    {"gpt-oss-120b", 579'133'440, 579'133'440, 115'670'886'912, 2'880, 116'829'156'672},
    {"gpt-oss-20b", 579'133'440, 579'133'440, 19'756'487'424, 2'880, 20'914'757'184},
    {"gpt2", 39'383'808, 0, 85'054'464, 1'536, 124'439'808},
    {"gpt2-large", 65'639'680, 0, 708'387'840, 2'560, 774'030'080},
    {"gpt2-medium", 52'511'744, 0, 302'309'376, 2'048, 354'823'168},
    {"gpt2-xl", 82'049'600, 0, 1'475'558'400, 3'200, 1'557'611'200},
    {"gpt3-125m", 40'170'240, 0, 85'054'464, 1'536, 125'226'240},
    {"gpt3-175b", 642'723'840, 0, 173'961'510'912, 24'576, 174'604'259'328},
    {"kimi-k2-instruct", 1'174'405'120, 1'174'405'120, 1'024'059'415'040, 7'168, 1'026'408'232'448},
    {"llama-13b", 163'840'000, 163'840'000, 12'688'179'200, 5'120, 13'015'864'320},
    {"llama-2-13b", 163'840'000, 163'840'000, 12'688'179'200, 5'120, 13'015'864'320},
    {"llama-2-70b", 262'144'000, 262'144'000, 68'452'352'000, 8'192, 68'976'648'192},
    {"llama-2-7b", 131'072'000, 131'072'000, 6'476'267'520, 4'096, 6'738'415'616},
    {"llama-3-70b", 1'050'673'152, 1'050'673'152, 68'452'352'000, 8'192, 70'553'706'496},
    {"llama-3-8b", 525'336'576, 525'336'576, 6'979'584'000, 4'096, 8'030'261'248},
    {"llama-3.1-405b", 2'101'346'304, 2'101'346'304, 401'650'679'808, 16'384, 405'853'388'800},
    {"llama-3.1-405b-instruct", 2'101'346'304, 2'101'346'304, 401'650'679'808, 16'384, 405'853'388'800},
    {"llama-3.1-70b", 1'050'673'152, 1'050'673'152, 68'452'352'000, 8'192, 70'553'706'496},
    {"llama-3.1-70b-instruct", 1'050'673'152, 1'050'673'152, 68'452'352'000, 8'192, 70'553'706'496},
    {"llama-3.1-8b", 525'336'576, 525'336'576, 6'979'584'000, 4'096, 8'030'261'248},
    {"llama-3.1-8b-instruct", 525'336'576, 525'336'576, 6'979'584'000, 4'096, 8'030'261'248},
    {"llama-3.2-1b-instruct", 262'668'288, 0, 973'144'064, 2'048, 1'235'814'400},
    {"llama-3.2-3b", 394'002'432, 0, 2'818'744'320, 3'072, 3'212'749'824},
    {"llama-3.2-3b-instruct", 394'002'432, 0, 2'818'744'320, 3'072, 3'212'749'824},
    {"llama-3.3-70b", 1'050'673'152, 1'050'673'152, 68'452'352'000, 8'192, 70'553'706'496},
    {"llama-30b", 212'992'000, 212'992'000, 32'102'952'960, 6'656, 32'528'943'616},
    {"llama-4-maverick-17b-128e-instruct", 1'034'485'760, 1'034'485'760, 398'642'872'320, 5'120, 400'711'848'960},
    {"llama-4-scout-17b-16e-instruct", 1'034'485'760, 1'034'485'760, 105'700'884'480, 5'120, 107'769'861'120},
    {"llama-65b", 262'144'000, 262'144'000, 64'761'364'480, 8'192, 65'285'660'672},
    {"llama-7b", 131'072'000, 131'072'000, 6'476'267'520, 4'096, 6'738'415'616},
    {"megatron-gpt-1.7b", 122'683'392, 0, 1'529'542'656, 4'608, 1'652'230'656},
    {"megatron-gpt-1008b", 1'363'148'800, 0, 1'006'675'558'400, 51'200, 1'008'038'758'400},
    {"megatron-gpt-145.6b", 654'311'424, 0, 144'967'925'760, 24'576, 145'622'261'760},
    {"megatron-gpt-18.4b", 327'155'712, 0, 18'122'588'160, 12'288, 18'449'756'160},
    {"megatron-gpt-1t", 1'363'148'800, 0, 1'006'675'558'400, 51'200, 1'008'038'758'400},
    {"megatron-gpt-22b", 327'155'712, 0, 21'747'105'792, 12'288, 22'074'273'792},
    {"megatron-gpt-3.6b", 163'577'856, 0, 3'398'584'320, 6'144, 3'562'168'320},
    {"megatron-gpt-310.1b", 872'415'232, 0, 309'258'092'544, 32'768, 310'130'540'544},
    {"megatron-gpt-39.1b", 436'207'616, 0, 38'659'817'472, 16'384, 39'096'041'472},
    {"megatron-gpt-529.6b", 1'090'519'040, 0, 528'510'259'200, 40'960, 529'600'819'200},
    {"megatron-gpt-7.5b", 218'103'808, 0, 7'249'674'240, 8'192, 7'467'786'240},
    {"megatron-gpt-76.1b", 545'259'520, 0, 75'505'459'200, 20'480, 76'050'739'200},
    {"minimax-m2", 614'596'608, 614'596'608, 227'460'568'576, 3'072, 228'689'764'864},
    {"minimax-m2.5", 614'596'608, 614'596'608, 227'460'568'576, 3'072, 228'689'764'864},
    {"mistral-7b-instruct-v0.3", 134'217'728, 134'217'728, 6'979'584'000, 4'096, 7'248'023'552},
    {"mistral-small-24b-instruct-2501", 671'088'640, 671'088'640, 22'230'220'800, 5'120, 23'572'403'200},
    {"mixtral-8x22b-v0.1", 196'608'000, 196'608'000, 140'227'411'968, 6'144, 140'620'634'112},
    {"mixtral-8x7b-v0.1", 131'072'000, 131'072'000, 46'440'644'608, 4'096, 46'702'792'704},
    {"mpt-125m", 40'255'488, 0, 85'054'464, 1'536, 125'311'488},
    {"mpt-13b", 268'369'920, 0, 12'585'574'400, 10'240, 12'853'954'560},
    {"mpt-1b", 107'347'968, 0, 1'208'598'528, 4'096, 1'315'950'592},
    {"mpt-30b", 361'496'576, 0, 29'595'697'152, 7'168, 29'957'200'896},
    {"mpt-350m", 53'673'984, 0, 302'309'376, 2'048, 355'985'408},
    {"mpt-3b", 134'184'960, 0, 2'517'647'360, 5'120, 2'651'837'440},
    {"mpt-70b", 429'391'872, 0, 64'433'029'120, 16'384, 64'862'437'376},
    {"mpt-760m", 80'510'976, 0, 679'956'480, 3'072, 760'470'528},
    {"mpt-7b", 206'569'472, 0, 6'442'713'088, 4'096, 6'649'286'656},
    {"mt-nlg-530b", 1'090'519'040, 0, 528'510'259'200, 40'960, 529'600'819'200},
    {"nemo-gpt3-20b", 321'361'920, 0, 19'934'846'976, 12'288, 20'256'221'184},
    {"nemo-gpt3-5b", 214'241'280, 0, 4'833'116'160, 8'192, 5'047'365'632},
    {"nemotron-22b", 1'572'864'000, 1'572'864'000, 18'120'376'320, 12'288, 21'266'116'608},
    {"nemotron-4-340b", 4'718'592'000, 4'718'592'000, 331'591'974'912, 36'864, 341'029'195'776},
    {"nemotron-8b", 1'048'576'000, 1'048'576'000, 6'442'975'232, 8'192, 8'540'135'424},
    {"nemotron-h-56b-base-8k", 1'073'741'824, 1'073'741'824, 54'176'858'624, 8'192, 56'324'350'464},
    {"opt-13b", 267'888'640, 0, 12'585'574'400, 10'240, 12'853'473'280},
    {"phi-1_5", 104'857'600, 104'908'800, 1'208'500'224, 4'096, 1'418'270'720},
    {"phi-4", 513'802'240, 513'802'240, 13'631'897'600, 5'120, 14'659'507'200},
    {"qwen2.5-14b", 778'567'680, 778'567'680, 13'212'893'184, 5'120, 14'770'033'664},
    {"qwen2.5-32b-instruct", 778'567'680, 778'567'680, 31'206'735'872, 5'120, 32'763'876'352},
    {"qwen2.5-7b-instruct", 544'997'376, 544'997'376, 6'525'618'176, 3'584, 7'615'616'512},
    {"qwen2.5-72b", 1'245'708'288, 1'245'708'288, 70'214'778'880, 8'192, 72'706'203'648},
    {"qwen2.5-72b-instruct", 1'245'708'288, 1'245'708'288, 70'214'778'880, 8'192, 72'706'203'648},
    {"qwen3-0.6b", 155'582'464, 0, 440'466'432, 1'024, 596'049'920},
    {"qwen3-1.7b", 311'164'928, 0, 1'409'408'000, 2'048, 1'720'574'976},
    {"qwen3-14b", 777'912'320, 777'912'320, 13'212'477'440, 5'120, 14'768'307'200},
    {"qwen3-235b-a22b", 622'329'856, 622'329'856, 233'848'970'752, 4'096, 235'093'634'560},
    {"qwen3-30b-a3b", 311'164'928, 311'164'928, 29'909'790'720, 2'048, 30'532'122'624},
    {"qwen3-32b", 777'912'320, 777'912'320, 31'206'293'504, 5'120, 32'762'123'264},
    {"qwen3-4b", 388'956'160, 0, 3'633'509'376, 2'560, 4'022'468'096},
    {"qwen3-8b", 622'329'856, 622'329'856, 6'946'071'552, 4'096, 8'190'735'360},
    {"qwen3-coder-480b-a35b-instruct", 933'494'784, 933'494'784, 478'287'879'680, 6'144, 480'154'875'392},
    {"qwen3-next-80b-a3b-thinking", 311'164'928, 311'164'928, 79'052'059'392, 2'048, 79'674'391'296},
    {"qwen3.5-122b-a10b", 762'839'040, 762'839'040, 120'585'845'760, 3'072, 122'562'817'776},
    {"qwen3.5-27b", 1'271'398'400, 1'271'398'400, 24'353'196'544, 5'120, 27'356'728'560},
    {"qwen3.5-35b-a3b", 508'559'360, 508'559'360, 33'643'489'920, 2'048, 35'107'181'936},
    {"qwen3.5-397b-a17b", 1'017'118'720, 1'017'118'720, 394'312'108'800, 4'096, 396'802'360'816},
    {"stablelm-base-alpha-3b", 207'618'048, 207'618'048, 3'222'077'440, 8'192, 3'637'321'728},
}};

// id, `vision` column of the README's hybrid-model and hub-arch parts tables (the multimodal wrappers' towers; 0 for
// the others).
constexpr std::array<ReadmeTotal, 7> readme_vision{{
    {"gemma-3-12b-it", 421'290'864},
    {"gemma-3-27b-it", 423'060'336},
    {"gemma-3-4b-it", 419'816'304},
    {"qwen3.5-122b-a10b", 451'290'864},
    {"qwen3.5-27b", 460'730'096},
    {"qwen3.5-35b-a3b", 446'571'248},
    {"qwen3.5-397b-a17b", 456'010'480},
}};

// id, `active` column of the README's "Active parameters of the MoE models" table (every other model is dense).
constexpr std::array<ReadmeTotal, 20> readme_active{{
    {"deepseek-r1", 37'552'297'472},
    {"deepseek-v3", 37'552'297'472},
    {"glm-4.5", 33'632'266'144},
    {"glm-4.5-air", 13'424'129'664},
    {"gpt-oss-120b", 5'711'982'912},
    {"gpt-oss-20b", 4'187'440'704},
    {"kimi-k2-instruct", 32'861'500'928},
    {"llama-4-maverick-17b-128e-instruct", 17'184'691'200},
    {"llama-4-scout-17b-16e-instruct", 17'172'894'720},
    {"minimax-m2", 11'030'553'088},
    {"minimax-m2.5", 11'030'553'088},
    {"mixtral-8x22b-v0.1", 39'152'031'744},
    {"mixtral-8x7b-v0.1", 12'879'925'248},
    {"qwen3-235b-a22b", 22'190'763'520},
    {"qwen3-30b-a3b", 3'353'032'704},
    {"qwen3-coder-480b-a35b-instruct", 35'474'765'312},
    {"qwen3-next-80b-a3b-thinking", 3'874'929'408},
    {"qwen3.5-122b-a10b", 9'771'288'576},
    {"qwen3.5-35b-a3b", 3'454'988'928},
    {"qwen3.5-397b-a17b", 17'349'040'896},
}};

// Published counts of the models added since 2024 (README "Published counts"; the figure and its source are in the
// Models table). What the figure counts differs by vendor: the total; Qwen's and Gemma's "non-embedding" (total
// less the embedding, an untied lm_head and a vision tower); Mistral's, Qwen's and Meta's "active"; DeepSeek's,
// Kimi's, MiniMax's, Zhipu's and the gpt-oss card's "activated" (active less the input embedding). Llama 4 Scout's
// total is checked below: Meta's 109B includes a vision tower the vendored config does not describe; Kimi K2's,
// MiniMax-M2's, MiniMax-M2.5's and GLM-4.5's totals miss their figures and are checked as misses below (README,
// "Figures that miss"). The Gemma 3 4B/12B/27B totals are the sums of the report's three columns (embedding,
// non-embedding, vision encoder).
struct Published {
  enum What { total, non_embedding, active, active_less_embedding };
  std::string_view id;
  What what;
  std::int64_t value;
  std::int64_t last_digit;  ///< one unit of the figure's last printed digit (1 for an exact count)
};
constexpr std::array<Published, 88> published{{
    {"deepseek-r1", Published::total, 671'000'000'000, 1'000'000'000},
    {"deepseek-r1", Published::active_less_embedding, 37'000'000'000, 1'000'000'000},
    {"deepseek-r1-distill-llama-70b", Published::total, 70'000'000'000, 1'000'000'000},
    {"deepseek-r1-distill-llama-70b", Published::total, 70'600'000'000, 100'000'000},
    {"deepseek-r1-distill-llama-8b", Published::total, 8'000'000'000, 1'000'000'000},
    {"deepseek-r1-distill-llama-8b", Published::total, 8'030'261'248, 1},
    {"deepseek-r1-distill-qwen-1.5b", Published::non_embedding, 1'310'000'000, 10'000'000},
    {"deepseek-r1-distill-qwen-14b", Published::total, 14'000'000'000, 1'000'000'000},
    {"deepseek-r1-distill-qwen-14b", Published::total, 14'700'000'000, 100'000'000},
    {"deepseek-r1-distill-qwen-32b", Published::total, 32'000'000'000, 1'000'000'000},
    {"deepseek-r1-distill-qwen-7b", Published::total, 7'000'000'000, 1'000'000'000},
    {"deepseek-r1-distill-qwen-7b", Published::total, 7'610'000'000, 10'000'000},
    {"deepseek-r1-distill-qwen-7b", Published::non_embedding, 6'530'000'000, 10'000'000},
    {"deepseek-v3", Published::total, 671'000'000'000, 1'000'000'000},
    {"deepseek-v3", Published::active_less_embedding, 37'000'000'000, 1'000'000'000},
    {"gemma-2-27b", Published::non_embedding, 26'047'480'320, 1},
    {"gemma-2-2b-it", Published::non_embedding, 2'024'517'888, 1},
    {"gemma-2-9b", Published::non_embedding, 8'324'201'984, 1},
    {"gemma-3-1b-it", Published::non_embedding, 698'000'000, 1'000'000},
    {"gemma-3-4b-it", Published::total, 4'301'000'000, 1'000'000},
    {"gemma-3-4b-it", Published::non_embedding, 3'209'000'000, 1'000'000},
    {"gemma-3-12b-it", Published::total, 12'188'000'000, 1'000'000},
    {"gemma-3-12b-it", Published::non_embedding, 10'759'000'000, 1'000'000},
    {"gemma-3-27b-it", Published::total, 27'433'000'000, 1'000'000},
    {"gemma-3-27b-it", Published::non_embedding, 25'600'000'000, 1'000'000},
    {"glm-4.5", Published::active_less_embedding, 32'000'000'000, 1'000'000'000},
    {"glm-4.5-air", Published::total, 106'000'000'000, 1'000'000'000},
    {"glm-4.5-air", Published::active_less_embedding, 12'000'000'000, 1'000'000'000},
    {"gpt-oss-120b", Published::total, 116'830'000'000, 10'000'000},
    {"gpt-oss-120b", Published::active_less_embedding, 5'130'000'000, 10'000'000},
    {"gpt-oss-20b", Published::total, 20'910'000'000, 10'000'000},
    {"gpt-oss-20b", Published::active_less_embedding, 3'610'000'000, 10'000'000},
    {"kimi-k2-instruct", Published::active_less_embedding, 32'000'000'000, 1'000'000'000},
    {"llama-3.1-405b-instruct", Published::total, 405'000'000'000, 1'000'000'000},
    {"llama-3.1-70b-instruct", Published::total, 70'600'000'000, 100'000'000},
    {"llama-3.1-8b-instruct", Published::total, 8'030'000'000, 10'000'000},
    {"llama-3.2-1b-instruct", Published::total, 1'230'000'000, 10'000'000},
    {"llama-3.2-3b-instruct", Published::total, 3'210'000'000, 10'000'000},
    {"llama-4-maverick-17b-128e-instruct", Published::total, 400'000'000'000, 1'000'000'000},
    {"llama-4-maverick-17b-128e-instruct", Published::active, 17'000'000'000, 1'000'000'000},
    {"llama-4-scout-17b-16e-instruct", Published::active, 17'000'000'000, 1'000'000'000},
    {"minimax-m2", Published::active_less_embedding, 10'000'000'000, 1'000'000'000},
    {"minimax-m2.5", Published::active_less_embedding, 10'000'000'000, 1'000'000'000},
    {"mistral-7b-instruct-v0.3", Published::total, 7'300'000'000, 100'000'000},
    {"mistral-small-24b-instruct-2501", Published::total, 24'000'000'000, 1'000'000'000},
    {"mixtral-8x22b-v0.1", Published::total, 141'000'000'000, 1'000'000'000},
    {"mixtral-8x22b-v0.1", Published::active, 39'000'000'000, 1'000'000'000},
    {"mixtral-8x7b-v0.1", Published::total, 46'700'000'000, 100'000'000},
    {"mixtral-8x7b-v0.1", Published::active, 12'900'000'000, 100'000'000},
    {"phi-4", Published::total, 14'000'000'000, 1'000'000'000},
    {"qwen2.5-14b", Published::total, 14'700'000'000, 100'000'000},
    {"qwen2.5-32b-instruct", Published::total, 32'800'000'000, 100'000'000},
    {"qwen2.5-7b-instruct", Published::total, 7'610'000'000, 10'000'000},
    {"qwen2.5-7b-instruct", Published::non_embedding, 6'530'000'000, 10'000'000},
    {"qwen2.5-72b", Published::total, 72'700'000'000, 100'000'000},
    {"qwen2.5-72b", Published::non_embedding, 70'000'000'000, 100'000'000},
    {"qwen2.5-72b-instruct", Published::total, 72'700'000'000, 100'000'000},
    {"qwen2.5-72b-instruct", Published::non_embedding, 70'000'000'000, 100'000'000},
    {"qwen3-0.6b", Published::total, 600'000'000, 100'000'000},
    {"qwen3-0.6b", Published::non_embedding, 440'000'000, 10'000'000},
    {"qwen3-1.7b", Published::total, 1'700'000'000, 100'000'000},
    {"qwen3-1.7b", Published::non_embedding, 1'400'000'000, 100'000'000},
    {"qwen3-14b", Published::total, 14'800'000'000, 100'000'000},
    {"qwen3-14b", Published::non_embedding, 13'200'000'000, 100'000'000},
    {"qwen3-235b-a22b", Published::total, 235'000'000'000, 1'000'000'000},
    {"qwen3-235b-a22b", Published::active, 22'000'000'000, 1'000'000'000},
    {"qwen3-235b-a22b", Published::non_embedding, 234'000'000'000, 1'000'000'000},
    {"qwen3-30b-a3b", Published::total, 30'500'000'000, 100'000'000},
    {"qwen3-30b-a3b", Published::active, 3'300'000'000, 100'000'000},
    {"qwen3-30b-a3b", Published::non_embedding, 29'900'000'000, 100'000'000},
    {"qwen3-32b", Published::total, 32'800'000'000, 100'000'000},
    {"qwen3-32b", Published::non_embedding, 31'200'000'000, 100'000'000},
    {"qwen3-4b", Published::total, 4'000'000'000, 100'000'000},
    {"qwen3-4b", Published::non_embedding, 3'600'000'000, 100'000'000},
    {"qwen3-8b", Published::total, 8'200'000'000, 100'000'000},
    {"qwen3-8b", Published::non_embedding, 6'950'000'000, 10'000'000},
    {"qwen3-coder-480b-a35b-instruct", Published::total, 480'000'000'000, 1'000'000'000},
    {"qwen3-coder-480b-a35b-instruct", Published::active, 35'000'000'000, 1'000'000'000},
    {"qwen3-next-80b-a3b-thinking", Published::total, 80'000'000'000, 1'000'000'000},
    {"qwen3-next-80b-a3b-thinking", Published::active, 3'000'000'000, 1'000'000'000},
    {"nemotron-h-56b-base-8k", Published::total, 56'000'000'000, 1'000'000'000},
    {"qwen3.5-122b-a10b", Published::total, 122'000'000'000, 1'000'000'000},
    {"qwen3.5-122b-a10b", Published::active, 10'000'000'000, 1'000'000'000},
    {"qwen3.5-27b", Published::total, 27'000'000'000, 1'000'000'000},
    {"qwen3.5-35b-a3b", Published::total, 35'000'000'000, 1'000'000'000},
    {"qwen3.5-35b-a3b", Published::active, 3'000'000'000, 1'000'000'000},
    {"qwen3.5-397b-a17b", Published::total, 397'000'000'000, 1'000'000'000},
    {"qwen3.5-397b-a17b", Published::active, 17'000'000'000, 1'000'000'000},
}};

// An index for compile-time checks: g++ with -fsanitize=undefined (-fno-delete-null-pointer-checks)
// cannot prove at compile time that the address of an element of an inline variable is not null.
constexpr std::size_t builtin_index(std::string_view id) {
  for (std::size_t i = 0; i < builtin::models.size(); ++i)
    if (builtin::models[i].id == id) return i;
  return builtin::models.size();
}

constexpr const ModelArch* find_builtin(std::string_view id) {
  const std::size_t i = builtin_index(id);
  return i < builtin::models.size() ? &builtin::models[i] : nullptr;
}

const ModelArch& builtin_model(std::string_view id) {
  const ModelArch* m = find_builtin(id);
  REQUIRE(m != nullptr);
  return *m;
}

double relative(std::int64_t got, std::int64_t want) {
  return std::abs(static_cast<double>(got) - static_cast<double>(want)) / static_cast<double>(want);
}

// A hand-written Llama-3-8B (docs/reference/formulas.md §1.1 table), independent of the generated catalog.
constexpr ModelArch llama3_8b{.id = "llama-3-8b-by-hand", .model_type = "llama", .hidden = 4096, .layers = 32,
                              .heads = 32, .kv_heads = 8, .head_dim = 128, .intermediate = 14336, .vocab = 128256,
                              .max_positions = 8192};

}  // namespace

TEST_CASE("the built-in catalog holds the 109 README models, sorted by id", "[model][catalog]") {
  REQUIRE(builtin::models.size() == readme_totals.size());
  CHECK(std::is_sorted(builtin::models.begin(), builtin::models.end(),
                       [](const ModelArch& a, const ModelArch& b) { return a.id < b.id; }));
  for (const auto& row : readme_totals) {
    INFO(row.id);
    CHECK(find_builtin(row.id) != nullptr);
  }
}

TEST_CASE("every built-in model's total matches the README 'params (computed)' within 0.1%", "[model][params]") {
  double worst = 0;
  for (const auto& row : readme_totals) {
    const ParamCounts p = count_params(builtin_model(row.id));
    const double dev = relative(p.total, row.total);
    worst = std::max(worst, dev);
    INFO(row.id << ": counted " << p.total << ", README " << row.total);
    CHECK(dev <= 1e-3);
  }
  INFO("largest relative deviation " << worst);
  CHECK(worst <= 1e-3);
}

TEST_CASE("parameters by part match the README 'Parameter count by part' table", "[model][params]") {
  for (const auto& row : readme_parts) {
    const ParamCounts p = count_params(builtin_model(row.id));
    INFO(row.id);
    CHECK(p.embedding == row.embedding);
    CHECK(p.lm_head == row.lm_head);
    CHECK(p.blocks == row.blocks);
    CHECK(p.final_norm == row.final_norm);
    CHECK(p.total == row.total);
    const auto tower =
        std::find_if(readme_vision.begin(), readme_vision.end(), [&](const auto& a) { return a.id == row.id; });
    CHECK(p.vision == (tower == readme_vision.end() ? 0 : tower->total));
    CHECK(p.embedding + p.lm_head + p.blocks + p.final_norm + p.vision == p.total);
    const auto moe =
        std::find_if(readme_active.begin(), readme_active.end(), [&](const auto& a) { return a.id == row.id; });
    CHECK(p.active == (moe == readme_active.end() ? p.total - p.vision : moe->total));
  }
}

TEST_CASE("the 2024-2026 models match their published counts within 0.5% or one unit of the last digit",
          "[model][params]") {
  for (const Published& row : published) {
    const ParamCounts p = count_params(builtin_model(row.id));
    const std::int64_t counted = row.what == Published::total           ? p.total
                                 : row.what == Published::non_embedding ? p.total - p.embedding - p.lm_head - p.vision
                                 : row.what == Published::active        ? p.active
                                                                        : p.active - p.embedding;
    const double tolerance = std::max(0.005 * static_cast<double>(row.value), static_cast<double>(row.last_digit));
    INFO(row.id << " (" << static_cast<int>(row.what) << "): counted " << counted << ", published " << row.value);
    CHECK(std::abs(static_cast<double>(counted - row.value)) <= tolerance);
  }
}

TEST_CASE("Llama 4 Scout: the catalog's language model plus the vision tower is Meta's 109B", "[model][params]") {
  // The vendored config has no vision_config, so the catalog has no tower. The tower of the Hub file's
  // vision_config, counted by hand in tests/io/hf_config_test.cpp, is 871,932,416; Meta's card gives 109B in all.
  const ParamCounts p = count_params(builtin_model("llama-4-scout-17b-16e-instruct"));
  CHECK(p.vision == 0);
  const double with_tower = static_cast<double>(p.total + 871'932'416);
  CHECK(std::abs(with_tower - 109e9) <= std::max(0.005 * 109e9, 1e9));
  // Without the tower the total misses by more than one unit of "109B" (README, "Figures that miss").
  CHECK(std::abs(static_cast<double>(p.total) - 109e9) > 1e9);
}

TEST_CASE("Figures that miss: Kimi K2, MiniMax-M2, MiniMax-M2.5 and GLM-4.5 totals (README)", "[model][params]") {
  const auto below = [](std::string_view id, double figure) {
    return 1.0 - static_cast<double>(count_params(builtin_model(id)).total) / figure;
  };
  // Kimi K2's report gives 1.04T; the config counts 1.3% less (unexplained; the card's "1T" is rounded).
  CHECK(below("kimi-k2-instruct", 1.04e12) > 0.01);
  CHECK(below("kimi-k2-instruct", 1.04e12) < 0.015);
  // MiniMax-M2.5: "230B" (the M2 card); the config counts 0.57% less, more than one unit of the figure.
  CHECK(below("minimax-m2.5", 230e9) > 0.005);
  CHECK(below("minimax-m2.5", 230e9) < 0.01);
  // MiniMax-M2 (the same shapes, hub-arch): the same miss against its own card's "230B".
  CHECK(below("minimax-m2", 230e9) > 0.005);
  CHECK(below("minimax-m2", 230e9) < 0.01);
  // GLM-4.5: "355B"; the config counts 0.62% less (2.2B, more than one unit); its MTP layer, which transformers
  // does not build, would put it 0.5% above (README).
  CHECK(below("glm-4.5", 355e9) > 0.005);
  CHECK(below("glm-4.5", 355e9) < 0.01);
}

TEST_CASE("Mistral-Small-24B-Instruct-2501: the count is the Hub checkpoint's, weight for weight", "[model][params]") {
  // model.safetensors.index.json of the Hub checkpoint (README, "The hub-arch models"): total_size 47,144,806,400
  // bytes of bf16 weights, lm_head stored apart from embed_tokens. An exact check: the "24B" of the card is nominal.
  const ParamCounts p = count_params(builtin_model("mistral-small-24b-instruct-2501"));
  CHECK(p.total == 47'144'806'400 / 2);
  CHECK(p.lm_head == p.embedding);
}

TEST_CASE("DeepSeek-R1 distills, Qwen2.5-72B-Instruct, Llama-3.1-405B-Instruct: the count of the base's shapes",
          "[model][params]") {
  // Where a model keeps its base's shapes, its total is the base's, weight for weight. Each expected value is the
  // hand-counted total of data/models/README.md ("Parameter count by part"), which is also a published count of
  // the base checkpoint: 7,615,616,512 Qwen2.5-7B (card: 7.61B), 14,770,033,664 Qwen2.5-14B (card: 14.7B),
  // 8,030,261,248 Llama-3.1-8B (HF model page: 8.03B; also the Hub's safetensors count of DeepSeek-R1-Distill-
  // Llama-8B itself), 70,553,706,496 Llama-3.3-70B-Instruct (70.6B), 72,706,203,648 Qwen2.5-72B (card: 72.7B),
  // 405,853,388,800 Llama-3.1-405B (Llama 3 paper: 405B).
  struct Row {
    std::string_view id, base;
    std::int64_t total;
  };
  for (const Row& row : {Row{"deepseek-r1-distill-qwen-7b", "qwen2.5-7b-instruct", 7'615'616'512},
                         Row{"deepseek-r1-distill-qwen-14b", "qwen2.5-14b", 14'770'033'664},
                         Row{"deepseek-r1-distill-llama-8b", "llama-3.1-8b", 8'030'261'248},
                         Row{"deepseek-r1-distill-llama-70b", "llama-3.3-70b", 70'553'706'496},
                         Row{"qwen2.5-72b-instruct", "qwen2.5-72b", 72'706'203'648},
                         Row{"llama-3.1-405b-instruct", "llama-3.1-405b", 405'853'388'800}}) {
    INFO(row.id << " vs " << row.base);
    const ParamCounts p = count_params(builtin_model(row.id));
    const ParamCounts b = count_params(builtin_model(row.base));
    CHECK(p.total == row.total);
    CHECK(b.total == row.total);
    CHECK(p.embedding == b.embedding);
    CHECK(p.lm_head == b.lm_head);
    CHECK(p.blocks == b.blocks);
  }
}

TEST_CASE("Figures that miss: DeepSeek-R1-Distill-Qwen-1.5B is its base plus an untied lm_head (README)",
          "[model][params]") {
  // The base, Qwen2.5-Math-1.5B, has Qwen2.5-1.5B's shapes and ties its embeddings: 1.54B, 1.31B non-embedding
  // (Qwen2.5-1.5B model card). The distilled checkpoint stores lm_head apart (tie_word_embeddings false), one more
  // 151,936 x 1,536 = 233,373,696 table, which puts it 18% above the name's nominal "1.5B".
  const ParamCounts p = count_params(builtin_model("deepseek-r1-distill-qwen-1.5b"));
  CHECK(p.lm_head == 151'936 * 1'536);
  CHECK(p.lm_head == p.embedding);
  CHECK(std::abs(static_cast<double>(p.total - p.lm_head) - 1.54e9) <= 0.01e9);
  CHECK(std::abs(static_cast<double>(p.total) - (1.54e9 + 233'373'696)) <= 0.01e9);
  const double above = static_cast<double>(p.total) / 1.5e9 - 1.0;
  CHECK(above > 0.15);
  CHECK(above < 0.20);
  CHECK(static_cast<double>(p.total) - 1.5e9 > 0.1e9);  // more than one unit of "1.5B"
}

TEST_CASE("Gemma 3 4B/12B/27B: the SigLIP tower is the report's 417M; the projector fits its embedding column",
          "[model][params]") {
  // Gemma 3 report (arXiv 2503.19786), Table 1: vision encoder 417M for all three; embedding 675M / 1,012M /
  // 1,416M. The catalog's vision part also holds mm_soft_emb_norm (1,152) and mm_input_projection (1,152 x hidden),
  // which the report's figures put with the embedding: the token table alone (262,208 x hidden) is 0.45-0.56%
  // below them, with the projector within 1M.
  struct Row {
    std::string_view id;
    std::int64_t hidden, embedding;
  };
  for (const Row& row : {Row{"gemma-3-4b-it", 2560, 675'000'000}, Row{"gemma-3-12b-it", 3840, 1'012'000'000},
                         Row{"gemma-3-27b-it", 5376, 1'416'000'000}}) {
    INFO(row.id);
    const ParamCounts p = count_params(builtin_model(row.id));
    const std::int64_t projector = 1152 * row.hidden + 1152;
    CHECK(std::abs(static_cast<double>(p.vision - projector) - 417e6) <= 1e6);
    CHECK(std::abs(static_cast<double>(p.embedding + projector - row.embedding)) <= 1e6);
    CHECK(std::abs(static_cast<double>(p.embedding - row.embedding)) > 1e6);  // the table alone misses
  }
}

TEST_CASE("by-part spot checks for each counting rule", "[model][params]") {
  SECTION("bloom-7b1: word_embeddings_layernorm is part of the embedding; exact model-card count") {
    const ParamCounts p = count_params(builtin_model("bloom-7b1"));
    CHECK(p.embedding == 1'027'612'672);  // 250880 x 4096 + 2 x 4096
    CHECK(p.total == 7'069'016'064);
  }
  SECTION("opt-13b: learned positions have max_position_embeddings + 2 rows") {
    const ParamCounts p = count_params(builtin_model("opt-13b"));
    CHECK(p.embedding == 267'888'640);  // (50272 + 2050) x 5120
    CHECK(p.lm_head == 0);
  }
  SECTION("phi-1_5: untied lm_head with a vocab_size bias, one LayerNorm per block") {
    const ParamCounts p = count_params(builtin_model("phi-1_5"));
    CHECK(p.lm_head == 104'908'800);  // 51200 x 2048 + 51200
    CHECK(p.blocks == 1'208'500'224);
  }
  SECTION("falcon-7b (multi-query, one norm) and falcon-40b (8 KV heads, two norms)") {
    CHECK(count_params(builtin_model("falcon-7b")).blocks == 6'626'242'560);
    CHECK(count_params(builtin_model("falcon-40b")).blocks == 40'770'600'960);
    CHECK(count_params(builtin_model("falcon-7b")).final_norm == 9'088);
  }
  SECTION("mpt: recipe files have a position table and biases, Hub files neither") {
    CHECK(count_params(builtin_model("mpt-125m")).embedding == 40'255'488);  // (50368 + 2048) x 768
    CHECK(count_params(builtin_model("mpt-7b")).blocks == 6'442'713'088);
    CHECK(count_params(builtin_model("mpt-7b")).final_norm == 4'096);
  }
  SECTION("nemotron-4-340b: untied 256k tables, LayerNorm1p with bias") {
    const ParamCounts p = count_params(builtin_model("nemotron-4-340b"));
    CHECK(p.embedding == 4'718'592'000);
    CHECK(p.lm_head == 4'718'592'000);
    CHECK(p.blocks == 331'591'974'912);
    CHECK(p.final_norm == 36'864);
  }
  SECTION("llama-3.2-3b: tied embeddings, head_dim from the config") {
    const ParamCounts p = count_params(builtin_model("llama-3.2-3b"));
    CHECK(p.lm_head == 0);
    CHECK(p.total == 3'212'749'824);
  }
  SECTION("gpt2 and stablelm (gpt_neox, untied embed_out)") {
    CHECK(count_params(builtin_model("gpt2")).total == 124'439'808);
    CHECK(count_params(builtin_model("stablelm-base-alpha-3b")).lm_head == 207'618'048);
  }
}

TEST_CASE("docs/reference/formulas.md §1.1: Llama-3 totals, embeddings and block linears", "[model][params]") {
  const ParamCounts p8 = count_params(llama3_8b);
  CHECK(p8.total == 8'030'261'248);
  CHECK(p8.total == count_params(builtin_model("llama-3-8b")).total);
  const ParamCounts p70 = count_params(builtin_model("llama-3-70b"));
  CHECK(p70.total == 70'553'706'496);
  // "the linear layers inside the blocks hold 68.451e9 parameters; the embedding and the lm_head hold 1.0507e9 each"
  CHECK(static_cast<double>(p70.block_linear) == Approx(68.451e9).epsilon(1e-5));
  CHECK(static_cast<double>(p70.embedding) == Approx(1.0507e9).epsilon(1e-4));
  CHECK(static_cast<double>(p70.lm_head) == Approx(1.0507e9).epsilon(1e-4));
  // Block linears are the blocks minus the two RMSNorm weights of each layer.
  CHECK(p70.block_linear == p70.blocks - 80 * 2 * 8192);
  CHECK(p70.largest_linear == 8192LL * 28672);  // gate/up/down
}

TEST_CASE("docs/reference/formulas.md §1.3: LoRA trainable parameters", "[model][lora]") {
  // r·(d_in + d_out) per adapted module, summed over q, k, v, o, gate, up, down.
  const ModelArch& l70 = builtin_model("llama-3-70b");
  CHECK(static_cast<double>(lora_params(llama3_8b, lora_all_linear, 8)) == Approx(20.97e6).epsilon(5e-4));
  CHECK(static_cast<double>(lora_params(llama3_8b, lora_all_linear, 16)) == Approx(41.94e6).epsilon(5e-4));
  CHECK(static_cast<double>(lora_params(llama3_8b, lora_all_linear, 64)) == Approx(167.8e6).epsilon(5e-4));
  CHECK(static_cast<double>(lora_params(l70, lora_all_linear, 8)) == Approx(103.5e6).epsilon(5e-4));
  CHECK(static_cast<double>(lora_params(l70, lora_all_linear, 16)) == Approx(207.1e6).epsilon(5e-4));
  CHECK(static_cast<double>(lora_params(l70, lora_all_linear, 64)) == Approx(828.4e6).epsilon(5e-4));
  // PEFT's default q_proj + v_proj at r=16 on Llama-3-8B: 32 x 16 x ((4096 + 4096) + (4096 + 1024)).
  CHECK(lora_params(llama3_8b, lora_q | lora_v, 16) == 6'815'744);
  CHECK(lora_params(llama3_8b, 0, 16) == 0);
}

TEST_CASE("fused modules are reported as their split q/k/v equivalents", "[model][lora]") {
  SECTION("gpt2 c_attn") {
    const ModelArch& g = builtin_model("gpt2");
    const auto mods = linear_modules(g);
    CHECK(mods[0].name == "q_proj");
    CHECK(mods[0].d_in == 768);
    CHECK(mods[0].d_out == 768);
    CHECK(mods[2].name == "k_proj");
    CHECK(mods[3].name == "v_proj");
    CHECK(mods[5].name.empty());  // no gate in a 2-matrix MLP
    CHECK(mods[6].name == "up_proj");
    CHECK(mods[6].d_out == 3072);
    // q, v at r=8 is the same on a fused and a split model: 12 x 8 x (2 x 768 + 2 x 768)
    CHECK(lora_params(g, lora_q | lora_v, 8) == 12 * 8 * 4 * 768);
    CHECK(count_params(g).largest_linear == 768 * 3072);  // c_fc is larger than c_attn (768 x 2304)
  }
  SECTION("falcon-7b query_key_value: one shared KV head") {
    const auto mods = linear_modules(builtin_model("falcon-7b"));
    CHECK(mods[2].d_out == 64);
    CHECK(mods[3].d_out == 64);
    CHECK(mods[0].d_out == 4544);
  }
  SECTION("block_linear is the sum of the modules") {
    for (const ModelArch& m : builtin::models) {
      std::int64_t sum = 0;
      for (const LinearModule& lm : linear_modules(m)) sum += lm.weights();
      INFO(m.id);
      CHECK(count_params(m).block_linear == sum);
      CHECK(lora_params(m, lora_all_linear, 1) > 0);
    }
  }
}

TEST_CASE("the LoRA bits of linear_modules() are the LoraTarget bits of job.hpp", "[model][lora]") {
  STATIC_REQUIRE(detail::lora_bit_q == lora_q);
  STATIC_REQUIRE(detail::lora_bit_k == lora_k);
  STATIC_REQUIRE(detail::lora_bit_v == lora_v);
  STATIC_REQUIRE(detail::lora_bit_o == lora_o);
  STATIC_REQUIRE(detail::lora_bit_gate == lora_gate);
  STATIC_REQUIRE(detail::lora_bit_up == lora_up);
  STATIC_REQUIRE(detail::lora_bit_down == lora_down);
}

TEST_CASE("docs/reference/formulas.md §2.5: KV cache elements per token", "[model][kv]") {
  CHECK(kv_elements_per_token(llama3_8b) == 65'536);
  CHECK(kv_elements_per_token(llama3_8b) * 2 == 131'072);  // bytes in bf16 (128 KiB)
  CHECK(kv_elements_per_token(builtin_model("llama-3-70b")) * 2 == 327'680);
  CHECK(kv_elements_per_token(builtin_model("falcon-7b")) == 2 * 32 * 1 * 64);  // multi-query
}

TEST_CASE("MoE and MLA counting on hand-written architectures", "[model][moe]") {
  // Mixtral-8x7B (docs/reference/formulas.md §1.2): 46.70e9 total, 12.88e9 active.
  constexpr ModelArch mixtral{.id = "mixtral", .hidden = 4096, .layers = 32, .heads = 32, .kv_heads = 8,
                              .head_dim = 128, .intermediate = 14336, .vocab = 32000, .experts = 8,
                              .experts_per_token = 2, .expert_intermediate = 14336};
  CHECK(static_cast<double>(count_params(mixtral).total) == Approx(46.70e9).epsilon(1e-3));
  CHECK(static_cast<double>(count_params(mixtral).active) == Approx(12.88e9).epsilon(1e-3));
  CHECK(moe_layer_count(mixtral) == 32);
  CHECK(dense_layer_count(mixtral) == 0);

  // Leading dense layers and MoE frequency (deepseek first_k_dense_replace / moe_layer_freq,
  // qwen2_moe decoder_sparse_step via moe_layer_offset).
  ModelArch m = mixtral;
  m.dense_layers = 3;
  CHECK(moe_layer_count(m) == 29);
  m.dense_layers = 0;
  m.moe_layer_freq = 2;
  m.moe_layer_offset = 1;  // layers 1, 3, ..., 31
  CHECK(moe_layer_count(m) == 16);

  // MLA: the KV cache is the latent plus the shared RoPE key.
  ModelArch mla{};
  mla.attention = AttentionKind::mla;
  mla.layers = 61;
  mla.kv_lora_rank = 512;
  mla.qk_rope_head_dim = 64;
  CHECK(kv_elements_per_token(mla) * 2 == 70'272);  // docs/reference/formulas.md §2.5, DeepSeek-V3 in bf16
}

TEST_CASE("parameter counting works at compile time", "[model][constexpr]") {
  STATIC_REQUIRE(count_params(llama3_8b).total == 8'030'261'248);
  STATIC_REQUIRE(kv_elements_per_token(llama3_8b) == 65'536);
  STATIC_REQUIRE(lora_params(llama3_8b, lora_all_linear, 8) == 20'971'520);
  STATIC_REQUIRE(builtin_index("llama-3-70b") < builtin::models.size());
  STATIC_REQUIRE(count_params(builtin::models[builtin_index("llama-3-70b")]).total == 70'553'706'496);
  STATIC_REQUIRE(count_params(builtin::models[builtin_index("bloom-7b1")]).total == 7'069'016'064);
  STATIC_REQUIRE(linear_modules(llama3_8b)[0].name == "q_proj");
}
