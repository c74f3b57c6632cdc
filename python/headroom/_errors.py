"""The exceptions of headroom: the C++ error classes of error.hpp, with the same messages.

Each also derives from the built-in exception a Python caller would expect, so ``except ValueError``
catches a bad case as it catches any bad value.
"""


class Error(Exception):
    """Base of every error headroom raises (C++ ``headroom::Error``)."""


class InputError(Error, ValueError):
    """A case or option value that cannot be used; the message names the field, the value and a fix."""


class UnknownId(Error, LookupError):
    """A GPU or model id that is not in the catalog; the message lists the closest ids."""


class DataError(Error, ValueError):
    """A malformed GPU spec or config.json; the message names the object and the field."""


class UnsupportedModelType(DataError):
    """A config.json ``model_type`` that has no reader yet."""


class NotModelled(Error, NotImplementedError):
    """Well-formed input that this version parses but does not model yet."""


class IoError(Error, OSError):
    """A file that cannot be opened or read."""


#: The error kinds the C++ side reports (src/capi/case_answers.hpp ErrorKind), to their classes.
by_kind = {
    "input": InputError,
    "unknown_id": UnknownId,
    "data": DataError,
    "unsupported_model_type": UnsupportedModelType,
    "not_modelled": NotModelled,
    "io": IoError,
    "internal": Error,
}
