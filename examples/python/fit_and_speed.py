# %% [markdown]
# # headroom from Python
#
# A notebook-style walk through the Python module (docs/python.md): each `# %%` cell can be run on
# its own in an editor that runs such cells, and the file runs top to bottom as a script:
#
#     python3 examples/python/fit_and_speed.py
#
# (after `pip install --no-build-isolation --no-index .`, or with PYTHONPATH=build/dev/python).

# %%
import json

import headroom

print("headroom", headroom.__version__, "-", len(headroom.gpus()), "GPUs,", len(headroom.models()), "models")

# %% [markdown]
# ## Does Llama-3-70B QLoRA fit on one 24 GB RTX 4090?
# `fit` takes the model, the GPU and any field of the case format (docs/cases.md) as keywords.

# %%
r = headroom.fit("llama-3-70b", gpu="rtx-4090", method="qlora")
m = r.memory
print(f"fits: {r.fits}; needs {m.device_gib:.1f} GiB of {m.capacity_gib:.0f} GiB")
for part, gib in sorted(m.breakdown_gib.items(), key=lambda kv: -kv[1]):
    if gib > 0:
        print(f"  {part:<16} {gib:8.2f} GiB")
print("what would fit:")
for s in r.suggestions:
    print(f"  {s.change}: {s.device_gib:.1f} GiB per GPU")

# %% [markdown]
# ## An 8B model instead, with gradient checkpointing
# Keywords are the case's fields with their spellings: `grad_checkpointing="full"`.

# %%
r = headroom.fit("llama-3-8b", gpu="rtx-4090", method="qlora", grad_checkpointing="full", seq=1024)
print(f"fits: {r.fits}; device {r.memory.device_gib:.1f} GiB; step {r.time.step_time_s:.2f} s")

# %% [markdown]
# ## A batch of cases: decode speed of Llama-3-8B across GPUs
# `evaluate` takes a list of case dicts and answers it in C++ without holding the GIL.

# %%
gpus = ["rtx-4090", "l40s", "a100-sxm4-80gb", "h100-sxm5-80gb"]
cases = [{"id": g, "model": "llama-3-8b", "gpu": g, "batch": 8, "prompt": 1024, "generate": 256} for g in gpus]
for a in headroom.evaluate(cases):
    if a.ok:
        print(f"{a.id:<16} prefill {a.time.prefill_tokens_per_s:8.0f} tok/s, decode {a.time.decode_tokens_per_s:6.0f} tok/s, fits: {a.fits}")
    else:
        print(f"{a.id:<16} {a.error}")

# %% [markdown]
# ## Any Hugging Face config.json
# `Model.from_hf_config` reads a dict, a file or a folder; the Model goes into a case as its `model`.

# %%
config = {
    "_id": "tiny-llama", "model_type": "llama", "hidden_size": 2048, "intermediate_size": 5632,
    "num_hidden_layers": 22, "num_attention_heads": 32, "num_key_value_heads": 4, "vocab_size": 32000,
    "max_position_embeddings": 2048, "tie_word_embeddings": False,
}
tiny = headroom.Model.from_hf_config(config)
print(f"{tiny.id}: {tiny.params_total / 1e9:.2f} B parameters")
a = headroom.evaluate({"model": tiny, "gpu": "rtx-4090", "solve": "max_batch", "prompt": 2048, "generate": 0})
print("largest batch at a 2048-token prompt:", a.limits["max_batch"])

# %% [markdown]
# ## Errors are exceptions with the CLI's messages

# %%
try:
    headroom.evaluate({"model": "llama-3-8b", "gpu": "rtx-4090", "bacth": 8})
except headroom.InputError as e:
    print("InputError:", e)

# %% [markdown]
# ## The answer object, exactly as `headroom eval` writes it

# %%
print(json.dumps(headroom.evaluate(cases[0]).to_dict(), indent=1)[:400], "...")
