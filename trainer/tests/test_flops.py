import torch
from torch import nn

from depthstream_trainer.flops import count_macs, count_params


def test_hand_counted_layers():
    assert count_macs(nn.Conv2d(2, 4, 3, padding=1), torch.zeros(1, 2, 5, 5))["total"] == 5 * 5 * 4 * 2 * 9
    assert count_macs(nn.Linear(3, 5), torch.zeros(2, 3))["total"] == 2 * 5 * 3
    assert count_macs(nn.LSTM(4, 6), torch.zeros(3, 2, 4))["total"] == 3 * 2 * 4 * 6 * (4 + 6)
    assert count_macs(nn.ConvTranspose2d(4, 2, 4, 2, 1), torch.zeros(1, 4, 3, 3))["total"] == 36 * 2 * 16


def test_sums_over_a_network_and_ignores_elementwise_layers():
    net = nn.Sequential(nn.Conv2d(1, 2, 1), nn.ReLU(), nn.BatchNorm2d(2), nn.Conv2d(2, 3, 1, stride=2))
    counts = count_macs(net, torch.zeros(1, 1, 4, 4))
    assert counts["total"] == 16 * 2 * 1 + 4 * 3 * 2
    assert count_params(net) == (2 + 2) + (2 + 2) + (6 + 3)
