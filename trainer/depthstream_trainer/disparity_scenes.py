"""Middlebury-like disparity maps for SR training (issue 15), generated in numpy, never read from any data set.

The synthetic depth shards of the Java scene generator are metric road and indoor scenes: smooth ramps, far
horizons, few occlusion edges per frame. The Middlebury stereo ground truths the SR x8 target is scored on
(tools/depth-tools/EVALUATION.md) are different: a close tabletop scene of many objects in front of a slanted
background, disparity stored as 8 bits, with sharp one-pixel occlusion edges everywhere. What the generator
reproduces, from the data sets' published format and scene descriptions (Scharstein & Szeliski 2002, 2003),
not from their images:

* **Layers.** A slanted background plane, then 3 to 14 objects drawn back to front: convex polygons (boxes,
  book-like faces), star-shaped blobs (soft objects), ellipses, rotated rectangles and thin bars (lamp arms,
  sticks). Composition is a z-buffer on disparity (nearer = larger wins), so slanted surfaces may interpenetrate
  as real ones would; edges are binary (a ground truth has no antialiasing).
* **Surfaces.** Each object is fronto-parallel, a slanted plane or a cone / dome (disparity rising towards its
  centre), i.e. piecewise smooth with discontinuities only at the object outlines.
* **8-bit quantisation.** Either fine (stored = round(disparity x s), s in {4, 8}: quarter- / eighth-pixel
  precision as in Cones, Teddy and Venus), or coarse (integer disparity x 16 as in Tsukuba, so every stored value
  is a multiple of 16 and surfaces are mostly fronto-parallel). Values lie in [1, 255].

A frame depends only on (seed, split, index): the training stream and the validation frames are disjoint rng
streams of one seed, so a resumed run sees the same batches, and validation never repeats a training frame."""
from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Tuple

import numpy as np
import torch

DISPARITY_SCENES = "disparity-scenes"    # the --data value that selects this generator instead of shards
SPLITS = {"train": 0, "val": 1}
VALIDATION_FRAME = (376, 448)           # (height, width): a Middlebury 2003 frame's size, cut to a multiple of 8


@dataclass
class DisparitySceneConfig:
    """The defaults are section 12's statistics (TRAINING.md), which its validation stream uses."""
    min_objects: int = 3
    max_objects: int = 14
    coarse_fraction: float = 0.25      # share of Tsukuba-like frames (integer disparity x 16)
    fronto_fraction_fine: float = 0.3  # share of fronto-parallel objects in fine frames (coarse: 0.85)
    thin_fraction: float = 0.15        # share of thin bars among the objects
    curved_fraction: float = 0.3       # share of cones / domes / quadric patches among the non-fronto surfaces
    max_slope: float = 0.25            # slanted planes rise by up to this x dmax over the object's radius
    large_fraction: float = 0.0        # share of objects with a radius of 0.3-0.8 x the frame's shorter side
    bump_fraction: float = 0.0         # share of non-fronto surfaces with a smooth relief added
    max_bump: float = 0.03             # relief amplitude, up to this x dmax


SCENE_STATS = ("section12", "planar-curved")    # the names scene_stats accepts (train_sr --scene-stats)


def scene_stats(name: str) -> DisparitySceneConfig:
    """Named statistics: "section12" = the defaults; "planar-curved" (TRAINING.md section 13) = Teddy- and
    Venus-like scenes as their descriptions give them -- mostly large slanted planes and curved surfaces (roofs,
    pages, a bear, a head), a gentle relief on many of them, fewer fronto-parallel layers and Tsukuba-like frames."""
    if name == "section12":
        return DisparitySceneConfig()
    if name == "planar-curved":
        return DisparitySceneConfig(min_objects=2, max_objects=10, coarse_fraction=0.15, fronto_fraction_fine=0.1,
                                    curved_fraction=0.5, max_slope=0.4, large_fraction=0.35, bump_fraction=0.5)
    raise ValueError(f"unknown scene statistics {name!r}, expected one of {SCENE_STATS}")


def _grid(height: int, width: int) -> Tuple[np.ndarray, np.ndarray]:
    yy, xx = np.mgrid[0:height, 0:width]
    return yy.astype(np.float32), xx.astype(np.float32)


def _convex_polygon(rng, yy, xx, cy, cx, radius):
    """Half-plane intersection of 3-8 edges around (cy, cx): inside all of them."""
    n = int(rng.integers(3, 9))
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    dists = radius * rng.uniform(0.5, 1.0, n)
    inside = np.ones(yy.shape, bool)
    for a, d in zip(angles, dists):
        inside &= (xx - cx) * np.cos(a) + (yy - cy) * np.sin(a) <= d
    return inside


