"""The sensor-matched training inputs of the fast net (issue 15), hand-checked on small maps."""
import json
import os

import numpy as np
import pytest
import torch

from conftest import write_shards
from depthstream_trainer.config import SensorMatchConfig
from depthstream_trainer.data import DepthShardDataset
from depthstream_trainer.fast_interp import FastInterpNet
from depthstream_trainer.losses import masked_l1
from depthstream_trainer.sensor_evaluation import condition_rows, export_kinect_frames, markdown
from depthstream_trainer.sensor_model import (KINECT_BASE, KINECT_OFFSET, drop_samples, kinect_depth,
                                              projector_shadow, semidense_samples, sensor_matched_batch,
                                              uniform_samples)


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


def test_kinect_depth_without_noise_lies_on_the_raw_disparity_grid_within_half_a_step():
    depth = torch.linspace(0.8, 6.0, 500).view(1, 1, 10, 50)
    depth[0, 0, 0, 0] = 0.0
    out = kinect_depth(depth, torch.tensor([0.0]), generator())
    raw = KINECT_OFFSET - KINECT_BASE / out[out > 0]
    assert torch.allclose(raw, raw.round(), atol=1e-2)      # whole raw units
    step = depth ** 2 / KINECT_BASE                         # one raw unit in metres
    assert ((out - depth).abs() <= 0.5 * step * 1.05 + 1e-6).all()
    assert out[0, 0, 0, 0] == 0.0                           # no measurement stays none
    assert len(out.unique()) < 0.6 * len(depth.unique())    # terraces: neighbours share values


def test_kinect_noise_moves_depth_by_about_the_requested_raw_units():
    depth = torch.full((1, 1, 64, 64), 3.0)
    out = kinect_depth(depth, torch.tensor([2.0]), generator(1))
    raw_error = (KINECT_BASE / depth - KINECT_BASE / out)     # raw units, rounding included
    assert 1.5 < raw_error.std().item() < 2.6


def test_projector_shadow_band_is_focal_times_baseline_times_inverse_depth_difference():
    depth = torch.full((1, 1, 1, 100), 2.0)
    depth[..., 20:40] = 1.0                                 # 580 * 0.075 * (1/1 - 1/2) = 21.75 px
    shadow = projector_shadow(depth, 580.0)
    assert shadow[0, 0, 0].nonzero().flatten().tolist() == list(range(40, 61))
    flat = projector_shadow(torch.full((1, 1, 4, 30), 2.0), 580.0)
    assert flat.sum() == 0


def test_uniform_samples_keep_about_the_density_and_only_valid_pixels():
    depth = torch.ones(2, 1, 100, 100)
    depth[:, :, :50] = 0
    mask = uniform_samples(depth, torch.tensor([0.1, 0.01]), generator())
    assert (mask * (depth == 0)).sum() == 0
    assert mask[0].sum().item() == pytest.approx(500, rel=0.2)
    assert mask[1].sum().item() == pytest.approx(50, rel=0.4)


def test_semidense_samples_take_the_largest_depth_gradients():
    depth = torch.full((1, 1, 20, 20), 2.0)
    depth[..., 10:] = 4.0                                   # one vertical edge: columns 9 and 10
    mask = semidense_samples(depth, 0.1, generator())
    assert mask.sum() == 40
    assert mask[0, 0, :, 9:11].sum() == 40


def test_drop_samples_removes_about_the_share():
    mask = torch.ones(1, 1, 100, 100)
    kept = drop_samples(mask, torch.tensor([0.2]), generator())
    assert kept.sum().item() == pytest.approx(8000, rel=0.05)


def test_masked_l1_ignores_pixels_without_ground_truth():
    pred = torch.tensor([[1.0, 2.0], [3.0, 4.0]])[None, None]
    target = torch.tensor([[1.0, 0.0], [5.0, 3.0]])[None, None]
    valid = torch.tensor([[1.0, 0.0], [1.0, 1.0]])[None, None]
    assert masked_l1(pred, target, valid).item() == pytest.approx(3.0 / 3.0)


