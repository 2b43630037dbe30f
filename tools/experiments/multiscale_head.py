#!/usr/bin/python3
"""Issue 14: does one two-layer head that sees both cached views of a `recipe biq2021` run (the 4,992 block
statistics at 512 px and at 256 px, 9,984 inputs) beat the recipe's heads that see one view each and are combined
only by the stepwise meta-learner? The ratio of fine- to coarse-scale statistics is what blur changes, and a head on
one view cannot form it. An experiment on a finished run folder, not part of the product.

  multiscale_head.py RUN [--views 512-512,256-256] [--epochs E] [--seed N]

RUN is a `metaqap recipe biq2021 --out RUN` folder (session 13 or later: its heads/<name>/fold-k units give the
content-disjoint folds). The head is spatial_head.py's (4,992 -> 512 -> 1 with input dropout 0.1 and dropout 0.3,
the quality-aware loss, AdamW, one-cycle), so compare rows with each other, not with the recipe's own table.
"""
import argparse
import csv
import glob
import json
import os
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spatial_head import Net, qa_loss, srocc  # noqa: E402


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    entry = header['features']
    assert entry['dtype'] == 'F32', entry
    start, end = entry['data_offsets']
    return np.frombuffer(data[start:end], dtype=np.float32).reshape(entry['shape'])


def view(run, key):
    chunks = sorted(glob.glob(os.path.join(run, 'features', key, 'chunk-*', 'features.safetensors')))
    return np.concatenate([read_safetensors(c) for c in chunks])


def folds(run, ids):
    index = {image: i for i, image in enumerate(ids)}
    head = sorted(glob.glob(os.path.join(run, 'heads', '*', 'fold-1')))[0].rsplit('/', 1)[0]
    out = []
    for k in range(1, 100):
        path = os.path.join(head, f'fold-{k}', 'result.json')
        if not os.path.exists(path):
            break
        with open(path) as f:
            out.append(np.array([index[i] for i in json.load(f)['value']['image_ids']]))
    return out


def fit(x, y, train, test, epochs, seed):
    torch.manual_seed(seed)
    x = torch.from_numpy(x)
    mu, sd = x[train].mean(0), x[train].std(0).clamp_min(1e-6)
    z = (x - mu) / sd
    net = Net(z.shape[1], [])
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    bs = 128
    steps = epochs * ((len(train) + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 1e-3, total_steps=steps, pct_start=0.1, anneal_strategy='cos')
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        net.train()
        order = rng.permutation(train)
        for b in range(0, len(order), bs):
            idx = order[b:b + bs]
            if len(idx) < 2:
                continue
            loss = qa_loss(net(z[idx], []), y[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
    net.eval()
    with torch.no_grad():
        p = net(z[test], []).numpy()
    t = y[test].numpy()
    return srocc(p, t), float(np.corrcoef(p, t)[0, 1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('run')
    ap.add_argument('--views', default='512-512,256-256')
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--seed', type=int, default=20261203)
    args = ap.parse_args()
    torch.set_num_threads(2)
    with open(os.path.join(args.run, 'oof.csv')) as f:
        rows = list(csv.DictReader(f))
    ids = [r['image_id'] for r in rows]
    y = torch.tensor([float(r['mos']) / 100 for r in rows])
    views = {key: view(args.run, key) for key in args.views.split(',')}
    assert all(len(v) == len(ids) for v in views.values()), {k: v.shape for k, v in views.items()}
    k_folds = folds(args.run, ids)
    variants = {key: views[key] for key in views}
    variants['+'.join(views)] = np.concatenate(list(views.values()), 1)
    for name, x in variants.items():
        t0, res = time.time(), []
        for k, test in enumerate(k_folds):
            train = np.concatenate([f for j, f in enumerate(k_folds) if j != k])
            res.append(fit(x, y, train, test, args.epochs, args.seed + k))
            print(f'  {name} fold {k + 1}: SROCC {res[-1][0]:.4f} PLCC {res[-1][1]:.4f}', flush=True)
        r = np.array(res)
        print(f'{name} ({x.shape[1]} inputs): SROCC {r[:, 0].mean():.4f} +- {r[:, 0].std(ddof=1):.4f}  '
              f'PLCC {r[:, 1].mean():.4f} +- {r[:, 1].std(ddof=1):.4f}  {time.time() - t0:.0f} s', flush=True)


if __name__ == '__main__':
    main()
