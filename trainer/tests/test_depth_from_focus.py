import math

import numpy as np
import pytest
import torch

from depthstream_trainer.depth_from_focus import (constant_depth, depth_from_focus, peak_of_three,
                                                  sum_modified_laplacian, training_median_depth)
from depthstream_trainer.focal_synthesis import gaussian_blur


def texture(h=24, w=36):
    yy, xx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    return ((yy // 2 + xx // 2) % 2).float().expand(3, h, w).clone()


def test_sml_of_a_single_bright_pixel_by_hand():
    rgb = torch.zeros(1, 3, 5, 5)
    rgb[0, :, 2, 2] = 1.0                       # luma 0.299 + 0.587 + 0.114 = 1
    sml1 = sum_modified_laplacian(rgb, window=1)[0, 0]
    # ML: centre |2 - 0 - 0| + |2 - 0 - 0| = 4; each 4-neighbour |0 - 1 - 0| = 1; diagonals 0
    assert sml1[2, 2].item() == pytest.approx(4.0)
    assert [sml1[1, 2].item(), sml1[2, 1].item(), sml1[1, 1].item()] == pytest.approx([1.0, 1.0, 0.0])
    # 3x3 window at the centre: 4 + 4 * 1
    assert sum_modified_laplacian(rgb, window=3)[0, 0, 2, 2].item() == pytest.approx(8.0)
    with pytest.raises(ValueError, match="odd"):
        sum_modified_laplacian(rgb, window=4)


def test_parabola_peak_by_hand():
    t = lambda *v: torch.tensor(v, dtype=torch.float64)
    # symmetric neighbours -> the middle
    assert peak_of_three(t(1.0), t(2.0), t(3.0), t(0.0), t(1.0), t(0.0)).item() == pytest.approx(2.0)
    # y = -(x - 2.5)^2 at 1, 2, 3: -2.25, -0.25, -0.25 -> 2.5
    assert peak_of_three(t(1.0), t(2.0), t(3.0), t(-2.25), t(-0.25), t(-0.25)).item() == pytest.approx(2.5)
    # non-uniform spacing, y = -(x - 2.2)^2 at 1, 2, 4: -1.44, -0.04, -3.24 -> 2.2
    assert peak_of_three(t(1.0), t(2.0), t(4.0), t(-1.44), t(-0.04), t(-3.24)).item() == pytest.approx(2.2)
    # collinear (flat) -> the middle point
    assert peak_of_three(t(1.0), t(2.0), t(3.0), t(5.0), t(5.0), t(5.0)).item() == 2.0


def band_stack():
    """Three images of one texture, image i sharp in vertical band i (12 px wide) and blurred (sigma 2) elsewhere."""
    sharp = texture(24, 36)
    blurred = gaussian_blur(sharp, 2.0)
    images = []
    for i in range(3):
        image = blurred.clone()
        image[:, :, 12 * i:12 * (i + 1)] = sharp[:, :, 12 * i:12 * (i + 1)]
        images.append(image)
    return torch.stack(images)[None]


def test_pixel_sharp_in_image_i_gets_focus_i():
    stack, focus = band_stack(), torch.tensor([[1.0, 2.0, 3.0]])
    for interpolation in ("none", "gaussian", "parabolic"):
        depth = depth_from_focus(stack, focus, window=3, interpolation=interpolation)[0, 0]
        # band interiors, 3 px from the band edges (window radius 1 + ML step 1 + margin)
        assert torch.allclose(depth[:, 3:9], torch.tensor(1.0)), interpolation
        # middle band: both neighbours are equally blurred, so the interpolated peak is exactly focus[1]
        assert torch.allclose(depth[:, 15:21], torch.tensor(2.0), atol=1e-6), interpolation
        assert torch.allclose(depth[:, 27:33], torch.tensor(3.0)), interpolation


def test_stack_order_does_not_matter():
    stack, focus = band_stack(), torch.tensor([[1.0, 2.0, 3.0]])
    order = [2, 0, 1]
    shuffled = depth_from_focus(stack[:, order], focus[:, order], window=3)
    assert torch.equal(shuffled, depth_from_focus(stack, focus, window=3))


def focus_curve_stack(curve, distances):
    """SML is linear in the image's amplitude, so image t = curve(f_t) * texture has focus measure
    curve(f_t) * SML(texture) at every pixel: a focus curve of known shape."""
    sharp = texture(16, 16)
    return torch.stack([curve(f) * sharp for f in distances])[None], torch.tensor([distances])


def test_gaussian_interpolation_recovers_the_peak_of_a_gaussian_focus_curve():
    distances = [1.0, 1.5, 2.0, 2.5, 3.0]
    stack, focus = focus_curve_stack(lambda f: math.exp(-(f - 2.3) ** 2 / (2 * 0.5 ** 2)), distances)
    depth = depth_from_focus(stack.double(), focus.double(), window=3, interpolation="gaussian")
    assert torch.allclose(depth, torch.tensor(2.3, dtype=torch.float64), atol=1e-9)
    # without interpolation: the nearest focus distance
    assert torch.equal(depth_from_focus(stack, focus, window=3, interpolation="none"), torch.full_like(depth, 2.5).float())


def test_parabolic_interpolation_recovers_the_peak_of_a_parabolic_focus_curve():
    stack, focus = focus_curve_stack(lambda f: 1.0 - (f - 1.8) ** 2, [1.0, 1.6, 2.4, 3.0])   # non-uniform
    depth = depth_from_focus(stack.double(), focus.double(), window=3, interpolation="parabolic")
    assert torch.allclose(depth, torch.tensor(1.8, dtype=torch.float64), atol=1e-9)


def test_one_image_returns_its_focus_distance_and_two_images_the_sharper_one():
    stack = band_stack()
    one = depth_from_focus(stack[:, :1], torch.tensor([[4.0]]))
    assert one.shape == (1, 1, 24, 36) and torch.equal(one, torch.full_like(one, 4.0))
    two = depth_from_focus(stack[:, :2], torch.tensor([[1.0, 2.0]]), window=3)[0, 0]
    assert torch.all(two[:, 3:9] == 1.0) and torch.all(two[:, 15:21] == 2.0)


def test_bad_input_is_rejected():
    stack = band_stack()
    with pytest.raises(ValueError, match="focus must be"):
        depth_from_focus(stack, torch.tensor([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="positive"):
        depth_from_focus(stack, torch.tensor([[1.0, float("nan"), 3.0]]))
    with pytest.raises(ValueError, match="interpolation"):
        depth_from_focus(stack, torch.tensor([[1.0, 2.0, 3.0]]), interpolation="cubic")
    with pytest.raises(ValueError, match="stack must be"):
        depth_from_focus(stack[0], torch.tensor([[1.0, 2.0, 3.0]]))


def test_constant_baselines():
    depth = torch.rand(2, 1, 3, 4)
    assert torch.equal(constant_depth(depth, 2.5), torch.full((2, 1, 3, 4), 2.5))
    arrays = [np.array([[0.0, 1.0, 2.0]], np.float32), np.array([[3.0, 0.0, 10.0]], np.float32)]
    assert training_median_depth(arrays, stride=1) == pytest.approx(2.5)    # median of 1, 2, 3, 10
    with pytest.raises(ValueError):
        training_median_depth([np.zeros((2, 2), np.float32)])
