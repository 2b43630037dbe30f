#!/usr/bin/python3
"""Linear heads on the frozen trunk's layer3/layer4 statistics, trained to rank synthetic distortions of pristine
crops (qa_finetune.py's pairs: the pristine crop above each distorted version, and within a type the lower level
above the higher), scored zero-shot on a MOS set. Variants side by side: feature subsets, distortion types, L2.

  qa_rank_linear.py FEATURES        (qa_finetune.py features CORPUS EVAL FEATURES)

Besides the zero-shot SROCC (MOS never fitted), each row gives the pair accuracy on held-out corpus contents, the
only criterion available without opinion scores.
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F

COLUMNS = {'l3': list(range(0, 512)), 'l4': list(range(512, 1536)), 'l4mean': list(range(512, 1024)),
           'l34': list(range(0, 1536)), 'l34mean': list(range(0, 256)) + list(range(512, 1024))}


def srocc(a, b):
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def pairs(kind, level, group, rows):
    """Index pairs (better, worse) among rows, within one crop."""
    by = {}
    for i in rows:
        by.setdefault(int(group[i]), []).append(i)
    better, worse = [], []
    for members in by.values():
        for a in members:
            for b in members:
                if kind[a] < 0 <= kind[b] or (kind[a] == kind[b] >= 0 and level[a] < level[b]):
                    better.append(a)
                    worse.append(b)
    return torch.tensor(better), torch.tensor(worse)


def fit(x, b, w_, l2, steps=300):
    w = torch.zeros(x.shape[1], dtype=x.dtype, requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=steps, line_search_fn='strong_wolfe')

    def closure():
        opt.zero_grad()
        s = x @ w
        loss = F.softplus(-(s[b] - s[w_])).mean() + l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach()


def main():
    d = torch.load(sys.argv[1])
    names = d['names']
    kind, level, group = d['kind'].numpy(), d['level'].numpy(), d['group'].numpy()
    groups = np.unique(group)
    rng = np.random.default_rng(0)
    held = set(rng.choice(groups, size=len(groups) // 5, replace=False).tolist())
    variants = [('all', None)] + [(f'-{n}', [t for t in names if t != n]) for n in names]
    for cols in ['l4', 'l34', 'l4mean', 'l3', 'l34mean']:
        for l2 in [1e-3]:
            for label, types in variants if cols == 'l4' else variants[:1]:
                keep = set(range(len(names))) if types is None else {names.index(t) for t in types}
                ok = np.array([k < 0 or k in keep for k in kind])
                train = [i for i in range(len(kind)) if ok[i] and group[i] not in held]
                test = [i for i in range(len(kind)) if ok[i] and group[i] in held]
                c = COLUMNS[cols]
                x = d['corpus'][:, c].double()
                mu, sd = x[train].mean(0), x[train].std(0).clamp_min(1e-6)
                z = (x - mu) / sd
                b, w_ = pairs(kind, level, group, train)
                w = fit(z, b, w_, l2)
                tb, tw = pairs(kind, level, group, test)
                s = z @ w
                acc = float((s[tb] > s[tw]).double().mean())
                e = ((d['eval'][:, c].double() - mu) / sd) @ w
                print(f'{cols:8s} l2={l2:g} types={label:10s} held-out pair accuracy {acc:.4f}  zero-shot SROCC '
                      f'{srocc(e.numpy(), d["mos"].numpy()):.4f}', flush=True)


if __name__ == '__main__':
    main()
