#!/usr/bin/python3
"""Quality-aware fine-tuning of the ImageNet trunk's last stage on licence-clean photos (issue 15, part 1): does a
layer4 trained to rank synthetic distortions of pristine photos rank authentic photos the way people do?

  qa_finetune.py eval-cache DATA N OUT        layer3 outputs (fp16) of N seeded images of a MOS folder at their
                                              native size, and their MOS
  qa_finetune.py corpus-cache VIEWS OUT [CROPS]
                                              for each 512 px view (pristine_distance.py views), CROPS seeded
                                              256 px crops, each pristine and under every distortion of DISTORTIONS
                                              at 5 levels; their layer3 outputs (fp16)
  qa_finetune.py train CORPUS EVAL [--steps S] [--types a,b] [--frozen] [--seed N]
                                              layer4 from ImageNet (or frozen with --frozen) + a linear head on the
                                              square-rooted spatial mean and std, trained with a pairwise logistic
                                              ranking loss on pairs of one crop: the pristine crop above each of its
                                              distorted versions, and within a type the lower level above the higher;
                                              prints zero-shot SROCC on EVAL (its MOS is never used to fit)

No opinion score is used to fit anything; the variants are printed side by side (choosing among them on biq2021-dev
is tuning on it, say so when reporting).
"""
import argparse
import io
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
from cntk_torch import load_trunk  # noqa: E402

LEVELS = 5


def gaussian_kernel(sigma):
    r = max(1, int(math.ceil(3 * sigma)))
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t * t / (2 * sigma * sigma))
    return k / k.sum()


def depthwise(x, k2):
    k = k2[None, None].repeat(3, 1, 1, 1)
    ph, pw = k2.shape[0] // 2, k2.shape[1] // 2
    return F.conv2d(F.pad(x[None], (pw, pw, ph, ph), mode='reflect'), k, groups=3)[0]


def gblur(x, level, rng):
    k = gaussian_kernel([0.6, 1.0, 1.6, 2.5, 4.0][level])
    return depthwise(x, k[:, None] * k[None, :])


def mblur(x, level, rng):
    n = [3, 5, 9, 13, 19][level]
    a = rng.uniform(0, math.pi)
    k = torch.zeros(n, n)
    c = (n - 1) / 2
    for s in np.linspace(-c, c, 4 * n):
        k[int(round(c + s * math.sin(a))), int(round(c + s * math.cos(a)))] = 1
    return depthwise(x, k / k.sum())


def noise(x, level, rng):
    s = [3, 6, 10, 16, 25][level]
    g = torch.Generator().manual_seed(int(rng.integers(1 << 31)))
    luma = torch.randn(1, *x.shape[1:], generator=g)
    chroma = torch.randn(x.shape, generator=g)
    return x + s * (0.7 * luma + 0.5 * chroma)


def jpeg(x, level, rng):
    q = [50, 30, 18, 10, 5][level]
    im = Image.fromarray(x.clamp(0, 255).round().byte().permute(1, 2, 0).numpy())
    b = io.BytesIO()
    im.save(b, 'JPEG', quality=q)
    return torch.from_numpy(np.asarray(Image.open(b).convert('RGB'), dtype=np.float32)).permute(2, 0, 1)


def dark(x, level, rng):
    f = [0.75, 0.55, 0.4, 0.28, 0.18][level]
    return 255 * (x / 255) ** (1 / f ** 0.5) * f ** 0.5


def bright(x, level, rng):
    return x * [1.25, 1.5, 1.8, 2.2, 2.8][level]


def contrast(x, level, rng):
    c = [0.75, 0.6, 0.45, 0.32, 0.2][level]
    m = x.mean()
    return m + c * (x - m)


def downup(x, level, rng):
    s = [1.5, 2, 3, 4, 6][level]
    h, w = x.shape[1:]
    small = F.interpolate(x[None], size=(max(8, round(h / s)), max(8, round(w / s))), mode='area')
    return F.interpolate(small, size=(h, w), mode='bicubic', align_corners=False)[0]


def lowlight(x, level, rng):
    f = [0.6, 0.45, 0.32, 0.22, 0.15][level]
    s = [2, 3, 4, 5, 6][level]
    g = torch.Generator().manual_seed(int(rng.integers(1 << 31)))
    y = x * f + s * torch.randn(x.shape, generator=g)
    return y.round() / f


DISTORTIONS = {f.__name__: f for f in [gblur, mblur, noise, jpeg, dark, bright, contrast, downup, lowlight]}


