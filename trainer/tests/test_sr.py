"""Super-resolution generator: bicubic skip, per-frame normalisation, holes, degradations, export."""
import numpy as np
import onnx
import pytest
import torch

from depthstream_trainer.config import SRGeneratorConfig
from depthstream_trainer.degradation import bicubic_down, make_low_res
from depthstream_trainer.onnx_export import export_onnx, read_io
from depthstream_trainer.resample import imresize
from depthstream_trainer.sr_gan import BicubicUpsample, SRGenerator, bicubic_phase_kernels, keys_cubic
from depthstream_trainer import train_sr
from depthstream_trainer.sr_training import selection_from_runs


def test_keys_kernel_and_x2_phase_weights_by_hand():
    # a = -0.5: k(0.25) = 1.5/64 - 2.5/16 + 1, k(0.75) = 1.5*27/64 - 2.5*9/16 + 1, k(1.25), k(1.75) by the
    # outer branch -0.5x^3 + 2.5x^2 - 4x + 2
    assert keys_cubic(0.25) == pytest.approx(0.8671875)
    assert keys_cubic(0.75) == pytest.approx(0.2265625)
    assert keys_cubic(1.25) == pytest.approx(-0.0703125)
    assert keys_cubic(1.75) == pytest.approx(-0.0234375)
    assert keys_cubic(2.0) == 0.0
    k = bicubic_phase_kernels(2)
    # phase 0 sits 0.25 px before input pixel i: taps i-2..i+2 at distances 1.75, 0.75, 0.25, 1.25, 2.25
    row0 = k[0, 0].sum(1) / k[0, 0].sum()    # separable: the row sums give the vertical taps
    expected = torch.tensor([-0.0234375, 0.2265625, 0.8671875, -0.0703125, 0.0])
    assert torch.allclose(row0, expected, atol=1e-6)
    assert torch.allclose(k.sum((1, 2, 3)), torch.ones(4))


@pytest.mark.parametrize("factor", [2, 4, 8])
def test_untrained_generator_is_matlab_bicubic(factor):
    # the residual starts at zero, so the generator equals imresize(x, f) (an independent numpy implementation
    # of MATLAB's contributions()); only the outer 2 px differ (replicate vs symmetric edges)
    g = SRGenerator(SRGeneratorConfig(factor=factor, width=8, blocks=1)).eval()
    x = 1 + 9 * torch.rand(1, 1, 9, 11, generator=torch.Generator().manual_seed(factor))
    with torch.no_grad():
        out = g(x)[0, 0].numpy()
    ref = imresize(x[0, 0].numpy().astype(np.float64), (9 * factor, 11 * factor))
    b = 2 * factor
    assert np.abs(out[b:-b, b:-b] - ref[b:-b, b:-b]).max() < 1e-4
    # at the border only the outermost tap differs (input -2 reads x[0] instead of x[1]); its weight is at most
    # |k(1.5625)| = 0.054 per axis, on inputs spanning 9
    assert np.abs(out - ref).max() < 2 * 0.055 * 9


def test_skip_is_bicubic_whenever_the_residual_is_zero():
    g = SRGenerator(SRGeneratorConfig(factor=4, width=8, blocks=2))
    for p in g.parameters():                       # scramble everything ...
        torch.nn.init.normal_(p)
    g.eval()
    x = 0.5 + 3 * torch.rand(2, 1, 6, 7)
    with torch.no_grad():
        scrambled = g(x)
        torch.nn.init.zeros_(g.residual_conv().weight)   # ... then silence only the residual's last conv
        torch.nn.init.zeros_(g.residual_conv().bias)
        skip = g(x)
    plain = BicubicUpsample(4)(x)
    assert torch.allclose(skip, plain, atol=1e-5)
    assert (scrambled - skip).abs().max() > 0.01


def test_constant_input_gives_the_constant_and_the_graph_is_scale_equivariant():
    g = SRGenerator(SRGeneratorConfig(factor=8, width=8, blocks=1))
    torch.nn.init.normal_(g.residual_conv().weight, std=0.1)
    g.eval()
    with torch.no_grad():
        flat = SRGenerator(SRGeneratorConfig(factor=8, width=8, blocks=1)).eval()(torch.full((1, 1, 4, 5), 7.0))
        assert torch.allclose(flat, torch.full((1, 1, 32, 40), 7.0))
        x = 1 + torch.rand(1, 1, 5, 6)
        # metres vs 8-bit disparity units: the per-frame normalisation makes net(k x) = k net(x)
        assert torch.allclose(g(x * 25.5), 25.5 * g(x), rtol=1e-4, atol=1e-4)


def test_holes_stay_holes_and_do_not_leak_into_measured_depth():
    g = SRGenerator(SRGeneratorConfig(factor=2, width=8, blocks=1)).eval()
    x = torch.full((1, 1, 6, 6), 4.0)
    x[..., :, :2] = 0                              # two hole columns on the left
    with torch.no_grad():
        out = g(x)
    # output columns 0-2 sample inputs x = -0.25, 0.25, 0.75 (all weight on holes) -> holes; column 3 samples
    # 1.25 where the weight on column 2 (measured) is 0.867 - 0.070 of the taps ... a valid, hole-free value
    assert (out[..., :, :3] == 0).all()
    assert torch.allclose(out[..., :, 4:], torch.full_like(out[..., :, 4:], 4.0))


