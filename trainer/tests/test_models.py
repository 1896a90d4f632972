import pytest
import torch
import torch.nn.functional as F

from depthstream_trainer.blocks import pad_to_multiple, valid_aware_pool
from depthstream_trainer.config import FastInterpConfig, FocalStackConfig, SRGeneratorConfig, srgan_size_generator
from depthstream_trainer.fast_interp import (FastInterpNet, PushPullFill, bilinear_subpixel_weights, pad_input,
                                             run_padded)
from depthstream_trainer.flops import count_macs
from depthstream_trainer.focal_stack import FocalStackNet, relative_sharpness
from depthstream_trainer.sr_gan import Discriminator, SRGenerator


def test_valid_aware_pool_averages_only_measured_pixels():
    depth = torch.tensor([[2.0, 0.0, 0.0, 0.0], [4.0, 0.0, 0.0, 0.0]])[None, None]
    mask = (depth > 0).float()
    pooled, weight = valid_aware_pool(depth, mask, 2)
    assert pooled.flatten().tolist() == [3.0, 0.0]      # mean of 2 and 4; empty block -> hole
    assert weight.flatten().tolist() == [0.5, 0.0]


def test_pad_to_multiple_pads_bottom_right_only():
    x = torch.arange(6.0).reshape(1, 1, 2, 3)
    padded = pad_to_multiple(x, 4)
    assert padded.shape == (1, 1, 4, 4)
    assert torch.equal(padded[..., :2, :3], x) and padded[..., 2:, :].abs().sum() == 0


def random_sparse(n, h, w, p=0.1, seed=0, near=1.0, far=9.0):
    g = torch.Generator().manual_seed(seed)
    mask = (torch.rand(n, 1, h, w, generator=g) < p).float()
    depth = near + (far - near) * torch.rand(n, 1, h, w, generator=g)
    return torch.cat([depth * mask, mask], 1)


def trained_like(config=FastInterpConfig()):
    """A v2 net whose correction is not zero (the zero-initialised last conv gets random weights)."""
    torch.manual_seed(3)
    net = FastInterpNet(config).eval()
    torch.nn.init.normal_(net.head[-1].weight, std=0.05)
    torch.nn.init.normal_(net.head[-1].bias, std=0.05)
    return net


@pytest.mark.parametrize("size", [(8, 8), (48, 64), (480, 640)])
def test_fast_net_keeps_the_size_of_inputs_that_are_multiples_of_8(size):
    net = trained_like()
    assert net.multiple == 8
    with torch.no_grad():
        assert net(random_sparse(2, *size)).shape == (2, 1, *size)


@pytest.mark.parametrize("size", [(61, 83), (3, 5), (50, 70)])
def test_pad_helper_runs_any_size_and_crops_back(size):
    net = trained_like()
    x = random_sparse(1, *size)
    padded = pad_input(x, 8)
    assert padded.shape[-2] % 8 == 0 and padded.shape[-1] % 8 == 0
    assert padded.shape[-2] - size[0] < 8 and padded.shape[-1] - size[1] < 8
    assert torch.equal(padded[..., :size[0], :size[1]], x) and padded[..., size[0]:, :].abs().sum() == 0
    with torch.no_grad():
        out = run_padded(net, x)
        assert out.shape == (1, 1, *size)
        assert torch.equal(out, net(padded)[..., :size[0], :size[1]])


def test_fast_net_scales_with_the_frame_so_indoor_and_road_are_one_problem():
    # per-frame normalisation: multiplying every sample by k multiplies the output by k, also with a correction
    net = trained_like()
    x = random_sparse(1, 32, 48)
    road = x.clone()
    road[:, 0] *= 8.0
    with torch.no_grad():
        assert torch.allclose(net(road), 8.0 * net(x), rtol=1e-4, atol=1e-4)


def test_untrained_fast_net_is_its_prefill_and_reproduces_a_constant_scene():
    net = FastInterpNet().eval()     # zero-initialised correction: output = upsampled push-pull fill
    x = random_sparse(1, 40, 56, p=0.05)
    x[:, 0] = 3.5 * x[:, 1]
    with torch.no_grad():
        out = net(x)
    assert torch.allclose(out, torch.full_like(out, 3.5), atol=1e-5)