def to_tensor(im):
    return torch.from_numpy(np.asarray(im.convert('RGB'), dtype=np.float32)).permute(2, 0, 1)


def layer3(net, batch):
    with torch.no_grad():
        return net.upto3(torch.stack(batch)).half()


def eval_cache(data, n, out):
    import csv
    rows = list(csv.DictReader(open(os.path.join(data, 'mos.csv'))))
    rng = np.random.default_rng(15)
    pick = sorted(rng.choice(len(rows), size=min(n, len(rows)), replace=False))
    net = load_trunk()
    maps, mos, t0 = [], [], time.time()
    for i in pick:
        x = to_tensor(Image.open(os.path.join(data, 'images', rows[i]['image'])))
        maps.append(layer3(net, [x])[0])
        mos.append(float(rows[i]['mos']))
    torch.save({'maps': maps, 'mos': torch.tensor(mos)}, out)  # sizes differ
    print(f'{len(pick)} images in {time.time() - t0:.0f} s -> {out}')


def corpus_cache(views, out, crops):
    net = load_trunk()
    rng = np.random.default_rng(20261201)
    files = sorted(os.listdir(views))
    names = list(DISTORTIONS)
    maps, group, kind, level = [], [], [], []
    t0 = time.time()
    for fi, f in enumerate(files):
        im = to_tensor(Image.open(os.path.join(views, f)))
        for c in range(crops):
            y0, x0 = (int(rng.integers(0, s - 256 + 1)) for s in im.shape[1:])
            x = im[:, y0:y0 + 256, x0:x0 + 256]
            batch, g = [x], fi * crops + c
            kind.append(-1)
            level.append(-1)
            for ti, name in enumerate(names):
                for lv in range(LEVELS):
                    batch.append(DISTORTIONS[name](x, lv, rng).clamp(0, 255))
                    kind.append(ti)
                    level.append(lv)
            maps.append(layer3(net, batch))
            group += [g] * len(batch)
        if fi % 20 == 0:
            print(f'{fi + 1}/{len(files)} views, {time.time() - t0:.0f} s', flush=True)
    torch.save({'maps': torch.cat(maps), 'group': torch.tensor(group), 'kind': torch.tensor(kind),
                'level': torch.tensor(level), 'names': names}, out)
    print(f'{len(group)} crops in {time.time() - t0:.0f} s -> {out}')


class Head(nn.Module):
    def __init__(self, layer4, frozen):
        super().__init__()
        self.layer4 = layer4
        self.frozen = frozen
        self.bn_eval = frozen
        for p in layer4.parameters():
            p.requires_grad_(not frozen)
        self.fc = nn.Linear(1024, 1)
        nn.init.zeros_(self.fc.weight)
        self.register_buffer('mu', torch.zeros(1024))
        self.register_buffer('sd', torch.ones(1024))

    def train(self, mode=True):
        super().train(mode)
        if self.bn_eval:  # BatchNorm keeps ImageNet's statistics (synthetic batches would shift them)
            self.layer4.eval()
        return self

    def features(self, m):
        y = self.layer4(m.float()).flatten(2)
        return torch.cat([y.mean(2), y.std(2, unbiased=False)], 1).add(1e-6).sqrt()

    def forward(self, m):
        return self.fc((self.features(m) - self.mu) / self.sd)[:, 0]


def srocc(a, b):
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def evaluate(model, ev):
    model.eval()
    with torch.no_grad():
        s = torch.cat([model(m[None]) for m in ev['maps']])
    model.train()
    return srocc(s.numpy(), ev['mos'].numpy())


