"""Post-training int8 quantization of the fast model (QDQ form). The numbers ONNX Runtime computes from it are
checked on the Java side (ShippedModelsParityTest, against the float model's PyTorch output); here: the
parameters, which tensors are quantized, and that the graph stays a valid model with its metadata."""
import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

from depthstream_trainer.config import FastInterpConfig
from depthstream_trainer.fast_interp import FastInterpNet
from depthstream_trainer.onnx_export import export_onnx
from depthstream_trainer.quantize_int8 import activation_scale, calibrate, quantize, quantize_weight


def test_weights_get_one_symmetric_scale_per_output_channel():
    rng = np.random.default_rng(0)
    weight = rng.normal(size=(4, 3, 3, 3)).astype(np.float32) * np.array([1, 10, 0.1, 0], np.float32)[:, None, None, None]
    quantized, scale = quantize_weight(weight)
    assert quantized.dtype == np.int8 and scale.shape == (4,)
    assert np.abs(quantized).max() == 127          # the largest weight of a channel maps to +-127
    restored = quantized.astype(np.float32) * scale[:, None, None, None]
    assert np.all(np.abs(restored - weight) <= scale[:, None, None, None] / 2 + 1e-7)
    assert np.all(quantized[3] == 0)               # an all-zero channel stays zero, without dividing by zero


@pytest.mark.parametrize("lo,hi", [(0.0, 6.0), (-10.3, 4.7), (2.0, 5.0), (-3.0, -1.0)])
def test_activation_parameters_cover_the_range_and_hold_zero_exactly(lo, hi):
    scale, zero = activation_scale(lo, hi)
    assert 0 <= zero <= 255
    # The codes span the range to within half a step at each end (the zero point is rounded to a code).
    assert scale * (0 - zero) <= min(lo, 0.0) + scale / 2
    assert scale * (255 - zero) >= max(hi, 0.0) - scale / 2
    assert (0.0 / scale + zero) == zero                         # 0 is a code: zero padding stays exact


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    torch.manual_seed(3)
    model = FastInterpNet(FastInterpConfig(width=8, prefill_levels=4)).eval()
    path = str(tmp_path_factory.mktemp("q") / "fast.onnx")
    export_onnx(model, "fast", path)
    inputs = []
    for _ in range(3):
        depth = torch.rand(1, 1, 32, 40) * 8
        mask = (torch.rand(1, 1, 32, 40) < 0.1).float()
        inputs.append(torch.cat([depth * mask, mask], 1))
    return model, onnx.load(path), inputs


def test_calibration_names_onnx_tensors_of_the_named_convolutions(exported):
    model, graph_model, inputs = exported
    ranges = calibrate(model, inputs, graph_model.graph)
    names = {t for n in graph_model.graph.node for t in list(n.input) + list(n.output)}
    assert ranges and set(ranges) <= names
    relu_outputs = {n.output[0] for n in graph_model.graph.node if n.op_type == "Relu"}
    assert sum(hi > lo for lo, hi in ranges.values()) >= len(ranges) - 1   # (the untrained head's output is 0)
    for tensor, (lo, hi) in ranges.items():
        assert lo <= 0.0 <= hi
        if tensor in relu_outputs:
            assert lo == 0.0                        # a ReLU's output is calibrated from 0


def test_quantized_graph_reads_int8_weights_and_uint8_activations(exported):
    model, graph_model, inputs = exported
    ranges = calibrate(model, inputs, graph_model.graph)
    ranges.pop(next(t for t in ranges if t.endswith("Conv_output_0")))    # one conv output left float
    q = quantize(graph_model, ranges)
    nodes = q.graph.node
    producers = {o: n for n in nodes for o in n.output}
    inits = {t.name: numpy_helper.to_array(t) for t in q.graph.initializer}
    quantized_convs = 0
    for n in nodes:
        if n.op_type != "Conv":
            continue
        weight_producer = producers.get(n.input[1])
        if weight_producer is None or weight_producer.op_type == "Constant":
            continue                                # float: the embedding's folded weight, convs left float
        quantized_convs += 1
        assert weight_producer.op_type == "DequantizeLinear"
        assert inits[weight_producer.input[0]].dtype == np.int8
        assert producers[n.input[0]].op_type == "DequantizeLinear"     # its input went through uint8
    assert quantized_convs >= 4
    quantizers = {n.input[0]: n for n in nodes if n.op_type == "QuantizeLinear"}
    assert set(quantizers) == set(ranges)           # exactly the calibrated tensors, not the one left float
    for tensor, (lo, hi) in ranges.items():
        scale = float(inits[quantizers[tensor].input[1]])
        assert scale == pytest.approx(max((max(hi, 0) - min(lo, 0)) / 255, 1e-8), rel=1e-6)
        assert inits[quantizers[tensor].input[2]].dtype == np.uint8
    assert {p.key: p.value for p in q.metadata_props} == {p.key: p.value for p in graph_model.metadata_props}
    onnx.checker.check_model(q)
