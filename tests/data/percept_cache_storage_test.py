"""float16, bfloat16 and uint8 percept storage: bytes, accuracy, calibration."""

import json

import numpy as np
import pytest

from keras_grurcn.data import make_motion_clips
from keras_grurcn.data import read_cache_info
from keras_grurcn.data import write_percept_cache
from tests.data.percept_cache_helpers import cache_contents
from tests.data.percept_cache_helpers import tiny_extractor


@pytest.fixture(scope="module")
def clips():
    return make_motion_clips(12, num_frames=4, image_size=32)


@pytest.fixture(scope="module")
def extractor():
    return tiny_extractor()


@pytest.fixture(scope="module")
def expected(clips, extractor):
    outputs = extractor(clips[0].astype("float32"))
    return {level: np.asarray(value) for level, value in outputs.items()}


def _cache(clips, extractor, folder, dtype, **options):
    info = write_percept_cache(
        clips,
        extractor,
        folder,
        percept_dtype=dtype,
        examples_per_shard=6,
        progress=False,
        **options,
    )
    return info, cache_contents(folder)


@pytest.mark.parametrize(
    "dtype, relative", [("float16", 1e-3), ("bfloat16", 8e-3), ("uint8", None)]
)
def test_every_storage_dtype_reads_back_close(
    clips, extractor, expected, tmp_path, dtype, relative
):
    info, (_, labels, percepts) = _cache(
        clips, extractor, tmp_path, dtype, calibration_clips=12
    )
    assert info["dtype"] == dtype
    np.testing.assert_array_equal(labels, clips[1])
    for level, value in expected.items():
        assert percepts[level].dtype == np.float32
        if relative is None:  # uint8: half a step of the recorded scale.
            step = info["quantization"][level]["scale"]
            np.testing.assert_allclose(
                percepts[level], value, rtol=0, atol=step / 2 + 1e-6
            )
        else:
            np.testing.assert_allclose(
                percepts[level], value, rtol=relative, atol=relative * 1e-2
            )
    if dtype == "uint8":
        assert info["clipped_values"] == {"low": 0, "high": 0}


def test_uint8_takes_half_the_bytes_of_float16(clips, extractor, tmp_path):
    sizes = {
        dtype: sum(
            s["num_bytes"]
            for s in _cache(clips, extractor, tmp_path / dtype, dtype)[0]["shards"]
        )
        for dtype in ("float16", "bfloat16", "uint8")
    }
    values = 12 * sum(np.prod(v.shape[1:]) for v in extractor(clips[0][:1]).values())
    assert sizes["float16"] == sizes["bfloat16"]
    # Percept bytes halve; each record's framing and targets stay.
    assert sizes["float16"] - sizes["uint8"] == values
    assert sizes["uint8"] < 0.56 * sizes["float16"]


def test_uint8_clips_what_calibration_did_not_see_and_counts_it(
    clips, extractor, tmp_path
):
    frames, labels = clips
    dim = frames.copy()
    dim[:3] //= 4  # The calibration clips are darker than the rest.
    info, (_, _, percepts) = _cache(
        (dim, labels), extractor, tmp_path, "uint8", calibration_clips=3
    )
    assert info["clipped_values"]["low"] > 0
    code = info["quantization"]["low"]
    ceiling = code["offset"] + 255 * code["scale"]
    assert percepts["low"].max() == pytest.approx(ceiling, rel=1e-6)


def test_a_resumed_uint8_cache_keeps_its_scales(clips, extractor, tmp_path):
    info, _ = _cache(clips, extractor, tmp_path, "uint8", calibration_clips=2)
    (tmp_path / "percepts-00001.tfrecord").unlink()
    resumed, _ = _cache(clips, extractor, tmp_path, "uint8", calibration_clips=12)
    assert resumed["quantization"] == info["quantization"]
    plan = json.loads((tmp_path / "progress.json").read_text())
    assert plan["quantization"] == info["quantization"]
    assert read_cache_info(tmp_path)["num_examples"] == 12


def test_a_rerun_with_another_dtype_is_refused(clips, extractor, tmp_path):
    _cache(clips, extractor, tmp_path, "float16")
    with pytest.raises(ValueError, match="dtype float16 \\(now uint8\\)"):
        _cache(clips, extractor, tmp_path, "uint8")
