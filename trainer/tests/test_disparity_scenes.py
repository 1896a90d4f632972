"""Middlebury-like disparity scenes (issue 15) and fine-tuning a shipped SR generator from its ONNX file (also
widened to more channels, with a cosine learning-rate schedule)."""
import numpy as np
import pytest
import torch

from depthstream_trainer import train_sr
from depthstream_trainer.config import SRGeneratorConfig
from depthstream_trainer.disparity_scenes import (DISPARITY_SCENES, SCENE_STATS, DisparitySceneConfig,
                                                  DisparitySceneDataset, disparity_scene, scene_stats)
from depthstream_trainer.onnx_export import export_onnx, load_folded_conv_weights
from depthstream_trainer.sr_gan import SRGenerator, widen_generator
from depthstream_trainer.sr_training import init_from_onnx, learning_rate


def test_frames_are_8_bit_integer_disparity_and_depend_only_on_seed_split_and_index():
    train = DisparitySceneDataset("train", (48, 64), 8, seed=3)
    batch = train.batch(5, 4)["depth"]
    assert batch.shape == (4, 1, 48, 64) and batch.dtype == torch.float32
    assert batch.min() >= 1 and batch.max() <= 255 and torch.equal(batch, batch.round())
    assert torch.equal(batch, DisparitySceneDataset("train", (48, 64), 8, seed=3).batch(5, 4)["depth"])
    assert not torch.equal(batch, train.batch(6, 4)["depth"])
    # validation is another rng stream of the same seed: frame i of val is not frame i of train
    val = DisparitySceneDataset("val", (48, 64), 8, seed=3)
    assert not np.array_equal(val.frame(0), train.frame(0))
    assert [b["depth"].shape[0] for b in val.validation_batches(2, 3)] == [2, 2, 2]
    with pytest.raises(ValueError, match="multiple of 8"):
        DisparitySceneDataset("train", (50, 64), 8)
    with pytest.raises(ValueError, match="split"):
        DisparitySceneDataset("test", (48, 64))


def test_coarse_frames_are_integer_disparity_times_16_and_fine_ones_are_not():
    coarse = [disparity_scene(np.random.default_rng(i), 64, 64, DisparitySceneConfig(coarse_fraction=1.0))
              for i in range(5)]
    assert all(np.all(f % 16 == 0) for f in coarse)
    fine = np.stack([disparity_scene(np.random.default_rng(i), 64, 64, DisparitySceneConfig(coarse_fraction=0.0))
                     for i in range(5)])
    assert np.mean(fine % 16 != 0) > 0.5


def test_scenes_are_piecewise_smooth_with_sharp_occlusion_edges():
    frames = np.stack([disparity_scene(np.random.default_rng(i), 96, 96) for i in range(20)])
    steps = np.abs(np.diff(frames, axis=2))
    # most neighbours differ by at most a few quantisation steps (smooth surfaces) ...
    assert np.mean(steps <= 2) > 0.9
    # ... and every frame has one-pixel jumps of at least 10 levels (object outlines, no antialiasing ramp)
    assert all((s >= 10).sum() > 20 for s in steps)
    # the many objects make the frames differ from each other in layout, not only in level
    assert len({int((s >= 10).sum()) for s in steps}) > 15


def test_a_generator_exported_with_batch_norm_loads_into_one_without(tmp_path):
    torch.manual_seed(0)
    config = SRGeneratorConfig(factor=4, width=8, blocks=2, activation="relu")
    with_bn = SRGenerator(config)
    for m in with_bn.modules():     # non-trivial BN statistics and a non-zero residual, so folding matters
        if isinstance(m, torch.nn.BatchNorm2d):
            torch.nn.init.uniform_(m.running_mean, -0.5, 0.5)
            torch.nn.init.uniform_(m.running_var, 0.5, 2.0)
            torch.nn.init.uniform_(m.weight, 0.5, 1.5)
    torch.nn.init.normal_(with_bn.residual_conv().weight, std=0.05)
    with_bn.eval()
    path = str(tmp_path / "sr.onnx")
    export_onnx(with_bn, "sr", path)
    without = SRGenerator(SRGeneratorConfig(factor=4, width=8, blocks=2, activation="relu", batch_norm=False)).eval()
    load_folded_conv_weights(without, path)
    x = 1 + 5 * torch.rand(2, 1, 7, 9)
    with torch.no_grad():
        assert (with_bn(x) - SRGenerator(config).eval()(x)).abs().max() > 1e-3
        assert torch.allclose(without(x), with_bn(x), atol=1e-4)
    with pytest.raises(ValueError, match="bias"):
        load_folded_conv_weights(SRGenerator(config), path)
    with pytest.raises(ValueError, match="convolutions"):
        load_folded_conv_weights(SRGenerator(SRGeneratorConfig(factor=4, width=8, blocks=3, batch_norm=False)), path)


