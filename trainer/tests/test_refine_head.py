import os

import numpy as np
import onnx
import pytest
import torch

from depthstream_trainer import evaluate_sensor, train_refine
from depthstream_trainer.config import FastInterpConfig
from depthstream_trainer.fast_interp import KEEP_SAMPLES_KEY, FastInterpNet, run_padded
from depthstream_trainer.onnx_export import export_onnx, read_io
from test_export import KNOWN_OPS
from test_sensor_model import _sensor_shards

from depthstream_trainer.refine_head import RefinedFastNet, RefineHead, RefineHeadConfig, relative_features

SHIPPED = os.path.join(os.path.dirname(__file__), "..", "..", "models", "fast_interp_x4.onnx")


def frame(seed=0, height=40, width=48, density=0.1):
    g = torch.Generator().manual_seed(seed)
    depth = 1 + 4 * torch.rand(1, 1, height, width, generator=g)
    mask = (torch.rand(1, 1, height, width, generator=g) < density).float()
    return torch.cat([depth * mask, mask], 1)


def trained_like(config=RefineHeadConfig()):
    """A head with every parameter away from its zero start."""
    torch.manual_seed(1)
    head = RefineHead(config)
    for parameter in head.parameters():
        torch.nn.init.normal_(parameter, std=0.05)
    return head


def test_untrained_head_is_the_base_net():
    base = FastInterpNet(FastInterpConfig()).eval()
    x = frame()
    with torch.no_grad():
        assert torch.equal(RefinedFastNet(base, RefineHead()).eval()(x), base(x))


def test_refined_net_is_scale_equivariant_and_keeps_the_samples():
    refined = RefinedFastNet(FastInterpNet(FastInterpConfig()), trained_like()).eval()
    x = frame(2)
    with torch.no_grad():
        out, scaled = refined(x), refined(torch.cat([7.5 * x[:, :1], x[:, 1:]], 1))
    assert torch.allclose(scaled, 7.5 * out, rtol=1e-4, atol=1e-4)
    samples = x[:, 1:] > 0
    assert torch.equal(out[samples], x[:, :1][samples])


def test_box_features_are_the_mean_residual_of_the_samples_in_the_window():
    sparse, mask, base = torch.zeros(1, 1, 9, 9), torch.zeros(1, 1, 9, 9), torch.full((1, 1, 9, 9), 2.0)
    mask[0, 0, 4, 4], sparse[0, 0, 4, 4] = 1, 3.0     # residual (3 - 2) / 2 = 0.5
    mask[0, 0, 4, 6], sparse[0, 0, 4, 6] = 1, 1.0     # residual -0.5
    f = relative_features(sparse, mask, base, RefineHeadConfig(windows=(3,), local_range=False))
    # channels: mask, residual, spread (window 3), support (window 3)
    assert f[0, 1, 4, 4] == pytest.approx(0.5)
    assert f[0, 2, 4, 3] == pytest.approx(0.5) and f[0, 3, 4, 3] == pytest.approx(1 / 9)
    assert f[0, 2, 4, 5] == pytest.approx(0.0) and f[0, 3, 4, 5] == pytest.approx(2 / 9)   # both in the box
    assert f[0, 2, 0, 0] == 0 and f[0, 3, 0, 0] == 0


@pytest.mark.parametrize("config", [RefineHeadConfig(kernel=1), RefineHeadConfig(kernel=3),
                                    RefineHeadConfig(windows=(3, 7, 15), gated=True)])
def test_export_has_the_fast_signature_and_leaves_keep_samples_to_the_runner(config, tmp_path):
    base = FastInterpNet(FastInterpConfig())
    refined = RefinedFastNet(base, trained_like(config)).eval()
    path = str(tmp_path / "refined.onnx")
    tensors = read_io(export_onnx(refined, "fast", path))
    graph = onnx.load(path)
    assert {n.op_type for n in graph.graph.node} <= KNOWN_OPS | {"MaxPool", "Neg", "Sigmoid"}
    assert [i.name for i in graph.graph.input] == ["sparse"] and [o.name for o in graph.graph.output] == ["depth"]
    props = {p.key: p.value for p in graph.metadata_props}
    assert props[KEEP_SAMPLES_KEY] == "1" and props["depthstream.input_multiple"] == "8"
    x = torch.from_numpy(tensors["sparse"])
    with torch.no_grad():
        expected = refined(x)
    keep = x[:, 1:] > 0
    stored = torch.from_numpy(tensors["depth"])
    # the graph's own output (no keep_samples) agrees with the PyTorch model off the samples
    assert torch.allclose(stored[~keep], expected[~keep], atol=1e-5)
    assert not torch.allclose(stored, run_padded(base.eval(), x).detach(), atol=1e-3)   # the head is in the graph


def test_precompute_then_train_lowers_the_loss_and_checkpoints(tmp_path, sparse_shards):
    crops = str(tmp_path / "crops")
    train_refine.main(["precompute", "--data", sparse_shards, "--base", SHIPPED, "--out", crops, "--shards", "2",
                       "--passes", "2", "--crop", "16", "24", "--batch", "4"])
    arrays = {k: np.load(os.path.join(crops, f"{k}.npy")) for k in train_refine.ARRAYS}
    assert arrays["base"].shape == arrays["target"].shape == arrays["sparse"].shape
    assert len(arrays["scale"]) == len(arrays["mask"]) > 0
    assert ((arrays["sparse"] > 0) == (arrays["mask"] > 0)).all()
    run = str(tmp_path / "run")
    train_refine.main(["train", "--crops", crops, "--run", run, "--steps", "60", "--batch", "4", "--lr", "1e-2",
                       "--checkpoint-every", "30"])
    assert os.path.exists(os.path.join(run, "step-00030.pt")) and os.path.exists(os.path.join(run, "checkpoint.pt"))
    refined = train_refine.load_refined(SHIPPED, os.path.join(run, "checkpoint.pt"))
    assert refined.head.out.weight.abs().sum() > 0      # it learned something from the zero start

    def loss(head):
        with torch.no_grad():
            sparse, base, target = (torch.from_numpy(arrays[k])[:, None] for k in ("sparse", "base", "target"))
            mask = torch.from_numpy(arrays["mask"].astype(np.float32))[:, None]
            out = torch.where(mask > 0.5, sparse, head(sparse, mask, base))
            return float(train_refine.refine_loss(out, target, torch.from_numpy(arrays["scale"]), 0.1))

    assert loss(refined.head) < loss(RefineHead(refined.head.config))


def test_evaluate_sensor_scores_a_head_checkpoint_beside_the_shipped_net(tmp_path):
    head = RefineHead(RefineHeadConfig(windows=(3,)))
    checkpoint = str(tmp_path / "head.pt")
    torch.save({"head": head.state_dict(), "config": {"channels": 8, "windows": [3], "kernel": 1,
                                                       "local_range": True, "gated": False}}, checkpoint)
    out = str(tmp_path / "sensor.md")
    evaluate_sensor.main(["--data", _sensor_shards(tmp_path), "--model", f"shipped={SHIPPED}",
                          "--model", f"head={checkpoint}", "--refine-base", SHIPPED, "--frames", "2",
                          "--densities", "0.3", "--out", out])
    rows = open(out).read()
    assert "head RMSE / MAE" in rows and "| kinect uniform 0.3 |" in rows
    # an untrained head is the shipped net: the two columns agree on every condition
    for line in rows.splitlines()[2:]:
        cells = line.split("|")
        assert cells[2] == cells[3], line
