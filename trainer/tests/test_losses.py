import math

import pytest
import torch

from depthstream_trainer.losses import (EdgeSSIMLoss, VGGPerceptualLoss, gradient_loss, make_perceptual_loss,
                                        masked_l1, masked_mse, ssim, tv_loss, vgg16_to_conv3_1)
from depthstream_trainer.metrics import depth_metrics


def t(rows):
    return torch.tensor(rows, dtype=torch.float32)[None, None]


def test_tv_loss_hand_computed():
    # dy: |2-0|, |4-1| -> mean 2.5; dx: |1-0|, |4-2| -> mean 1.5
    assert tv_loss(t([[0, 1], [2, 4]])).item() == pytest.approx(4.0)
    assert tv_loss(t([[3, 3], [3, 3]])).item() == 0.0


def test_gradient_loss_hand_computed():
    # pred dy (2, 3) vs target dy (0, 1): mean 2; pred dx (1, 2) vs target dx (0, 1): mean 1
    assert gradient_loss(t([[0, 1], [2, 4]]), t([[1, 1], [1, 2]])).item() == pytest.approx(3.0)
    # a constant offset has the same gradients
    assert gradient_loss(t([[0, 1], [2, 4]]) + 5, t([[0, 1], [2, 4]])).item() == pytest.approx(0.0)


def test_masked_mse_ignores_pixels_without_ground_truth():
    pred, target, valid = t([[1, 2], [3, 4]]), t([[1, 0], [5, 4]]), t([[1, 0], [1, 1]])
    assert masked_mse(pred, target, valid).item() == pytest.approx(4.0 / 3.0)


def test_masked_l1_ignores_pixels_without_ground_truth():
    pred, target, valid = t([[1, 2], [3, 4]]), t([[1, 0], [5, 4]]), t([[1, 0], [1, 1]])
    assert masked_l1(pred, target, valid).item() == pytest.approx(2.0 / 3.0)


def test_ssim_is_one_for_identical_and_lower_for_noisy_images():
    x = torch.rand(1, 1, 32, 32, generator=torch.Generator().manual_seed(0))
    assert ssim(x, x).item() == pytest.approx(1.0, abs=1e-5)
    noisy = x + 0.3 * torch.randn(1, 1, 32, 32, generator=torch.Generator().manual_seed(1))
    assert ssim(x, noisy).item() < 0.8


def test_depth_metrics_hand_computed():
    pred, target = t([[2, 2], [4, 9]]), t([[1, 2], [4, 0]])   # errors 1, 0, 0 on valid pixels
    m = depth_metrics(pred, target, max_depth=10.0)
    assert m["rmse"] == pytest.approx(math.sqrt(1 / 3))
    assert m["mae"] == pytest.approx(1 / 3)
    assert m["rel"] == pytest.approx(1 / 3)        # (1/1 + 0 + 0) / 3
    assert m["psnr"] == pytest.approx(10 * math.log10(100 / (1 / 3)))


def test_substitute_perceptual_loss_without_weights():
    loss = make_perceptual_loss("", max_depth=10.0)
    assert isinstance(loss, EdgeSSIMLoss)
    x = 10 * torch.rand(1, 1, 24, 24)
    assert loss(x, x).item() == pytest.approx(0.0, abs=1e-5)
    assert loss(x, torch.flip(x, [3])).item() > 0.05


def test_vgg_loss_loads_a_torchvision_state_dict(tmp_path):
    features = vgg16_to_conv3_1()
    state = {f"features.{k}": v for k, v in features.state_dict().items()}
    state["features.12.weight"] = torch.zeros(256, 256, 3, 3)          # later layers are ignored
    state["classifier.0.weight"] = torch.zeros(4096, 25088 // 1000)
    path = tmp_path / "vgg16.pth"
    torch.save(state, path)
    loss = make_perceptual_loss(str(path), max_depth=10.0)
    assert isinstance(loss, VGGPerceptualLoss)
    assert torch.equal(loss.features[10].weight, state["features.10.weight"])
    x = 10 * torch.rand(1, 1, 16, 16)
    assert loss(x, x).item() == 0.0
    assert loss(x, 10 - x).item() > 0.0
    assert not any(p.requires_grad for p in loss.parameters())


def test_vgg_loss_rejects_other_state_dicts(tmp_path):
    path = tmp_path / "other.pth"
    torch.save({"features.0.weight": torch.zeros(64, 3, 3, 3)}, path)
    with pytest.raises(ValueError, match="missing"):
        VGGPerceptualLoss(str(path), 10.0)
