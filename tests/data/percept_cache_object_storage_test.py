"""Videos, extractor and cache on object storage, through `tf.io.gfile`.

TensorFlow's in-memory `ram://` filesystem stands in for `gs://`: the same
`tf.io.gfile` calls reach it, and nothing leaves the process (the Beam
pipeline runs on the in-memory DirectRunner, in this process).
"""

import uuid

import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.data import PerceptCacheError
from keras_grurcn.data import load_preprocessor_preset
from keras_grurcn.data import manifest_entries
from keras_grurcn.data import percept_dataset
from keras_grurcn.data import read_cache_info
from keras_grurcn.data import save_extraction
from keras_grurcn.data import write_percept_cache
from keras_grurcn.data import write_percept_cache_beam
from tests.data.percept_cache_helpers import cache_contents
from tests.data.percept_cache_helpers import tiny_preprocessor

CLIPS = dict(num_frames=4, image_size=32, examples_per_shard=2)


@pytest.fixture()
def bucket():
    root = f"ram://bucket-{uuid.uuid4().hex[:8]}"
    tf.io.gfile.makedirs(root)
    yield root
    tf.io.gfile.rmtree(root)


def test_videos_extractor_and_cache_on_object_storage(folder_tree, bucket, tmp_path):
    _, local = folder_tree
    rows = ["path,label"]
    tf.io.gfile.makedirs(f"{bucket}/videos")
    for entry in local[:3]:
        path = f"{bucket}/videos/{entry.video_id}.avi"
        tf.io.gfile.copy(entry.path, path)
        rows.append(f"{path},{entry.label}")
    rows.append(f"{bucket}/videos/gone.avi,0")
    (tmp_path / "videos.csv").write_text("\n".join(rows) + "\n")
    # A manifest of URLs, as a Kinetics list on a bucket would be.
    remote = manifest_entries(tmp_path / "videos.csv")
    assert remote[0].path.startswith("ram://")
    # The cache's preprocessor goes to the bucket, as `grurcn extract` puts it.
    save_extraction(f"{bucket}/cache", tiny_preprocessor())
    preprocessor = load_preprocessor_preset(f"{bucket}/cache/preprocessor")
    reference = tmp_path / "reference"
    write_percept_cache(local[:3], preprocessor, reference, progress=False, **CLIPS)

    info = write_percept_cache_beam(
        remote, f"{bucket}/cache/preprocessor", f"{bucket}/cache", **CLIPS
    )

    assert info["num_examples"] == 3 and info["num_failures"] == 1
    ids, labels, percepts = cache_contents(f"{bucket}/cache")
    expected = cache_contents(reference)
    assert ids == expected[0] and (labels == expected[1]).all()
    np.testing.assert_allclose(percepts["pool1"], expected[2]["pool1"], atol=1e-3)
    with tf.io.gfile.GFile(f"{bucket}/cache/failures.jsonl") as file:
        failure = file.read()
    assert "gone.avi" in failure and "could not be copied" in failure
    # On object storage shards are checked by size (one stat each).
    shard = f"{bucket}/cache/percepts-00001.tfrecord"
    with tf.io.gfile.GFile(shard, "rb") as file:
        data = file.read()
    tf.io.gfile.remove(shard)  # ram:// appends on "wb"; gs:// would replace.
    with tf.io.gfile.GFile(shard, "wb") as file:
        file.write(data[:-7])
    with pytest.raises(PerceptCacheError, match="truncated"):
        percept_dataset(f"{bucket}/cache", 2)
    assert read_cache_info(f"{bucket}/cache")["shards"][1]["num_bytes"] == len(data)
