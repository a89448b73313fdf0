"""Caption pickles are read as data: crafted ones run nothing and are refused."""

import collections
import os
import pickle
import struct
import sys

import numpy as np
import pytest

from keras_grurcn.data import read_msvd_captions
from keras_grurcn.data.caption_pickle import load_caption_pickle


class _Payload:
    """Unpickling this calls `function(*arguments)`, as a crafted file would."""

    def __init__(self, function, *arguments):
        self.function, self.arguments = function, arguments

    def __reduce__(self):
        return self.function, self.arguments


def _write_pickle(path, obj, protocol=pickle.HIGHEST_PROTOCOL):
    with open(path, "wb") as file:
        pickle.dump(obj, file, protocol=protocol)
    return str(path)


def _payload(kind, marker):
    """A crafted caption that would create `marker` when unpickled."""
    if kind == "shell":
        return _Payload(os.system, f"touch '{marker}'")
    if kind == "exec":
        return _Payload(exec, f"open({str(marker)!r}, 'w').write('x')")
    return _Payload(open, str(marker), "w")


@pytest.mark.parametrize("kind", ["shell", "exec", "open"])
def test_a_crafted_pickle_writes_nothing_and_names_the_file_and_global(tmp_path, kind):
    marker = tmp_path / "marker"
    payload = _payload(kind, marker)
    global_name = f"{payload.function.__module__}.{payload.function.__name__}"
    # Nested as a caption of a real-looking annotation file.
    path = _write_pickle(tmp_path / "captions.pkl", {"vid1": ["a man cooks", payload]})
    for reader in (load_caption_pickle, read_msvd_captions):
        with pytest.raises(ValueError) as error:
            reader(path)
        message = str(error.value)
        assert path in message and global_name in message
        assert "JSON" in message and "CSV" in message
    assert not marker.exists()
    # The same payload through a plain pickle.load does write it: the test
    # would catch an unpickler that let it through.
    with open(path, "rb") as file:
        try:
            pickle.load(file)
        except Exception:
            pass
    assert marker.exists()


def test_the_conversion_hint_converts_a_trusted_pickle_to_json(tmp_path):
    # A trusted pickle with NumPy string arrays: refused, and the command in
    # the message turns it into JSON that the reader takes.
    import re
    import subprocess

    path = _write_pickle(
        tmp_path / "caps.pkl", {"vid1": np.array(["a dog runs", "a dog plays"])}
    )
    with pytest.raises(ValueError, match="numpy") as error:
        read_msvd_captions(path)
    command = re.search(r'python -c "(.*)" ', str(error.value)).group(1)
    subprocess.run([sys.executable, "-c", command, path], check=True)
    assert read_msvd_captions(path + ".json") == {"vid1": ["a dog runs", "a dog plays"]}


def _known_caption_pickles(tmp_path):
    """The shapes the known MSVD caption pickles have, at every protocol."""
    raw_captions = {  # CLIP4Clip / collaborative-experts raw-captions.pkl
        "-4wsuPCjDBc_5_15": [["a", "squirrel", "is", "eating"], ["a", "squirrel"]],
        "-7KMZQEsJW4_205_208": [["a", "woman", "is", "slicing", "a", "cucumber"]],
    }
    yao_cap = collections.OrderedDict(  # Yao et al.'s youtube2text CAP.pkl
        vid1=[
            {
                "caption": "A squirrel is eating.",
                "tokenized": "a squirrel is eating",
                "image_id": "vid1",
                "cap_id": "0",
            },
        ]
    )
    built = collections.defaultdict(list)  # How caption dicts are often built.
    built["vid2"].append("a woman slices a cucumber")
    built["vid2"].append(("a", "woman", "cuts"))
    files = {}
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        for name, obj in (("raw", raw_captions), ("yao", yao_cap), ("built", built)):
            files[name, protocol] = _write_pickle(
                tmp_path / f"{name}{protocol}.pkl", obj, protocol
            )
    return files


