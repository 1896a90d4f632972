"""One dataclass per experiment: model architecture, loss weights and training schedule.

Configs are stored in checkpoints and model cards as plain dicts (``dataclasses.asdict``), so a run can be
resumed or exported without the command line that started it."""
import dataclasses
from dataclasses import dataclass, field
from typing import List, Tuple


@dataclass
class FastInterpConfig:
    """Fast sparse-to-dense interpolation net (DESIGN.md research item 1)."""
    downscale: int = 4          # 1 = the full-resolution variant used for the speed ratio
    width: int = 16             # channels at 1/downscale; 2*width at 1/(2*downscale); multiple of 16 (NCHWc)
    activation: str = "relu"
    max_depth: float = 80.0     # metres; only the PSNR / SSIM peak of the metrics (v2 normalises per frame)
    prefill_levels: int = 4     # push-pull halvings of the low-resolution prefill
    keep_samples: bool = True   # measured samples replace the prediction at full resolution
    patch_embed: bool = True    # strided s x s conv of the full-resolution input: where samples lie in a block


@dataclass
class SensorMatchConfig:
    """Training inputs redrawn per batch to look like the real sensors (issue 15; ``sensor_model``). Frames keep
    the Java exporter's pattern kind: ``uniform`` frames get a random density, ``semidense`` frames are re-chosen
    on the depth gradient (as ``eval --pattern semidense`` does on a depth-only frame), ``lidar`` frames lose a
    random share of their points; indoor frames become Kinect-like depth first (input and target alike)."""
    kinect_fraction: float = 0.8        # share of indoor frames given Kinect quantisation + noise
    max_noise_units: float = 0.6        # correlated disparity noise std, raw Kinect units, uniform in [0, max]
    shadow_fraction: float = 0.0        # share of those frames with projector shadows (0: off, as in runs a, b)
    focal_fraction: float = 580.0 / 640.0   # Kinect v1 focal length / image width, for the shadow width
    max_dropout: float = 0.15           # shadowed frames also lose blobs covering uniform [0, max] of the frame
    density_low: float = 5e-4           # uniform frames: half log-uniform in [low, high] ...
    density_high: float = 0.25
    focus_low: float = 0.02             # ... half uniform in [focus_low, focus_high] (the 5 % rows)
    focus_high: float = 0.1
    semidense_fraction: float = 0.1
    semidense_noise: float = 0.01
    max_lidar_drop: float = 0.3         # lidar frames: share of points removed, uniform in [0, max]


@dataclass
class SRGeneratorConfig:
    """Depth super-resolution generator (DESIGN.md research item 2)."""
    factor: int = 4
    width: int = 32
    blocks: int = 4
    activation: str = "elu"     # research: ELU; relu/leaky_relu kept for the speed/quality comparison
    batch_norm: bool = True
    upsampling: str = "late"    # "late": one pixel shuffle by `factor`; "progressive": SRGAN-style x2 stages
    head_kernel: int = 3
    max_depth: float = 80.0     # metres; only the metrics' scale (SSIM, PSNR peak): the graph normalises per frame
    residual: str = "additive"  # bicubic skip + tanh(r) in signed units, or "relative": bicubic * (1 + tanh(r))


def srgan_size_generator(factor: int) -> SRGeneratorConfig:
    """SRGAN-size generator (Ledig et al. 2017: 16 residual blocks, 64 ch, 9x9 head, x2 sub-pixel stages,
    PReLU) for the speed comparison only."""
    return SRGeneratorConfig(factor=factor, width=64, blocks=16, activation="prelu", batch_norm=True,
                             upsampling="progressive", head_kernel=9)


@dataclass
class DiscriminatorConfig:
    width: int = 32
    stages: int = 3             # each stage: stride-1 conv, stride-2 conv, channels doubling


@dataclass
class FocalStackConfig:
    """Focal-stack depth net (DESIGN.md research item 3)."""
    widths: Tuple[int, ...] = (8, 16, 32, 48)   # stem width, then one entry per stride-2 level
    max_depth: float = 10.0
    # A 5th input channel per image: log sum-modified-Laplacian minus its mean over the stack (fixed, in-graph),
    # i.e. how much sharper this image is than the others at each pixel (0 for T = 1).
    sharpness: bool = False
    # "absolute": depth = max_depth * out; "relative": depth = mean focus distance * exp(out), so an untrained
    # net returns the stack's mean focus distance and the net learns a scale-free correction.
    output: str = "absolute"
    # Width of a full-resolution head that adds a correction to the output from the decoder's features and two
    # per-pixel planes of classical depth from focus (a soft argmax of the sharpness over the stack, and how peaked
    # it is); 0 = none. Needs sharpness; its last conv starts at zero, so the head starts as a no-op.
    focus_head: int = 0


@dataclass
class SRLossWeights:
    """L_G = MSE + alpha * perceptual + beta * adversarial + gamma * TV."""
    alpha: float = 0.01
    beta: float = 1e-3
    gamma: float = 1e-4


@dataclass
class TrainConfig:
    """Schedule and data options common to the three trainers."""
    data: str = ""
    out: str = "runs/default"
    steps: int = 20000
    batch: int = 16
    crop: Tuple[int, int] = (240, 320)       # (height, width) of random training crops, pixels
    lr: float = 1e-4
    seed: int = 1
    val_every: int = 500
    checkpoint_every: int = 500
    val_batches: int = 8
    val_fraction: float = 0.1
    threads: int = 2
    scenes: List[str] = field(default_factory=list)    # empty = all scenes
    patterns: List[str] = field(default_factory=list)  # fast path only; empty = all patterns in the manifest
    vgg_weights: str = ""
    smoke: bool = False                                 # a few steps on tiny crops: a test fixture, not a model


def to_dict(config) -> dict:
    return dataclasses.asdict(config)


def from_dict(cls, values: dict):
    """Rebuild a config dataclass, turning lists back into tuples where the field is a tuple."""
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in values:
            v = values[f.name]
            kwargs[f.name] = tuple(v) if isinstance(v, list) and "Tuple" in str(f.type) else v
    return cls(**kwargs)
