"""The Python package against the CLI of the same build: the same answers, the same messages."""
import copy
import json
import pickle
import re
import sys
import threading
from pathlib import Path

import pytest

import headroom
from conftest import validation_cases


def test_fit_headline_matches_cli(cli):
    # 70B QLoRA on one RTX 4090: the verdict and every figure as `headroom fit --json` prints them.
    printed = json.loads(cli("fit", "llama-3-70b", "--gpu", "rtx-4090", "--method", "qlora", "--json", codes=(10,)))
    r = headroom.fit("llama-3-70b", gpu="rtx-4090", method="qlora")
    assert isinstance(r, headroom.FitResult)
    assert r.ok
    assert r.fits is False and printed["memory"]["fits"] is False
    assert r.memory.device_gib == printed["memory"]["device_gib"]
    assert r.memory.capacity_gib == 24.0  # the RTX 4090's 24 GiB (NVIDIA's datasheet)
    d = r.to_dict()
    assert d.pop("id") is None and printed.pop("id") == "fit"  # the CLI names its case "fit"
    assert d == printed
    assert r.suggestions and all(s.fits for s in r.suggestions)
    assert r.suggestions[0].change == printed["suggestions"][0]["change"]


def test_fit_that_fits_has_no_suggestions(cli):
    printed = json.loads(cli("fit", "llama-3-8b", "--gpu", "h100-sxm5-80gb", "--json"))
    r = headroom.fit("llama-3-8b", "h100-sxm5-80gb")
    assert r.fits is True and r.suggestions == []
    d = r.to_dict()
    d["id"] = printed["id"]
    assert d == printed


def test_weights_by_hand():
    # Llama-3-8B has 8,030,261,248 parameters (Meta's model card); bf16 = 2 bytes each:
    # 16,060,522,496 B / 2^30 = 14.9575 GiB.
    a = headroom.evaluate({"model": "llama-3-8b", "gpu": "h100-sxm5-80gb"})
    assert a.memory.breakdown_gib["weights"] == pytest.approx(8_030_261_248 * 2 / 2**30, abs=1e-4)


@pytest.mark.parametrize("name", ["memory", "time", "serving"])
def test_validation_cases_round_trip(cli, source_dir, name):
    # The public validation cases: the same answer objects as `headroom eval` writes, case for case.
    cases = validation_cases(source_dir / "tests" / "data" / "validation" / f"public-{name}.jsonl")
    lines = "".join(json.dumps(c) + "\n" for c in cases)
    printed = [json.loads(line) for line in cli("eval", input=lines).splitlines()]
    answers = headroom.evaluate(cases)
    assert len(answers) == len(printed) == len(cases)
    for a, p in zip(answers, printed):
        if not p["ok"]:  # eval prefixes its errors with the line number; a list has no lines
            p["error"] = re.sub(r"^line \d+: ", "", p["error"])
        assert a.to_dict() == p
        assert a.ok == p["ok"] and a.id == p["id"]
        if a.ok and "memory" in p:
            assert a.memory.device_gib == p["memory"]["device_gib"] and a.fits == p["memory"]["fits"]


def test_bad_case_raises_input_error_with_the_eval_message(cli):
    case = {"id": "x", "model": "llama-3-8b", "gpu": "rtx-4090", "bacth": 2}
    printed = json.loads(cli("eval", input=json.dumps(case) + "\n"))
    with pytest.raises(headroom.InputError) as e:
        headroom.evaluate(case)
    assert isinstance(e.value, ValueError) and isinstance(e.value, headroom.Error)
    assert "line 1: " + str(e.value) == printed["error"]
    assert "'bacth'" in str(e.value) and "did you mean" in str(e.value)