def test_fast_net_keeps_the_measured_samples():
    net = trained_like()
    x = random_sparse(1, 32, 32)
    with torch.no_grad():
        out = net(x)
        dropped = FastInterpNet(FastInterpConfig(keep_samples=False)).eval()
        dropped.load_state_dict(net.state_dict())
        free = dropped(x)
    m = x[:, 1:2] > 0
    assert torch.equal(out[m], x[:, 0:1][m])
    assert not torch.allclose(free[m], x[:, 0:1][m], atol=1e-3)     # the net alone does not reproduce them
    assert torch.equal(out[~m], free[~m])


def test_push_pull_fill_of_a_linear_ramp_between_two_samples():
    # hand-computed: 2x4 map, samples 2 m at x=0 and 6 m at x=3, one halving. Coarse level (ceil 1x2):
    # [2, 6]; bilinear (half-pixel) back to 4 columns: [2, 3, 5, 6]; the measured ends keep their values.
    fill = PushPullFill(levels=1, block_pixels=1)
    s = torch.tensor([[[[2.0, 0, 0, 6.0], [0, 0, 0, 0]]]])
    w = (s > 0).float()
    out = fill(torch.cat([s, w], 1))
    assert torch.allclose(out[0, 0, 0], torch.tensor([2.0, 3.0, 5.0, 6.0]))


def test_bilinear_subpixel_convolution_is_bilinear_upsampling():
    x = torch.rand(1, 1, 5, 7)
    conv = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), bilinear_subpixel_weights(4))
    expected = F.interpolate(x, scale_factor=4, mode="bilinear", align_corners=False)
    assert torch.allclose(F.pixel_shuffle(conv, 4), expected, atol=1e-6)


def test_fast_net_within_the_realtime_budget_and_full_resolution_variant_is_far_heavier():
    macs = count_macs(FastInterpNet(), torch.zeros(1, 2, 480, 640))["total"]
    full = count_macs(FastInterpNet(FastInterpConfig(downscale=1)), torch.zeros(1, 2, 480, 640))["total"]
    assert macs < 0.5e9                # v2 budget: 12 ms at 640x480 on one core
    assert full > 10 * macs


@pytest.mark.parametrize("factor", [2, 4, 8])
def test_sr_generator_scales_by_its_factor_and_stays_in_range(factor):
    g = SRGenerator(SRGeneratorConfig(factor=factor, width=8, blocks=1)).eval()
    with torch.random.fork_rng():                        # leave the global stream to the other tests
        torch.manual_seed(factor)
        torch.nn.init.normal_(g.residual_conv().weight)  # a non-zero residual (it starts at zero)
    x = 1 + 79 * torch.rand(2, 1, 7, 9)
    out = g(x)
    assert out.shape == (2, 1, 7 * factor, 9 * factor)
    # bicubic (within the input range up to the cubic's overshoot) + a residual bounded by tanh to one frame scale
    assert out.min() >= 0 and out.max() <= 2.2 * x.max()


def test_srgan_size_generator_and_activation_choice():
    g = SRGenerator(srgan_size_generator(4)).eval()
    assert g(torch.rand(1, 1, 6, 5)).shape == (1, 1, 24, 20)
    assert len(g.blocks) == 16 and g.config.width == 64
    relu = SRGenerator(SRGeneratorConfig(activation="relu"))
    assert any(isinstance(m, torch.nn.ReLU) for m in relu.modules())
    assert not any(isinstance(m, torch.nn.ELU) for m in relu.modules())
    with pytest.raises(ValueError, match="activation"):
        SRGenerator(SRGeneratorConfig(activation="swish"))


def test_discriminator_gives_one_logit_per_image_of_any_size():
    d = Discriminator()
    assert d(torch.rand(3, 1, 40, 56), torch.ones(3, 1, 1, 1)).shape == (3,)
    assert d(torch.rand(1, 1, 17, 23), torch.ones(1, 1, 1, 1)).shape == (1,)


@pytest.mark.parametrize("stack", [1, 4])
def test_focal_net_accepts_variable_stacks_and_odd_sizes(stack):
    net = FocalStackNet().eval()
    out = net(torch.rand(2, stack, 3, 37, 45), torch.rand(2, stack) * 5)
    assert out.shape == (2, 1, 37, 45)


def test_focal_net_depends_on_stack_order_and_batches_independently():
    torch.manual_seed(0)    # random weights: fixed, so the result does not depend on which tests ran before
    net = FocalStackNet(FocalStackConfig(widths=(4, 8, 8))).eval()
    stack, focus = torch.rand(2, 3, 3, 16, 16), torch.tensor([[1.0, 2.0, 3.0], [0.5, 1.0, 4.0]])
    with torch.no_grad():
        both = net(stack, focus)
        first = net(stack[:1], focus[:1])
        reversed_order = net(stack[:1].flip(1), focus[:1].flip(1))
    assert torch.allclose(both[:1], first, atol=1e-5)
    assert not torch.allclose(first, reversed_order, atol=1e-4)


