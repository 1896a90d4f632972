"""ONNX export (opset 17, dynamic N/H/W and stack length T) with a fixed test input and the PyTorch output
beside each model, so the Java side can check ONNX Runtime against PyTorch.

Files for models/NAME.onnx:
    NAME.io.json           {"tolerance": 1e-4, "inputs": [{"name", "shape", "dtype", "file"}], "outputs": [...]}
    NAME.<tensor>.bin      raw little-endian float32, row-major (C order), shape from the JSON
    NAME.md                model card

Models that need H and W to be multiples of some m (the fast net v2: m = 2 * downscale, no padding in the
graph) carry ``depthstream.input_multiple`` = "m" in the ONNX metadata_props; the caller zero-pads the input
bottom/right to that multiple and crops the output. Their test I/O uses such a size.

Usage:
    /usr/bin/python3 -m depthstream_trainer.export --checkpoint runs/fast/checkpoint.pt --name fast_uniform
    /usr/bin/python3 -m depthstream_trainer.export --kind sr --preset srgan --factor 4 --name sr_srgan_x4
    # the same weights in the current graph layout (no checkpoint needed; the card keeps its training sections)
    /usr/bin/python3 -m depthstream_trainer.export --from-onnx ../models/fast_interp_x4.onnx --name fast_interp_x4 \
        --speed speed.md
    # ... in block layout (no full-resolution tensor in the graph; the runner packs and pixel-shuffles)
    /usr/bin/python3 -m depthstream_trainer.export --from-onnx ../models/fast_interp_x4.onnx --name fast_interp_x4 \
        --block-io
"""
import argparse
import os

import torch

from .config import FastInterpConfig, FocalStackConfig, SRGeneratorConfig, srgan_size_generator, to_dict
from .models import KINDS, build_model
from .onnx_export import export_with_card, from_onnx


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", help="trained checkpoint; without it the model has random weights")
    parser.add_argument("--kind", choices=sorted(KINDS), help="model kind when no checkpoint is given")
    parser.add_argument("--from-onnx", help="re-export the weights of this ONNX file (exported by this trainer) in "
                        "the current graph layout; its model card (same name, .md) gives the configuration, and "
                        "its training and validation sections are kept")
    parser.add_argument("--name", required=True, help="file name stem in --models-dir")
    parser.add_argument("--models-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "models"))
    parser.add_argument("--preset", choices=["default", "srgan"], default="default",
                        help="sr only: 'srgan' = SRGAN-size generator (16 blocks, 64 ch) for speed comparison")
    parser.add_argument("--factor", type=int, default=4, help="sr only")
    parser.add_argument("--activation", help="override the activation (random-weight exports)")
    parser.add_argument("--full-resolution", action="store_true", help="fast only: no downscaling (downscale 1)")
    parser.add_argument("--keep-samples", type=int, choices=[0, 1],
                        help="fast only: override keep_samples (1: measured samples replace the prediction)")
    parser.add_argument("--prefill-levels", type=int,
                        help="fast only: override the push-pull prefill's halvings (a parameter-free part of the "
                             "graph; more levels fill bigger holes, the trained weights are unchanged)")
    parser.add_argument("--block-io", action="store_true",
                        help="fast only: input and output in block layout (space-to-depth by the downscale: "
                             "sparse_blocks [N, 2 s^2, H/s, W/s] -> depth_blocks [N, s^2, H/s, W/s]; the runner "
                             "packs and pixel-shuffles in its copy loops; metadata depthstream.block_size)")
    parser.add_argument("--speed", help="fast only: markdown lines with measured ONNX Runtime timings for the card")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--comparison", help="markdown file (evaluate_shards --out) shown in the card as the "
                        "validation against the baselines")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    training = None
    if args.from_onnx:
        kind, model, training = from_onnx(args.from_onnx)
    elif args.checkpoint:
        state = torch.load(args.checkpoint, map_location="cpu")
        kind = state["kind"]
        model_config = dict(state["model_config"])
        if args.keep_samples is not None and kind == "fast":
            model_config["keep_samples"] = bool(args.keep_samples)
        if args.prefill_levels is not None and kind == "fast":
            model_config["prefill_levels"] = args.prefill_levels
        model = build_model(kind, model_config)
        model.load_state_dict(state["models"]["model"])
        training = {k: state[k] for k in ("step", "train_config", "history", "extra")}
        if args.comparison:
            with open(args.comparison) as f:
                training["comparison"] = f.read()
    else:
        if not args.kind:
            parser.error("give --checkpoint or --kind")
        kind = args.kind
        if kind == "sr":
            config = srgan_size_generator(args.factor) if args.preset == "srgan" else SRGeneratorConfig(factor=args.factor)
        elif kind == "fast":
            config = FastInterpConfig(downscale=1 if args.full_resolution else 4)
            if args.keep_samples is not None:
                config.keep_samples = bool(args.keep_samples)
        else:
            config = FocalStackConfig()
        if args.activation:
            config.activation = args.activation
        model = build_model(kind, to_dict(config))
    if args.speed:
        with open(args.speed) as f:
            speed = f.read()
        training = dict(training or {}, speed=speed) if training else {"speed": speed}
    card = export_with_card(model, kind, args.models_dir, args.name, training, block_io=args.block_io)
    print(f"wrote {os.path.splitext(card)[0]}.onnx, .io.json, .md")


if __name__ == "__main__":
    main()
