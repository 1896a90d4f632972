"""The GPU benchmark's pieces that need no onnxruntime: argument parsing, inputs, statistics, the table."""
import argparse

import numpy as np
import pytest

from depthstream_trainer import bench_onnx


def test_sizes_and_batches_parse_and_bad_ones_name_the_problem():
    assert bench_onnx.parse_size("640x480") == (480, 640)
    assert bench_onnx.parse_batches("1,8,32") == [1, 8, 32]
    with pytest.raises(argparse.ArgumentTypeError, match="WIDTHxHEIGHT"):
        bench_onnx.parse_size("640")
    with pytest.raises(argparse.ArgumentTypeError, match=">= 1"):
        bench_onnx.parse_batches("0,4")


def test_sparse_input_is_depth_with_its_mask_at_about_five_percent():
    x = bench_onnx.synthetic_input("sparse", (2, 2, 48, 64))
    assert x.shape == (2, 2, 48, 64) and x.dtype == np.float32
    mask = x[:, 1]
    assert set(np.unique(mask)) <= {0.0, 1.0}
    assert 0.02 < mask.mean() < 0.08
    assert np.all((x[:, 0] > 0) == (mask > 0))
    low = bench_onnx.synthetic_input("low_res", (3, 1, 10, 12))
    assert low.shape == (3, 1, 10, 12) and np.all(low > 0)


def test_fps_counts_every_frame_of_a_batch():
    row = bench_onnx.summarise(8, [0.004] * 98 + [0.008] * 2)
    assert row["p50_ms"] == pytest.approx(4.0)
    assert row["p99_ms"] == pytest.approx(8.0)  # nearest rank: the 99th of 100
    assert row["fps"] == pytest.approx(8 * 1000.0 / 4.08)
    text = bench_onnx.table([row], "NVIDIA H100", "fast_interp_x4.onnx", (480, 640))
    assert "640x480 on NVIDIA H100" in text and "| 8 | 4.00 | 8.00 | 1961 |" in text


def test_block_input_is_pytorchs_pixel_unshuffle():
    import torch
    x = bench_onnx.synthetic_input("sparse", (2, 2, 16, 24))
    expected = torch.nn.functional.pixel_unshuffle(torch.from_numpy(x), 4).numpy()
    assert np.array_equal(bench_onnx.to_blocks(x, 4), expected)
