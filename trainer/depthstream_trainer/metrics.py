"""Validation metrics of the research (RMSE, rel, MAPE, SSIM, PSNR), over pixels with ground truth."""
from typing import Dict

import math
import torch

from .losses import fill_holes, ssim


def depth_metrics(pred: torch.Tensor, target: torch.Tensor, max_depth: float) -> Dict[str, float]:
    """pred, target [N, 1, H, W] metres (target 0 = no measurement). RMSE/MAE in metres, rel = mean
    |p - t| / t, MAPE = 100 * rel, PSNR with peak ``max_depth``, SSIM on depth / max_depth with holes filled
    from the prediction."""
    valid = (target > 0).to(pred.dtype)
    n = valid.sum().clamp(min=1.0)
    err = (pred - target) * valid
    mse = float((err ** 2).sum() / n)
    rel = float((err.abs() / target.clamp(min=1e-6)).sum() / n)
    filled = fill_holes(target, pred, valid)
    return {"rmse": math.sqrt(mse), "mae": float(err.abs().sum() / n), "rel": rel, "mape": 100.0 * rel,
            "psnr": 10.0 * math.log10(max_depth ** 2 / max(mse, 1e-12)),
            "ssim": float(ssim(pred / max_depth, filled / max_depth))}


def average(metrics: list) -> Dict[str, float]:
    return {k: sum(m[k] for m in metrics) / len(metrics) for k in metrics[0]}


def evaluate(predict, batches, max_depth: float, group_key: str = "", group_names=()) -> Dict[str, float]:
    """Average metrics of ``predict(batch) -> depth`` over ``batches``; with ``group_key`` also the RMSE per
    group (e.g. per sampling pattern) as ``rmse[<name>]``."""
    results, per_group = [], {}
    with torch.no_grad():
        for batch in batches:
            pred = predict(batch)
            results.append(depth_metrics(pred, batch["depth"], max_depth))
            if group_key:
                for g in torch.unique(batch[group_key]).tolist():
                    rows = batch[group_key] == g
                    per_group.setdefault(group_names[g], []).append(
                        depth_metrics(pred[rows], batch["depth"][rows], max_depth)["rmse"])
    summary = average(results)
    summary.update({f"rmse[{k}]": sum(v) / len(v) for k, v in per_group.items()})
    return summary
