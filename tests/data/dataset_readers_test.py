import json

import pytest

from keras_grurcn.data import (
    MOTION_CLASSES,
    folder_entries,
    manifest_entries,
    msvd_entries,
    read_msvd_captions,
    ucf101_class_names,
    ucf101_entries,
    video_dataset,
)


def test_ucf101_splits_read_through_the_pipeline(ucf_tree):
    root, written = ucf_tree
    names = ucf101_class_names(root / "ucfTrainTestlist")
    assert names == ["MoveLeft", "MoveRight", "MoveUp", "MoveDown"]
    label_of = {e.path: e.label for e in written}
    for split in (1, 2, 3):
        train = ucf101_entries(root, split=split, subset="train")
        test = ucf101_entries(root, split=split, subset="test")
        assert len(train) + len(test) == len(written)
        assert not {e.path for e in train} & {e.path for e in test}
        assert all(label_of[e.path] == e.label for e in train + test)
        groups = {int(e.video_id.split("_g")[1][:2]) for e in test}
        assert groups <= set(range(7 * split - 6, 7 * split + 1))
    frames, labels = next(
        iter(video_dataset(test, num_frames=4, image_size=32, batch_size=len(test)))
    )
    assert frames.shape == (len(test), 4, 32, 32, 3)
    assert labels.numpy().tolist() == [e.label for e in test]


def test_ucf101_missing_files_and_bad_lists(ucf_tree, tmp_path):
    root, _ = ucf_tree
    lists = root / "ucfTrainTestlist"
    copy = tmp_path / "lists"
    copy.mkdir()
    for name in ("classInd.txt", "testlist01.txt"):
        (copy / name).write_text((lists / name).read_text())
    with open(copy / "testlist01.txt", "a") as file:
        file.write("MoveUp/v_MoveUp_g01_c99.avi\r\n")
    with pytest.raises(FileNotFoundError, match="c99"):
        ucf101_entries(root, subset="test", list_dir=copy)
    kept = ucf101_entries(root, subset="test", list_dir=copy, skip_missing=True)
    assert len(kept) == len(ucf101_entries(root, subset="test"))
    with pytest.raises(FileNotFoundError, match="trainlist01"):
        ucf101_entries(root, subset="train", list_dir=copy)
    with pytest.raises(ValueError, match="split"):
        ucf101_entries(root, split=4)


def test_msvd_standard_split_and_caption_formats(msvd_tree, tmp_path):
    root, written = msvd_tree
    sizes = (8, 2, 2)
    subsets = {
        s: msvd_entries(root, subset=s, split_sizes=sizes)
        for s in ("train", "val", "test")
    }
    assert [len(subsets[s]) for s in ("train", "val", "test")] == [8, 2, 2]
    # youtube_mapping.txt order is the written order.
    ordered = subsets["train"] + subsets["val"] + subsets["test"]
    assert [e.video_id for e in ordered] == [e.video_id for e in written]
    assert all(e.captions == w.captions for e, w in zip(ordered, written))
    # The CSV keeps English rows only; the JSON gives the same captions.
    from_csv = read_msvd_captions(root / "MSR Video Description Corpus.csv")
    from_json = read_msvd_captions(root / "captions.json")
    assert from_csv == from_json
    # A pickle keyed by vid<N> with token-list captions, as some releases ship.
    import pickle

    tokens = {
        f"vid{i + 1}": [c.split() for c in e.captions] for i, e in enumerate(written)
    }
    with open(tmp_path / "raw-captions.pkl", "wb") as file:
        pickle.dump(tokens, file)
    test = msvd_entries(
        root,
        subset="test",
        split_sizes=sizes,
        annotations=tmp_path / "raw-captions.pkl",
    )
    assert [e.captions for e in test] == [e.captions for e in subsets["test"]]
    frames, captions = next(
        iter(
            video_dataset(
                test, num_frames=3, image_size=16, batch_size=2, target="captions"
            )
        )
    )
    assert frames.shape == (2, 3, 16, 16, 3) and captions.shape[0] == 2


def test_msvd_without_annotations_says_what_it_expects(tmp_path):
    with pytest.raises(FileNotFoundError, match="MSR Video Description Corpus.csv"):
        msvd_entries(tmp_path)


def test_folder_reader(folder_tree):
    root, written = folder_tree
    entries = folder_entries(root, class_names=MOTION_CLASSES)
    assert {(e.path, e.label) for e in entries} == {(e.path, e.label) for e in written}
    alphabetical = folder_entries(root)  # down, left, right, up
    assert {e.label for e in alphabetical if "/down/" in e.path} == {0}
    with pytest.raises(FileNotFoundError, match="sideways"):
        folder_entries(root, class_names=["left", "sideways"])


def test_csv_and_json_manifests(folder_tree, tmp_path):
    root, written = folder_tree
    rows = ["path,label,caption"]
    for e in written[:3]:
        relative = e.path[len(str(root)) + 1 :]
        rows += [f"{relative},{MOTION_CLASSES[e.label]},{c}" for c in e.captions[:2]]
    (root / "clips.csv").write_text("\n".join(rows) + "\n")
    entries = manifest_entries(root / "clips.csv", class_names=MOTION_CLASSES)
    assert [(e.path, e.label) for e in entries] == [
        (e.path, e.label) for e in written[:3]
    ]
    assert entries[0].captions == written[0].captions[:2]
    listing = [
        {"path": e.path, "label": e.label, "captions": list(e.captions)}
        for e in written[:2]
    ]
    (tmp_path / "clips.json").write_text(json.dumps(listing))
    from_json = manifest_entries(tmp_path / "clips.json")
    assert [e.captions for e in from_json] == [e.captions for e in written[:2]]
    with pytest.raises(ValueError, match="class_names"):
        manifest_entries(root / "clips.csv")
    (tmp_path / "bad.csv").write_text("file,label\na.mp4,0\n")
    with pytest.raises(ValueError, match="'path' column"):
        manifest_entries(tmp_path / "bad.csv")
