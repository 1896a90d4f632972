"""Real-data checks of trained checkpoints (report only; the Java evaluator with ONNX Runtime is the reference).

TUM RGB-D (shared/data/tum_rgbd/TUM_depth.png, uint16, metres = value / 5000, 0 = missing): a uniform sample
(each valid pixel kept with probability p, numpy seeded) is filled by the fast net and by
``scipy.interpolate.griddata(method='linear')`` of the SAME samples (outside the samples' convex hull, where linear
interpolation is undefined, the nearest sample fills in). RMSE / MAE / rel over every valid ground-truth pixel,
and over the valid pixels inside the hull alone.

    /usr/bin/python3 -m depthstream_trainer.real_data tum --checkpoint runs/fast/checkpoint.pt --p 0.05

Middlebury set C (shared/data/middlebury_msgnet_setC/depth_derived_pgm/*.pgm, 8-bit scaled disparity,
hole-filled), standard protocol of depth-tools/EVALUATION.md: low-res = MATLAB ``imresize(gt, 1/8)`` (antialiased
Keys bicubic, a = -0.5, symmetric edges, size ceil(n / 8), scale = output / input size per axis, as depth-core's
Resampler), upscale to the original size, RMSE over all pixels in file units. The bicubic row is recomputed here with the same MATLAB-style resampler and must match EVALUATION.md
(Cones 5.51, Teddy 4.03, Tsukuba 12.33, Venus 2.72), which checks the resampler. The 8-bit values are fed as
``value * scale`` (``--scale``, 8 / 255 by default) and the output divided by it again; the generator normalises
each frame by its maximum, so the scale does not change its result (it only mattered for the old fixed-max_depth
generator). Where 8 does not divide the size, the net's output (8 x the ceil-sized low-res input, the same extent
as the original) is resampled onto the original grid with the same bicubic (for an untrained generator, i.e. pure
bicubic, this costs at most 0.013: Teddy 4.047 vs 4.034). At x8 the published depth-only MS-Net row (Hui et al.
2016, as quoted by the issue) is printed beside; EVALUATION.md explains why published rows are not strictly
comparable.

    /usr/bin/python3 -m depthstream_trainer.real_data middlebury --checkpoint runs/sr8/checkpoint.pt
"""
import argparse
import math
import os
from typing import Dict

import numpy as np
import torch
from PIL import Image
from scipy.interpolate import griddata, NearestNDInterpolator

from .evaluate_shards import load_checkpoint_model

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")


# Depth-only MS-Net x8 RMSE (Hui, Loy & Tang 2016, hole-filled set C), the target row.
MSNET_X8 = {"cones": 5.22, "teddy": 2.87, "tsukuba": 9.99, "venus": 0.88}


def cubic(x: np.ndarray) -> np.ndarray:
    """Keys (1981) cubic convolution kernel with a = -0.5, as MATLAB's imresize."""
    ax = np.abs(x)
    return ((1.5 * ax ** 3 - 2.5 * ax ** 2 + 1) * (ax <= 1)
            + (-0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2) * ((ax > 1) & (ax <= 2)))


def resize_matrix(n_in: int, n_out: int, scale: float) -> np.ndarray:
    """[n_out, n_in] weights of MATLAB imresize's 'bicubic' along one axis (contributions(), antialias on when
    downscaling, symmetric edge padding)."""
    width = 4.0 / scale if scale < 1 else 4.0
    x = np.arange(1, n_out + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - width / 2)
    taps = int(math.ceil(width)) + 2
    idx = left[:, None] + np.arange(taps)[None, :]
    w = scale * cubic(scale * (u[:, None] - idx)) if scale < 1 else cubic(u[:, None] - idx)
    w = w / w.sum(1, keepdims=True)
    aux = np.concatenate([np.arange(1, n_in + 1), np.arange(n_in, 0, -1)])
    idx = aux[np.mod(idx - 1, 2 * n_in).astype(int)] - 1
    m = np.zeros((n_out, n_in))
    for r in range(n_out):
        np.add.at(m[r], idx[r], w[r])
    return m


def imresize(img: np.ndarray, out_shape, scale=None) -> np.ndarray:
    h, w = img.shape
    oh, ow = out_shape
    sh = scale if scale else oh / h
    sw = scale if scale else ow / w
    return resize_matrix(h, oh, sh) @ img.astype(np.float64) @ resize_matrix(w, ow, sw).T


def read_pgm(path: str) -> np.ndarray:
    return np.asarray(Image.open(path), dtype=np.float64)


def errors(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray) -> Dict[str, float]:
    e = pred[mask] - gt[mask]
    return {"rmse": float(np.sqrt(np.mean(e ** 2))), "mae": float(np.mean(np.abs(e))),
            "rel": float(np.mean(np.abs(e) / gt[mask]))}


