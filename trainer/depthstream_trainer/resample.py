"""MATLAB ``imresize`` 'bicubic' in numpy (Keys a = -0.5, antialiased when downscaling, symmetric edges; scale
= output / input size per axis, as depth-sim's Resampler): the Middlebury standard protocol of
tools/depth-tools/EVALUATION.md, used by ``real_data`` and, as matrices, by the SR trainer's bicubic degradation."""
import math
from typing import Dict, Tuple

import numpy as np
import torch


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


class ResizeMatrices:
    """``resize_matrix`` pairs (rows, columns) for downscaling by an integer factor, as float32 tensors, made once
    per (height, width, factor, device) and kept by this object: whoever downsamples many batches (the SR
    trainer, ``evaluate_shards``) owns one; a new one starts empty."""

    def __init__(self):
        self._made: Dict[tuple, Tuple[torch.Tensor, torch.Tensor]] = {}

    def __call__(self, height: int, width: int, factor: int, device) -> Tuple[torch.Tensor, torch.Tensor]:
        """(ry [ceil(height / factor), height], rx [ceil(width / factor), width])."""
        key = (height, width, factor, device)
        if key not in self._made:
            lh, lw = -(-height // factor), -(-width // factor)
            self._made[key] = tuple(torch.from_numpy(resize_matrix(n, m, m / n)).float().to(device)
                                    for n, m in ((height, lh), (width, lw)))
        return self._made[key]

    def __len__(self) -> int:
        return len(self._made)