def _sensor_shards(tmp_path):
    """The conftest shards with smooth depth and the issue's three pattern kinds in the manifest."""
    directory = write_shards(tmp_path / "sensor", sparse=True, shards=3, per_shard=4, height=24, width=32)
    for name in sorted(os.listdir(directory)):
        if name.endswith(".npz"):
            with np.load(os.path.join(directory, name)) as npz:
                arrays = dict(npz)
            yy, xx = np.mgrid[0:24, 0:32]
            arrays["depth"] = np.stack([(1.5 + 0.05 * xx + 0.5 * (xx > 16 + i)).astype(np.float32)
                                        for i in range(len(arrays["depth"]))])
            arrays["sparse"] = np.where(arrays["sparse"] > 0, arrays["depth"], 0).astype(np.float32)
            arrays["pattern"] = (np.arange(len(arrays["depth"])) % 3).astype(np.int16)
            np.savez(os.path.join(directory, name), **arrays)
    path = os.path.join(directory, "manifest.json")
    with open(path) as f:
        manifest = json.load(f)
    manifest["patterns"] = ["uniform:p=0.05", "semidense:fraction=0.1", "lidar:lines=64"]
    with open(path, "w") as f:
        json.dump(manifest, f)
    return directory


def test_sensor_matched_batch_samples_only_the_target_and_redraws_every_kind(tmp_path):
    dataset = DepthShardDataset(_sensor_shards(tmp_path), "train", (24, 32), 8, require_sparse=True)
    batch = dataset.batch(0, 6)
    config = SensorMatchConfig(kinect_fraction=1.0, shadow_fraction=1.0)
    out = sensor_matched_batch(batch, dataset.patterns, config, generator(3), 32)
    again = sensor_matched_batch(batch, dataset.patterns, config, generator(3), 32)
    assert torch.equal(out["mask"], again["mask"]) and torch.equal(out["depth"], again["depth"])   # seeded
    mask, sparse, depth = out["mask"], out["sparse"], out["depth"]
    assert ((mask > 0) & (depth == 0)).sum() == 0           # a sample always has a target
    assert ((sparse > 0) != (mask > 0)).sum() == 0          # the input is exactly the masked samples
    indoor = batch["scene"] == 0
    assert not torch.equal(depth[indoor], batch["depth"][indoor])   # Kinect depth on indoor frames
    road = ~indoor
    assert torch.equal(depth[road], batch["depth"][road])


def test_sensor_evaluation_scores_the_model_and_both_classical_twins(tmp_path):
    dataset = DepthShardDataset(_sensor_shards(tmp_path), "val", (8, 8), 8, require_sparse=True)
    dataset.arrays["scene"][:] = np.arange(len(dataset)) % 2
    rows = condition_rows({"net": FastInterpNet().eval()}, dataset, frames=2, densities=[0.3])
    assert set(rows) >= {"kinect uniform 0.3", "kinect semidense"}
    for by_method in rows.values():
        assert set(by_method) == {"net", "linear", "nearest"}
        assert all(np.isfinite(m["rmse"]) and m["rmse"] >= m["mae"] >= 0 for m in by_method.values())
    assert "| kinect uniform 0.3 |" in markdown(rows)


def test_kinect_export_writes_the_scored_indoor_frames_as_millimetre_pngs(tmp_path):
    from PIL import Image
    dataset = DepthShardDataset(_sensor_shards(tmp_path), "val", (8, 8), 8, require_sparse=True)
    dataset.arrays["scene"][:] = np.arange(len(dataset)) % 2
    paths = export_kinect_frames(dataset, 2, 7, tmp_path / "kinect")
    assert len(paths) == 2
    for path in paths:
        index = int(path.stem.split("-")[-1])
        assert dataset.arrays["scene"][index] == 0                      # indoor frames only
        image = Image.open(path)
        millimetres = np.array(image)
        assert image.mode.startswith("I") and millimetres.shape == dataset.arrays["depth"][index].shape
        truth = dataset.arrays["depth"][index]
        valid = (millimetres > 0) & (truth > 0)
        assert valid.any()
        # Kinect-like: quantised and noisy, yet within a few percent of the rendered depth where both have depth
        assert np.median(np.abs(millimetres[valid] / 1000.0 - truth[valid]) / truth[valid]) < 0.05
    again = export_kinect_frames(dataset, 2, 7, tmp_path / "again")
    assert [np.array(Image.open(p)).tolist() for p in again] == [np.array(Image.open(p)).tolist() for p in paths]
