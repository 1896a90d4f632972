"""Real depth frames and the per-frame scoring ``real_data`` (the command line) reports: readers for TUM RGB-D,
NYU v2 raw Kinect, SUN RGB-D (shared/data/MANIFEST.md's format notes) and Middlebury PGMs; uniform sampling of
the valid pixels, filled by the fast net and by scipy griddata linear interpolation of the same samples; errors
over the valid pixels."""
import copy
import os
from typing import Dict

import numpy as np
import torch
from PIL import Image
from scipy.interpolate import griddata, NearestNDInterpolator

from .fast_interp import run_padded


def read_pgm(path: str) -> np.ndarray:
    return np.asarray(Image.open(path), dtype=np.float64)


def errors(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray) -> Dict[str, float]:
    e = pred[mask] - gt[mask]
    return {"rmse": float(np.sqrt(np.mean(e ** 2))), "mae": float(np.mean(np.abs(e))),
            "rel": float(np.mean(np.abs(e) / gt[mask]))}


def read_tum(folder: str) -> np.ndarray:
    """TUM RGB-D: uint16 PNG, metres = value / 5000, 0 = missing."""
    return np.asarray(Image.open(os.path.join(folder, "tum_rgbd", "TUM_depth.png")), dtype=np.float64) / 5000.0


def read_nyu(folder: str) -> np.ndarray:
    """NYU v2 raw Kinect: P5 PGM whose uint16 samples are little-endian (against the PGM spec); 2047 = invalid;
    metres = 351.3 / (1092.5 - raw) (shared/data/MANIFEST.md)."""
    with open(os.path.join(folder, "nyu_raw_kinect", "NYU_depth.pgm"), "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:      # magic, width, height, maxval, separated by whitespace
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    w, h = int(fields[1]), int(fields[2])
    raw = np.frombuffer(data[pos + 1:pos + 1 + 2 * w * h], dtype="<u2").reshape(h, w).astype(np.float64)
    return np.where(raw >= 2047, 0.0, 351.3 / (1092.5 - np.minimum(raw, 1092.0)))


def read_sun(folder: str) -> np.ndarray:
    """SUN RGB-D: uint16 PNG, bit-rotated: d = (v >> 3) | (v << 13) on 16 bits, metres = d / 1000."""
    v = np.asarray(Image.open(os.path.join(folder, "sun_rgbd", "SUN_depth.png"))).astype(np.uint32)
    return (((v >> 3) | (v << 13)) & 0xFFFF).astype(np.float64) / 1000.0


READERS = {"tum": read_tum, "nyu": read_nyu, "sun": read_sun}


def predict_padded(model, sparse: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The fast net on one frame, zero-padded to its input multiple and cropped back (as the Java runner)."""
    x = torch.from_numpy(np.stack([sparse, keep.astype(np.float64)])[None].astype(np.float32))
    with torch.no_grad():
        return run_padded(model, x)[0, 0].numpy().astype(np.float64)


def linear_fill(gt: np.ndarray, keep: np.ndarray):
    """scipy griddata linear (Delaunay) of the samples, nearest sample outside their convex hull; returns
    (filled, inside-hull mask)."""
    h, w = gt.shape
    yy, xx = np.mgrid[0:h, 0:w]
    pts = np.stack([yy[keep], xx[keep]], 1)
    lin = griddata(pts, gt[keep], (yy, xx), method="linear")
    hull = ~np.isnan(lin)
    return np.where(hull, lin, NearestNDInterpolator(pts, gt[keep])(yy, xx)), hull


def sparse_rows(model, gt: np.ndarray, p: float, seeds: int, prefill=None) -> Dict[str, Dict[str, float]]:
    """Mean over seeds of the errors over all valid pixels: the net, griddata linear and (optionally) the net's
    own push-pull prefill alone (``prefill``: the same net with a zero correction), same samples for all."""
    valid = gt > 0
    rows = {"model": [], "linear": []}
    if prefill is not None:
        rows["prefill"] = []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        keep = valid & (rng.random(gt.shape) < p)
        sparse = np.where(keep, gt, 0.0)
        rows["model"].append(errors(predict_padded(model, sparse, keep), gt, valid))
        rows["linear"].append(errors(linear_fill(gt, keep)[0], gt, valid))
        if prefill is not None:
            rows["prefill"].append(errors(predict_padded(prefill, sparse, keep), gt, valid))
    return {k: {m: float(np.mean([r[m] for r in v])) for m in ("rmse", "mae", "rel")} for k, v in rows.items()}


def zero_correction(model):
    """A copy of the fast net whose learned correction is zero: its output is the upsampled push-pull prefill."""
    twin = copy.deepcopy(model)
    with torch.no_grad():
        twin.head[-1].weight.zero_()
        twin.head[-1].bias.zero_()
    return twin
