"""Structure of the --plot charts of fit, compare, perf, scale and serve (tests/cli/plots.cmake).
Usage: plots_check.py HEADROOM OUT_DIR HF_CONFIG_DIR.

The SVG is XML: the test parses it and checks the elements a reader needs, then recomputes every
label's box from its text, font size and anchor (width = characters x size x 0.6, the average glyph
width; from 0.8 size above the baseline to 0.25 size below) and asserts that no two labels overlap,
none runs into the legend and none leaves its plot area. Expected sizes come from hand arithmetic on
the JSON answer of the same command and on datasheets (RTX 4090: 24 GiB, 1008 GB/s, 165.2 TFLOP/s
dense BF16; A100 80 GB: 80 GiB), never from the SVG's own numbers.
"""
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

exe, out, hf = sys.argv[1], sys.argv[2], sys.argv[3]
NS = "{http://www.w3.org/2000/svg}"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args, codes=(0,)):
    r = subprocess.run([exe, *args], capture_output=True, text=True)
    if r.returncode not in codes:
        sys.exit(f"{' '.join(args)}: exit {r.returncode}\n{r.stderr}")
    return r.stdout


def texts(root, cls):
    return [e for e in root.iter(NS + "text") if cls in (e.get("class") or "").split()]


def box_of_text(e):
    s, size = e.text or "", float(e.get("font-size"))
    x, y, width = float(e.get("x")), float(e.get("y")), 0.6 * size * len(s)
    x0 = {"start": x, "middle": x - width / 2, "end": x - width}[e.get("text-anchor")]
    return (x0, y - 0.8 * size, x0 + width, y + 0.25 * size)


def box_of_rect(e):
    x, y = float(e.get("x")), float(e.get("y"))
    return (x, y, x + float(e.get("width")), y + float(e.get("height")))


def overlap(a, b):
    return a[0] < b[2] - 1e-6 and b[0] < a[2] - 1e-6 and a[1] < b[3] - 1e-6 and b[1] < a[3] - 1e-6


def inside(a, b):
    return a[0] >= b[0] - 1e-6 and a[2] <= b[2] + 1e-6 and a[1] >= b[1] - 1e-6 and a[3] <= b[3] + 1e-6


def rects(root, cls):
    return [box_of_rect(e) for e in root.iter(NS + "rect") if cls in (e.get("class") or "").split()]


def common(name, path):
    """Checks every chart shares; returns the parsed root."""
    root = ET.parse(path).getroot()
    width = float(root.get("width"))
    titles = texts(root, "title")
    check(len(titles) == 1 and titles[0].text, f"{name}: a title")
    for t in titles + texts(root, "subtitle"):
        b = box_of_text(t)
        check(b[0] >= 0 and b[2] <= width, f"{name}: '{t.text}' fits the width")
    legends = rects(root, "legend-box")
    check(len(legends) == 1, f"{name}: one legend")
    check(all(l[2] <= width for l in legends), f"{name}: the legend is not clipped")
    areas = rects(root, "plot-area") + rects(root, "strip-area")
    labels = [(e.text, box_of_text(e)) for e in texts(root, "label")]
    for i, (ta, a) in enumerate(labels):
        for tb, b in labels[i + 1:]:
            check(not overlap(a, b), f"{name}: labels '{ta}' and '{tb}' overlap")
        for l in legends:
            check(not overlap(a, l), f"{name}: label '{ta}' runs into the legend")
        check(any(inside(a, p) for p in areas), f"{name}: label '{ta}' leaves its plot area")
    for n in texts(root, "note"):
        for l in legends:
            check(not overlap(box_of_text(n), l), f"{name}: note '{n.text}' runs into the legend")
    return root


def y_of_tick(root, text):
    """The baseline of the y tick labelled `text` (tick labels sit 4 px under their grid line)."""
    for e in texts(root, "tick-y"):
        if e.text == text:
            return float(e.get("y")) - 4
    failures.append(f"no y tick '{text}'")
    return math.nan


def one_two_five(values):
    """Ticks in equal 1, 2 or 5 x 10^k steps."""
    steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
    if len(steps) != 1:
        return False
    step = steps.pop()
    mant = step / 10 ** math.floor(math.log10(step))
    return any(abs(mant - m) < 1e-9 for m in (1, 2, 5))


def tick_values(root, cls, suffix):
    vals = []
    for e in texts(root, cls):
        check(e.text.endswith(suffix), f"tick '{e.text}' carries its unit '{suffix}'")
        m = re.match(r"([0-9.]+)(k|M)?", e.text)
        vals.append(float(m.group(1)) * {None: 1, "k": 1e3, "M": 1e6}[m.group(2)])
    return vals


# --- fit: a stacked bar of the answer's components against the capacity ----------------------------------------
path = f"{out}/plot-fit.svg"
j = json.loads(run("fit", "llama-3-70b", "--gpu", "rtx-4090", "--method", "qlora", "--gc", "full", "--json", "--plot",
                   path, codes=(10,)))
