"""headroom: does an LLM job fit on a GPU, and how fast does it run (docs/python.md).

The questions are the cases of docs/cases.md written as dicts; the answers are typed objects whose
``to_dict()`` is exactly the object ``headroom eval`` writes for the case. Every answer is computed
by the C++ library (the ``_headroom`` extension module), from the same headers as the CLI.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union, overload

from . import _headroom
from ._errors import (
    DataError,
    Error,
    InputError,
    IoError,
    NotModelled,
    UnknownId,
    UnsupportedModelType,
    by_kind as _by_kind,
)

__version__: str = _headroom.version

__all__ = [
    "Answer",
    "DataError",
    "Error",
    "FitResult",
    "Gpu",
    "InputError",
    "Interval",
    "IoError",
    "Memory",
    "Model",
    "NotModelled",
    "Suggestion",
    "Time",
    "UnknownId",
    "UnsupportedModelType",
    "evaluate",
    "fit",
    "gpus",
    "models",
]

#: A case of docs/cases.md: a dict, or its JSON text (one line of a .jsonl file).
Case = Union[Mapping[str, Any], str]


@dataclass(frozen=True)
class Interval:
    """The 80% band of a figure, as factors of it (``low`` <= 1 <= ``high``)."""

    low: float
    high: float


@dataclass(frozen=True)
class Memory:
    """The answer's ``memory`` object (docs/cases.md): GiB per GPU and the verdict."""

    per_gpu_gib: float
    reserved_gib: float
    device_gib: float
    capacity_gib: float
    usable_gib: float
    fits: bool
    headroom_gib: float
    breakdown_gib: Dict[str, float]


@dataclass(frozen=True)
class Time:
    """The answer's ``time`` object: only the figures that apply to the task are set, else None."""

    bound: Optional[str] = None
    prefill_tokens_per_s: Optional[float] = None
    decode_tokens_per_s: Optional[float] = None
    ttft_s: Optional[float] = None
    step_time_s: Optional[float] = None
    train_tokens_per_s_per_gpu: Optional[float] = None
    mfu: Optional[float] = None
    hfu: Optional[float] = None
    busbw_gbps: Optional[float] = None


_TIME_KEYS = tuple(Time.__dataclass_fields__)


class Answer:
    """The answer to one case. ``to_dict()`` is the object ``headroom eval`` writes for it.

    A case that could not be answered has ``ok`` False, ``error`` (the message) and ``error_type``
    (the exception class ``raise_for_error()`` raises). Keys this version of the class does not
    type (a newer answer's) are still in ``to_dict()``.
    """

    __slots__ = ("_d", "error_type")

    def __init__(self, answer: Dict[str, Any], error_type: Optional[type] = None) -> None:
        self._d = answer
        self.error_type: Optional[type] = error_type

    @property
    def id(self) -> Optional[str]:
        return self._d.get("id")

    @property
    def ok(self) -> bool:
        return bool(self._d.get("ok"))

    @property
    def error(self) -> Optional[str]:
        return self._d.get("error")

    @property
    def memory(self) -> Optional[Memory]:
        m = self._d.get("memory")
        if m is None:
            return None
        return Memory(**{k: (dict(v) if isinstance(v, dict) else v) for k, v in m.items() if k in Memory.__dataclass_fields__})

    @property
    def fits(self) -> Optional[bool]:
        """memory.fits, or None when the answer has no memory (a collective, an error)."""
        m = self._d.get("memory")
        return None if m is None else bool(m["fits"])

    @property
    def time(self) -> Optional[Time]:
        t = self._d.get("time")
        if t is None:
            return None
        return Time(**{k: v for k, v in t.items() if k in _TIME_KEYS})

    @property
    def limits(self) -> Dict[str, int]:
        return dict(self._d.get("limits", {}))

    @property
    def interval(self) -> Optional[Interval]:
        b = self._d.get("interval")
        return None if b is None else Interval(b["low"], b["high"])

    @property
    def intervals(self) -> Dict[str, Interval]:
        return {k: Interval(b["low"], b["high"]) for k, b in self._d.get("intervals", {}).items()}

    @property
    def warnings(self) -> List[str]:
        return list(self._d.get("warnings", []))

    def to_dict(self) -> Dict[str, Any]:
        """The answer object of docs/cases.md (a deep copy)."""
        return copy.deepcopy(self._d)

    def raise_for_error(self) -> None:
        """Raises the answer's error (InputError, UnknownId, ...) when the case was not answered."""
        if not self.ok:
            raise (self.error_type or Error)(self.error)

    def __repr__(self) -> str:
        if not self.ok:
            return f"Answer(id={self.id!r}, ok=False, error={self.error!r})"
        parts = [f"id={self.id!r}"]
        m = self._d.get("memory")
        if m is not None:
            parts.append(f"fits={m['fits']}, device_gib={m['device_gib']}")
        t = self._d.get("time")
        if t:
            parts.append(f"time={t}")
        return f"{type(self).__name__}({', '.join(parts)})"


@dataclass(frozen=True)
class Suggestion:
    """A change that makes a job fit, checked by the memory model (``headroom fit``)."""

    change: str
    per_gpu_gib: float
    device_gib: float
    fits: bool


class FitResult(Answer):
    """``headroom fit --json``: the answer plus ``suggestions`` (empty when the job fits)."""

    __slots__ = ()

    @property
    def suggestions(self) -> List[Suggestion]:
        return [Suggestion(**s) for s in self._d.get("suggestions", [])]


