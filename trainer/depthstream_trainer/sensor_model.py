"""Sensor-matched training inputs for the fast net (issue 15): what real sparse depth looks like and the synthetic
scene generator does not give.

The real evaluation frames (TUM, NYU raw, SUN RGB-D) are Kinect-style structured-light depth, and the evaluator
samples its input from that same depth and scores against it. Such depth is not the smooth ray-cast surface of
depth-sim:

- **Disparity quantisation.** The Kinect v1 measures an integer-coded disparity ``raw``; the published NYU
  Depth v2 toolbox conversion is ``z = 351.3 / (1092.5 - raw)`` metres, so one raw unit is a depth step of
  ``z^2 / 351.3`` (3 mm at 1 m, 2.6 cm at 3 m, 7 cm at 5 m; Khoshelham & Elberink 2012, "Accuracy and Resolution
  of Kinect Depth Data", report the same 7 cm at 5 m). Slanted surfaces become terraces: pixels near a sample
  often hold exactly its value, which is why nearest-fill has the lowest MAE on real frames.
- **Disparity noise.** Khoshelham & Elberink give a random error growing with z^2 (about 4 cm at 5 m, i.e. about
  half a raw unit); the correlation window of the disparity matcher makes it spatially correlated, so it is drawn
  as Gaussian white noise blurred over a few pixels, in raw units, before rounding.

- **Projector shadows.** The IR projector sits a baseline b (7.5 cm) beside the camera, so background next to the
  edge of a nearer object gets no pattern and no depth: pixel x is shadowed when a pixel x' on the projector's
  side satisfies f * b * (1 / z(x') - 1 / z(x)) >= |x - x'| (the nearer surface hides the projector ray); at
  640x480 (f = 580 px) a 1 m object in front of a 2 m wall casts a 22-pixel band. Real frames lose 7-19 % of
  their pixels this way and to dropouts, exactly next to depth edges: neither input nor truth exists there.

- **Dropouts.** Dark, shiny and out-of-range surfaces return nothing either: blobs of a few pixels.

``kinect_depth`` applies the first two to a dense depth map (input samples and the training target alike, as in the
evaluation). ``uniform_samples`` redraws the input samples at a random density, so the net sees everything from
tens of points to a fifth of the pixels (issue 15: graceful at every density), not one fixed density per pattern.
All functions are pure: randomness comes from the ``torch.Generator`` the caller passes.
"""
import math

import torch
import torch.nn.functional as F

# NYU Depth v2 toolbox, Kinect v1 raw disparity -> metres: z = KINECT_BASE / (KINECT_OFFSET - raw).
KINECT_BASE = 351.3
KINECT_OFFSET = 1092.5


def _blurred_noise(shape, sigma_pixels: float, generator: torch.Generator, device) -> torch.Tensor:
    """Unit-variance Gaussian noise [N, 1, H, W] correlated over about ``sigma_pixels`` (separable Gaussian blur
    of white noise, renormalised so its standard deviation stays 1)."""
    noise = torch.randn(shape, generator=generator).to(device)
    if sigma_pixels <= 0:
        return noise
    radius = max(1, int(math.ceil(2.5 * sigma_pixels)))
    taps = torch.arange(-radius, radius + 1, dtype=torch.float32, device=device)
    kernel = torch.exp(-taps ** 2 / (2 * sigma_pixels ** 2))
    kernel = kernel / kernel.norm()     # sum of squares 1 per axis: blurred white noise keeps unit variance
    noise = F.conv2d(F.pad(noise, (radius, radius, 0, 0), mode="reflect"), kernel.view(1, 1, 1, -1))
    return F.conv2d(F.pad(noise, (0, 0, radius, radius), mode="reflect"), kernel.view(1, 1, -1, 1))


def kinect_depth(depth: torch.Tensor, noise_units: torch.Tensor, generator: torch.Generator,
                 correlation_pixels: float = 1.5) -> torch.Tensor:
    """Kinect v1-like depth from a clean map: to raw disparity, plus correlated noise of ``noise_units`` raw units
    (per frame, [N]), rounded to whole units, back to metres. depth [N, 1, H, W] metres, 0 = none (kept 0);
    depths beyond the disparity code's range (about 320 m) stay unquantised."""
    valid = depth > 0
    raw = KINECT_OFFSET - KINECT_BASE / depth.clamp(min=1e-3)
    noise = _blurred_noise(depth.shape, correlation_pixels, generator, depth.device)
    raw = torch.round(raw + noise_units.view(-1, 1, 1, 1).to(depth.device) * noise)
    quantised = KINECT_BASE / (KINECT_OFFSET - raw).clamp(min=1.0)
    in_range = valid & (raw < KINECT_OFFSET - 1.0) & (raw > 0)
    return torch.where(in_range, quantised, depth)


