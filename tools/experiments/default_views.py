#!/usr/bin/python3
"""Zero-shot accuracy of the shipped default's rank head at other view sides (issue 15, part 3's table), in PyTorch
on the same trunk (cntk_torch.py). Each image is scaled so that its shorter side is the view side (when longer; the
scoring path's view_side), its centre square crop of that side is taken (sides cropped to a multiple of 32 by the
trunk), and the head of models/default scores the square-rooted mean of the last stage. The head was fitted at 512;
a head fitted at each view (ranking.view_side and the head's view) could do better there.

  default_views.py MODEL_WEIGHTS DATA N SIDE [SIDE ...]    # e.g. models/default/weights/rank-pool-512.safetensors
"""
import csv
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cntk_torch import load_trunk, read_safetensors  # noqa: E402
from qa_finetune import srocc  # noqa: E402


def view(im, side):
    w, h = im.size
    if min(w, h) > side:
        s = side / min(w, h)
        im = im.resize((max(side, round(w * s)), max(side, round(h * s))), Image.BICUBIC)
        w, h = im.size
    c = min(side, w, h)
    left, top = (w - c) // 2, (h - c) // 2
    return im.crop((left, top, left + c, top + c))


def main():
    weights, data, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sides = [int(s) for s in sys.argv[4:]]
    torch.set_num_threads(2)
    state = read_safetensors(weights)
    w = state['quality_head.weight'].double().ravel()
    b = float(state['quality_head.bias'].double().ravel()[0])
    net = load_trunk()
    rows = list(csv.DictReader(open(os.path.join(data, 'mos.csv'))))
    pick = sorted(np.random.default_rng(15).choice(len(rows), size=min(n, len(rows)), replace=False))
    mos = np.array([float(rows[i]['mos']) for i in pick])
    for side in sides:
        scores, t0 = [], time.time()
        with torch.no_grad():
            for i in pick:
                im = view(Image.open(os.path.join(data, 'images', rows[i]['image'])).convert('RGB'), side)
                x = torch.from_numpy(np.asarray(im, dtype=np.float32)).permute(2, 0, 1)[None]
                f = net.layer4(net.upto3(x)).flatten(2).mean(2).add(1e-6).sqrt()[0].double()
                scores.append(float(f @ w + b))
        print(f'view {side}: zero-shot SROCC {srocc(np.array(scores), mos):.4f} on {len(pick)} images '
              f'({len(pick) / (time.time() - t0):.1f} images/s in PyTorch, decode included)', flush=True)


if __name__ == '__main__':
    main()
