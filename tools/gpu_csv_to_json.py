#!/usr/bin/env python3
"""Convert the GPU datasheet reference (gpu-datasheets.csv + .md) into data/gpus/<id>.json.

This script documents where every value in data/gpus comes from. The build does not run it: the
JSON files are the hand-reviewed source of truth, and tools/gen_gpus.cpp turns them into
include/headroom/catalog/builtin_gpus.hpp. Re-running it overwrites hand edits.

    python3 tools/gpu_csv_to_json.py REFERENCE_DIR data/gpus

REFERENCE_DIR holds gpu-datasheets.csv and gpu-datasheets.md. The schema is described in
docs/catalog.md (GPU section). Rules applied here:

* Every number is copied from the CSV; an empty cell becomes null. Nothing is estimated.
* memory.capacity_gib = memory.label_gb: the vendor "GB" label read as GiB (datasheet convention 3).
* dense_tflops.fp16 and .bf16 are the CSV fp16_bf16_tensor_fp32acc value (FP32 accumulate);
  bf16 is null on Volta and Turing, which have no BF16 tensor support (the CSV notes say so).
* NVLink per_direction_gbps = bidirectional / 2 (datasheet figures are bidirectional totals).
* PCIe per_direction_gbps is derived from generation and lanes (128b/130b), rounded as the
  usual x16 figures: gen3 15.75, gen4 31.5, gen5 63.0 GB/s; the "derived" key says so.
* peer_access and nvlink.topology follow the rules in peer_access_and_topology() below.
* tdp_w: a plain number as is; for a range "a-b" the upper end b (the power the peak figures
  assume); otherwise the first number. tdp_note keeps the CSV wording when it is not a plain number.
* mig_max_instances: "none" -> 0, empty -> null, otherwise the first integer; MI250X's
  "appears as 2 GPUs" is not partitioning -> 0. mig_note keeps the CSV wording.
* price: only the GPUs of the md's "Cloud rental prices" table (PRICES below).
* sources: each Sn of the CSV "sources" column with its full text from the md's source legend.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

# PCIe per-direction bandwidth of one lane (GB/s): 8/16/32 GT/s x 128/130 / 8, rounded so that
# x16 gives the usual 15.75 / 31.5 / 63.0 (docs/reference/formulas.md §4.2).
PCIE_LANE_GBPS = {3: 15.75 / 16, 4: 31.5 / 16, 5: 63.0 / 16}
PCIE_GTS = {3: 8, 4: 16, 5: 32}

# Rental prices, copied from docs/reference/gpu-specs.md, "Cloud rental prices (USD per GPU-hour; indicative,
# move monthly)". Rule for usd_per_hour: the lowest on-demand figure of the FIRST source in the row;
# spot prices are skipped; where that source gives a bare range, its lower end. The range keeps the
# whole row (en dashes written as '-'); date is the first source's date (null when undated).
_DEPLOYBASE = 'deploybase.ai "RunPod GPU Pricing"'
PRICES = {
    "rtx-3090": (0.39, "0.22 spot - 0.39 on-demand", "2026-03-10", _DEPLOYBASE + " (2026-03-10)"),
    "rtx-4090": (0.60, "0.34 spot - 0.60 on-demand", "2026-03", "deploybase.ai RunPod (2026-03)"),
    "rtx-5090": (0.69, "0.69 - 1.22 (row 'RTX 5090 / L40')", "2026-03", "deploybase.ai RunPod (2026-03)"),
    "l40": (0.69, "0.69 - 1.22 (row 'RTX 5090 / L40')", "2026-03", "deploybase.ai RunPod (2026-03)"),
    "l4": (0.44, "0.44-0.78", "2026-03", "deploybase.ai RunPod (2026-03)"),
    "l40s": (0.79, "0.79-1.40", "2026-03", "deploybase.ai RunPod (2026-03)"),
    "rtx-pro-6000-blackwell": (0.89, "0.89-1.57", "2026-03", "deploybase.ai RunPod (2026-03)"),
    "a100-sxm4-80gb": (
        0.80,
        "long-tail 0.80-1.10, specialty 1.10-1.50, hyperscaler 1.50-3.00; RunPod 1.19 (PCIe) / 1.39 (SXM) "
        "lowest tier; Vast.ai 0.53-1.50; \"below $1/h on several platforms\", spot 0.86 (row 'A100 80GB')",
        "2026-05",
        "mercatus-ai.com (2026-05); deploybase.ai; aiapiplaybook.com (2026-01-15)",
    ),
    "a100-pcie-80gb": (
        0.80,
        "long-tail 0.80-1.10, specialty 1.10-1.50, hyperscaler 1.50-3.00; RunPod 1.19 (PCIe) / 1.39 (SXM) "
        "lowest tier; Vast.ai 0.53-1.50; \"below $1/h on several platforms\", spot 0.86 (row 'A100 80GB')",
        "2026-05",
        "mercatus-ai.com (2026-05); deploybase.ai; aiapiplaybook.com (2026-01-15)",
    ),
    "h100-sxm5-80gb": (
        1.49,
        "1.49-2.10 (aiapiplaybook, 2026-01); 1.65 (Vast.ai) - 6.88 (AWS) (codesota.com, 2026-04-22); long-tail "
        "1.99-2.50, specialty 2.50-3.50, hyperscaler 3.50-5.00 (Mercatus, 2026-05); 1.90-2.94 (gpu.blog)",
        "2026-01",
        "aiapiplaybook.com (2026-01); codesota.com (2026-04-22); mercatus-ai.com (2026-05); gpu.blog",
    ),
    "h200-sxm-141gb": (
        2.50,
        "2.50-7.00 (Mercatus 2026-05); RunPod 3.59-6.35 (deploybase 2026-03)",
        "2026-05",
        "mercatus-ai.com (2026-05); deploybase.ai RunPod (2026-03)",
    ),
    "b200-hgx": (5.98, "RunPod 5.98-10.57 (deploybase 2026-03)", "2026-03",
                 "deploybase.ai RunPod (2026-03); low confidence per the reference"),
    "mi300x": (1.71, "1.71-1.85 (TensorWave, Vultr via gpu.blog)", None,
               "TensorWave, Vultr via gpu.blog (undated)"),
}

TFLOPS_COLUMNS = [
    ("fp64", "fp64_tflops"),
    ("fp64_tensor", "fp64_tensor_tflops"),
    ("fp32", "fp32_tflops"),
    ("tf32", "tf32_tensor_tflops"),
    ("bf16", "fp16_bf16_tensor_fp32acc_tflops"),
    ("fp16", "fp16_bf16_tensor_fp32acc_tflops"),
    ("fp16_fp16acc", "fp16_tensor_fp16acc_tflops"),
    ("fp8", "fp8_tensor_fp32acc_tflops"),
    ("fp8_fp16acc", "fp8_tensor_fp16acc_tflops"),
    ("int8", "int8_tensor_tops"),
    ("fp4", "fp4_tensor_tflops"),
]

NO_BF16_ARCHITECTURES = {"Volta", "Turing"}


def number(cell: str):
    """A CSV number: int when written without a decimal point, float otherwise, None when empty."""
    cell = cell.strip()
    if not cell:
        return None
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    raise ValueError(f"not a plain number: {cell!r}")


def text(cell: str):
    cell = cell.strip()
    return cell or None


def legend(md: str) -> dict[str, str]:
    section = md.split("## Source legend", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        m = re.match(r"- \*\*\[(S\d+)\]\*\* (.*)", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def tdp(cell: str):
    cell = cell.strip()
    if not cell:
        return None, None
    if re.fullmatch(r"\d+(\.\d+)?", cell):
        return number(cell), None
    m = re.match(r"(\d+)-(\d+)\b", cell)
    if m:
        return int(m.group(2)), cell
    m = re.search(r"\d+", cell)
    assert m, cell
    return int(m.group(0)), cell


def mig(cell: str):
    cell = cell.strip()
    if not cell:
        return None, None
    if cell == "none":
        return 0, cell
    if cell.startswith("appears as"):  # MI250X: two devices, not a partitioning feature
        return 0, cell
    m = re.search(r"\d+", cell)
    assert m, cell
    return int(m.group(0)), cell


def nvlink(row):
    gen_cell = row["nvlink_gen"].strip()
    if gen_cell in ("", "none"):
        assert not row["nvlink_bw_gbs_bidir"].strip(), row["id"]
        return None, None
    m = re.match(r"(NVLink \d)(?: \((.*)\))?$", gen_cell)
    assert m, gen_cell
    bidir = number(row["nvlink_bw_gbs_bidir"])
    assert bidir, row["id"]
    return {
        "generation": m.group(1),
        "bidirectional_gbps": bidir,
        "per_direction_gbps": bidir / 2,
        "topology": None,  # filled by peer_access_and_topology()
    }, m.group(2)


def pcie(row):
    cell = row["pcie_gen"].strip()
    if not cell:
        assert not row["pcie_lanes"].strip(), row["id"]
        return None
    m = re.match(r"(\d)\.0(?:\s+(.*))?$", cell)
    assert m, cell
    gen = int(m.group(1))
    note = m.group(2)
    if note and note.startswith("(") and note.endswith(")"):
        note = note[1:-1]
    lanes = number(row["pcie_lanes"])
    if lanes is None:
        per_dir = bidir = None
        derived = None
    else:
        per_dir = lanes * PCIE_LANE_GBPS[gen]
        bidir = 2 * per_dir
        derived = (
            f"per_direction_gbps and bidirectional_gbps are derived, not datasheet figures: PCIe {gen}.0 "
            f"x{lanes} = {PCIE_GTS[gen]} GT/s x {lanes} lanes x 128/130 / 8 = {per_dir:g} GB/s per direction "
            f"(rounded as in docs/reference/formulas.md §4.2), {bidir:g} GB/s both directions"
        )
    return {
        "generation": gen,
        "lanes": lanes,
        "per_direction_gbps": per_dir,
        "bidirectional_gbps": bidir,
        "derived": derived,
        "note": note,
    }


def peer_access_and_topology(row, link, unified):
    """Returns (peer_access, topology, extra p2p note) for one CSV row."""
    rid, name, vendor = row["id"], row["name"], row["vendor"]
    gen_cell = row["nvlink_gen"]
    topology = None
    extra = None
    if link is not None:
        if "bridge" in gen_cell:
            topology = "bridge"
        elif rid.startswith("gh200"):
            topology = "c2c"
        elif rid.startswith("v100-sxm2"):
            topology = "mesh"
            extra = ("topology 'mesh': 8-GPU SXM2 boards (DGX-1/HGX-1) wire NVLink as a hybrid cube mesh "
                     "without NVSwitch, so not every pair is linked directly")
        else:
            topology = "switch"
            if not row["p2p_notes"].strip():
                extra = ("not stated in the sources; topology 'switch' assumed from the form factor "
                         "(HGX board, drop-in for HGX H100, which carries NVSwitch)")
    if unified or vendor == "Apple":
        access = "none"
    elif name.startswith("GeForce"):
        # Stock GeForce drivers expose no P2P (docs/reference/formulas.md §4.2 and §7 item 10); an NVLink bridge,
        # where the card has one, links a single pair only.
        access = "host"
    elif vendor == "AMD" and "Infinity Fabric" in row["other_interconnect"]:
        access = "fabric"
    elif topology == "bridge":
        access = "nvlink_bridge"
    elif topology in ("switch", "mesh", "c2c"):
        access = "nvlink"
    else:
        access = "pcie"
    return access, topology, extra


def convert(row, sources_legend):
    rid = row["id"]
    memory_type = row["memory_type"].strip()
    unified = "unified" in memory_type.lower()
    label = number(row["memory_gb_vendor_label"])
    assert label, rid

    tflops = {}
    for key, column in TFLOPS_COLUMNS:
        tflops[key] = number(row[column])
    if row["architecture"] in NO_BF16_ARCHITECTURES:
        assert "BF16" in row["notes"], rid  # the notes state "No BF16"
        tflops["bf16"] = None

    link, link_detail = nvlink(row)
    access, topology, extra = peer_access_and_topology(row, link, unified)
    if link is not None:
        link["topology"] = topology
    p2p_parts = [p for p in (text(row["p2p_notes"]),) if p]
    if link_detail:
        p2p_parts.append(f"NVLink: {link_detail}")
    if extra:
        p2p_parts.append(extra)
    p2p_note = "; ".join(p2p_parts) or None

    tdp_w, tdp_note = tdp(row["tdp_w"])
    mig_n, mig_note = mig(row["mig_max_instances"])

    price = None
    if rid in PRICES:
        usd, rng, date, source = PRICES[rid]
        price = {"usd_per_hour": usd, "range": rng, "date": date, "source": source}

    sources = []
    for sid in row["sources"].split(";"):
        sid = sid.strip()
        sources.append(f"{sid} {sources_legend[sid]}")

    sparsity = row["sparsity_2to4"].strip()
    assert sparsity in ("yes", "no"), rid

    return {
        "schema": 1,
        "id": rid,
        "name": row["name"].strip(),
        "vendor": row["vendor"].strip(),
        "architecture": row["architecture"].strip(),
        "chip": row["chip"].strip(),
        "compute_capability": text(row["compute_capability"]),
        "launch_year": number(row["launch_year"]),
        "form_factor": row["form_factor"].strip(),
        "memory": {
            "label_gb": label,
            "capacity_gib": label,
            "type": memory_type,
            "bus_bits": number(row["memory_bus_bits"]),
            "bandwidth_gbps": number(row["memory_bw_gbs"]),
            "unified": unified,
            "note": text(row["memory_capacity_unit_note"]),
        },
        "l2_cache_mb": number(row["l2_cache_mb"]),
        "sm_count": number(row["sm_or_cu_count"]),
        "boost_clock_mhz": number(row["boost_clock_mhz"]),
        "dense_tflops": tflops,
        "sparsity_2to4": sparsity == "yes",
        "vendor_headline": text(row["vendor_headline_note"]),
        "interconnect": {
            "nvlink": link,
            "pcie": pcie(row),
            "other": text(row["other_interconnect"]),
            "peer_access": access,
            "p2p_note": p2p_note,
        },
        "mig_max_instances": mig_n,
        "mig_note": mig_note,
        "tdp_w": tdp_w,
        "tdp_note": tdp_note,
        "price": price,
        "confidence": row["confidence"].strip(),
        "derived_fields": text(row["derived_fields"]),
        "notes": text(row["notes"]),
        "sources": sources,
    }


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    ref, out = Path(argv[1]), Path(argv[2])
    md = (ref / "gpu-datasheets.md").read_text(encoding="utf-8")
    sources_legend = legend(md)
    with open(ref / "gpu-datasheets.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out.mkdir(parents=True, exist_ok=True)
    ids = set()
    for row in rows:
        obj = convert(row, sources_legend)
        assert obj["id"] not in ids, obj["id"]
        ids.add(obj["id"])
        body = json.dumps(obj, indent=2, ensure_ascii=True) + "\n"
        (out / f"{obj['id']}.json").write_text(body, encoding="utf-8")
    missing = set(PRICES) - ids
    assert not missing, missing
    print(f"wrote {len(rows)} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
