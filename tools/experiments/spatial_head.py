#!/usr/bin/python3
"""Issue 14: does a head that learns per-location features on the frozen trunk's maps (a 1x1 conv + ReLU before the
mean/std pooling) beat the recipe's two-layer head on pooled statistics? An experiment, not part of the product.

  spatial_head.py cache DATA OUT        every image of a MOS folder at its native size (sides cropped to a multiple of
                                        32): the 4,992 block statistics of resnet18_cntk_blocks (sqrt of the spatial
                                        mean and std of the stem and the nine blocks), layer3's and layer4's outputs
                                        (float16), and the MOS
  spatial_head.py fit CACHE [--variants a,b] [--folds K] [--epochs E] [--seed N] [--oof F.npz]
                                        K random folds; each variant trained with the recipe's quality-aware loss
                                        (0.5 MSE + 0.5 (1 - soft SROCC)); prints SROCC/PLCC mean +- std over folds

Variants: stats (the recipe's mlp-blocks head), l4 (stats + a learned 1x1 conv on layer4's map), l3 (the same on
layer3's map), l34 (both), max (stats + the spatial maximum of layer3's and layer4's channels), grid (stats + the
spread of their quadrant means). Needs python3-torch; weights from `metaqap imagenet import`.
"""
import argparse
import csv
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cntk_torch import crop32, load_trunk, MEAN_RGB  # noqa: E402


def stats(y):
    f = y.flatten(2)
    return torch.cat([f.mean(2), f.std(2, unbiased=False)], 1).add(1e-6).sqrt()


def cache(data, out):
    torch.set_num_threads(2)
    rows = list(csv.DictReader(open(os.path.join(data, 'mos.csv'))))
    net = load_trunk()
    feats, l3, l4, mos, t0 = [], [], [], [], time.time()
    with torch.no_grad():
        for i, row in enumerate(rows):
            im = np.asarray(Image.open(os.path.join(data, 'images', row['image'])).convert('RGB'), dtype=np.float32)
            x = crop32(torch.from_numpy(im).permute(2, 0, 1)[None]) - MEAN_RGB
            y = net.stem_centred(x)
            parts = [stats(y)]
            for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
                for block in layer:
                    y = block(y)
                    parts.append(stats(y))
                if layer is net.layer3:
                    l3.append(y[0].half())
            l4.append(y[0].half())
            feats.append(torch.cat(parts, 1)[0])
            mos.append(float(row['mos']))
            if i % 250 == 0:
                print(f'{i + 1}/{len(rows)} images, {time.time() - t0:.0f} s', flush=True)
    torch.save({'stats': torch.stack(feats), 'l3': l3, 'l4': l4, 'mos': torch.tensor(mos)}, out)
    print(f'{len(rows)} images in {time.time() - t0:.0f} s -> {out}')


def soft_rank(x, temperature):
    return torch.sigmoid((x[:, None] - x[None, :]) / temperature).sum(1) + 0.5


def soft_srocc(p, t, temperature=0.1):
    rp = soft_rank(p, temperature)
    rt = soft_rank(t, 1e-4)
    rp, rt = rp - rp.mean(), rt - rt.mean()
    return (rp * rt).sum() / (rp.norm() * rt.norm() + 1e-12)


def qa_loss(p, t):
    return 0.5 * (p - t).square().mean() + 0.5 * (1 - soft_srocc(p, t))


class Net(nn.Module):
    def __init__(self, d, maps, width=128):
        super().__init__()
        self.maps = maps  # channels of each map the head learns on
        self.convs = nn.ModuleList([nn.Conv2d(c, width, 1) for c in maps])
        self.norms = nn.ModuleList([nn.BatchNorm1d(2 * width) for _ in maps])
        self.drop_in = nn.Dropout(0.1)
        self.mlp = nn.Sequential(nn.Linear(d + 2 * width * len(maps), 512), nn.ReLU(), nn.Dropout(0.3), nn.Linear(512, 1))

    def forward(self, s, ms):
        parts = [self.drop_in(s)]
        for conv, norm, m in zip(self.convs, self.norms, ms):
            parts.append(norm(stats(F.relu(conv(m.float())))))
        return self.mlp(torch.cat(parts, 1))[:, 0]


def srocc(a, b):
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def batch_maps(maps, idx):
    """Stack maps of one size; images of other sizes go one by one (few in BIQ2021)."""
    return torch.stack([maps[i] for i in idx])


