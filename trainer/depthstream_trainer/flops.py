"""Hook-based multiply-accumulate counter.

Counts the layers that carry the work: Conv2d (and subclasses), ConvTranspose2d, Linear and LSTM, plus any module
with a ``macs(inputs, output)`` method (fixed convolutions written with F.conv2d). Element-wise layers
(activations, norms, additions, pooling) are left out: BatchNorm folds into the convolutions at export and the
rest is a few operations per element, negligible next to a 3x3 convolution."""
from collections import defaultdict
from typing import Dict

import torch
from torch import nn


def _conv_macs(module: nn.Conv2d, inputs, output) -> int:
    kh, kw = module.kernel_size
    return output.numel() * (module.in_channels // module.groups) * kh * kw


def _conv_transpose_macs(module: nn.ConvTranspose2d, inputs, output) -> int:
    kh, kw = module.kernel_size
    return inputs[0].numel() * (module.out_channels // module.groups) * kh * kw


def _linear_macs(module: nn.Linear, inputs, output) -> int:
    return output.numel() * module.in_features


def _lstm_macs(module: nn.LSTM, inputs, output) -> int:
    x = inputs[0]
    steps_times_batch = x.shape[0] * x.shape[1]
    h, total, in_size = module.hidden_size, 0, module.input_size
    for _ in range(module.num_layers):
        total += steps_times_batch * 4 * h * (in_size + h)   # four gates, input and recurrent matmuls
        in_size = h
    return total


_COUNTERS = {nn.Conv2d: _conv_macs, nn.ConvTranspose2d: _conv_transpose_macs, nn.Linear: _linear_macs,
             nn.LSTM: _lstm_macs}


def count_macs(model: nn.Module, *inputs: torch.Tensor) -> Dict[str, int]:
    """Run ``model(*inputs)`` once in eval mode and return MACs per layer type plus "total" (whole batch)."""
    counts: Dict[str, int] = defaultdict(int)
    handles = []
    for module in model.modules():
        counter = getattr(module, "macs", None) or next(
            (c for t, c in _COUNTERS.items() if isinstance(module, t)), None)
        if counter is not None:
            def hook(mod, inp, out, counter=counter):
                out = out if torch.is_tensor(out) else out[0]
                counts[type(mod).__name__] += counter(inp, out) if hasattr(mod, "macs") else counter(mod, inp, out)
            handles.append(module.register_forward_hook(hook))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    result = dict(counts)
    result["total"] = sum(counts.values())
    return result


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
