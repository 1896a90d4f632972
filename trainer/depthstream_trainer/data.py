"""Training data from the shard directories written by the Java exporter (the single source of truth for scenes
and sampling patterns).

Dense shards (manifest "format": "depthstream-shards/1"), one npz per shard:
    depth float32 [n, H, W] metres (0 = no measurement), rgb uint8 [n, H, W, 3],
    intrinsics float32 [n, 4] (fx, fy, cx, cy), scene int8 [n] (0 indoor, 1 road).
Sparse shards ("depthstream-sparse/1") add sparse float32 [n, H, W] metres (0 = none) and pattern int16 [n]
(index into the manifest's "patterns").

Normalisation: samples keep depth in metres and RGB as float in [0, 1]; each network divides by its configured
``max_depth`` inside its graph, so training, export and the Java runtime all speak metres.

Split: by shard (frames of one shard are usually consecutive and correlated): the last
ceil(val_fraction * shards) shards are validation. All selected shards are loaded into memory.
"""
import json
import math
import os
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
from torch.utils.data import Dataset

DENSE_FORMAT = "depthstream-shards/1"
SPARSE_FORMAT = "depthstream-sparse/1"
SCENES = {"indoor": 0, "road": 1}


@dataclass
class Manifest:
    directory: str
    format: str
    width: int
    height: int
    count: int
    shards: List[str]
    seed: int
    patterns: List[str]


def read_manifest(directory: str) -> Manifest:
    path = os.path.join(directory, "manifest.json")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no manifest.json in shard directory {directory}")
    with open(path) as f:
        raw = json.load(f)
    for key in ("format", "width", "height", "count", "shards"):
        if key not in raw:
            raise ValueError(f"{path}: missing key {key!r}")
    if raw["format"] not in (DENSE_FORMAT, SPARSE_FORMAT):
        raise ValueError(f"{path}: unknown format {raw['format']!r}, expected {DENSE_FORMAT} or {SPARSE_FORMAT}")
    if raw["format"] == SPARSE_FORMAT and not raw.get("patterns"):
        raise ValueError(f"{path}: sparse shards need a non-empty 'patterns' list")
    return Manifest(directory, raw["format"], int(raw["width"]), int(raw["height"]), int(raw["count"]),
                    list(raw["shards"]), int(raw.get("seed", 0)), list(raw.get("patterns", [])))


def split_shards(shards: Sequence[str], val_fraction: float) -> Tuple[List[str], List[str]]:
    """(train, validation) shard names; needs at least two shards so both sides are non-empty."""
    if len(shards) < 2:
        raise ValueError(f"a shard-level train/validation split needs at least 2 shards, got {len(shards)}")
    n_val = min(len(shards) - 1, max(1, math.ceil(val_fraction * len(shards))))
    return list(shards[:-n_val]), list(shards[-n_val:])


def _load_shard(manifest: Manifest, name: str) -> Dict[str, np.ndarray]:
    path = os.path.join(manifest.directory, name)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    keys = ["depth", "rgb", "intrinsics", "scene"] + (["sparse", "pattern"] if manifest.format == SPARSE_FORMAT else [])
    for key in keys:
        if key not in arrays:
            raise ValueError(f"{path}: missing array {key!r}")
    n, h, w = arrays["depth"].shape
    if (h, w) != (manifest.height, manifest.width):
        raise ValueError(f"{path}: depth is {h}x{w}, manifest says {manifest.height}x{manifest.width}")
    expected = {"rgb": (n, h, w, 3), "intrinsics": (n, 4), "scene": (n,), "sparse": (n, h, w), "pattern": (n,)}
    for key in keys[1:]:
        if arrays[key].shape != expected[key]:
            raise ValueError(f"{path}: {key} has shape {arrays[key].shape}, expected {expected[key]}")
    if not np.all(np.isfinite(arrays["depth"])) or (arrays["depth"] < 0).any():
        raise ValueError(f"{path}: depth has NaN or negative values (0 is the only 'no measurement' value)")
    return arrays


def _pattern_selected(name: str, wanted: Sequence[str]) -> bool:
    """A wanted entry matches a manifest pattern exactly ("uniform:p=0.1") or by kind ("uniform")."""
    return not wanted or name in wanted or name.split(":")[0] in wanted


