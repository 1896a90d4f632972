import json
import os

import numpy as np
import onnx
import pytest
import torch

from depthstream_trainer.config import FastInterpConfig, FocalStackConfig, SRGeneratorConfig
from depthstream_trainer.models import build_model
from depthstream_trainer.fast_interp import (BLOCK_SIZE_KEY, INPUT_MULTIPLE_KEY, KEEP_SAMPLES_KEY, FastInterpNet,
                                             run_padded)
from depthstream_trainer.focal_stack import FocalStackNet
from depthstream_trainer.model_card import sha256, write_model_card
from depthstream_trainer.onnx_export import export_onnx, load_onnx_weights, read_io
from depthstream_trainer.sr_gan import SRGenerator

# ONNX Runtime supports all of these on CPU; anything else (ATen fallbacks, custom domains) would break Java.
KNOWN_OPS = {"Conv", "ConvTranspose", "Relu", "Elu", "Add", "Mul", "Div", "Sub", "Concat", "Slice", "Pad",
             "AveragePool", "DepthToSpace", "Tanh", "LSTM", "Reshape", "Transpose", "Shape", "Gather", "Mod",
             "Constant", "ConstantOfShape", "Expand", "Unsqueeze", "Squeeze", "Cast", "Where", "Equal", "Clip",
             "Max", "LayerNormalization", "Identity", "Range", "Min", "ReduceSum", "Resize", "Greater", "Split"}
KNOWN_OPS |= {"ReduceMax", "GreaterOrEqual", "Less", "LessOrEqual"}  # SR: frame scale, coverage
KNOWN_OPS |= {"Reciprocal"}  # fast: 1 / frame scale of the fused patch embedding
KNOWN_OPS |= {"ReduceMean"}  # fast in block layout: the valid-aware pooling

CASES = {"fast": FastInterpNet(FastInterpConfig(width=16)),
         "sr": SRGenerator(SRGeneratorConfig(width=8, blocks=1)),
         "focal": FocalStackNet(FocalStackConfig(widths=(4, 8, 8)))}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_export_round_trip(kind, tmp_path):
    torch.manual_seed(0)
    model = CASES[kind]
    path = str(tmp_path / f"{kind}.onnx")
    io_json = export_onnx(model, kind, path)
    graph = onnx.load(path)
    onnx.checker.check_model(graph)
    assert graph.opset_import[0].version == 17
    assert {n.op_type for n in graph.graph.node} <= KNOWN_OPS
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in graph.graph.input}
    expected = {"fast": {"sparse": ["N", 2, "H", "W"]}, "sr": {"low_res": ["N", 1, "h", "w"]},
                "focal": {"stack": ["N", "T", 3, "H", "W"], "focus": ["N", "T"]}}[kind]
    assert dims == expected
    # the stored test I/O reproduces: inputs fed to the reloaded PyTorch weights give the stored output
    tensors = read_io(io_json)
    with open(io_json) as f:
        spec = json.load(f)
    reloaded = build_model(kind, {k: v for k, v in model.config.__dict__.items()})
    reloaded.load_state_dict(model.state_dict())
    reloaded.export_layout = kind == "fast"     # the stored output is the graph's (keep_samples is the runner's)
    with torch.no_grad():
        out = reloaded.eval()(*[torch.from_numpy(tensors[t["name"]]) for t in spec["inputs"]])
    assert spec["tolerance"] == 1e-4 and spec["outputs"][0]["shape"] == list(out.shape)
    assert np.allclose(out.numpy(), tensors["depth"], atol=1e-5)
    # the raw files are little-endian float32 of exactly the stated shape
    first = spec["inputs"][0]
    assert os.path.getsize(tmp_path / first["file"]) == 4 * int(np.prod(first["shape"]))


def test_model_card_states_size_cost_and_checksum(tmp_path):
    model = CASES["fast"]
    path = str(tmp_path / "fast.onnx")
    export_onnx(model, "fast", path)
    card = open(write_model_card(path, model, "fast", None)).read()
    assert sha256(path) in card
    assert f"| parameters | {sum(p.numel() for p in model.parameters()):,} |" in card
    assert "MACs (output 640x480)" in card and "random weights" in card


