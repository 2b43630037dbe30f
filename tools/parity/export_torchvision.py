#!/usr/bin/python3
"""Export a torchvision backbone, a fixed input batch and its logits as safetensors for the C# parity check.

Usage (Debian 12: apt-get install -y python3-torch python3-torchvision; torchvision 0.14 definitions):

    /usr/bin/python3 tools/parity/export_torchvision.py ARCH OUTDIR [--seed S]
        Builds torchvision's ARCH with weights=None, seeds everything, recalibrates and then perturbs every
        BatchNorm's running statistics and affine parameters (so eval-mode BN is really exercised), switches to
        eval mode and writes OUTDIR/weights.safetensors, OUTDIR/input.safetensors (key "input", a batch of 2 at
        the architecture's input size) and OUTDIR/output.safetensors (key "output", the logits). The last Linear
        is rescaled so those logits have max |logit| = 1 (see rescale_classifier).

    /usr/bin/python3 tools/parity/export_torchvision.py ARCH OUTDIR --keys-only
        Writes OUTDIR/ARCH.keys: one "name dtype [shape]" line per state-dict entry (the test fixtures under
        tests/MetaQap.Modeling.Tests/Backbones/Keys were produced this way).

    /usr/bin/python3 tools/parity/export_torchvision.py ARCH OUTDIR --bench 8 --threads 2
        Additionally prints PyTorch's eval/no_grad forward throughput as "pytorch_images_per_s=<v>".

Real ImageNet weights (run on a machine with internet; MetaQAP itself never downloads anything at run time):

    /usr/bin/python3 tools/parity/export_torchvision.py resnet50 OUTDIR --pretrained
        Uses torchvision's weights="DEFAULT" (downloaded into the torch hub cache), leaves BatchNorm as trained
        and writes OUTDIR/weights.safetensors, which loads as-is into BackboneFactory.Create("resnet50").
        inception_v3 is exported with transform_input=False, as MetaQAP builds it: feed it images normalised
        with mean 0.5 / std 0.5 (what transform_input=True would otherwise emulate), not ImageNet mean/std.
        resnet10_w32 has no published weights.

The safetensors files are written by hand (struct + numpy), so the safetensors package is not needed.
"""
import argparse
import json
import os
import random
import struct
import sys
import time

import numpy as np
import torch
import torchvision
from torch import nn
from torchvision.models import resnet as tv_resnet

INPUT_SIZES = {"inception_v3": 299}
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32"}


class ScaledResNet(tv_resnet.ResNet):
    """torchvision's ResNet with a configurable stem width (torchvision hard-codes 64).

    resnet10_w32 = BasicBlock x [1, 1, 1, 1] with widths 32/64/128/256: torchvision's own blocks, _make_layer and
    forward, so its state-dict keys follow the resnet18 pattern exactly.
    """

    def __init__(self, layers, width, num_classes=1000):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = width
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(tv_resnet.BasicBlock, width, layers[0])
        self.layer2 = self._make_layer(tv_resnet.BasicBlock, width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(tv_resnet.BasicBlock, width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(tv_resnet.BasicBlock, width * 8, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


def build(arch, pretrained):
    if arch == "resnet10_w32":
        if pretrained:
            sys.exit("resnet10_w32 has no published ImageNet weights")
        return ScaledResNet([1, 1, 1, 1], 32)
    weights = "DEFAULT" if pretrained else None
    if arch == "inception_v3":
        return torchvision.models.inception_v3(weights=weights, aux_logits=True, transform_input=False,
                                               init_weights=None if pretrained else True)
    return torchvision.models.get_model(arch, weights=weights)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def random_images(batch, size, generator):
    """Uniform RGB noise normalised with ImageNet mean/std, i.e. distributed like the inputs the backbones get."""
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    return (torch.rand(batch, 3, size, size, generator=generator) - mean) / std


def randomise_batchnorm(model, size, generator):
    """Give every BN non-trivial affine parameters and running statistics that keep activations in range.

    Random affine parameters first, then running statistics measured on a calibration batch drawn like the test
    input (so each layer's statistics match what its perturbed predecessors produce), then a mild jitter of them.
    """
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            c = bn.num_features
            bn.weight.copy_(0.8 + 0.4 * torch.rand(c, generator=generator))
            bn.bias.copy_(0.1 * torch.randn(c, generator=generator))
            bn.reset_running_stats()
            bn.momentum = None  # cumulative average over the calibration batch
        model.train()
        model(random_images(4, size, generator))
        for bn in bns:
            c = bn.num_features
            bn.running_mean.add_(0.05 * bn.running_var.sqrt() * torch.randn(c, generator=generator))
            bn.running_var.mul_(0.95 + 0.1 * torch.rand(c, generator=generator))
            bn.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=generator)))


def rescale_classifier(model, factor):
    """Scale the last Linear so the reference logits have max |logit| = 1.

    Random-init logits range from ~0.1 (MobileNetV3) to ~20 (Inception-v3, where even PyTorch's own float32 and
    float64 results differ by 2e-4). On unit-scale logits the absolute tolerance of 1e-4 reads as a relative error
    and means the same for every architecture.
    """
    last = [m for m in model.modules() if isinstance(m, nn.Linear)][-1]
    last.weight.mul_(factor)
    last.bias.mul_(factor)


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # the format pads the header with spaces to 8-byte alignment
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for chunk in chunks:
            f.write(chunk)


def write_keys(path, state):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for name, t in state.items():
            f.write(f"{name} {DTYPES[t.dtype]} [{','.join(str(d) for d in t.shape)}]\n")


def bench(model, size, batch, seconds=10.0, windows=20):
    """Best-of-windows eval throughput (images/s), the same protocol as BackboneThroughput.Measure in C#."""
    x = torch.randn(batch, 3, size, size)
    best = 0.0
    with torch.no_grad():
        model(x)  # warm-up
        for _ in range(windows):
            images, start = 0, time.perf_counter()
            while True:
                model(x)
                images += batch
                if time.perf_counter() - start >= seconds / windows:
                    break
            best = max(best, images / (time.perf_counter() - start))
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("arch")
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--keys-only", action="store_true")
    parser.add_argument("--pretrained", action="store_true")
    parser.add_argument("--bench", type=int, default=0, metavar="BATCH")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()

    os.makedirs(args.outdir, exist_ok=True)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    model = build(args.arch, args.pretrained)
    if args.keys_only:
        write_keys(os.path.join(args.outdir, f"{args.arch}.keys"), model.state_dict())
        return
    size = INPUT_SIZES.get(args.arch, 224)
    generator = torch.Generator().manual_seed(args.seed)
    if not args.pretrained:
        randomise_batchnorm(model, size, generator)
    model.eval()
    if args.pretrained:
        write_safetensors(os.path.join(args.outdir, "weights.safetensors"), model.state_dict())
        return
    images = random_images(2, size, generator)
    with torch.no_grad():
        raw_max = model(images).abs().max().item()
        rescale_classifier(model, 1.0 / raw_max)
        logits = model(images)
    write_safetensors(os.path.join(args.outdir, "weights.safetensors"), model.state_dict())
    write_safetensors(os.path.join(args.outdir, "input.safetensors"), {"input": images})
    write_safetensors(os.path.join(args.outdir, "output.safetensors"), {"output": logits})
    print(f"exported {args.arch}: logits {tuple(logits.shape)}, |logits|max before rescaling={raw_max:.4g}")
    if args.bench > 0:
        print(f"pytorch_images_per_s={bench(model, size, args.bench):.3f} threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