def extra(c, kind):
    """Per-image statistics of layer3's and layer4's maps beyond mean and std: the spatial maximum, or the spread
    (std) of the four quadrants' means (how unevenly a feature is spread over the picture); square-rooted."""
    out = []
    for i in range(len(c['mos'])):
        parts = []
        for name in ('l3', 'l4'):
            m = c[name][i].float()
            if kind == 'max':
                parts.append(m.flatten(1).amax(1))
            else:
                h, w = m.shape[1] // 2, m.shape[2] // 2
                q = torch.stack([m[:, :h, :w].mean((1, 2)), m[:, :h, w:].mean((1, 2)), m[:, h:, :w].mean((1, 2)),
                                 m[:, h:, w:].mean((1, 2))], 1)
                parts.append(q.std(1, unbiased=False))
        out.append(torch.cat(parts).add(1e-6).sqrt())
    return torch.stack(out)


def fit_variant(c, variant, train, test, epochs, seed):
    torch.manual_seed(seed)
    s = c['stats']
    if variant in ('max', 'grid'):
        key = 'extra_' + variant
        if key not in c:
            c[key] = extra(c, variant)
        s = torch.cat([s, c[key]], 1)
    mu, sd = s[train].mean(0), s[train].std(0).clamp_min(1e-6)
    z = (s - mu) / sd
    names = {'stats': [], 'max': [], 'grid': [], 'l4': ['l4'], 'l3': ['l3'], 'l34': ['l3', 'l4']}[variant]
    net = Net(z.shape[1], [c[n][0].shape[0] for n in names])
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    y = c['mos']
    bs = 128
    steps = epochs * math.ceil(len(train) / bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 1e-3, total_steps=steps, pct_start=0.1, anneal_strategy='cos')
    rng = np.random.default_rng(seed)
    same = lambda idx: [i for i in idx if all(c[n][i].shape == c[n][idx[0]].shape for n in names)]  # noqa: E731
    for _ in range(epochs):
        net.train()
        order = rng.permutation(train)
        for b in range(0, len(order), bs):
            idx = same(list(order[b:b + bs]))
            if len(idx) < 2:
                continue
            p = net(z[idx], [batch_maps(c[n], idx) for n in names])
            loss = qa_loss(p, y[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
    net.eval()
    out = np.zeros(len(test))
    with torch.no_grad():
        # Batches of images with the same map sizes (most of BIQ2021 is 512 x 512), the rest one by one.
        first = [i for i in test if all(c[n][i].shape == c[n][test[0]].shape for n in names)] if names else list(test)
        rest = [i for i in test if i not in set(first)]
        pos = {i: k for k, i in enumerate(test)}
        for b in range(0, len(first), 256):
            idx = first[b:b + 256]
            for i, v in zip(idx, net(z[idx], [batch_maps(c[n], idx) for n in names]).tolist()):
                out[pos[i]] = v
        for i in rest:
            out[pos[i]] = float(net(z[[i]], [c[n][i][None] for n in names])[0])
    p, t = out, y[test].numpy()
    return srocc(p, t), float(np.corrcoef(p, t)[0, 1]), p


def fit(args):
    torch.set_num_threads(2)
    c = torch.load(args.cache)
    n = len(c['mos'])
    folds = np.array_split(np.random.default_rng(args.seed).permutation(n), args.folds)
    oof = {}
    for variant in args.variants.split(','):
        t0, res, pred = time.time(), [], np.zeros(n)
        for k in range(args.folds):
            test = folds[k]
            train = np.concatenate([folds[j] for j in range(args.folds) if j != k])
            *metrics, pred[test] = fit_variant(c, variant, train, test, args.epochs, args.seed + k)
            res.append(metrics)
            print(f'  {variant} fold {k + 1}: SROCC {res[-1][0]:.4f} PLCC {res[-1][1]:.4f}', flush=True)
        oof[variant] = pred
        if args.oof:
            np.savez(args.oof, mos=c['mos'].numpy(), folds=np.concatenate([np.full(len(f), k) for k, f in enumerate(folds)])[
                np.argsort(np.concatenate(folds))], **oof)
        r = np.array(res)
        print(f'{variant}: SROCC {r[:, 0].mean():.4f} +- {r[:, 0].std(ddof=1):.4f}  PLCC {r[:, 1].mean():.4f} +- '
              f'{r[:, 1].std(ddof=1):.4f}  {time.time() - t0:.0f} s', flush=True)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('cache')
    a.add_argument('data')
    a.add_argument('out')
    b = sub.add_parser('fit')
    b.add_argument('cache')
    b.add_argument('--variants', default='stats,l4')
    b.add_argument('--folds', type=int, default=5)
    b.add_argument('--epochs', type=int, default=20)
    b.add_argument('--seed', type=int, default=20261203)
    b.add_argument('--oof', help='write every variant\'s out-of-fold predictions (and the MOS, folds) to this .npz')
    args = ap.parse_args()
    if args.cmd == 'cache':
        cache(args.data, args.out)
    else:
        fit(args)


if __name__ == '__main__':
    main()