def test_fast_export_declares_its_input_multiple_and_pads_nothing_itself(tmp_path):
    torch.manual_seed(1)
    model = FastInterpNet().eval()
    torch.nn.init.normal_(model.head[-1].weight, std=0.05)
    path = str(tmp_path / "fast.onnx")
    io_json = export_onnx(model, "fast", path)
    graph = onnx.load(path)
    assert {p.key: p.value for p in graph.metadata_props} == {INPUT_MULTIPLE_KEY: "8", KEEP_SAMPLES_KEY: "1"}
    # one full-resolution AveragePool (kernel 4) does the valid-aware downscale; the rest are pyramid halvings
    pools = [n for n in graph.graph.node if n.op_type == "AveragePool"]
    kernels = [list(a.ints) for n in pools for a in n.attribute if a.name == "kernel_shape"]
    assert kernels.count([4, 4]) == 1 and all(k in ([4, 4], [2, 2]) for k in kernels)
    # the stored test input is the default 50 x 70 request padded up to multiples of 8 (56 x 72) with zeros, and
    # its stored output, cropped, is what the padding helper gives on the unpadded 50 x 70 frame
    tensors = read_io(io_json)
    sparse = torch.from_numpy(tensors["sparse"])
    assert list(sparse.shape) == [1, 2, 56, 72]
    with torch.no_grad():
        cropped = run_padded(model, sparse[..., :50, :70])
    # keep_samples is the runner's: the stored output with the measured samples put back is the model's
    kept = np.where(tensors["sparse"][:, 1:2] > 0.5, tensors["sparse"][:, 0:1], tensors["depth"])
    assert np.allclose(cropped.numpy(), kept[..., :50, :70], atol=1e-5)
    assert not np.allclose(tensors["depth"], kept, atol=1e-3)   # ... and the graph left them to it


def test_fast_export_layout_is_the_training_function_without_its_where():
    torch.manual_seed(2)
    model = FastInterpNet(FastInterpConfig(prefill_levels=6)).eval()
    torch.nn.init.normal_(model.head[-1].weight, std=0.05)
    x = next(iter(example_inputs_for(model).values()))
    with torch.no_grad():
        trained = model(x)
        model.export_layout = True
        exported = model(x)
    kept = torch.where(x[:, 1:2] > 0.5, x[:, 0:1], exported)
    assert torch.allclose(kept, trained, atol=1e-5)
    assert not torch.allclose(exported, trained, atol=1e-3)
    # the graph has no full-resolution Where or DepthToSpace of the 2x block; one ConvTranspose does it
    graph_ops = _ops_of_export(model)
    assert "Where" not in graph_ops and graph_ops.count("DepthToSpace") == 1 and graph_ops.count("ConvTranspose") == 1


def test_fast_export_without_keep_samples_declares_nothing_to_keep(tmp_path):
    model = FastInterpNet(FastInterpConfig(keep_samples=False)).eval()
    path = str(tmp_path / "fast.onnx")
    export_onnx(model, "fast", path)
    assert {p.key: p.value for p in onnx.load(path).metadata_props} == {INPUT_MULTIPLE_KEY: "8"}


def test_weights_load_back_from_an_exported_fast_model(tmp_path):
    torch.manual_seed(3)
    model = FastInterpNet(FastInterpConfig(prefill_levels=5)).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.1)
    path = str(tmp_path / "fast.onnx")
    export_onnx(model, "fast", path)
    loaded = FastInterpNet(FastInterpConfig(prefill_levels=5)).eval()
    load_onnx_weights(loaded, path)
    masked = {k: v for k, v in model.state_dict().items()}
    masked["embed.weight"] = model.embed.weight * model.embed.mask     # only the masked part is in the graph
    for key, value in loaded.state_dict().items():
        assert torch.allclose(value, masked[key], atol=1e-7), key
    wrong = FastInterpNet(FastInterpConfig(width=32)).eval()
    with pytest.raises(ValueError, match="shape"):
        load_onnx_weights(wrong, path)


