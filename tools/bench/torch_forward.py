#!/usr/bin/python3
"""PyTorch's side of `metaqap bench forward` (issue 7, item 2): the same network, weights, input size, batch and
thread count as the TorchSharp side, timed with the same protocol, driven over stdin so the two sides interleave.

Usage (Debian 12: apt-get install -y python3-torch python3-torchvision; run with /usr/bin/python3):

    torch_forward.py --arch ARCH --size S --batch B --threads T --workdir DIR [--weights FILE] [--seed N]

ARCH resnet18_cntk (the shipped default's trunk, needs --weights) is tools/experiments/cntk_torch.py's network with
the pooled, square-rooted features of src/MetaQap.Modeling/Backbones/ResNetCntk.cs; its input batch is pixels in
0-255 minus the per-channel mean, as the worker's normalisation gives it.

Without --weights: torchvision's ARCH (or resnet10_w32, built as in tools/parity) with seeded random weights
(weights=None), written to DIR/weights.safetensors for the C# side to load. With --weights: FILE is a MetaQAP base
model's state dict (backbone.*, quality_head.*, distortion_head.*; docs/model-artifact.md), loaded strictly into the
same QualityModel (backbone pooled features -> quality and distortion heads); the output is [B, 26] = quality
followed by the 25 distortion logits. Either way DIR/input.safetensors (a seeded, ImageNet-normalised noise batch)
and DIR/output.safetensors (this network's output on it) are written, so the C# side can check that it computes
the same thing (max abs diff), then "ready" is printed.

Then each stdin line "time SECONDS" runs one timing repeat and prints "images_per_s=<v>": warm-up passes, then
forward passes on one fixed batch until SECONDS have elapsed, images / elapsed, under torch.inference_mode()
(no autograd recording, as torch.no_grad but cheaper). End of input exits.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
import export_torchvision as tv  # noqa: E402  (build, random_images, write_safetensors)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "experiments"))
import cntk_torch  # noqa: E402  (the package's ImageNet ResNet, resnet18_cntk)

NUMPY = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}
DISTORTION_CLASSES = 25
WARMUP_PASSES = 3


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(raw, dtype=np.dtype(NUMPY[info["dtype"]]).newbyteorder("<"), count=(end - start) // np.dtype(NUMPY[info["dtype"]]).itemsize, offset=base + start)
        tensors[name] = torch.from_numpy(array.astype(array.dtype.newbyteorder("="))).reshape(info["shape"])
    return tensors


class QualityNet(nn.Module):
    """MetaQAP's QualityModel (src/MetaQap.Modeling/Quality/QualityModel.cs): pooled backbone features, two heads."""

    def __init__(self, arch):
        super().__init__()
        self.backbone = tv.build(arch, pretrained=False)
        if hasattr(self.backbone, "layer4"):
            features = self.backbone.fc.in_features
        elif hasattr(self.backbone, "classifier") and hasattr(self.backbone, "avgpool"):
            features = [m for m in self.backbone.classifier.modules() if isinstance(m, nn.Linear)][0].in_features
        else:
            sys.exit(f"{arch}: only ResNet and MobileNet/EfficientNet backbones are supported as base models here")
        self.dropout = nn.Dropout(0.2)
        self.quality_head = nn.Linear(features, 1)
        self.distortion_head = nn.Linear(features, DISTORTION_CLASSES)

    def pooled(self, x):
        b = self.backbone
        if hasattr(b, "layer4"):
            x = b.maxpool(b.relu(b.bn1(b.conv1(x))))
            x = b.layer4(b.layer3(b.layer2(b.layer1(x))))
        else:
            x = b.features(x)
        return torch.flatten(b.avgpool(x), 1)

    def forward(self, x):
        f = self.dropout(self.pooled(x))
        return torch.cat([self.quality_head(f), self.distortion_head(f)], dim=1)


class CntkQualityNet(nn.Module):
    """QualityModel over resnet18_cntk: input already mean-subtracted (the manifest's normalisation), sides cropped to
    a multiple of 32, CNTK's padding, sqrt(mean over space of the last stage + 1e-6), quality and distortion heads."""

    def __init__(self):
        super().__init__()
        self.backbone = cntk_torch.ResNetCntk()
        self.quality_head = nn.Linear(512, 1)
        self.distortion_head = nn.Linear(512, DISTORTION_CLASSES)

    def forward(self, x):
        b = self.backbone
        x = b.layer4(b.layer3(b.layer2(b.layer1(b.stem_centred(cntk_torch.crop32(x))))))
        f = x.flatten(2).mean(2).add(1e-6).sqrt()
        return torch.cat([self.quality_head(f), self.distortion_head(f)], dim=1)


def time_repeat(model, x, seconds):
    with torch.inference_mode():
        for _ in range(WARMUP_PASSES):
            model(x)
        images, start = 0, time.perf_counter()
        while True:
            model(x)
            images += x.shape[0]
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return images / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--weights")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    os.makedirs(args.workdir, exist_ok=True)
    tv.seed_everything(args.seed)
    if args.arch == "resnet18_cntk":
        if not args.weights:
            sys.exit("resnet18_cntk needs --weights (a base model of it, e.g. models/default's)")
        model = CntkQualityNet()
        model.load_state_dict(read_safetensors(args.weights), strict=True)
    elif args.weights:
        model = QualityNet(args.arch)
        model.load_state_dict(read_safetensors(args.weights), strict=True)
    else:
        model = tv.build(args.arch, pretrained=False)
        tv.write_safetensors(os.path.join(args.workdir, "weights.safetensors"), model.state_dict())
    model.eval()
    generator = torch.Generator().manual_seed(args.seed)
    if args.arch == "resnet18_cntk":
        x = torch.rand(args.batch, 3, args.size, args.size, generator=generator) * 255 - cntk_torch.MEAN_RGB
    else:
        x = tv.random_images(args.batch, args.size, generator)
    with torch.inference_mode():
        y = model(x)
    tv.write_safetensors(os.path.join(args.workdir, "input.safetensors"), {"input": x})
    tv.write_safetensors(os.path.join(args.workdir, "output.safetensors"), {"output": y})
    print(f"ready torch={torch.__version__} threads={torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 2 and parts[0] == "time":
            print(f"images_per_s={time_repeat(model, x, float(parts[1])):.4f}", flush=True)
        else:
            print(f"error: unknown command {line.strip()!r}", flush=True)


if __name__ == "__main__":
    main()