def test_relative_sharpness_marks_the_sharpest_image_and_is_zero_for_one_image():
    # Image 0 has a checkerboard (sharp) in its left half, image 1 the same board blurred to flat grey there.
    board = (torch.arange(32).view(1, 32) + torch.arange(24).view(24, 1)) % 2
    sharp = board.float().expand(3, 24, 32).clone()
    flat = torch.full_like(sharp, 0.5)
    stack = torch.stack([sharp, flat])[None]                      # [1, 2, 3, 24, 32]
    r = relative_sharpness(stack)
    assert r.shape == (1, 2, 1, 24, 32)
    assert torch.allclose(r.sum(1), torch.zeros(1, 1, 24, 32), atol=1e-5)   # relative to the stack's mean
    assert r[0, 0, 0, 12, 16] > 1.0 and r[0, 1, 0, 12, 16] < -1.0
    assert torch.count_nonzero(relative_sharpness(stack[:, :1])) == 0


def test_focal_relative_output_starts_at_the_mean_focus_distance_with_the_sharpness_channel():
    net = FocalStackNet(FocalStackConfig(sharpness=True, output="relative")).eval()
    assert net.encoder[0][0].in_channels == 5       # RGB, focus distance, relative sharpness
    torch.nn.init.zeros_(net.out.weight)
    torch.nn.init.zeros_(net.out.bias)
    focus = torch.tensor([[1.0, 2.0, 6.0], [0.5, 0.5, 0.5]])
    depth = net(torch.rand(2, 3, 3, 20, 28), focus)
    assert depth.shape == (2, 1, 20, 28)
    assert torch.allclose(depth[0], torch.full((1, 20, 28), 3.0))
    assert torch.allclose(depth[1], torch.full((1, 20, 28), 0.5))
    with pytest.raises(ValueError, match="output must be one of"):
        FocalStackNet(FocalStackConfig(output="metres"))


def test_focus_head_starts_as_a_no_op_and_reads_depth_from_focus():
    torch.manual_seed(1)
    plain = FocalStackNet(FocalStackConfig(widths=(4, 8), sharpness=True, output="relative")).eval()
    headed = FocalStackNet(FocalStackConfig(widths=(4, 8), sharpness=True, output="relative", focus_head=6)).eval()
    missing = headed.load_state_dict(plain.state_dict(), strict=False).missing_keys
    assert sorted(missing) == ["focus_head.body.0.bias", "focus_head.body.0.weight", "focus_head.out.bias",
                               "focus_head.out.weight", "focus_head.temperature"]
    stack, focus = torch.rand(2, 3, 3, 21, 27), torch.tensor([[1.0, 2.0, 3.0], [0.5, 1.5, 4.0]])
    with torch.no_grad():
        assert torch.equal(headed(stack, focus), plain(stack, focus))     # last conv zero: the head adds nothing
        # a head that passes its soft depth-from-focus plane (log ratio to the mean focus) straight through
        torch.nn.init.zeros_(headed.out.weight)
        torch.nn.init.zeros_(headed.out.bias)
        body = headed.focus_head.body[0]
        torch.nn.init.zeros_(body.weight)
        torch.nn.init.zeros_(body.bias)
        body.weight[0, 4, 1, 1] = 1.0           # input channel 4 = the log ratio (after the 4 decoder features)
        headed.focus_head.out.weight[0, 0, 1, 1] = 1.0
        headed.focus_head.temperature.fill_(50.0)
        # the image focused at 3 m is textured on the left half, every image is flat grey on the right half
        board = ((torch.arange(27).view(1, 27) + torch.arange(21).view(21, 1)) % 2).float()
        stack = torch.full((1, 3, 3, 21, 27), 0.5)
        stack[0, 2, :, :, :13] = board[:, :13]
        depth = headed(stack, focus[:1])
    assert torch.allclose(depth[0, 0, 10, 4], torch.tensor(3.0), atol=1e-3)     # depth from focus: 3 m
    assert torch.allclose(depth[0, 0, 10, 22], torch.tensor(2.0), atol=1e-3)    # no texture: the mean, 2 m
    with pytest.raises(ValueError, match="focus_head needs"):
        FocalStackNet(FocalStackConfig(sharpness=False, output="relative", focus_head=4))