class DepthShardDataset(Dataset):
    """Frames of one split as crops. ``dataset[i]`` is the deterministic centre crop (validation);
    ``batch(step, size)`` draws a random training batch that depends only on (seed, step), so a resumed run
    sees exactly the batches it would have seen.

    Sample: depth [1, h, w] metres, rgb [3, h, w] in [0, 1], scene (int); sparse shards add sparse [1, h, w]
    metres, mask [1, h, w] (1 where sparse > 0) and pattern (int)."""

    def __init__(self, directory: str, split: str, crop: Tuple[int, int], multiple: int = 1,
                 val_fraction: float = 0.1, scenes: Sequence[str] = (), patterns: Sequence[str] = (),
                 seed: int = 0, require_sparse: bool = False):
        self.manifest = read_manifest(directory)
        if require_sparse and self.manifest.format != SPARSE_FORMAT:
            raise ValueError(f"{directory}: needs sparse shards ({SPARSE_FORMAT}), found {self.manifest.format}")
        crop_h, crop_w = crop
        if crop_h % multiple or crop_w % multiple:
            raise ValueError(f"crop {crop_h}x{crop_w} must be a multiple of {multiple}")
        if crop_h > self.manifest.height or crop_w > self.manifest.width:
            raise ValueError(f"crop {crop_h}x{crop_w} larger than frames {self.manifest.height}x{self.manifest.width}")
        unknown = [s for s in scenes if s not in SCENES]
        if unknown:
            raise ValueError(f"unknown scenes {unknown}, expected some of {sorted(SCENES)}")
        train, val = split_shards(self.manifest.shards, val_fraction)
        names = {"train": train, "val": val}.get(split)
        if names is None:
            raise ValueError(f"split must be 'train' or 'val', got {split!r}")
        self.crop, self.seed, self.split = (crop_h, crop_w), seed, split
        self.patterns = self.manifest.patterns
        wanted_patterns = [i for i, p in enumerate(self.patterns) if _pattern_selected(p, patterns)]
        if patterns and not wanted_patterns:
            raise ValueError(f"none of the patterns {list(patterns)} is in the manifest {self.patterns}")
        parts: Dict[str, List[np.ndarray]] = {}
        for name in names:
            arrays = _load_shard(self.manifest, name)
            keep = np.ones(len(arrays["depth"]), bool)
            if scenes:
                keep &= np.isin(arrays["scene"], [SCENES[s] for s in scenes])
            if self.manifest.format == SPARSE_FORMAT:
                keep &= np.isin(arrays["pattern"], wanted_patterns)
            for key, value in arrays.items():
                parts.setdefault(key, []).append(value[keep])
        self.arrays = {k: np.concatenate(v) for k, v in parts.items()}
        if len(self.arrays["depth"]) == 0:
            raise ValueError(f"{directory}: no frames left in split {split!r} after filtering "
                             f"(scenes={list(scenes)}, patterns={list(patterns)})")
        self.sparse = self.manifest.format == SPARSE_FORMAT

    def __len__(self) -> int:
        return len(self.arrays["depth"])

    def _crop(self, index: int, top: int, left: int, flip: bool) -> Dict[str, torch.Tensor]:
        h, w = self.crop
        window = (index, slice(top, top + h), slice(left, left + w))

        def take(array: np.ndarray) -> np.ndarray:
            x = array[window]
            return np.ascontiguousarray(x[:, ::-1] if flip else x)

        sample = {"depth": torch.from_numpy(take(self.arrays["depth"]).astype(np.float32))[None],
                  "rgb": torch.from_numpy(take(self.arrays["rgb"])).permute(2, 0, 1).float() / 255.0,
                  "scene": int(self.arrays["scene"][index])}
        if self.sparse:
            sparse = torch.from_numpy(take(self.arrays["sparse"]).astype(np.float32))[None]
            sample.update(sparse=sparse, mask=(sparse > 0).float(), pattern=int(self.arrays["pattern"][index]))
        return sample

    def __getitem__(self, index: int) -> Dict[str, torch.Tensor]:
        h, w = self.crop
        return self._crop(index, (self.manifest.height - h) // 2, (self.manifest.width - w) // 2, False)

    def batch(self, step: int, size: int) -> Dict[str, torch.Tensor]:
        rng = np.random.default_rng([self.seed, step])
        h, w = self.crop
        samples = [self._crop(int(rng.integers(len(self))), int(rng.integers(self.manifest.height - h + 1)),
                              int(rng.integers(self.manifest.width - w + 1)), bool(rng.integers(2)))
                   for _ in range(size)]
        return collate(samples)

    def validation_batches(self, size: int, max_batches: int):
        """Centre crops of evenly spaced frames, the same every time."""
        count = min(len(self), size * max_batches)
        indices = np.linspace(0, len(self) - 1, count).round().astype(int)
        for start in range(0, count, size):
            yield collate([self[int(i)] for i in indices[start:start + size]])


def collate(samples: List[Dict]) -> Dict[str, torch.Tensor]:
    return {k: torch.stack([s[k] for s in samples]) if torch.is_tensor(samples[0][k])
            else torch.tensor([s[k] for s in samples]) for k in samples[0]}


def to_device(batch: Dict[str, torch.Tensor], device: torch.device) -> Dict[str, torch.Tensor]:
    return {k: v.to(device) for k, v in batch.items()}