def test_train_sr_fine_tunes_on_disparity_scenes_from_an_onnx_generator(tmp_path):
    config = SRGeneratorConfig(factor=8, width=8, blocks=1, activation="relu", batch_norm=False)
    torch.manual_seed(1)
    start = SRGenerator(config)
    torch.nn.init.normal_(start.residual_conv().weight, std=0.05)
    onnx_path = str(tmp_path / "start.onnx")
    export_onnx(start.eval(), "sr", onnx_path)
    out = tmp_path / "run"
    result = train_sr.main(["--smoke", "--data", DISPARITY_SCENES, "--factor", "8", "--width", "8", "--blocks", "1",
                            "--activation", "relu", "--no-batch-norm", "--init-onnx", onnx_path, "--beta", "0",
                            "--steps", "1", "--lr", "0", "--out", str(out),
                            "--export", "tuned", "--models-dir", str(tmp_path)])
    state = torch.load(out / "checkpoint.pt")
    assert state["train_config"]["data"] == DISPARITY_SCENES and "start.onnx" in state["extra"]["init"]
    for key, value in start.state_dict().items():    # one step at lr 0: the weights are still the file's
        assert torch.allclose(state["models"]["model"][key], value, atol=1e-6), key
    assert [h["step"] for h in result["history"]] == [1]
    card = (tmp_path / "tuned.md").read_text()
    assert "- data: `disparity-scenes`: Middlebury-like" in card
    assert f"- initial weights: weights of {onnx_path}" in card
    train_sr.main(["--smoke", "--data", DISPARITY_SCENES, "--factor", "8", "--width", "8", "--blocks", "1",
                   "--activation", "relu", "--no-batch-norm", "--beta", "0", "--steps", "2", "--out", str(out),
                   "--resume"])
    assert "start.onnx" in torch.load(out / "checkpoint.pt")["extra"]["init"]    # a resumed run keeps its origin


def _fronto_share(frames: np.ndarray) -> float:
    """Share of 3x3 neighbourhoods whose stored value is constant (flat in 8 bits: fronto-parallel or too shallow)."""
    f = frames.astype(np.int32)
    flat = (f[:, 1:-1, 1:-1] == f[:, :-2, 1:-1]) & (f[:, 1:-1, 1:-1] == f[:, 2:, 1:-1]) \
        & (f[:, 1:-1, 1:-1] == f[:, 1:-1, :-2]) & (f[:, 1:-1, 1:-1] == f[:, 1:-1, 2:])
    return float(flat.mean())


def test_planar_curved_scenes_have_fewer_flat_regions_and_stay_8_bit():
    def frames(name):
        return np.stack([disparity_scene(np.random.default_rng(i), 96, 112, scene_stats(name)) for i in range(40)])
    old, new = frames("section12"), frames("planar-curved")
    assert new.min() >= 1 and new.max() <= 255 and np.array_equal(new, new.round())
    assert _fronto_share(new) < 0.9 * _fronto_share(old)     # 0.41 against 0.49 for these 40 frames
    steps = np.abs(np.diff(new, axis=2))
    assert np.mean(steps <= 2) > 0.9 and sum((s >= 10).sum() > 0 for s in steps) > 30    # still piecewise smooth
    assert SCENE_STATS == ("section12", "planar-curved")
    with pytest.raises(ValueError, match="scene statistics"):
        scene_stats("venus")


def test_a_mixed_stream_keeps_the_unmixed_frames_and_validation_is_section_12s():
    plain = DisparitySceneDataset("train", (48, 64), 8, seed=2)
    mixed = DisparitySceneDataset("train", (48, 64), 8, seed=2, mix=(scene_stats("planar-curved"), 0.5))
    same = [np.array_equal(plain.frame(i), mixed.frame(i)) for i in range(60)]
    assert 15 < sum(same) < 45     # about half the frames are drawn with the other statistics ...
    other = DisparitySceneDataset("train", (48, 64), 8, seed=2, config=scene_stats("planar-curved"))
    assert not any(np.array_equal(other.frame(i), mixed.frame(i)) for i in range(60))   # ... from their own stream
    train = train_sr.parse_args(["--data", DISPARITY_SCENES, "--crop", "48", "64"])
    datasets = train_sr.make_datasets(train_sr.train_config_from_args(train, sparse=False), 8, False,
                                      "planar-curved", 0.5)
    reference = DisparitySceneDataset("val", (48, 64), 8, seed=train.seed)
    assert all(np.array_equal(datasets["val"].frame(i), reference.frame(i)) for i in range(4))
    assert datasets["train"].mix is not None and datasets["train"].mix[1] == 0.5


