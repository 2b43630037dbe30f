#!/usr/bin/python3
"""Issue 14: does fine-tuning the trunk's last block (layer4.2) with the quality-aware loss lift the recipe's best
head (mlp-blocks-512, frozen trunk) enough to be worth its cost? An experiment, not part of the product.

  block_finetune.py CACHE RUN [--tune last|layer4] [--folds 1,2] [--epochs E] [--trunk-lr L] [--head-lr L] [--batch B]

CACHE is spatial_head.py's cache (block statistics and layer3 maps of every biq2021-dev image at its native size);
RUN a `metaqap recipe biq2021` folder, for its content-disjoint folds. Per fold:
  1. frozen: spatial_head.py's stats head (4,992 -> 512 -> 1), 20 epochs on the cached statistics;
  2. fine-tuned: the same head, then E epochs in which layer4.2 (BatchNorm statistics frozen, everything else
     trainable) and the head train together; layer4.2's 1,024 statistics are recomputed from its input (layer4.1's
     output, computed once from the cached layer3 maps), the other 3,968 stay cached. With --tune layer4 all three
     blocks of the last stage train, from the cached layer3 maps, and their 3,072 statistics are recomputed.
Prints both SROCC/PLCC per fold and the seconds per fine-tuning epoch. Needs python3-torch.
"""
import argparse
import copy
import csv
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cntk_torch import load_trunk  # noqa: E402
from multiscale_head import folds as run_folds  # noqa: E402
from spatial_head import Net, fit_variant, qa_loss, srocc, stats  # noqa: E402

LAST = 1024  # statistics per block of the last stage: 512 means and 512 stds (the last 3,072 of the 4,992)


class Tail(nn.Module):
    """Blocks of the last stage; forward returns their statistics in the cache's order (per block: means, stds)."""

    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x):
        parts = []
        for block in self.blocks:
            x = block(x)
            parts.append(stats(x))
        return torch.cat(parts, 1)


def groups(maps, idx):
    """idx split into runs of equal map shape (most of BIQ2021 is 512 x 512)."""
    by = {}
    for i in idx:
        by.setdefault(tuple(maps[i].shape), []).append(i)
    return list(by.values())


def layer41(c, net):
    """layer4.1's output for every image, from the cached layer3 maps (frozen, once)."""
    out = [None] * len(c['l3'])
    with torch.no_grad():
        for g in groups(c['l3'], range(len(c['l3']))):
            for b in range(0, len(g), 16):
                idx = g[b:b + 16]
                y = net.layer4[1](net.layer4[0](torch.stack([c['l3'][i] for i in idx]).float()))
                for i, m in zip(idx, y):
                    out[i] = m.half()
    return out


