#!/usr/bin/python3
"""The package's ImageNet ResNet (src/MetaQap.Modeling/Backbones/ResNetCntk.cs) in PyTorch, for experiments: stages
of 2/2/2/3 BasicBlocks, CNTK's asymmetric "same" padding, RGB input in 0-255 minus the per-channel mean, sides
centre-cropped to a multiple of 32. Weights: the converted safetensors `metaqap imagenet import` writes
(~/.cache/metaqap/resnet18_cntk-imagenet.safetensors). Needs python3-torch (run with /usr/bin/python3).
"""
import json
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

MEAN_RGB = torch.tensor([123.1516307762691, 115.90288236463556, 103.06262401521815]).view(1, 3, 1, 1)
WEIGHTS = os.path.expanduser(os.path.join(os.environ.get('XDG_CACHE_HOME', '~/.cache'), 'metaqap',
                                          'resnet18_cntk-imagenet.safetensors'))


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for key, meta in header.items():
        if key == '__metadata__':
            continue
        lo, hi = meta['data_offsets']
        dtype = {'F32': np.float32, 'F16': np.float16, 'I64': np.int64}[meta['dtype']]
        out[key] = torch.from_numpy(np.frombuffer(raw[8 + n + lo:8 + n + hi], dtype=dtype).copy()).reshape(meta['shape'])
    return out


def crop32(x):
    """The centre crop to sides that are multiples of 32 (at least 32), as ResNetCntk.CropToMultiple."""
    h, w = x.shape[-2:]
    ch, cw = max(32, h // 32 * 32), max(32, w // 32 * 32)
    t, l = (h - ch) // 2, (w - cw) // 2
    return x[..., t:t + ch, l:l + cw]


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, padding=1 if stride == 1 else 0, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.pad(x, (1, 0, 1, 0)) if self.stride == 2 else x
        y = F.relu(self.bn1(self.conv1(y)))
        y = self.bn2(self.conv2(y))
        s = x if self.downsample is None else self.downsample(x)
        return F.relu(y + s)


class ResNetCntk(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.layer1 = nn.Sequential(Block(64, 64, 1), Block(64, 64, 1))
        self.layer2 = nn.Sequential(Block(64, 128, 2), Block(128, 128, 1))
        self.layer3 = nn.Sequential(Block(128, 256, 2), Block(256, 256, 1))
        self.layer4 = nn.Sequential(Block(256, 512, 2), Block(512, 512, 1), Block(512, 512, 1))

    def stem(self, x):
        """Pixels 0-255 RGB -> layer1 input."""
        return self.stem_centred(crop32(x) - MEAN_RGB)

    def stem_centred(self, x):
        """Mean-subtracted pixels, sides multiples of 32 (the worker's normalised input) -> layer1 input."""
        x = F.relu(self.bn1(self.conv1(F.pad(x, (3, 2, 3, 2)))))
        return F.max_pool2d(F.pad(x, (1, 0, 1, 0), value=float('-inf')), 3, 2)

    def upto3(self, x):
        return self.layer3(self.layer2(self.layer1(self.stem(x))))


def load_trunk():
    net = ResNetCntk()
    state = read_safetensors(WEIGHTS)
    net.load_state_dict(state, strict=True)
    return net.eval()
