"""Tiny synthetic shard directories in the Java exporter's format, for ``--smoke`` runs only.

Real training data and real sampling patterns come from the Java exporter; the two patterns here (uniform
random, regular grid) exist only so a smoke run has sparse input without Java."""
import json
import os

import numpy as np

from .data import DENSE_FORMAT, SPARSE_FORMAT


def _scene(rng: np.random.Generator, height: int, width: int):
    """A slanted floor-to-wall depth ramp with a few boxes in front; RGB is a texture so blur is visible."""
    rows = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    depth = np.broadcast_to(rng.uniform(3, 6) + rng.uniform(2, 5) * (1 - rows), (height, width)).copy()
    for _ in range(int(rng.integers(1, 4))):
        y0, x0 = int(rng.integers(0, height - 4)), int(rng.integers(0, width - 4))
        y1, x1 = y0 + int(rng.integers(4, height // 2 + 5)), x0 + int(rng.integers(4, width // 2 + 5))
        depth[y0:y1, x0:x1] = rng.uniform(1.0, 3.0)
    yy, xx = np.mgrid[0:height, 0:width]
    texture = (np.sin(xx * rng.uniform(0.3, 1.2)) * np.cos(yy * rng.uniform(0.3, 1.2)) + 1) / 2
    rgb = np.stack([texture, depth / depth.max(), 1 - texture], -1)
    depth[rng.random((height, width)) < 0.02] = 0.0           # sensor holes
    return depth.astype(np.float32), (rgb * 255).astype(np.uint8)


def write_synthetic_shards(directory: str, shards: int = 2, per_shard: int = 4, height: int = 48,
                           width: int = 64, sparse: bool = False, seed: int = 0) -> str:
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(seed)
    patterns = ["uniform:p=0.1", "grid:step=4"]
    names = []
    for s in range(shards):
        frames = [_scene(rng, height, width) for _ in range(per_shard)]
        arrays = {"depth": np.stack([f[0] for f in frames]), "rgb": np.stack([f[1] for f in frames]),
                  "intrinsics": np.tile(np.float32([width, width, width / 2, height / 2]), (per_shard, 1)),
                  "scene": np.zeros(per_shard, np.int8)}
        if sparse:
            pattern = (np.arange(per_shard) % len(patterns)).astype(np.int16)
            keep = np.zeros_like(arrays["depth"], bool)
            keep[pattern == 0] = rng.random(((pattern == 0).sum(), height, width)) < 0.1
            keep[pattern == 1, ::4, ::4] = True
            arrays.update(sparse=np.where(keep, arrays["depth"], 0).astype(np.float32), pattern=pattern)
        name = f"shard-{s:05d}.npz"
        np.savez(os.path.join(directory, name), **arrays)
        names.append(name)
    manifest = {"format": SPARSE_FORMAT if sparse else DENSE_FORMAT, "width": width, "height": height,
                "count": shards * per_shard, "shards": names, "seed": seed, "scenes": {"indoor": shards * per_shard},
                "depth_units": "metres, 0 = no measurement"}
    if sparse:
        manifest["patterns"] = patterns
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return directory