def finetune(c, l41, block0, train, test, epochs, seed, trunk_lr, head_lr, batch):
    last_n = LAST * len(block0.blocks)
    torch.manual_seed(seed)
    s = c['stats']
    mu, sd = s[train].mean(0), s[train].std(0).clamp_min(1e-6)
    frozen = (s[:, :-last_n] - mu[:-last_n]) / sd[:-last_n]
    y = c['mos']
    # Stage 1: the frozen head, exactly as spatial_head.py's 'stats' variant trains it (same seed).
    head = Net(s.shape[1], [])
    opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=1e-2)
    z = (s - mu) / sd
    steps = 20 * math.ceil(len(train) / 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 1e-3, total_steps=steps, pct_start=0.1, anneal_strategy='cos')
    rng = np.random.default_rng(seed)
    for _ in range(20):
        head.train()
        order = rng.permutation(train)
        for b in range(0, len(order), 128):
            idx = order[b:b + 128]
            loss = qa_loss(head(z[idx], []), y[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(head.parameters(), 1.0)
            opt.step()
            sched.step()

    def predict(block, idx):
        head.eval()
        out = {}
        with torch.no_grad():
            for g in groups(l41, idx):
                for b in range(0, len(g), 32):
                    part = g[b:b + 32]
                    last = (block(torch.stack([l41[i] for i in part]).float()) - mu[-last_n:]) / sd[-last_n:]
                    for i, v in zip(part, head(torch.cat([frozen[part], last], 1), []).tolist()):
                        out[i] = v
        return np.array([out[i] for i in idx])

    p0 = predict(block0, test)
    # Stage 2: layer4.2 and the head together; BatchNorm in eval mode (its running statistics stay ImageNet's).
    block = copy.deepcopy(block0)
    for p in block.parameters():
        p.requires_grad_(True)
    opt = torch.optim.AdamW([{'params': block.parameters(), 'lr': trunk_lr, 'weight_decay': 0.0},
                             {'params': head.parameters(), 'lr': head_lr, 'weight_decay': 1e-2}])
    shapes = groups(l41, train)
    steps = epochs * sum(math.ceil(len(g) / batch) for g in shapes)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, [trunk_lr, head_lr], total_steps=steps, pct_start=0.1,
                                                anneal_strategy='cos')
    seconds = []
    for _ in range(epochs):
        t0 = time.time()
        block.eval()
        head.train()
        order = rng.permutation(train)
        batches = []
        for g in groups(l41, order):
            batches += [g[b:b + batch] for b in range(0, len(g), batch)]
        for k in rng.permutation(len(batches)):
            idx = batches[k]
            if len(idx) < 2:
                sched.step()
                continue
            last = (block(torch.stack([l41[i] for i in idx]).float()) - mu[-last_n:]) / sd[-last_n:]
            loss = qa_loss(head(torch.cat([frozen[idx], last], 1), []), y[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(list(block.parameters()) + list(head.parameters()), 1.0)
            opt.step()
            sched.step()
        seconds.append(time.time() - t0)
    p1 = predict(block, test)
    t = y[test].numpy()
    return (srocc(p0, t), float(np.corrcoef(p0, t)[0, 1])), (srocc(p1, t), float(np.corrcoef(p1, t)[0, 1])), p1, seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cache')
    ap.add_argument('run')
    ap.add_argument('--data', default=os.path.join(os.path.dirname(__file__), '../../../shared/data/biq2021-dev'))
    ap.add_argument('--tune', choices=['last', 'layer4'], default='last')
    ap.add_argument('--folds', default='1')
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--trunk-lr', type=float, default=3e-5)
    ap.add_argument('--head-lr', type=float, default=1e-4)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--seed', type=int, default=20261203)
    ap.add_argument('--oof')
    args = ap.parse_args()
    torch.set_num_threads(2)
    t0 = time.time()
    c = torch.load(args.cache)
    ids = [r['image'] for r in csv.DictReader(open(os.path.join(args.data, 'mos.csv')))]
    k_folds = run_folds(args.run, ids)
    net = load_trunk()
    if args.tune == 'last':
        l41, block0 = layer41(c, net), Tail([net.layer4[2]])
    else:
        l41, block0 = c['l3'], Tail(list(net.layer4))
    print(f'cache and input maps: {time.time() - t0:.0f} s', flush=True)
    with torch.no_grad():  # the recomputed statistics must be the cached ones
        width = LAST * len(block0.blocks)
        gap = (block0(l41[0][None].float())[0] - c['stats'][0, -width:]).abs().max().item()
    print(f'{args.tune} statistics recomputed vs cached: max abs diff {gap:.2e}', flush=True)
    pred = {}
    for k in [int(f) - 1 for f in args.folds.split(',')]:
        test = k_folds[k]
        train = np.concatenate([f for j, f in enumerate(k_folds) if j != k])
        frozen, tuned, p, seconds = finetune(c, l41, block0, train, test, args.epochs, args.seed + k, args.trunk_lr,
                                             args.head_lr, args.batch)
        pred[f'fold{k + 1}'] = p
        pred[f'test{k + 1}'] = test
        print(f'fold {k + 1}: frozen SROCC {frozen[0]:.4f} PLCC {frozen[1]:.4f}; fine-tuned SROCC {tuned[0]:.4f} '
              f'PLCC {tuned[1]:.4f}; s/epoch {", ".join(f"{x:.0f}" for x in seconds)}', flush=True)
        if args.oof:
            np.savez(args.oof, **pred)


if __name__ == '__main__':
    main()