def projector_shadow(depth: torch.Tensor, focal_pixels: float, baseline: float = 0.075,
                     max_pixels: int = 48) -> torch.Tensor:
    """0/1 map [N, 1, H, W] of the pixels the projector cannot reach (1 = shadowed), with the projector to the
    right of the camera (Kinect v1 layout: the shadow falls on the background right of a nearer object's edge,
    seen from the camera): x is shadowed when some x' = x - s, 1 <= s <= ``max_pixels``, has
    focal_pixels * baseline * (1 / z(x') - 1 / z(x)) >= s. Invalid pixels (0) cast no shadow."""
    inverse = torch.where(depth > 0, 1.0 / depth.clamp(min=1e-3), torch.zeros_like(depth))
    disparity = focal_pixels * baseline * inverse
    shadow = torch.zeros_like(depth, dtype=torch.bool)
    width = depth.shape[-1]
    for s in range(1, min(max_pixels, width - 1) + 1):
        caster = disparity[..., :width - s]
        receiver = disparity[..., s:]
        hidden = (caster - receiver >= s) & (receiver > 0)
        shadow[..., s:] |= hidden
    return shadow.float()


def dropout_blobs(shape, share: torch.Tensor, generator: torch.Generator, device, blob_pixels: float = 4.0):
    """0/1 map [N, 1, H, W] of blob-shaped dropouts (1 = lost) covering about ``share`` ([N]) of each frame:
    smooth random noise above its (1 - share) quantile (dark, shiny or out-of-range surfaces)."""
    noise = _blurred_noise(shape, blob_pixels, generator, device)
    threshold = torch.quantile(noise.flatten(1), (1 - share.to(device)).clamp(0, 1), dim=1).diagonal()
    return (noise > threshold.view(-1, 1, 1, 1)).float()


