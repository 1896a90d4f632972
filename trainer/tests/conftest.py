import json
import os
import sys

import numpy as np
import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
torch.set_num_threads(2)


def write_shards(directory, sparse=False, shards=3, per_shard=3, height=24, width=32, scenes=None, seed=0):
    """Shards exactly as the Java exporter's contract describes them, written with numpy.savez."""
    rng = np.random.default_rng(seed)
    os.makedirs(directory, exist_ok=True)
    names = []
    for s in range(shards):
        depth = rng.uniform(0.5, 9.0, (per_shard, height, width)).astype(np.float32)
        depth[:, 0, 0] = 0.0
        arrays = {"depth": depth, "rgb": rng.integers(0, 256, (per_shard, height, width, 3), dtype=np.uint8),
                  "intrinsics": np.tile(np.float32([30, 30, 16, 12]), (per_shard, 1)),
                  "scene": (np.arange(per_shard) % 2 if scenes is None else np.full(per_shard, scenes)).astype(np.int8)}
        if sparse:
            keep = rng.random((per_shard, height, width)) < 0.2
            arrays["sparse"] = np.where(keep, depth, 0).astype(np.float32)
            arrays["pattern"] = (np.arange(per_shard) % 2).astype(np.int16)
        names.append(f"shard-{s:05d}.npz")
        np.savez(os.path.join(directory, names[-1]), **arrays)
    manifest = {"format": "depthstream-sparse/1" if sparse else "depthstream-shards/1", "width": width,
                "height": height, "count": shards * per_shard, "shards": names, "seed": seed,
                "scenes": {"indoor": 5, "road": 4}, "depth_units": "metres, 0 = no measurement"}
    if sparse:
        manifest["patterns"] = ["uniform:p=0.2", "grid:step=4"]
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return str(directory)


@pytest.fixture
def dense_shards(tmp_path):
    return write_shards(tmp_path / "dense")


@pytest.fixture
def sparse_shards(tmp_path):
    return write_shards(tmp_path / "sparse", sparse=True)