class _Record:
    """A catalog record: the fields of its ``--json`` object as attributes."""

    __slots__ = ("_d",)

    def __init__(self, d: Dict[str, Any]) -> None:
        self._d = d

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # slots not set yet (copy, pickle): never look them up in the record
            raise AttributeError(name)
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def to_dict(self) -> Dict[str, Any]:
        return copy.deepcopy(self._d)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._d == self._d  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._d.get('id')!r})"


class Gpu(_Record):
    """A catalog GPU: the fields of ``headroom gpu ID --json`` as attributes (``id``, ``name``, ...)."""

    __slots__ = ()


class Model(_Record):
    """A model architecture: the fields of ``headroom model ID --json`` as attributes (``id``,
    ``model_type``, ``layers``, ``params_total``, ...). Usable as a case's ``model``."""

    __slots__ = ("_hf_config",)

    def __init__(self, d: Dict[str, Any], hf_config: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(d)
        self._hf_config = hf_config

    @classmethod
    def from_catalog(cls, id: str) -> "Model":
        """A catalog model by id or alias. Raises UnknownId with the closest ids."""
        return cls(json.loads(_headroom.model(id)))

    @classmethod
    def from_hf_config(cls, config: Union[str, "os.PathLike[str]", Mapping[str, Any]]) -> "Model":
        """A model read from a Hugging Face config.json: a dict, or the path of the file or of a
        folder holding it. Like the CLI's MODEL argument, a file without ``_id`` is named after its
        stem (a folder: the folder's name). Raises DataError (UnsupportedModelType for a
        ``model_type`` without a reader) naming the field, IoError when the file cannot be read."""
        if isinstance(config, Mapping):
            cfg = dict(config)
            where = "hf_config"
        else:
            path = Path(config)
            name = path.name if path.is_dir() else path.stem
            if path.is_dir():
                path = path / "config.json"
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as e:
                raise IoError(f"cannot read '{path}': {e.strerror or e}") from None
            try:
                cfg = json.loads(text)
            except ValueError as e:
                raise DataError(f"{path}: not valid JSON: {e}") from None
            if isinstance(cfg, dict) and "_id" not in cfg:
                cfg["_id"] = name
            where = str(path)
        return cls(json.loads(_headroom.model_from_hf_config(json.dumps(cfg), where)), cfg)

    def case_value(self) -> Union[str, Dict[str, Any]]:
        """The model as a case's ``model`` field: the catalog id, or ``{"hf_config": {...}}``."""
        if self._hf_config is None:
            return str(self._d["id"])
        return {"hf_config": copy.deepcopy(self._hf_config)}


def _json_default(v: Any) -> Any:
    if isinstance(v, Model):
        return v.case_value()
    if isinstance(v, Gpu):
        return v.id
    raise TypeError(f"a case holds JSON values (and headroom.Model, headroom.Gpu); got {type(v).__name__}")


def _case_text(case: Case) -> str:
    if isinstance(case, str):
        return case
    if isinstance(case, Mapping):
        return json.dumps(dict(case), default=_json_default)
    raise TypeError(f"a case is a dict (docs/cases.md) or its JSON text; got {type(case).__name__}")


def _answers(cases: List[Case]) -> List[Answer]:
    lines = [_case_text(c) for c in cases]
    return [Answer(json.loads(text), _by_kind[kind] if kind else None) for text, kind in _headroom.evaluate_lines(lines)]


@overload
def evaluate(cases: Case) -> Answer: ...
@overload
def evaluate(cases: Iterable[Case]) -> List[Answer]: ...


def evaluate(cases: Union[Case, Iterable[Case]]) -> Union[Answer, List[Answer]]:
    """Answers one case (a dict, or its JSON text) or a list of them, as ``headroom eval`` does.

    One case: its Answer; a case that cannot be answered raises (InputError, UnknownId, ...) with the
    message ``headroom eval`` writes. A list: one Answer per case, in order; a case that cannot be
    answered gives an Answer with ``ok`` False (``raise_for_error()`` raises its error). The list
    is answered in C++ without the GIL, so other Python threads run meanwhile.
    """
    if isinstance(cases, (str, Mapping)):
        answer = _answers([cases])[0]
        answer.raise_for_error()
        return answer
    return _answers(list(cases))


def fit(model: Union[str, Model, Mapping[str, Any]], gpu: Union[str, Gpu, Mapping[str, Any]],
        **fields: Any) -> FitResult:
    """``headroom fit MODEL --gpu GPU ... --json``: does the job fit, and what would make it fit.

    ``model``: a catalog id, a Model, or ``{"hf_config": {...}}``; ``gpu``: a catalog id, a Gpu, or a
    GPU spec object. ``fields`` are the other case fields of docs/cases.md (``method="qlora"``,
    ``gpus=4``, ``parallel={"dp": 4}``, ``batch=8``, ...). As with the CLI, naming ``method`` without
    ``task`` asks for training. Raises InputError, UnknownId, ... for a case that cannot be answered.
    """
    case: Dict[str, Any] = {"model": model, "gpu": gpu, **fields}
    if fields.get("task") == "collective":
        raise InputError("'task': fit answers training and inference; time a collective with headroom.evaluate")
    if "method" in fields and "task" not in fields:
        case["task"] = "training"
    return FitResult(json.loads(_headroom.fit(_case_text(case))))


def gpus() -> List[Gpu]:
    """The catalog's GPUs (``headroom gpus --json``)."""
    return [Gpu(d) for d in json.loads(_headroom.gpus())]


def models() -> List[Model]:
    """The catalog's models (``headroom models --json``)."""
    return [Model(d) for d in json.loads(_headroom.models())]