m = j["memory"]
root = common("fit", path)
check("does not fit" in texts(root, "title")[0].text, "fit: the verdict in the title")
sub = texts(root, "subtitle")[0].text
check("micro-batch 1" in sub and "nf4-dq weights" in sub and "qlora" in sub, f"fit: the job in the subtitle: {sub}")
# Hand arithmetic: the tallest thing is the device memory (53.7 GiB > 24 GiB capacity); x 1.04 = 55.9,
# at most 7 ticks in 1-2-5 steps: 0, 10, ..., 60 GiB. The plot area is 354 px high, so 5.9 px per GiB.
check(m["device_gib"] > 50 and m["device_gib"] * 1.04 < 60, "fit: the device memory the hand arithmetic assumed")
area = rects(root, "plot-area")[0]
check(abs(area[3] - area[1] - 354) < 1e-6, "fit: plot area 354 px high")
scale = 354 / 60
check(abs(y_of_tick(root, "0 GiB") - y_of_tick(root, "60 GiB") - 60 * scale) < 0.01, "fit: ticks 0 to 60 GiB")
tick_values(root, "tick-y", " GiB")
segs = {e.get("data-component"): e for e in root.iter(NS + "rect") if e.get("class") == "segment"}
expected = {k: v for k, v in m["breakdown_gib"].items() if v > 0}
expected["allocator_cache"] = m["reserved_gib"] - m["per_gpu_gib"]
expected["context"] = m["device_gib"] - m["reserved_gib"]
check(set(segs) == {k for k, v in expected.items() if v > 0}, f"fit: one segment per component: {sorted(segs)}")
for k, gib in expected.items():
    if k in segs:
        check(abs(float(segs[k].get("height")) - gib * scale) < 0.05 + 1e-4 * scale,
              f"fit: {k} is {gib} GiB x {scale:.3f} px high, drawn {segs[k].get('height')}")
stack_top = min(float(e.get("y")) for e in segs.values())
check(abs(y_of_tick(root, "0 GiB") - stack_top - m["device_gib"] * scale) < 0.1, "fit: the bar is the device memory")
caps = [e for e in root.iter(NS + "line") if e.get("class") == "capacity"]
check(len(caps) == 1 and abs(y_of_tick(root, "0 GiB") - float(caps[0].get("y1")) - 24 * scale) < 0.01,
      "fit: the capacity line at 24 GiB")
check(any(e.text == "24 GiB capacity" for e in texts(root, "label")), "fit: the capacity labelled")
check(any("does not fit" in (e.text or "") for e in texts(root, "verdict")), "fit: the verdict under the bar")

# --- compare: one bar per GPU, each with its capacity -----------------------------------------------------------
path = f"{out}/plot-compare.svg"
run("compare", "llama-3-8b", "--gpu", "rtx-4090", "--gpu", "a100-sxm4-80gb", "--plot", path)
root = common("compare", path)
bars = [e for e in root.iter(NS + "g") if e.get("class") == "bar"]
check([b.get("data-name") for b in bars] == ["rtx-4090", "a100-sxm4-80gb"], "compare: one bar per GPU, in order")
caps = sorted(float(e.get("data-gib")) for e in root.iter(NS + "line") if e.get("class") == "capacity")
check(caps == [24, 80], f"compare: capacities 24 and 80 GiB, found {caps}")
check(len(texts(root, "verdict")) == 2, "compare: a verdict per bar")

# --- perf: the roofline --------------------------------------------------------------------------------------
path = f"{out}/plot-perf-q4.svg"
j = json.loads(run("perf", "llama-3-8b", "--gpu", "rtx-4090", "--batch", "8", "--prompt", "1024", "--weights", "q4_k_m",
                   "--runtime", "llama.cpp", "--json", "--plot", path))
root = common("perf", path)
title, sub = texts(root, "title")[0].text, texts(root, "subtitle")[0].text
check("llama-3-8b" in title, "perf: the model in the title")
doc_title = root.find(NS + "title").text  # the document's title: both lines
for want in ("llama-3-8b", "GeForce RTX 4090", "batch 8", "prompt 1024", "q4_k_m weights", "llama.cpp"):
    check(want in sub + title, f"perf: '{want}' in the title lines: {title} / {sub}")
    check(want in doc_title, f"perf: '{want}' in the document title: {doc_title}")
tick_values(root, "tick-y", "FLOP/s")
check(all(e.text.endswith("FLOP/B") or e.text.endswith("B/s") for e in texts(root, "tick-x")), "perf: x ticks with units")
check(any(e.text == "100 TFLOP/s" for e in texts(root, "tick-y")), "perf: a tick at 100 TFLOP/s")
roof = [e.text for e in texts(root, "roof-label")]
# Datasheet: 1008 GB/s and 165.2 TFLOP/s, in three digits.
check("1.01 TB/s" in roof and "165 TFLOP/s peak" in roof, f"perf: bandwidth and peak on the roofs: {roof}")
markers = [e.find(NS + "title").text for e in root.iter(NS + "circle") if e.get("class") == "marker"]
ops = [o for p in j["phases"] for o in p["operators"] if o["time_s"] > 0]
check(len(markers) == len(ops), f"perf: a marker per operator ({len(ops)}), found {len(markers)}")
for kind in ("norm", "residual", "activation", "rope", "embedding", "q_proj dequant", "attention", "lm_head"):
    check(kind in markers, f"perf: operator '{kind}' drawn")
