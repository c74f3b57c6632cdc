"""Checks of `headroom serve` and `headroom plan --task serving` that need arithmetic on the output
(tests/cli/serve.cmake). Usage: serve_check.py HEADROOM DATA_DIR OUT_DIR.

Expected values come from hand arithmetic on the inputs (prices, counts), never from the output:
- $/Mtok = GPUs x $/GPU-hour / (output tokens/s x 3600) x 1e6 for every load point;
- twin-cheap and twin-dear (tests/data/gpus_serving) differ only in price, 1 and 4 USD/h, so they
  serve alike and twin-dear costs 4 times as much per Mtok;
- --price-per-gpu-hour 2 replaces the catalog's price;
- the plot has one series per --gpu and both axes labelled with their units.
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

exe, data, out = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args):
    r = subprocess.run([exe, "--data", data, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {r.returncode}\n{r.stderr}")
    return r.stdout


def close(a, b, rel=2e-4):  # the JSON is rounded to 5 significant digits
    return abs(a - b) <= rel * max(abs(a), abs(b))


svg_path = f"{out}/serve_twins.svg"
j = json.loads(run("serve", "llama-3.1-8b", "--gpu", "twin-cheap,twin-dear", "--concurrency", "1,8,64",
                   "--json", "--plot", svg_path))
check(j["task"] == "serving" and j["runtime"] == "vllm" and j["load"] == "concurrency", "header keys")
check([g["gpu"] for g in j["gpus"]] == ["twin-cheap", "twin-dear"], "one entry per --gpu, in order")
for g in j["gpus"]:
    check([p["concurrency"] for p in g["points"]] == [1, 8, 64], f"{g['gpu']}: the load points asked for")
    for p in g["points"]:
        s = p["serving"]
        want = g["gpus"] * g["price_usd_per_gpu_hour"] / (s["output_tokens_per_s"] * 3600) * 1e6
        check(close(p["usd_per_million_output_tokens"], want), f"{g['gpu']} c={p['concurrency']}: $/Mtok {want}")
        check(s["ttft_s"] <= s["ttft_p90_s"] <= s["ttft_p99_s"], f"{g['gpu']} c={p['concurrency']}: TTFT mean <= p90 <= p99")
cheap, dear = j["gpus"]
for pc, pd in zip(cheap["points"], dear["points"]):
    check(close(pd["usd_per_million_output_tokens"], 4 * pc["usd_per_million_output_tokens"]),
          f"c={pc['concurrency']}: twin-dear costs 4x twin-cheap per Mtok")

j = json.loads(run("serve", "llama-3.1-8b", "--gpu", "twin-dear", "--concurrency", "8", "--price-per-gpu-hour", "2",
                   "--gpus", "2", "--json"))
g = j["gpus"][0]
check(g["price_usd_per_gpu_hour"] == 2 and g["gpus"] == 2, "--price-per-gpu-hour and --gpus")
p = g["points"][0]
check(close(p["usd_per_million_output_tokens"], 2 * 2 / (p["serving"]["output_tokens_per_s"] * 3600) * 1e6),
      "$/Mtok at --price-per-gpu-hour 2 on 2 GPUs")

# The plot: one series per GPU, named after it, and axes with units.
root = ET.parse(svg_path).getroot()
ns = "{http://www.w3.org/2000/svg}"
series = [e for e in root.iter(ns + "polyline") if e.get("class") == "series"]
check(len(series) == 2, f"2 series in the plot, found {len(series)}")
names = [e.find(ns + "title").text for e in series]
check(names == ["twin-cheap", "twin-dear"], f"series names {names}")  # one GPU each: no count
for s in series:
    check(len(s.get("points").split()) == 3, "3 points per series")
labels = {e.get("class"): e.text for e in root.iter(ns + "text") if e.get("class") in ("x-label", "y-label")}
check("tokens/s per user" in labels.get("x-label", ""), "x axis: tokens/s per user")
check("tokens/s per GPU" in labels.get("y-label", ""), "y axis: tokens/s per GPU")

# plan --task serving on the twins, one GPU at concurrency 8: the same answer at 1 and 4 USD/h, so
# twin-cheap wins, 1 - 1/4 = 75% cheaper per Mtok.
j = json.loads(run("plan", "llama-3.1-8b", "--task", "serving", "--gpu", "twin-dear,twin-cheap", "--gpus", "1",
                   "--concurrency", "8", "--json"))
check(j["objective"] == "cost", "serving plan: cost is the default objective")
check([o["gpu"] for o in j["options"]] == ["twin-cheap", "twin-dear"], "serving plan: the cheaper twin first")
a, b = j["options"]
check(close(b["usd_per_million_output_tokens"], 4 * a["usd_per_million_output_tokens"]), "plan: 4x per Mtok")
check("75% cheaper per Mtok than the next, twin-dear" in j["why"], f"why: {j['why']}")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("serve checks passed")
