import json
import os

import numpy as np
import pytest
import torch

from conftest import write_shards
from depthstream_trainer.data import DepthShardDataset, read_manifest, split_shards


def test_split_is_by_shard():
    assert split_shards(["a", "b", "c"], 0.34) == (["a"], ["b", "c"])
    assert split_shards(["a", "b", "c"], 0.1) == (["a", "b"], ["c"])
    with pytest.raises(ValueError, match="at least 2 shards"):
        split_shards(["a"], 0.1)


def test_dense_dataset_reads_frames_of_its_split(dense_shards):
    train = DepthShardDataset(dense_shards, "train", (16, 24))
    val = DepthShardDataset(dense_shards, "val", (16, 24))
    assert (len(train), len(val)) == (6, 3)
    sample = val[0]
    assert sample["depth"].shape == (1, 16, 24) and sample["rgb"].shape == (3, 16, 24)
    assert 0 <= sample["rgb"].min() and sample["rgb"].max() <= 1
    with np.load(os.path.join(dense_shards, "shard-00002.npz")) as npz:
        expected = npz["depth"][0, 4:20, 4:28]             # centre crop of the first validation frame
    assert np.array_equal(sample["depth"][0].numpy(), expected)


def test_training_batches_depend_only_on_seed_and_step(dense_shards):
    data = DepthShardDataset(dense_shards, "train", (16, 24), seed=3)
    a, b, c = data.batch(5, 4), data.batch(5, 4), data.batch(6, 4)
    assert torch.equal(a["depth"], b["depth"]) and not torch.equal(a["depth"], c["depth"])
    assert a["depth"].shape == (4, 1, 16, 24)


def test_sparse_dataset_filters_patterns_and_scenes(sparse_shards):
    everything = DepthShardDataset(sparse_shards, "train", (8, 8), require_sparse=True)
    grid = DepthShardDataset(sparse_shards, "train", (8, 8), patterns=["grid"], require_sparse=True)
    road = DepthShardDataset(sparse_shards, "train", (8, 8), scenes=["road"])
    assert len(everything) == 6 and len(grid) == 2 and len(road) == 2
    assert set(grid.arrays["pattern"].tolist()) == {1}
    batch = everything.batch(0, 3)
    assert torch.equal(batch["mask"], (batch["sparse"] > 0).float())
    assert batch["pattern"].dtype == torch.int64


def test_bad_inputs_are_named(tmp_path, dense_shards):
    with pytest.raises(ValueError, match="multiple of 8"):
        DepthShardDataset(dense_shards, "train", (12, 16), multiple=8)
    with pytest.raises(ValueError, match="sparse"):
        DepthShardDataset(dense_shards, "train", (8, 8), require_sparse=True)
    with pytest.raises(ValueError, match="larger than frames"):
        DepthShardDataset(dense_shards, "train", (32, 32))
    broken = write_shards(tmp_path / "broken", shards=2)
    with open(os.path.join(broken, "manifest.json")) as f:
        manifest = json.load(f)
    manifest["format"] = "something/2"
    with open(os.path.join(broken, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    with pytest.raises(ValueError, match="unknown format"):
        read_manifest(broken)
    nan = write_shards(tmp_path / "nan", shards=2)
    path = os.path.join(nan, "shard-00000.npz")
    with np.load(path) as npz:
        arrays = dict(npz)
    arrays["depth"][0, 1, 1] = np.nan
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="NaN or negative"):
        DepthShardDataset(nan, "train", (8, 8))
