"""Sensor-matched synthetic validation of the fast net (issue 15): the issue's real-data rows rebuilt on the
validation split of the synthetic shards (never on shared/ frames), so checkpoints and any density threshold are
chosen without touching the evaluation data.

Conditions, on full uncropped validation frames: indoor frames as Kinect-like depth (``sensor_model.kinect_depth``,
0.4 raw units of noise) with uniform samples at 5 % and at the issue's densities (given as a share of the pixels:
30 points of 640x480 = 1e-4), semi-dense samples on the depth gradient, and road frames with the exporter's LiDAR
pattern less a 20 % hold-out. Scored over the valid target pixels against griddata linear and nearest-sample fill
of the same samples (``real_frames``, the Python twins of the classical methods)."""
from pathlib import Path
from typing import Callable, Dict, List

import numpy as np
import torch
from PIL import Image
from scipy.interpolate import NearestNDInterpolator

from .data import DepthShardDataset
from .real_frames import errors, linear_fill, predict_padded
from .sensor_model import drop_samples, kinect_depth, semidense_samples, uniform_samples

# the graceful sweep (30, 100, 300, 1000 points of 640x480, then 1 %, 5 %, 10 %) as shares of the pixels
DENSITIES = [30 / 307200, 100 / 307200, 300 / 307200, 1000 / 307200, 0.01, 0.05, 0.1]
NOISE_UNITS = 0.4


def _frames(dataset: DepthShardDataset, scene: int, count: int) -> List[int]:
    indices = np.flatnonzero(dataset.arrays["scene"] == scene)
    return [int(i) for i in indices[np.linspace(0, len(indices) - 1, min(count, len(indices))).round().astype(int)]]


def keep_evaluated_frames(dataset: DepthShardDataset, frames: int) -> None:
    """Drops every frame ``condition_rows(..., frames)`` will not read from ``dataset``'s arrays (in place), so an
    evaluation holds a few frames instead of the whole split."""
    chosen = sorted(set(_frames(dataset, 0, frames) + _frames(dataset, 1, frames)))
    dataset.arrays = {k: v[chosen] for k, v in dataset.arrays.items()}


def _lidar_pattern(dataset: DepthShardDataset) -> int:
    return next(i for i, p in enumerate(dataset.patterns) if p.startswith("lidar"))


def _nearest(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    h, w = keep.shape
    yy, xx = np.mgrid[0:h, 0:w]
    return NearestNDInterpolator(np.stack([yy[keep], xx[keep]], 1), values[keep])(yy, xx)


def condition_rows(models: Dict[str, torch.nn.Module], dataset: DepthShardDataset, frames: int = 16,
                   seed: int = 7, densities=DENSITIES) -> Dict[str, Dict[str, Dict[str, float]]]:
    """{condition: {method: {rmse, mae, rel}}}, each the mean over ``frames`` validation frames; the same samples
    for every method."""
    generator = torch.Generator().manual_seed(seed)
    indoor, road = _frames(dataset, 0, frames), _frames(dataset, 1, frames)
    conditions: Dict[str, Callable[[int, torch.Tensor], torch.Tensor]] = {}
    for p in densities:
        label = f"kinect uniform {p:.3g}"
        conditions[label] = lambda i, d, p=p: uniform_samples(d, torch.tensor([p]), generator)
    conditions["kinect semidense"] = lambda i, d: semidense_samples(d, 0.1, generator)
    lidar = _lidar_pattern(dataset)
    rows: Dict[str, Dict[str, List[Dict[str, float]]]] = {}
    for label, sample in list(conditions.items()) + [("road lidar, 20 % held out", None)]:
        for i in (road if sample is None else indoor):
            depth = torch.from_numpy(dataset.arrays["depth"][i].astype(np.float32))[None, None]
            if sample is None:
                # a LiDAR frame of the exporter's pattern, re-sampled on this frame is not possible in Python:
                # use the frame's own pattern when it is the LiDAR one, else skip it
                if int(dataset.arrays["pattern"][i]) != lidar:
                    continue
                sparse = torch.from_numpy(dataset.arrays["sparse"][i].astype(np.float32))[None, None]
                mask = drop_samples((sparse > 0).float(), torch.tensor([0.2]), generator)
            else:
                depth = kinect_depth(depth, torch.tensor([NOISE_UNITS]), generator)
                mask = sample(i, depth)
            if mask.sum() < 3:
                continue
            truth = depth[0, 0].double().numpy()
            keep = mask[0, 0].numpy() > 0.5
            values = truth * keep
            scored = truth > 0
            outputs = {name: predict_padded(m, values, keep) for name, m in models.items()}
            outputs["linear"] = linear_fill(truth, keep)[0]
            outputs["nearest"] = _nearest(truth, keep)
            for name, pred in outputs.items():
                rows.setdefault(label, {}).setdefault(name, []).append(errors(pred, truth, scored))
    return {c: {m: {k: float(np.mean([r[k] for r in v])) for k in ("rmse", "mae", "rel")} for m, v in ms.items()}
            for c, ms in rows.items()}


def export_kinect_frames(dataset: DepthShardDataset, frames: int, seed: int, out_dir) -> List[Path]:
    """Writes the indoor validation frames ``condition_rows`` scores as Kinect-like depth (``kinect_depth``, the same
    noise), one 16-bit PNG of millimetres per frame (0 = no depth), so the Java evaluator scores every Java method,
    the fast path's fallback included, on synthetic frames only:
    ``./depthstream eval --dir OUT --format MILLIMETRES --all-methods --densities 0.01%,...``."""
    generator = torch.Generator().manual_seed(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in _frames(dataset, 0, frames):
        depth = torch.from_numpy(dataset.arrays["depth"][i].astype(np.float32))[None, None]
        metres = kinect_depth(depth, torch.tensor([NOISE_UNITS]), generator)[0, 0].double().numpy()
        millimetres = np.clip(np.round(metres * 1000), 0, 65535).astype(np.uint16)
        path = out / f"kinect-val-{i:05d}.png"
        Image.fromarray(millimetres).save(path)
        paths.append(path)
    return paths


def markdown(rows: Dict[str, Dict[str, Dict[str, float]]]) -> str:
    methods = list(next(iter(rows.values())).keys())
    lines = ["| condition | " + " | ".join(f"{m} RMSE / MAE" for m in methods) + " |",
             "|---|" + "---|" * len(methods)]
    for condition, by_method in rows.items():
        cells = [f"{by_method[m]['rmse']:.4f} / {by_method[m]['mae']:.4f}" if m in by_method else "" for m in methods]
        lines.append(f"| {condition} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