@pytest.mark.parametrize(
    "case, error, base",
    [
        ({"model": "llama-3-8b", "gpu": "rtx-4091"}, headroom.UnknownId, LookupError),
        ({"model": "llama-3-8b", "gpu": "rtx-4090", "batch": 0}, headroom.InputError, ValueError),
        ({"model": {"hf_config": {"model_type": "no-such-arch"}}, "gpu": "rtx-4090"}, headroom.UnsupportedModelType,
         headroom.DataError),
        ({"model": {"hf_config": {"model_type": "llama"}}, "gpu": "rtx-4090"}, headroom.DataError, ValueError),
        ('{"model": "llama-3-8b", "gpu": ', headroom.InputError, ValueError),
        ({"model": "llama-3-8b", "gpu": "rtx-4090", "batch": float("nan")}, headroom.InputError, ValueError),
    ],
)
def test_errors(cli, case, error, base):
    text = case if isinstance(case, str) else json.dumps(case)
    printed = json.loads(cli("eval", input=text + "\n"))
    with pytest.raises(error) as e:
        headroom.evaluate(case)
    assert type(e.value) is error and isinstance(e.value, base)
    assert "line 1: " + str(e.value) == printed["error"]
    # In a list, the same error is an answer with ok False that raises on request.
    [a] = headroom.evaluate([case])
    assert not a.ok and a.error == str(e.value) and a.error_type is error and a.memory is None
    with pytest.raises(error):
        a.raise_for_error()


def test_fit_errors():
    with pytest.raises(headroom.UnknownId, match="unknown model 'llama-3-71b'"):
        headroom.fit("llama-3-71b", gpu="rtx-4090")
    with pytest.raises(headroom.InputError, match="'method'"):
        headroom.fit("llama-3-8b", gpu="rtx-4090", method="qlorra")
    with pytest.raises(TypeError):
        headroom.evaluate(42)


def test_catalog_matches_cli(cli):
    assert [g.to_dict() for g in headroom.gpus()] == json.loads(cli("gpus", "--json"))
    models = headroom.models()
    assert [m.to_dict() for m in models] == json.loads(cli("models", "--json"))
    m = headroom.Model.from_catalog("llama-3-70b")
    assert m.id == "llama-3-70b" and m.layers == 80 and m.hidden == 8192  # Meta's config.json
    assert m.case_value() == "llama-3-70b"
    assert copy.deepcopy(m) == m and pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(AttributeError):
        m.no_such_field


def test_model_from_hf_config(cli, source_dir, tmp_path):
    path = source_dir / "tests" / "data" / "hf_configs" / "gemma-2-9b.json"
    m = headroom.Model.from_hf_config(path)
    assert m.to_dict() == json.loads(cli("model", str(path), "--json"))
    # A dict gives the same model; a folder holding config.json is named after the folder.
    config = json.loads(path.read_text())
    assert headroom.Model.from_hf_config(config).params_total == m.params_total
    (tmp_path / "my-gemma").mkdir()
    (tmp_path / "my-gemma" / "config.json").write_text(json.dumps({k: v for k, v in config.items() if k != "_id"}))
    assert headroom.Model.from_hf_config(tmp_path / "my-gemma").id == "my-gemma"
    # As a case's model it is {"hf_config": ...}: the same answer as the config written inline.
    inline = headroom.evaluate({"model": {"hf_config": m.case_value()["hf_config"]}, "gpu": "h100-sxm5-80gb"})
    assert headroom.evaluate({"model": m, "gpu": "h100-sxm5-80gb"}).to_dict() == inline.to_dict()
    with pytest.raises(headroom.UnsupportedModelType):
        headroom.Model.from_hf_config({"model_type": "no-such-arch"})
    with pytest.raises(headroom.IoError):
        headroom.Model.from_hf_config(tmp_path / "missing.json")


def test_batch_releases_the_gil(source_dir):
    # With a switch interval far beyond the test, a thread that holds the GIL keeps it until it
    # blocks or ends; the main thread runs while the batch is answered only if the batch releases it.
    cases = validation_cases(source_dir / "tests" / "data" / "validation" / "public-time.jsonl") * 4
    entered, seen_running = threading.Event(), []
    done = False

    def work():
        nonlocal done
        entered.set()
        headroom.evaluate(cases)
        done = True

    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        t = threading.Thread(target=work)
        t.start()
        entered.wait()
        seen_running.append(not done)
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert done
    assert seen_running == [True]


def test_type_stubs_match_the_module():
    stub = (Path(headroom.__file__).parent / "_headroom.pyi").read_text()
    names = set(re.findall(r"^def (\w+)", stub, re.M)) | set(re.findall(r"^(\w+):", stub, re.M))
    public = {n for n in dir(headroom._headroom) if not n.startswith("_")}
    assert names == public
    assert (Path(headroom.__file__).parent / "py.typed").exists()


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", headroom.__version__)
