#!/usr/bin/python3
"""Issue 14: does training the recipe's two-layer head on the statistics of augmented views (a mirrored image, a
smaller crop) beat training it on the one whole view, as the recipe does? The trunk stays frozen, so each view's
statistics are computed once and cached; every epoch draws one view per training image (standard stochastic
augmentation at the cost of the unaugmented head). An experiment, not part of the product.

  augment_head.py cache DATA OUT     every image of a MOS folder: the 4,992 block statistics (spatial_head.py's, the
                                     recipe's resnet18_cntk_blocks) of three views: 0 the whole image (sides cropped to
                                     a multiple of 32), 1 it mirrored left-right, 2 a crop of 7/8 of each side at a
                                     seeded position, mirrored for odd seeds; resumable (OUT.part every 250 images)
  augment_head.py fit CACHE [--train 0 0,1 0,1,2] [--epochs E] [--folds K] [--seed N] [--maps 2,4,6,9] [--oof F.npz]
                                     for each set of training views, K random folds (the same folds as
                                     spatial_head.py's for the same seed); prints SROCC/PLCC on view 0 alone and on
                                     the mean of the predictions for views 0 and 1 (test-time mirroring). --maps: the
                                     head reads only those maps' statistics (2,4,6,9 = the stage outputs, the
                                     recipe's ms heads); --oof: adds each set's out-of-fold view-0 predictions to F
  augment_head.py mean F.npz KEY...  SROCC/PLCC of the mean of the named out-of-fold predictions, per fold and overall

Needs python3-torch and libopenblas0-pthread; weights from `metaqap imagenet import`.
"""
import argparse
import csv
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cntk_torch import crop32, load_trunk, MEAN_RGB  # noqa: E402
from spatial_head import Net, qa_loss, srocc, stats  # noqa: E402

VIEWS = 3


def block_statistics(net, x):
    y = net.stem_centred(crop32(x) - MEAN_RGB)
    parts = [stats(y)]
    for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
        for block in layer:
            y = block(y)
            parts.append(stats(y))
    return torch.cat(parts, 1)[0]