def tum(args) -> None:
    state, model = load_checkpoint_model(args.checkpoint)
    gt = np.asarray(Image.open(os.path.join(args.data, "tum_rgbd", "TUM_depth.png")), dtype=np.float64) / 5000.0
    valid = gt > 0
    h, w = gt.shape
    yy, xx = np.mgrid[0:h, 0:w]
    rows = {"model": [], "griddata": [], "model_hull": [], "griddata_hull": []}
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        keep = valid & (rng.random(gt.shape) < args.p)
        sparse = np.where(keep, gt, 0.0)
        with torch.no_grad():
            x = torch.from_numpy(np.stack([sparse, keep.astype(np.float64)])[None].astype(np.float32))
            pred = model(x)[0, 0].numpy().astype(np.float64)
        pts = np.stack([yy[keep], xx[keep]], 1)
        lin = griddata(pts, gt[keep], (yy, xx), method="linear")
        hull = ~np.isnan(lin)
        lin = np.where(hull, lin, NearestNDInterpolator(pts, gt[keep])(yy, xx))
        rows["model"].append(errors(pred, gt, valid))
        rows["griddata"].append(errors(lin, gt, valid))
        rows["model_hull"].append(errors(pred, gt, valid & hull))
        rows["griddata_hull"].append(errors(lin, gt, valid & hull))
        print(f"seed {seed}: {int(keep.sum())} samples ({keep.sum() / valid.sum():.3%} of valid), "
              f"model rmse {rows['model'][-1]['rmse']:.4f}, griddata rmse {rows['griddata'][-1]['rmse']:.4f}",
              flush=True)
    print(f"\nTUM_depth.png 640x480, uniform p={args.p} of the valid pixels, {args.seeds} seeds (mean), "
          f"checkpoint step {state['step']}\n")
    print("| method | pixels | RMSE m | MAE m | rel |\n|---|---|---|---|---|")
    for name, label in (("model", "fast net"), ("griddata", "griddata linear (+nearest outside hull)"),
                        ("model_hull", "fast net"), ("griddata_hull", "griddata linear")):
        m = {k: np.mean([r[k] for r in rows[name]]) for k in ("rmse", "mae", "rel")}
        where = "inside hull" if name.endswith("hull") else "all valid"
        print(f"| {label} | {where} | {m['rmse']:.4f} | {m['mae']:.4f} | {m['rel']:.4f} |")


def middlebury(args) -> None:
    state, model = (load_checkpoint_model(args.checkpoint) if args.checkpoint else (None, None))
    factor = model.config.factor if model is not None else args.factor
    folder = os.path.join(args.data, "middlebury_msgnet_setC", "depth_derived_pgm")
    print(f"Middlebury set C, standard protocol x{factor}, RMSE over all pixels, 8-bit units; "
          f"net scale {args.scale:.6g} m per unit\n")
    published = factor == 8
    print("| image | bicubic | net |" + (" MS-Net (published) |" if published else "")
          + "\n|---|---|---|" + ("---|" if published else ""))
    for name in ("cones", "teddy", "tsukuba", "venus"):
        gt = read_pgm(os.path.join(folder, f"{name}_2.pgm"))
        h, w = gt.shape
        lh, lw = math.ceil(h / factor), math.ceil(w / factor)
        # Scales from the sizes (lh / h, then h / lh), as depth-core's Resampler: this reproduces EVALUATION.md.
        low = imresize(gt, (lh, lw))
        bic = imresize(low, (h, w))
        row = [f"{np.sqrt(np.mean((bic - gt) ** 2)):.2f}"]
        if model is not None:
            with torch.no_grad():
                x = torch.from_numpy((low * args.scale)[None, None].astype(np.float32))
                up = model(x)[0, 0].numpy().astype(np.float64) / args.scale
            # The net returns factor x (lh, lw), which covers the same extent as (h, w): resample it onto the
            # original grid (a no-op when factor divides the size).
            if up.shape != gt.shape:
                up = imresize(up, (h, w))
            row.append(f"{np.sqrt(np.mean((up - gt) ** 2)):.2f}")
        if model is None:
            row.append("")
        if published:
            row.append(f"{MSNET_X8[name]:.2f}")
        print(f"| {name} | " + " | ".join(row) + " |", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["tum", "middlebury"])
    parser.add_argument("--checkpoint")
    parser.add_argument("--data", default=DATA, help="shared/data")
    parser.add_argument("--p", type=float, default=0.05)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--factor", type=int, default=8, help="middlebury without a checkpoint")
    parser.add_argument("--scale", type=float, default=8.0 / 255.0, help="metres per 8-bit unit (middlebury)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    (tum if args.which == "tum" else middlebury)(args)


if __name__ == "__main__":
    main()