def _star_blob(rng, yy, xx, cy, cx, radius):
    """Star-shaped region: the outline radius is piecewise linear in the angle over 5-12 random spokes."""
    n = int(rng.integers(5, 13))
    spokes = radius * rng.uniform(0.45, 1.0, n)
    angle = np.arctan2(yy - cy, xx - cx)
    position = (angle + np.pi) / (2 * np.pi) * n
    i = np.floor(position).astype(int) % n
    t = position - np.floor(position)
    outline = spokes[i] * (1 - t) + spokes[(i + 1) % n] * t
    return np.hypot(yy - cy, xx - cx) <= outline


def _ellipse(rng, yy, xx, cy, cx, radius):
    a, b, theta = radius, radius * rng.uniform(0.3, 1.0), rng.uniform(0, np.pi)
    u = (xx - cx) * np.cos(theta) + (yy - cy) * np.sin(theta)
    v = -(xx - cx) * np.sin(theta) + (yy - cy) * np.cos(theta)
    return (u / a) ** 2 + (v / b) ** 2 <= 1


def _rectangle(rng, yy, xx, cy, cx, radius, thickness=None):
    """Rotated rectangle; with ``thickness`` (pixels) a thin bar of length 2 x radius."""
    half_long = radius
    half_short = thickness / 2 if thickness is not None else radius * rng.uniform(0.3, 1.0)
    theta = rng.uniform(0, np.pi) if thickness is not None or rng.random() < 0.5 else 0.0
    u = (xx - cx) * np.cos(theta) + (yy - cy) * np.sin(theta)
    v = -(xx - cx) * np.sin(theta) + (yy - cy) * np.cos(theta)
    return (np.abs(u) <= half_long) & (np.abs(v) <= half_short)


def _relief(rng, yy, xx, amplitude):
    """A smooth relief: two plane waves of 12-80 pixel wavelength in random directions (folds, carvings)."""
    relief = np.zeros(yy.shape, np.float32)
    for _ in range(2):
        angle, wavelength = rng.uniform(0, np.pi), rng.uniform(12.0, 80.0)
        phase = (xx * np.cos(angle) + yy * np.sin(angle)) * (2 * np.pi / wavelength) + rng.uniform(0, 2 * np.pi)
        relief += np.sin(phase).astype(np.float32)
    return amplitude / 2 * relief


def _surface(rng, yy, xx, cy, cx, radius, base, dmax, fronto_fraction, config):
    """Disparity of an object: fronto-parallel, a slanted plane, or a curved surface (a cone / dome rising towards
    (cy, cx), or with ``curved_fraction`` above section 12's 0.3, also a quadric patch: a cylinder- or
    saddle-like bend along two random directions); non-fronto surfaces may get a relief (``bump_fraction``)."""
    kind = rng.random()
    if kind < fronto_fraction:
        return np.full(yy.shape, base, np.float32)
    r0 = max(radius, 1.0)
    if kind < fronto_fraction + (1 - fronto_fraction) * (1 - config.curved_fraction):
        slope = rng.uniform(0.0, config.max_slope) * dmax / r0
        angle = rng.uniform(0, 2 * np.pi)
        surface = (base + slope * ((xx - cx) * np.cos(angle) + (yy - cy) * np.sin(angle))).astype(np.float32)
    elif config.curved_fraction > 0.3 and rng.random() < 0.4:
        angle = rng.uniform(0, np.pi)
        u = ((xx - cx) * np.cos(angle) + (yy - cy) * np.sin(angle)) / r0
        v = (-(xx - cx) * np.sin(angle) + (yy - cy) * np.cos(angle)) / r0
        a, b = rng.uniform(0.03, 0.15) * dmax, rng.uniform(-0.08, 0.08) * dmax
        tilt = rng.uniform(-0.5, 0.5) * config.max_slope * dmax
        surface = (base + tilt * u - a * np.clip(u, -1.5, 1.5) ** 2 - b * np.clip(v, -1.5, 1.5) ** 2).astype(np.float32)
    else:
        height = rng.uniform(0.03, 0.15) * dmax
        r = np.clip(np.hypot(yy - cy, xx - cx) / r0, 0, 1)
        profile = 1 - r if rng.random() < 0.5 else np.sqrt(1 - r ** 2)
        surface = (base + height * profile).astype(np.float32)
    if config.bump_fraction > 0 and rng.random() < config.bump_fraction:
        surface = surface + _relief(rng, yy, xx, rng.uniform(0.005, config.max_bump) * dmax)
    return surface


