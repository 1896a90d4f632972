import pytest
import torch

from depthstream_trainer.blocks import pad_to_multiple, valid_aware_pool
from depthstream_trainer.config import FastInterpConfig, FocalStackConfig, SRGeneratorConfig, srgan_size_generator
from depthstream_trainer.fast_interp import FastInterpNet
from depthstream_trainer.flops import count_macs
from depthstream_trainer.focal_stack import FocalStackNet
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


@pytest.mark.parametrize("size", [(61, 83), (8, 8), (3, 5), (48, 64)])
def test_fast_net_accepts_any_size(size):
    net = FastInterpNet().eval()
    out = net(torch.rand(2, 2, *size))
    assert out.shape == (2, 1, *size)


def test_fast_net_padding_does_not_change_the_valid_region():
    # zero padding is "no measurement": a 64x64 input and its 61x59 crop agree away from the cropped border
    net = FastInterpNet().eval()
    x = torch.rand(1, 2, 64, 64)
    x[:, 0] *= 10 * (x[:, 1] > 0.8)
    x[:, 1] = (x[:, 1] > 0.8).float()
    x[..., 48:, :] = 0
    x[..., :, 48:] = 0
    with torch.no_grad():
        full, part = net(x), net(x[..., :61, :59])
    assert torch.allclose(full[..., :32, :32], part[..., :32, :32], atol=1e-5)


def test_fast_net_within_the_realtime_budget_and_full_resolution_variant_is_far_heavier():
    macs = count_macs(FastInterpNet(), torch.zeros(1, 2, 480, 640))["total"]
    full = count_macs(FastInterpNet(FastInterpConfig(downscale=1)), torch.zeros(1, 2, 480, 640))["total"]
    assert macs < 1.5e9                # budget at 30 fps on the 2-core CPU: ~2.5 GMAC
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
    net = FocalStackNet(FocalStackConfig(widths=(4, 8, 8))).eval()
    stack, focus = torch.rand(2, 3, 3, 16, 16), torch.tensor([[1.0, 2.0, 3.0], [0.5, 1.0, 4.0]])
    with torch.no_grad():
        both = net(stack, focus)
        first = net(stack[:1], focus[:1])
        reversed_order = net(stack[:1].flip(1), focus[:1].flip(1))
    assert torch.allclose(both[:1], first, atol=1e-5)
    assert not torch.allclose(first, reversed_order, atol=1e-4)
