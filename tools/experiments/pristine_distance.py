#!/usr/bin/env python3
"""Zero-shot quality as distance from licence-clean pristine photos in the frozen ImageNet trunk's feature space
(a deep-feature NIQE), for issue 15's default model. No opinion score is used to fit anything; the variants are
printed side by side, so choosing among them on biq2021-dev would be tuning on it.

  python3 tools/experiments/pristine_distance.py views PHOTOS OUT
      512x512 views of each photo of PHOTOS (scripts/pristine-photos.sh OUT/images): the whole photo scaled to a
      shorter side of 512, its centre crop, and for a photo more than 200 px longer than wide (or tall) its two ends;
      OUT/mos.csv holds placeholder ratings so that `metaqap calibrate curve` measures the folder.
  metaqap calibrate curve --model models/default --dataset OUT --cache P.safetensors --sizes 100 --draws 1
  metaqap calibrate curve --model models/default --dataset ../shared/data/biq2021-dev --cache B.safetensors
  python3 tools/experiments/pristine_distance.py score B.safetensors P.safetensors

score: the trunk's block statistics (4,992 values, TrunkFeatureExtractor's layout) of the pristine views, standardised
by their own mean and std; per layer subset, the Mahalanobis distance in the top-k principal components, the residual
outside them, both, and the plain Euclidean norm; SROCC of minus each distance with the MOS of B, and of its rank mean
with models/default's mean base score (B's base_scores).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from calibration_variants import load, srocc  # noqa: E402

CHANNELS = [64, 64, 64, 128, 128, 256, 256, 512, 512, 512]  # stem and the nine blocks
OFFSETS = np.cumsum([0] + [2 * c for c in CHANNELS])


def views(photos, out):
    from PIL import Image
    os.makedirs(os.path.join(out, 'images'), exist_ok=True)
    names = []
    for f in sorted(os.listdir(photos)):
        im = Image.open(os.path.join(photos, f)).convert('RGB')
        s = 512 / min(im.size)
        im = im.resize((max(512, round(im.size[0] * s)), max(512, round(im.size[1] * s))), Image.LANCZOS)
        w, h = im.size
        xs = [(w - 512) // 2] + ([0, w - 512] if w - 512 > 200 else [])
        ys = [(h - 512) // 2] + ([0, h - 512] if h - 512 > 200 else [])
        for k, (x, y) in enumerate([(x, ys[0]) for x in xs] + [(xs[0], y) for y in ys[1:]]):
            name = f'{os.path.splitext(f)[0]}-{k}.png'
            im.crop((x, y, x + 512, y + 512)).save(os.path.join(out, 'images', name))
            names.append(name)
    with open(os.path.join(out, 'mos.csv'), 'w') as fh:
        fh.write('image,mos\n')
        for i, n in enumerate(names):
            fh.write(f'{n},{(i % 10) / 10 + 0.05:.2f}\n')  # placeholders: calibrate curve refuses constant ratings
    print(f'{len(names)} views of {len(os.listdir(photos))} photos in {out}')


def columns(maps, parts=('mean', 'std')):
    idx = []
    for m in maps:
        o, c = OFFSETS[m], CHANNELS[m]
        if 'mean' in parts:
            idx += range(o, o + c)
        if 'std' in parts:
            idx += range(o + c, o + 2 * c)
    return np.array(idx)


def distances(p, b, k):
    mu, sd = p.mean(0), p.std(0) + 1e-6
    z, zb = (p - mu) / sd, (b - mu) / sd
    _, s, vt = np.linalg.svd(z, full_matrices=False)
    v, lam = vt[:k].T, s[:k] ** 2 / len(z)
    proj = zb @ v
    maha = (proj ** 2 / lam).sum(1)
    resid = ((zb - proj @ v.T) ** 2).sum(1) / max(1e-12, (s[k:] ** 2).sum() / len(z))
    return maha, resid, (zb ** 2).sum(1)


def score(biq, pristine):
    b = load(biq)
    p = load(pristine)['features']
    x, y, base = b['features'], b['mos'], b['base_scores'].mean(1)
    rank = lambda v: np.argsort(np.argsort(v)) / len(v)  # noqa: E731
    print(f'{len(p)} pristine views, {len(y)} rated images; models/default zero-shot SROCC {srocc(base, y):.3f}')
    subsets = {
        'all': columns(range(10)), 'stem+stage1': columns([0, 1, 2]), 'stages1-2': columns(range(5)),
        'stage3': columns([5, 6]), 'stage4': columns([7, 8, 9]), 'stages3-4': columns(range(5, 10)),
        'means': columns(range(10), ('mean',)), 'stds': columns(range(10), ('std',)),
    }
    print('| layers | k | Mahalanobis | residual | both | Euclidean | rank mean of both with models/default |')
    print('|---|---|---|---|---|---|---|')
    for name, c in subsets.items():
        for k in (5, 10, 20, 50):
            maha, resid, eucl = distances(p[:, c], x[:, c], k)
            cells = [srocc(-d, y) for d in (maha, resid, maha + resid, eucl)] + [srocc(rank(-(maha + resid)) + rank(base), y)]
            print(f'| {name} | {k} | ' + ' | '.join(f'{v:+.3f}' for v in cells) + ' |', flush=True)


if __name__ == '__main__':
    if sys.argv[1] == 'views':
        views(sys.argv[2], sys.argv[3])
    else:
        score(sys.argv[2], sys.argv[3])