def test_widening_keeps_the_function_and_lets_the_new_channels_learn():
    torch.manual_seed(2)
    narrow = SRGenerator(SRGeneratorConfig(factor=4, width=8, blocks=2, activation="relu", batch_norm=False))
    for m in narrow.modules():      # a non-trivial narrow net: random everywhere, residual included
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.normal_(m.weight, std=0.1)
            torch.nn.init.normal_(m.bias, std=0.05)
    wide = widen_generator(narrow, SRGeneratorConfig(factor=4, width=12, blocks=2, activation="relu",
                                                     batch_norm=False))
    x = 1 + 5 * torch.rand(3, 1, 9, 11)
    with torch.no_grad():
        assert (narrow(x) - SRGenerator(narrow.config)(x)).abs().max() > 1e-2     # the residual matters
        assert torch.allclose(wide(x), narrow(x), atol=1e-5)
    head = wide.head[0]
    assert head.weight.shape[0] == 12 and head.weight[8:].abs().sum() > 0           # new channels are active
    tail = wide.residual_conv()
    assert torch.count_nonzero(tail.weight[:, 8:]) == 0
    wide.residual(torch.rand(2, 1, 9, 11) * 2 - 1).square().mean().backward()
    assert tail.weight.grad[:, 8:].abs().sum() > 0       # zero outgoing weights still get a gradient: they grow
    with pytest.raises(ValueError, match="widening keeps"):
        widen_generator(narrow, SRGeneratorConfig(factor=4, width=12, blocks=3, activation="relu", batch_norm=False))
    with pytest.raises(ValueError, match="cannot widen"):
        widen_generator(narrow, SRGeneratorConfig(factor=4, width=4, blocks=2, activation="relu", batch_norm=False))
    with pytest.raises(ValueError, match="batch norm"):
        widen_generator(narrow, SRGeneratorConfig(factor=4, width=12, blocks=2, activation="relu"))


def test_init_from_a_narrower_onnx_generator_widens_it(tmp_path):
    torch.manual_seed(3)
    narrow = SRGenerator(SRGeneratorConfig(factor=8, width=8, blocks=1, activation="relu", batch_norm=False))
    torch.nn.init.normal_(narrow.residual_conv().weight, std=0.05)
    path = str(tmp_path / "narrow.onnx")
    export_onnx(narrow.eval(), "sr", path)
    wide = SRGenerator(SRGeneratorConfig(factor=8, width=16, blocks=1, activation="relu", batch_norm=False)).eval()
    assert "widened from 8 to 16 channels" in init_from_onnx(wide, path)
    same = SRGenerator(narrow.config).eval()
    assert "widened" not in init_from_onnx(same, path)
    x = 1 + 9 * torch.rand(2, 1, 6, 7)
    with torch.no_grad():
        assert torch.allclose(wide(x), narrow(x), atol=1e-4) and torch.allclose(same(x), narrow(x), atol=1e-4)


def test_learning_rate_warms_up_then_follows_the_cosine_to_the_final_rate():
    assert learning_rate(0, 100, 1e-3) == learning_rate(99, 100, 1e-3) == 1e-3
    assert learning_rate(0, 100, 1e-3, "cosine", warmup=10, final=1e-5) == pytest.approx(1e-4)
    assert learning_rate(9, 100, 1e-3, "cosine", warmup=10, final=1e-5) == pytest.approx(1e-3)
    assert learning_rate(10, 100, 1e-3, "cosine", warmup=10, final=1e-5) == pytest.approx(1e-3)
    assert learning_rate(55, 100, 1e-3, "cosine", warmup=10, final=1e-5) == pytest.approx((1e-3 + 1e-5) / 2)
    assert learning_rate(100, 100, 1e-3, "cosine", warmup=10, final=1e-5) == pytest.approx(1e-5)
    rates = [learning_rate(s, 100, 1e-3, "cosine", warmup=10, final=1e-5) for s in range(10, 101)]
    assert all(a >= b for a, b in zip(rates, rates[1:]))
    with pytest.raises(ValueError, match="schedule"):
        learning_rate(0, 10, 1e-3, "step")


def test_train_sr_widens_mixes_scenes_and_schedules_the_rate_and_the_card_says_so(tmp_path):
    torch.manual_seed(4)
    start = SRGenerator(SRGeneratorConfig(factor=8, width=8, blocks=1, activation="relu", batch_norm=False))
    onnx_path = str(tmp_path / "narrow.onnx")
    export_onnx(start.eval(), "sr", onnx_path)
    out = tmp_path / "run"
    train_sr.main(["--smoke", "--data", DISPARITY_SCENES, "--factor", "8", "--width", "16", "--blocks", "1",
                   "--activation", "relu", "--no-batch-norm", "--init-onnx", onnx_path, "--beta", "0",
                   "--steps", "4", "--lr", "1e-3", "--lr-schedule", "cosine", "--warmup", "1", "--lr-final", "1e-5",
                   "--scene-stats", "planar-curved", "--scene-mix", "0.5", "--out", str(out),
                   "--export", "wide", "--models-dir", str(tmp_path)])
    state = torch.load(out / "checkpoint.pt")
    assert state["model_config"]["width"] == 16 and "widened from 8 to 16" in state["extra"]["init"]
    assert state["extra"]["scene_stats"] == {"stats": "planar-curved", "mix": 0.5}
    # the last of the 4 steps (step 3) ran at the cosine's rate for step 3 of 4
    assert state["optimizers"]["model"]["param_groups"][0]["lr"] == pytest.approx(
        learning_rate(3, 4, 1e-3, "cosine", 1, 1e-5))
    card = (tmp_path / "wide.md").read_text()
    assert "training frames: 50% of them with the `planar-curved` statistics" in card
    assert "lr 0.001 (warm-up 1 steps, cosine to 1e-05)" in card
    assert '"scene_stats"' not in card and "widened from 8 to 16 channels" in card