def uniform_samples(depth: torch.Tensor, density: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """0/1 mask [N, 1, H, W] keeping each valid pixel of ``depth`` with probability ``density`` ([N], per frame),
    like depth-core's ``uniform:p=...``."""
    draw = torch.rand(depth.shape, generator=generator).to(depth.device)
    return ((draw < density.view(-1, 1, 1, 1).to(depth.device)) & (depth > 0)).float()


def log_uniform(low: float, high: float, count: int, generator: torch.Generator) -> torch.Tensor:
    """``count`` values drawn log-uniformly from [low, high]."""
    u = torch.rand(count, generator=generator)
    return torch.exp(math.log(low) + u * (math.log(high) - math.log(low)))


def drop_samples(mask: torch.Tensor, fraction: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """``mask`` with each sample removed with probability ``fraction`` ([N], per frame): the evaluator's
    hold-out (KITTI: 20 % of the LiDAR points are the truth, not the input)."""
    draw = torch.rand(mask.shape, generator=generator).to(mask.device)
    return mask * (draw >= fraction.view(-1, 1, 1, 1).to(mask.device)).float()


def depth_gradient_magnitude(depth: torch.Tensor) -> torch.Tensor:
    """|grad depth| [N, 1, H, W] by central differences (one-sided at the border), 0 on invalid pixels: depth-core's
    ``GradientField`` without a guide image, which is what ``eval --pattern semidense`` samples by (differences next
    to holes are one-sided there; here they simply see the 0, the pixel is scored either way)."""
    padded = F.pad(depth, (1, 1, 1, 1), mode="replicate")
    gx = 0.5 * (padded[..., 1:-1, 2:] - padded[..., 1:-1, :-2])
    gy = 0.5 * (padded[..., 2:, 1:-1] - padded[..., :-2, 1:-1])
    return torch.sqrt(gx * gx + gy * gy) * (depth > 0).float()


def semidense_samples(depth: torch.Tensor, fraction: float, generator: torch.Generator) -> torch.Tensor:
    """0/1 mask [N, 1, H, W] of the ``fraction`` of valid pixels with the largest depth gradient (vSLAM-like,
    depth-core's ``semidense:fraction=...`` on the depth; ties broken at random)."""
    magnitude = depth_gradient_magnitude(depth)
    jitter = torch.rand(depth.shape, generator=generator).to(depth.device) * 1e-6
    score = (magnitude + jitter) * (depth > 0).float()
    flat = score.flatten(1)
    valid = (depth > 0).flatten(1).sum(1)
    want = torch.clamp(torch.round(fraction * valid.float()).long(), min=1)
    ranked, _ = flat.sort(dim=1, descending=True)
    threshold = ranked.gather(1, (want - 1).view(-1, 1))
    return ((flat >= threshold) & (flat > 0)).float().view_as(depth)


def relative_noise(values: torch.Tensor, relative_std: float, generator: torch.Generator) -> torch.Tensor:
    """values * (1 + relative_std * N(0, 1)), kept positive (depth-core's semidense ``noise=``)."""
    noise = torch.randn(values.shape, generator=generator).to(values.device)
    return values * torch.clamp(1 + relative_std * noise, min=0.05)


def sensor_matched_batch(batch: dict, pattern_names, config, generator: torch.Generator,
                         frame_width: int) -> dict:
    """A training batch (``data.DepthShardDataset.batch``: depth, sparse, mask [N, 1, H, W], scene and pattern
    [N]) with Kinect-like indoor depth (projector shadows scaled to the uncropped ``frame_width``) and its input
    samples redrawn per ``config`` (``SensorMatchConfig``). The returned depth is the training target; sparse / mask
    the input."""
    depth, sparse, mask = batch["depth"], batch["sparse"], batch["mask"]
    n = depth.shape[0]
    per_frame = lambda flags: torch.tensor(flags, dtype=torch.bool, device=depth.device).view(-1, 1, 1, 1)
    kinds = [pattern_names[int(i)].split(":")[0] for i in batch["pattern"]]
    draws = torch.rand(n, generator=generator)
    kinect = [int(s) == 0 and float(d) < config.kinect_fraction for s, d in zip(batch["scene"], draws)]
    noise_units = torch.rand(n, generator=generator) * config.max_noise_units
    depth = torch.where(per_frame(kinect), kinect_depth(depth, noise_units, generator), depth)
    if config.shadow_fraction > 0:
        # the projector's side is drawn per frame (the crops are flipped at random anyway)
        focal = config.focal_fraction * frame_width
        right, left = projector_shadow(depth, focal), projector_shadow(depth.flip(-1), focal).flip(-1)
        side = per_frame([bool(b) for b in torch.rand(n, generator=generator) < 0.5])
        shadowed = per_frame([k and float(d) < config.shadow_fraction
                              for k, d in zip(kinect, torch.rand(n, generator=generator))])
        depth = depth * (1 - torch.where(side, right, left) * shadowed.float())
        lost = dropout_blobs(depth.shape, torch.rand(n, generator=generator) * config.max_dropout, generator,
                             depth.device)
        depth = depth * (1 - lost * shadowed.float())
    # uniform frames: a random density, half of them around the 5 % of the main rows
    wide = log_uniform(config.density_low, config.density_high, n, generator)
    focus = config.focus_low + torch.rand(n, generator=generator) * (config.focus_high - config.focus_low)
    density = torch.where(torch.rand(n, generator=generator) < 0.5, wide, focus)
    redrawn = uniform_samples(depth, density, generator)
    redrawn_values = depth * redrawn
    semidense = semidense_samples(depth, config.semidense_fraction, generator)
    semidense_values = relative_noise(depth, config.semidense_noise, generator) * semidense
    # other kinds keep the exporter's samples; lidar frames lose a share of them, and on a Kinect frame (indoor)
    # they take their values from the noisy map (the exporter sampled the clean one)
    drop_share = torch.rand(n, generator=generator) * config.max_lidar_drop
    kept_mask = drop_samples(mask, torch.where(torch.tensor([k == "lidar" for k in kinds]), drop_share,
                                               torch.zeros(n)), generator) * (depth > 0).float()
    kept_values = torch.where(per_frame(kinect), depth, sparse) * kept_mask
    is_uniform, is_semidense = per_frame([k == "uniform" for k in kinds]), per_frame([k == "semidense" for k in kinds])
    sparse = torch.where(is_uniform, redrawn_values, torch.where(is_semidense, semidense_values, kept_values))
    mask = torch.where(is_uniform, redrawn, torch.where(is_semidense, semidense, kept_mask))
    return dict(batch, depth=depth, sparse=sparse, mask=mask)