def test_the_known_caption_pickle_shapes_read_at_every_protocol(tmp_path):
    for (name, _), path in _known_caption_pickles(tmp_path).items():
        captions = read_msvd_captions(path)
        expected = {
            "raw": {
                "-4wsuPCjDBc_5_15": ["a squirrel is eating", "a squirrel"],
                "-7KMZQEsJW4_205_208": ["a woman is slicing a cucumber"],
            },
            "yao": {"vid1": ["A squirrel is eating."]},
            "built": {"vid2": ["a woman slices a cucumber", "a woman cuts"]},
        }[name]
        assert captions == expected, path


def test_a_python2_pickle_with_utf8_byte_strings_reads(tmp_path):
    # cPickle protocol 2 of {'vid1': ['un caf\xc3\xa9']} (str, not unicode),
    # as Python 2 writes it: byte strings (SHORT_BINSTRING), no globals.
    data = b"\x80\x02}q\x00U\x04vid1q\x01]q\x02U\x08un caf\xc3\xa9q\x03as."
    path = tmp_path / "py2.pkl"
    path.write_bytes(data)
    assert read_msvd_captions(path) == {"vid1": ["un café"]}


def test_shared_references_cannot_blow_up_memory(tmp_path):
    # One long token list referenced 100,000 times: a 200 kB file that a
    # plain reader would join into ~20 GB of caption text.
    tokens = ["word"] * 40_000
    path = _write_pickle(tmp_path / "bomb.pkl", {"vid1": [tokens] * 100_000})
    assert os.path.getsize(path) < 400_000
    with pytest.raises(ValueError, match="expand far beyond"):
        read_msvd_captions(path)


@pytest.mark.parametrize(
    "obj, expected",
    [
        ([["a dog"]], "expected a mapping"),
        ({"vid1": 3}, "expected a list of captions"),
        ({"vid1": [["a", 3]]}, "string tokens"),
        ({"vid1": [{"tokens": "a"}]}, "expected a caption"),
        ({(1, 2): ["a dog"]}, "string video ids"),
    ],
)
def test_malformed_annotations_name_the_file_and_the_problem(tmp_path, obj, expected):
    path = _write_pickle(tmp_path / "bad.pkl", obj)
    with pytest.raises(ValueError, match=expected) as error:
        read_msvd_captions(path)
    assert path in str(error.value)


def test_truncated_pickle_and_bad_json_are_clear_errors(tmp_path):
    path = _write_pickle(tmp_path / "cut.pkl", {"vid1": ["a dog runs"] * 50})
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated or corrupt") as error:
        read_msvd_captions(path)
    assert path in str(error.value)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match="not valid JSON"):
        read_msvd_captions(deep)


@pytest.mark.parametrize(
    "data, what",
    [
        # PROTO 4, EMPTY_LIST, LONG_BINPUT 500,000,000, STOP: the C unpickler
        # grows its memo table to that index (8.3 GB measured).
        (b"\x80\x04]r" + struct.pack("<I", 500_000_000) + b".", "memo"),
        # BYTEARRAY8 claiming 4 GB, then 3 bytes.
        (b"\x80\x05\x96" + struct.pack("<Q", 2**32) + b"abc", "bytearray"),
        # BINBYTES8 claiming 4 GB, then 3 bytes.
        (b"\x80\x04\x8e" + struct.pack("<Q", 2**32) + b"abc", "bytes"),
    ],
)
def test_tiny_pickles_claiming_gigabytes_allocate_nothing(tmp_path, data, what):
    import tracemalloc

    path = tmp_path / f"{what}.pkl"
    path.write_bytes(data)
    tracemalloc.start()
    try:
        try:
            load_caption_pickle(path)
        except ValueError as error:
            assert str(path) in str(error)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20, f"{what}: {peak / 2**20:.0f} MiB"
