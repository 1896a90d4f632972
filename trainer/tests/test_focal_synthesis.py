import torch

from depthstream_trainer.focal_synthesis import (BlurModel, add_stacks, blur_bank, gaussian_blur, layer_index,
                                                 synthesize_focal_image, synthesize_focal_image_reference,
                                                 synthesize_stack)


def two_plane_scene():
    """Checkerboard texture; left half at 1 m, right half at 5 m."""
    yy, xx = torch.meshgrid(torch.arange(32), torch.arange(32), indexing="ij")
    rgb = ((yy // 2 + xx // 2) % 2).float().expand(3, 32, 32).clone()
    depth = torch.ones(32, 32)
    depth[:, 16:] = 5.0
    return rgb, depth


def test_layer_masks_partition_the_image():
    depth = torch.rand(20, 30) * 9 + 1
    depth[0, :5] = 0.0                                   # holes
    index = layer_index(depth, 256, near=1.0, far=10.0)
    assert index.min() >= 0 and index.max() <= 255
    one_hot = torch.nn.functional.one_hot(index, 256)
    assert torch.equal(one_hot.sum(-1), torch.ones(20, 30, dtype=torch.long))
    assert (index[0, :5] == 255).all()                   # holes go to the farthest layer
    edges = layer_index(torch.tensor([[1.0, 10.0, 1.0 + 9.0 / 256 * 1.5]]), 256, near=1.0, far=10.0)
    assert edges.tolist() == [[0, 255, 1]]


def test_in_focus_layer_stays_sharp_and_out_of_focus_layer_is_blurred():
    rgb, depth = two_plane_scene()
    model = BlurModel(layers=256, blur_per_metre=1.0, max_sigma=4.0)
    near_focus = synthesize_focal_image(rgb, depth, 1.0, model, near=1.0, far=5.0)
    # left layer centre is 1 m + half a layer: sigma ~0.008 px rounds to 0 -> identical pixels
    assert torch.equal(near_focus[:, :, :16], rgb[:, :, :16])
    assert near_focus[:, :, 20:].std() < 0.5 * rgb[:, :, 20:].std()
    far_focus = synthesize_focal_image(rgb, depth, 5.0, model, near=1.0, far=5.0)
    assert torch.allclose(far_focus[:, :, 16:], rgb[:, :, 16:], atol=0.05)
    assert far_focus[:, :, :12].std() < 0.5 * rgb[:, :, :12].std()


def test_gaussian_blur_keeps_constant_images_and_mean_brightness():
    flat = torch.full((3, 10, 12), 0.7)
    assert torch.allclose(gaussian_blur(flat, 2.0), flat, atol=1e-6)
    rgb, _ = two_plane_scene()
    assert abs(gaussian_blur(rgb, 1.5).mean() - rgb.mean()) < 0.02


def test_stack_has_one_image_per_focus_distance():
    rgb, depth = two_plane_scene()
    stack = synthesize_stack(rgb, depth, [1.0, 3.0, 5.0], BlurModel(layers=16), 1.0, 5.0)
    assert stack.shape == (3, 3, 32, 32)
    assert not torch.equal(stack[0], stack[2])


def test_fast_synthesis_equals_the_mask_and_sum_form():
    g = torch.Generator().manual_seed(3)
    rgb = torch.rand(3, 40, 56, generator=g)
    depth = 1 + 8 * torch.rand(40, 56, generator=g)
    depth[:3, :7] = 0.0
    model = BlurModel(layers=256)
    focus = [1.3, 4.0, 8.7]
    stack = synthesize_stack(rgb, depth, focus, model, 1.0, 9.0)
    for t, f in enumerate(focus):
        reference = synthesize_focal_image_reference(rgb, depth, f, model, 1.0, 9.0)
        assert torch.allclose(stack[t], reference, atol=1e-5)


def test_blur_bank_matches_single_blurs_including_identity():
    rgb, _ = two_plane_scene()
    bank = blur_bank(rgb, [0.0, 0.25, 1.5, 4.0])
    assert torch.equal(bank[0], rgb)
    for i, s in enumerate([0.25, 1.5, 4.0], start=1):
        assert torch.allclose(bank[i], gaussian_blur(rgb, s), atol=1e-6)


def test_range_jitter_widens_some_training_sweeps_beyond_the_crop_depths():
    import numpy as np
    rgb, depth = two_plane_scene()
    batch = {"rgb": rgb[None].expand(64, 3, 32, 32), "depth": depth[None, None].expand(64, 1, 32, 32)}
    plain = add_stacks(dict(batch), 3, BlurModel(layers=16), 10.0, np.random.default_rng(0))["focus"]
    assert plain.min() >= 1.0 and plain.max() <= 5.0
    wide = add_stacks(dict(batch), 3, BlurModel(layers=16), 10.0, np.random.default_rng(0), range_jitter=1.5)["focus"]
    outside = ((wide < 1.0) | (wide > 5.0)).any(1)
    assert 0 < int(outside.sum()) < 64            # about half the samples are widened, and only those
    assert wide.min() >= 1.0 / 2.5 and wide.max() <= 5.0 * 2.5