def train(args):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    co = torch.load(args.corpus)
    ev = torch.load(args.eval)
    names = co['names']
    keep = set(range(len(names))) if not args.types else {names.index(t) for t in args.types.split(',')}
    kind, level, group = co['kind'].numpy(), co['level'].numpy(), co['group'].numpy()
    groups = {}
    for i, (g, k) in enumerate(zip(group, kind)):
        if k < 0 or k in keep:
            groups.setdefault(int(g), []).append(i)
    gids = sorted(groups)
    model = Head(load_trunk().layer4, args.frozen)
    model.bn_eval = args.frozen or args.layer4_bn_eval
    model.train()
    with torch.no_grad():  # standardise the head's inputs by the pristine crops' statistics
        idx = torch.tensor([groups[g][0] for g in gids[:200]])
        f = torch.cat([model.features(co['maps'][idx[i:i + 16]]) for i in range(0, len(idx), 16)])
        model.mu.copy_(f.mean(0))
        model.sd.copy_(f.std(0).clamp_min(1e-3))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{'params': list(model.fc.parameters()), 'lr': args.lr_head},
                             {'params': [p for p in model.layer4.parameters() if p.requires_grad], 'lr': args.lr}],
                            weight_decay=1e-4)
    print(f'zero-shot SROCC before training (head zero): n/a; params {sum(p.numel() for p in params)}')
    t0 = time.time()
    for step in range(1, args.steps + 1):
        chosen = rng.choice(gids, size=args.groups, replace=False)
        idx, gi = [], []
        for j, g in enumerate(chosen):
            members = groups[g]
            sub = [members[0]] + list(rng.choice(members[1:], size=min(args.per_group - 1, len(members) - 1), replace=False))
            idx += sub
            gi += [j] * len(sub)
        idx = torch.tensor(idx)
        s = model(co['maps'][idx])
        k, lv, gi = torch.tensor(kind[idx]), torch.tensor(level[idx]), torch.tensor(gi)
        same = gi[:, None] == gi[None, :]
        better = same & (((k[:, None] < 0) & (k[None, :] >= 0)) |
                         ((k[:, None] == k[None, :]) & (k[:, None] >= 0) & (lv[:, None] < lv[None, :])))
        diff = s[:, None] - s[None, :]
        loss = F.softplus(-diff[better] * args.scale).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % args.every == 0 or step == args.steps:
            print(f'step {step} loss {loss.item():.4f} zero-shot SROCC {evaluate(model, ev):.4f} '
                  f'({time.time() - t0:.0f} s)', flush=True)
    if args.save:
        torch.save(model.state_dict(), args.save)


def stats(maps):
    """Square-rooted spatial mean and std of layer3's and layer4's outputs (256 + 256 + 512 + 512 values)."""
    net = load_trunk()
    out = []
    with torch.no_grad():
        for m in maps:
            m = m.float()
            y = net.layer4(m)
            parts = []
            for t in (m, y):
                f = t.flatten(2)
                parts += [f.mean(2), f.std(2, unbiased=False)]
            out.append(torch.cat(parts, 1).add(1e-6).sqrt())
    return torch.cat(out)


def features(corpus, ev, out):
    co, e = torch.load(corpus), torch.load(ev)
    t0 = time.time()
    fc = stats([co['maps'][i:i + 32] for i in range(0, len(co['group']), 32)])
    fe = stats([m[None] for m in e['maps']])
    torch.save({'corpus': fc, 'eval': fe, 'mos': e['mos'], 'group': co['group'], 'kind': co['kind'],
                'level': co['level'], 'names': co['names']}, out)
    print(f'features in {time.time() - t0:.0f} s -> {out}')


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('eval-cache')
    a.add_argument('data')
    a.add_argument('n', type=int)
    a.add_argument('out')
    a = sub.add_parser('corpus-cache')
    a.add_argument('views')
    a.add_argument('out')
    a.add_argument('crops', type=int, nargs='?', default=1)
    a = sub.add_parser('features')
    a.add_argument('corpus')
    a.add_argument('eval')
    a.add_argument('out')
    a = sub.add_parser('train')
    a.add_argument('corpus')
    a.add_argument('eval')
    a.add_argument('--steps', type=int, default=300)
    a.add_argument('--groups', type=int, default=4)
    a.add_argument('--per-group', type=int, default=12)
    a.add_argument('--types', default='')
    a.add_argument('--frozen', action='store_true')
    a.add_argument('--layer4-bn-eval', action='store_true')
    a.add_argument('--lr', type=float, default=1e-4)
    a.add_argument('--lr-head', type=float, default=1e-3)
    a.add_argument('--scale', type=float, default=1.0)
    a.add_argument('--every', type=int, default=50)
    a.add_argument('--seed', type=int, default=1)
    a.add_argument('--save', default='')
    args = p.parse_args()
    torch.set_num_threads(int(os.environ.get('THREADS', '2')))
    if args.cmd == 'eval-cache':
        eval_cache(args.data, args.n, args.out)
    elif args.cmd == 'features':
        features(args.corpus, args.eval, args.out)
    elif args.cmd == 'corpus-cache':
        corpus_cache(args.views, args.out, args.crops)
    else:
        train(args)


if __name__ == '__main__':
    main()