def views(x, index):
    """The three views of image tensor x (1, 3, H, W), the crop's position and mirroring seeded by the image's index."""
    h, w = x.shape[-2:]
    rng = np.random.default_rng(index)
    ch, cw = max(32, h * 7 // 8 // 32 * 32), max(32, w * 7 // 8 // 32 * 32)
    t, l = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    crop = x[..., t:t + ch, l:l + cw]
    return [x, x.flip(-1), crop.flip(-1) if index % 2 else crop]


def cache(data, out):
    torch.set_num_threads(2)
    rows = list(csv.DictReader(open(os.path.join(data, 'mos.csv'))))
    part = out + '.part'
    feats = torch.load(part)['stats'] if os.path.exists(part) else []
    feats = list(feats)
    net, t0, start = load_trunk(), time.time(), len(feats)
    with torch.no_grad():
        for i in range(start, len(rows)):
            im = np.asarray(Image.open(os.path.join(data, 'images', rows[i]['image'])).convert('RGB'), dtype=np.float32)
            x = torch.from_numpy(im).permute(2, 0, 1)[None]
            feats.append(torch.stack([block_statistics(net, v) for v in views(x, i)]))
            if (i + 1) % 250 == 0:
                torch.save({'stats': torch.stack(feats)}, part)
                print(f'{i + 1}/{len(rows)} images, {time.time() - t0:.0f} s', flush=True)
    mos = torch.tensor([float(r['mos']) for r in rows])
    torch.save({'stats': torch.stack(feats), 'mos': mos, 'images': [r['image'] for r in rows]}, out)
    if os.path.exists(part):
        os.remove(part)
    print(f'{len(rows) - start} images in {time.time() - t0:.0f} s -> {out}')


def fit_views(s, y, train_views, train, test, epochs, seed):
    """The recipe's head (spatial_head.py's Net without maps) trained on one random view of train_views per image and
    epoch; returns its predictions on every view of the test images."""
    torch.manual_seed(seed)
    mu, sd = s[train, 0].mean(0), s[train, 0].std(0).clamp_min(1e-6)
    z = (s - mu) / sd
    net = Net(z.shape[2], [])
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    bs = 128
    steps = epochs * math.ceil(len(train) / bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 1e-3, total_steps=steps, pct_start=0.1, anneal_strategy='cos')
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        net.train()
        order = rng.permutation(train)
        chosen = rng.choice(train_views, size=len(order))
        for b in range(0, len(order), bs):
            idx, v = order[b:b + bs], chosen[b:b + bs]
            if len(idx) < 2:
                continue
            loss = qa_loss(net(z[idx, v], []), y[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
    net.eval()
    with torch.no_grad():
        return np.stack([net(z[test, v], []).numpy() for v in range(s.shape[1])], 1)


CHANNELS = [64, 64, 64, 128, 128, 256, 256, 512, 512, 512]  # of the stem and the nine blocks, as ResNetCntk's


def map_columns(maps):
    """Columns of the given maps in the cached statistics (each map: its channel means, then its stds)."""
    offsets = np.concatenate([[0], np.cumsum([2 * ch for ch in CHANNELS])])
    return np.concatenate([np.arange(offsets[m], offsets[m + 1]) for m in maps])


def fit(args):
    torch.set_num_threads(2)
    c = torch.load(args.cache)
    s, y = c['stats'].float(), c['mos']
    if args.maps:
        s = s[:, :, map_columns([int(m) for m in args.maps.split(',')])].contiguous()
    n = len(y)
    folds = np.array_split(np.random.default_rng(args.seed).permutation(n), args.folds)
    oof = dict(np.load(args.oof)) if args.oof and os.path.exists(args.oof) else {}
    for spec in args.train:
        train_views = [int(v) for v in spec.split(',')]
        t0, res, pred = time.time(), [], np.zeros(n)
        for k in range(args.folds):
            test = folds[k]
            train = np.concatenate([folds[j] for j in range(args.folds) if j != k])
            p, t = fit_views(s, y, train_views, train, test, args.epochs, args.seed + k), y[test].numpy()
            whole, mirrored = p[:, 0], p[:, :2].mean(1)
            pred[test] = whole
            res.append([srocc(whole, t), np.corrcoef(whole, t)[0, 1], srocc(mirrored, t), np.corrcoef(mirrored, t)[0, 1]])
            print(f'  views {spec} fold {k + 1}: SROCC {res[-1][0]:.4f} (mirrored test {res[-1][2]:.4f})', flush=True)
        r = np.array(res)
        print(f'views {spec}, {args.epochs} epochs: SROCC {r[:, 0].mean():.4f} +- {r[:, 0].std(ddof=1):.4f}  PLCC '
              f'{r[:, 1].mean():.4f} +- {r[:, 1].std(ddof=1):.4f} | with the mirrored test view: SROCC '
              f'{r[:, 2].mean():.4f} +- {r[:, 2].std(ddof=1):.4f}  PLCC {r[:, 3].mean():.4f}  {time.time() - t0:.0f} s',
              flush=True)
        if args.oof:
            oof[f'maps{args.maps or "all"}-views{spec}-e{args.epochs}'] = pred
            np.savez(args.oof, mos=y.numpy(), fold=np.concatenate([np.full(len(f), k) for k, f in enumerate(folds)])[
                np.argsort(np.concatenate(folds))], **{k: v for k, v in oof.items() if k not in ('mos', 'fold')})


def mean(args):
    d = np.load(args.oof)
    p, t, fold = np.mean([d[k] for k in args.keys], 0), d['mos'], d['fold']
    r = np.array([[srocc(p[fold == k], t[fold == k]), np.corrcoef(p[fold == k], t[fold == k])[0, 1]]
                  for k in range(fold.max() + 1)])
    print(f'mean of {", ".join(args.keys)}: SROCC {r[:, 0].mean():.4f} +- {r[:, 0].std(ddof=1):.4f}  PLCC '
          f'{r[:, 1].mean():.4f} (folds {" ".join(f"{v:.4f}" for v in r[:, 0])})')


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('cache')
    a.add_argument('data')
    a.add_argument('out')
    b = sub.add_parser('fit')
    b.add_argument('cache')
    b.add_argument('--train', nargs='+', default=['0', '0,1', '0,1,2'])
    b.add_argument('--folds', type=int, default=5)
    b.add_argument('--epochs', type=int, default=20)
    b.add_argument('--seed', type=int, default=20261203)
    b.add_argument('--maps', help='comma-separated map indices (0 the stem, 1-9 the blocks); default all ten')
    b.add_argument('--oof', help='.npz to add each set\'s out-of-fold predictions to')
    m = sub.add_parser('mean')
    m.add_argument('oof')
    m.add_argument('keys', nargs='+')
    args = ap.parse_args()
    if args.cmd == 'cache':
        cache(args.data, args.out)
    elif args.cmd == 'fit':
        fit(args)
    else:
        mean(args)


if __name__ == '__main__':
    main()
