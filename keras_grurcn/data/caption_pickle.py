"""Caption pickles read as data: a restricted unpickler that runs no code.

`pickle.load` calls whatever a file names (`os.system`, `builtins.exec`, any
importable function) while it loads, before the caller can look at the
result. Caption annotations circulate as pickles (CLIP4Clip's and
collaborative-experts' `raw-captions.pkl`: `{video_id: [[token, ...], ...]}`;
Yao et al.'s `CAP.pkl`, which the GRU-RCN paper's MSVD setup used:
`{vid<N>: [{"caption": ..., "tokenized": ..., ...}, ...]}`), so they are read
here with an unpickler that refuses every global except a few container
types. Dicts, lists, tuples, strings, numbers, booleans and `None` are
pickle opcodes and need no global at any protocol.
"""

import io
import pickle
import struct

# The only globals a caption pickle may name, and why each is harmless: an
# allowed name is only ever *called* by the pickle (REDUCE) on arguments the
# same restricted unpickler built (or instantiated empty by NEWOBJ), and
# each of these merely builds a container from them. Protocols 0-3 write a set or frozenset as its type
# applied to a list; OrderedDict and defaultdict (whose factory, `list` or
# `dict`, is only called for a missing key, which reading never does) are
# how caption dicts are often built.
ALLOWED_GLOBALS = frozenset(
    {
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("builtins", "list"),
        ("builtins", "dict"),
        ("collections", "OrderedDict"),
        ("collections", "defaultdict"),
    }
)


class _RefusedGlobal(pickle.UnpicklingError):
    def __init__(self, module, name):
        self.global_name = f"{module}.{name}"
        super().__init__(self.global_name)


# The pure-Python unpickler, not the C one: the C unpickler sizes its memo
# table from the index a PUT opcode names and allocates a byte string of the
# length a header claims before reading it, so a 10-byte file can ask for
# gigabytes (seen while fuzzing). The Python one keeps its memo in a dict and
# reads lengths from the file as it goes. Cost, measured on an MSVD-sized
# file (1,970 videos x 40 captions x 9 tokens, 3.8 MB): 0.81 s against 0.03 s.
class _CaptionUnpickler(pickle._Unpickler):
    def _refuse_bytearray(self):
        # The one opcode the Python unpickler allocates for (its claimed
        # length) before reading; captions hold no bytearrays.
        raise pickle.UnpicklingError("a BYTEARRAY8 opcode (captions hold none)")

    dispatch = dict(pickle._Unpickler.dispatch)
    dispatch[pickle.BYTEARRAY8[0]] = _refuse_bytearray

    def find_class(self, module, name):
        # Python 2 names (and Python 3 at protocols 0-2) call the module
        # `__builtin__`; `super().find_class` maps it back itself.
        checked = "builtins" if module == "__builtin__" else module
        if (checked, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise _RefusedGlobal(module, name)

    def persistent_load(self, pid):
        # Persistent ids resolve through the caller's code; captions have none.
        raise _RefusedGlobal("persistent_id", repr(pid)[:80])


def _conversion_hint(path):
    return (
        "Give the captions as JSON ({video_id: [caption, ...]}) or as the MSR "
        "Video Description Corpus CSV instead; if you trust where this file "
        "comes from, convert it once outside keras_grurcn, e.g. python -c "
        '"import json, pickle, sys; json.dump(pickle.load(open(sys.argv[1], '
        "'rb')), open(sys.argv[1] + '.json', 'w'), default=lambda o: "
        f"o.tolist() if hasattr(o, 'tolist') else list(o))\" {path!r}"
    )


def load_caption_pickle(path):
    """Unpickle a caption file allowing only plain containers, strings and numbers.

    Args:
        path: the `.pkl` / `.pickle` file.

    Returns:
        The unpickled object (dicts, lists, tuples, sets, strings, numbers).

    Raises:
        ValueError: the file names any other global (a class or function,
            e.g. `os.system` or `numpy.ndarray`): nothing it names is
            imported or called. The message names the file and the global
            and says how to convert the file to JSON. Also raised for a
            truncated or corrupt pickle.

    Examples:

    ```python
    import pickle

    from keras_grurcn.data.caption_pickle import load_caption_pickle

    with open("/tmp/captions.pkl", "wb") as file:
        pickle.dump({"vid1": [["a", "cat", "plays"]]}, file)
    load_caption_pickle("/tmp/captions.pkl")  # {'vid1': [['a', 'cat', 'plays']]}
    ```
    """
    path = str(path)
    with open(path, "rb") as file:
        # From memory: a BytesIO hands back at most the bytes there are,
        # whatever length a corrupt header claims.
        data = io.BytesIO(file.read())
    # Python 2 pickles store captions as byte strings: decode them as UTF-8
    # (as the CSV reader does) rather than fail on the first accent.
    unpickler = _CaptionUnpickler(data, encoding="utf-8", errors="replace")
    try:
        return unpickler.load()
    except _RefusedGlobal as error:
        raise ValueError(
            f"{path}: refused to unpickle {error.global_name}: a pickle can run "
            "code while it loads, so keras_grurcn reads caption pickles holding "
            "only dicts, lists, tuples, sets, strings and numbers. "
            + _conversion_hint(path)
        ) from None
    except (
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        # A corrupt opcode stream: an append to a non-list, an allowed type
        # called on bad arguments, a length beyond the address space.
        AttributeError,
        TypeError,
        IndexError,
        KeyError,
        OverflowError,
        struct.error,
    ) as error:
        raise ValueError(
            f"{path}: not a readable caption pickle (truncated or corrupt: "
            f"{type(error).__name__}: {str(error)[:200]})."
        ) from None