notes = " ".join(e.text for e in texts(root, "note"))
if notes:
    check(re.search(r"^[1-9][0-9]* labels? omitted", notes) is not None, f"perf: the omission note: {notes}")
# A config.json model is named after its file; training, several phases; a crowded MoE.
for name, args in (("config", ["perf", f"{hf}/gemma-2b.json", "--gpu", "rtx-4090"]),
                   ("training", ["perf", "gpt2-large", "--gpu", "a100-sxm4-80gb", "--method", "full", "--batch", "4"]),
                   ("moe", ["perf", f"{hf}/deepseek-v2-lite-chat.json", "--gpu", "h100-sxm5-80gb", "--batch", "16"])):
    path = f"{out}/plot-perf-{name}.svg"
    run(*args, "--plot", path, codes=(0, 10))
    root = common(f"perf {name}", path)
    if name == "config":
        check(texts(root, "title")[0].text.startswith("gemma-2b on"), "perf: a config.json model named after its file")

# --- scale: throughput and efficiency, two GPUs, counts that do not fit ----------------------------------------
path = f"{out}/plot-scale.svg"
j = json.loads(run("scale", "llama-3-8b", "--gpu", "rtx-4090", "--gpu", "h100-sxm5-80gb", "--gpus", "1,2,4,8", "--method",
                   "full", "--zero", "3", "--json", "--plot", path, codes=(10,)))
root = common("scale", path)
check([g["gpu"] for g in j["gpus"]] == ["rtx-4090", "h100-sxm5-80gb"], "scale: JSON per --gpu")
series = [e for e in root.iter(NS + "polyline") if "series" in e.get("class", "")]
check(len(series) == 4, f"scale: two curves (throughput, efficiency) per GPU, found {len(series)}")
marks = [e for e in root.iter(NS + "circle") if "marker" in e.get("class", "")]
check(len(marks) == 2 * 2 * 4, f"scale: a marker per GPU count in each panel, found {len(marks)}")
fits = [p["fits"] for g in j["gpus"] for p in g["points"]]
check(not all(fits) and any(fits), "scale: the example has counts that fit and counts that do not")
hollow = sum(1 for e in marks if "nofit" in e.get("class"))
check(hollow == 2 * fits.count(False), f"scale: hollow markers where it does not fit ({2 * fits.count(False)}), found {hollow}")
for e in marks:
    check(("nofit" in e.get("class")) == (e.get("fill") == "white"), "scale: not fitting = hollow")
legend = [t.text for g in root.iter(NS + "g") if g.get("class") == "legend" for t in g.iter(NS + "text")]
check("does not fit" in legend and "rtx-4090" in legend and "h100-sxm5-80gb" in legend, f"scale: legend {legend}")
ticks = [e.text for e in texts(root, "tick-y")]
check(all(t.endswith("%") or t.endswith(" tok/s") for t in ticks), f"scale: y ticks with units: {ticks}")
effs = [float(t[:-1]) for t in ticks if t.endswith("%")]
check(one_two_five(effs), f"scale: efficiency ticks in 1-2-5 steps: {effs}")
tps = [float(re.match(r"[0-9.]+", t).group(0)) * (1e3 if "k" in t else 1) for t in ticks if t.endswith("tok/s")]
check(one_two_five(tps), f"scale: throughput ticks in 1-2-5 steps: {ticks}")
ref = [e for e in root.iter(NS + "line") if e.get("class") == "reference"]
y0, y100 = y_of_tick(root, "0%"), y_of_tick(root, "100%")
check(len(ref) == 1 and abs(float(ref[0].get("y1")) - y100) < 0.01, "scale: the 100% line at the 100% tick")
# Each efficiency marker at efficiency x (y(100%) - y(0%)) from y(0%), from the JSON's numbers.
eff_marks = [e for e in marks if float(e.get("cy")) > rects(root, "plot-area")[1][1] - 1]
want = sorted(round(y0 - p["efficiency"] * (y0 - y100), 1) for g in j["gpus"] for p in g["points"])
got = sorted(round(float(e.get("cy")), 1) for e in eff_marks)
check(len(want) == len(got) and all(abs(a - b) <= 0.15 for a, b in zip(want, got)), f"scale: efficiency markers {got} vs {want}")

# --- serve: the throughput-latency curve ------------------------------------------------------------------------
path = f"{out}/plot-serve.svg"
run("serve", "llama-3.1-8b", "--gpu", "h100-sxm5-80gb,a100-sxm4-80gb", "--prompt", "1024", "--generate", "256",
    "--concurrency", "1,8,64,256", "--plot", path)
root = common("serve", path)
xs, ys = tick_values(root, "tick-x", "tok/s"), tick_values(root, "tick-y", "tok/s")
check(one_two_five(xs) and one_two_five(ys), f"serve: ticks in 1-2-5 steps: {xs} {ys}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("plots: all checks passed")