def test_bicubic_down_is_matlab_imresize_and_holes_are_normalised_out():
    depth = 1 + 9 * torch.rand(1, 1, 32, 40, generator=torch.Generator().manual_seed(1))
    low = bicubic_down(depth, 8)
    ref = imresize(depth[0, 0].numpy().astype(np.float64), (4, 5))
    assert low.shape == (1, 1, 4, 5) and np.allclose(low[0, 0].numpy(), ref, atol=1e-4)
    constant = torch.full((1, 1, 16, 16), 5.0)
    constant[..., :3, :3] = 0                      # a small hole: the normalised convolution ignores it
    assert torch.allclose(bicubic_down(constant, 8), torch.full((1, 1, 2, 2), 5.0))


def test_mixed_degradation_picks_per_frame():
    depth = 1 + 9 * torch.rand(2, 1, 16, 16)
    mixed = make_low_res(depth, 4, "mixed", torch.tensor([True, False]))
    assert torch.allclose(mixed[0], make_low_res(depth, 4, "bicubic")[0])
    assert torch.allclose(mixed[1], make_low_res(depth, 4, "pool")[1])
    with pytest.raises(ValueError, match="degradation"):
        make_low_res(depth, 4, "area")


def test_export_keeps_the_bicubic_in_plain_conv_and_depth_to_space(tmp_path):
    g = SRGenerator(SRGeneratorConfig(factor=8, width=8, blocks=1)).eval()
    path = str(tmp_path / "sr8.onnx")
    tensors = read_io(export_onnx(g, "sr", path))
    ops = {n.op_type for n in onnx.load(path).graph.node}
    assert "Resize" not in ops and {"Conv", "DepthToSpace", "ReduceMax"} <= ops
    with torch.no_grad():
        expected = BicubicUpsample(8)(torch.from_numpy(tensors["low_res"]))
    assert np.allclose(tensors["depth"], expected.numpy(), atol=1e-4)


def test_selection_from_parallel_candidate_runs_is_recorded(dense_shards, tmp_path):
    common = ["--smoke", "--data", dense_shards, "--crop", "16", "16", "--factor", "4", "--steps", "2"]
    for alpha in ("0", "0.1"):
        train_sr.main(common + ["--out", str(tmp_path / f"a{alpha}"), "--alpha", alpha])
    runs = [str(tmp_path / "a0"), str(tmp_path / "a0.1")]
    table = selection_from_runs(runs, 2, 80.0)
    assert sorted(r["alpha"] for r in table) == [0.0, 0.1]
    assert table[0]["score"] <= table[1]["score"]
    result = train_sr.main(common + ["--out", str(tmp_path / "a0"), "--resume", "--steps", "4", "--alpha", "0",
                                     "--selection-runs", *runs, "--selection-step", "2"])
    state = torch.load(tmp_path / "a0" / "checkpoint.pt")
    assert state["extra"]["selection"] == table and state["extra"]["sweep_steps"] == 2
    assert [h["step"] for h in result["history"]] == [2, 4]
    with pytest.raises(ValueError, match="no validation at step 3"):
        selection_from_runs(runs, 3, 80.0)


def test_relative_residual_is_a_bounded_factor_on_the_bicubic():
    config = SRGeneratorConfig(factor=4, width=8, blocks=1, residual="relative")
    g = SRGenerator(config).eval()
    x = 0.5 + 3 * torch.rand(1, 1, 6, 7)
    with torch.no_grad():
        assert torch.allclose(g(x), BicubicUpsample(4)(x), atol=1e-5)     # zero residual: bicubic
        with torch.random.fork_rng():
            torch.manual_seed(3)
            torch.nn.init.normal_(g.residual_conv().weight, std=1.0)
        out, bic = g(x), BicubicUpsample(4)(x)
        assert (out > 0).all() and (out < 2 * bic).all() and (out - bic).abs().max() > 0.01
        assert torch.allclose(g(40 * x), 40 * out, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="residual"):
        SRGenerator(SRGeneratorConfig(residual="log"))


def test_resize_matrices_are_made_once_per_size_by_their_owner():
    from depthstream_trainer.resample import ResizeMatrices
    depth = 1 + 9 * torch.rand(2, 1, 16, 24, generator=torch.Generator().manual_seed(2))
    matrices = ResizeMatrices()
    first = bicubic_down(depth, 4, matrices)
    assert len(matrices) == 1
    ry, rx = matrices(16, 24, 4, depth.device)
    assert ry.shape == (4, 16) and rx.shape == (6, 24)
    assert matrices(16, 24, 4, depth.device)[0] is ry                       # kept, not made again
    assert torch.equal(bicubic_down(depth, 4, matrices), first) and len(matrices) == 1
    assert torch.equal(bicubic_down(depth, 4), first)                       # without an owner: same numbers
    make_low_res(depth[..., :8, :8], 2, "mixed", matrices=matrices)
    assert len(matrices) == 2 and len(ResizeMatrices()) == 0                # a new owner starts empty