def test_block_export_is_the_plain_export_in_space_to_depth_layout_without_full_resolution_ops(tmp_path):
    torch.manual_seed(5)
    model = FastInterpNet(FastInterpConfig(prefill_levels=6)).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.1)
    plain_json = export_onnx(model, "fast", str(tmp_path / "plain.onnx"))
    blocks_json = export_onnx(model, "fast", str(tmp_path / "blocks.onnx"), block_io=True)
    plain, blocks = read_io(plain_json), read_io(blocks_json)
    # the stored tensors are the plain ones, pixel-unshuffled by the downscale (the Java runner's layout)
    unshuffle = torch.nn.functional.pixel_unshuffle
    assert np.array_equal(blocks["sparse_blocks"], unshuffle(torch.from_numpy(plain["sparse"]), 4).numpy())
    assert np.allclose(blocks["depth_blocks"], unshuffle(torch.from_numpy(plain["depth"]), 4).numpy(), atol=1e-5)
    graph = onnx.load(str(tmp_path / "blocks.onnx"))
    assert {p.key: p.value for p in graph.metadata_props} == {INPUT_MULTIPLE_KEY: "8", KEEP_SAMPLES_KEY: "1",
                                                              BLOCK_SIZE_KEY: "4"}
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in graph.graph.input}
    assert dims == {"sparse_blocks": ["N", 32, "h", "w"]}
    assert [d.dim_param or d.dim_value for d in graph.graph.output[0].type.tensor_type.shape.dim] == ["N", 16, "h", "w"]
    ops = [n.op_type for n in graph.graph.node]
    assert set(ops) <= KNOWN_OPS and "DepthToSpace" not in ops and "Where" not in ops
    # no full-resolution pooling left: every AveragePool is a 2x2 halving of the prefill's pyramid
    kernels = [list(a.ints) for n in graph.graph.node if n.op_type == "AveragePool" for a in n.attribute
               if a.name == "kernel_shape"]
    assert kernels and all(k == [2, 2] for k in kernels)
    # the same weights load back from the block layout
    loaded = FastInterpNet(FastInterpConfig(prefill_levels=6)).eval()
    load_onnx_weights(loaded, str(tmp_path / "blocks.onnx"))
    reference = FastInterpNet(FastInterpConfig(prefill_levels=6)).eval()
    load_onnx_weights(reference, str(tmp_path / "plain.onnx"))
    for key, value in loaded.state_dict().items():
        assert torch.equal(value, reference.state_dict()[key]), key
    with pytest.raises(ValueError, match="block_io"):
        export_onnx(FastInterpNet(FastInterpConfig(downscale=1)), "fast", str(tmp_path / "full.onnx"), block_io=True)


def test_weights_load_back_from_an_exported_focal_model_lstm_included(tmp_path):
    torch.manual_seed(4)
    config = FocalStackConfig(widths=(4, 8, 8), sharpness=True, output="relative")
    model = FocalStackNet(config).eval()
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.1)
    path = str(tmp_path / "focal.onnx")
    export_onnx(model, "focal", path)
    loaded = FocalStackNet(config).eval()
    assert load_onnx_weights(loaded, path) == []
    for key, value in loaded.state_dict().items():
        assert torch.allclose(value, model.state_dict()[key], atol=1e-7), key
    # a model with a part the file lacks: only with allow_missing, and the rest still loads
    headed = FocalStackNet(FocalStackConfig(widths=(4, 8, 8), sharpness=True, output="relative", focus_head=4))
    with pytest.raises(ValueError, match="focus_head"):
        load_onnx_weights(headed, path)
    missing = load_onnx_weights(headed, path, allow_missing=True)
    assert missing and all(k.startswith("focus_head.") for k in missing)
    assert torch.equal(headed.lstm.weight_hh_l0, model.lstm.weight_hh_l0)


def example_inputs_for(model):
    from depthstream_trainer.onnx_export import example_inputs
    return example_inputs("fast", model)


def _ops_of_export(model):
    import io
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, (next(iter(example_inputs_for(model).values())),), buffer, opset_version=17)
    return [n.op_type for n in onnx.load_from_string(buffer.getvalue()).graph.node]