def disparity_scene(rng: np.random.Generator, height: int, width: int,
                    config: DisparitySceneConfig = DisparitySceneConfig()) -> np.ndarray:
    """One [height, width] float32 map of stored 8-bit disparity values in [1, 255] (integers)."""
    yy, xx = _grid(height, width)
    coarse = rng.random() < config.coarse_fraction
    if coarse:
        scale, dmax = 16.0, float(rng.integers(9, 16))        # integer disparity 0..15, stored x16
    else:
        scale = float(rng.choice([4.0, 8.0]))
        dmax = rng.uniform(110, 250) / scale
    size = float(min(height, width))
    floor = rng.uniform(0.1, 0.45) * dmax
    tilt = rng.uniform(0.0, 0.35) * dmax
    angle = rng.normal(np.pi / 2, 0.4)                        # mostly rising towards the bottom (a table, a floor)
    ramp = ((xx - width / 2) * np.cos(angle) + (yy - height / 2) * np.sin(angle)) / size + 0.5
    disparity = (floor + tilt * np.clip(ramp, 0, 1.5)).astype(np.float32)
    if coarse:
        disparity = np.full_like(disparity, floor) if rng.random() < 0.5 else disparity
    fronto = 0.85 if coarse else config.fronto_fraction_fine
    count = int(rng.integers(config.min_objects, config.max_objects + 1))
    bases = np.sort(rng.uniform(floor + 0.05 * dmax, 0.95 * dmax, count))
    for base in bases:
        if config.large_fraction > 0 and rng.random() < config.large_fraction:
            radius = float(rng.uniform(0.3, 0.8) * size)
        else:
            radius = float(np.exp(rng.uniform(np.log(0.04 * size), np.log(0.45 * size))))
        cy, cx = rng.uniform(-0.1, 1.1) * height, rng.uniform(-0.1, 1.1) * width
        pick = rng.random()
        if pick < config.thin_fraction:
            mask = _rectangle(rng, yy, xx, cy, cx, radius * 1.5, thickness=rng.uniform(1.5, 7.0))
        else:
            shape = (_convex_polygon, _star_blob, _ellipse, _rectangle)[int(rng.integers(4))]
            mask = shape(rng, yy, xx, cy, cx, radius)
        surface = _surface(rng, yy, xx, cy, cx, radius, base, dmax, fronto, config)
        disparity = np.where(mask, np.maximum(disparity, surface), disparity)
    if coarse:
        stored = np.round(disparity) * scale
    else:
        stored = np.round(disparity * scale)
    return np.clip(stored, 1, 255).astype(np.float32)


class DisparitySceneDataset:
    """``batch(step, size)`` and ``validation_batches(size, max_batches)`` like ``data.DepthShardDataset`` (depth
    [N, 1, H, W], in stored 8-bit disparity units instead of metres; the SR generator and its losses normalise
    per frame, so the unit does not matter), made on the fly from (seed, split, index).

    ``mix = (other, share)`` draws that share of the frames with the ``other`` statistics instead, from an rng
    stream of their own ((seed, split, index, 1) picks, (seed, split, index, 2) draws): the frames drawn with
    ``config`` stay exactly those of a dataset without ``mix``."""

    def __init__(self, split: str, crop: Tuple[int, int], multiple: int = 1, seed: int = 0,
                 config: DisparitySceneConfig = DisparitySceneConfig(),
                 mix: Optional[Tuple[DisparitySceneConfig, float]] = None):
        if split not in SPLITS:
            raise ValueError(f"split must be one of {sorted(SPLITS)}, got {split!r}")
        if crop[0] % multiple or crop[1] % multiple:
            raise ValueError(f"crop {crop[0]}x{crop[1]} must be a multiple of {multiple}")
        self.split, self.crop, self.seed, self.config, self.mix = split, tuple(crop), seed, config, mix

    def frame(self, index: int) -> np.ndarray:
        key = [self.seed, SPLITS[self.split], index]
        if self.mix is not None and np.random.default_rng(key + [1]).random() < self.mix[1]:
            return disparity_scene(np.random.default_rng(key + [2]), self.crop[0], self.crop[1], self.mix[0])
        return disparity_scene(np.random.default_rng(key), self.crop[0], self.crop[1], self.config)

    def _stack(self, indices) -> Dict[str, torch.Tensor]:
        depth = np.stack([self.frame(int(i)) for i in indices])[:, None]
        return {"depth": torch.from_numpy(depth)}

    def batch(self, step: int, size: int) -> Dict[str, torch.Tensor]:
        return self._stack(range(step * size, (step + 1) * size))

    def validation_batches(self, size: int, max_batches: int) -> Iterator[Dict[str, torch.Tensor]]:
        for start in range(0, size * max_batches, size):
            yield self._stack(range(start, start + size))
