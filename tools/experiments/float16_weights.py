#!/usr/bin/python3
"""Would float16 weights change the shipped default's scores by more than 1e-3 (issue 15, part 1)?

  float16_weights.py MODEL_DIR IMAGE_DIR [N]

Scores the first N images of IMAGE_DIR (sorted; decoded with PIL and viewed as default_views.py views them: the
shorter side scaled down to the base model's view, the centre square) with each base model of MODEL_DIR twice: its float32 weights as
shipped, and the same weights rounded to float16 and back. Prints the largest and mean absolute difference of the
final 0-100 score (the manifest's meta-learner applied) and the sizes the weights file would have. PyTorch's
float32 forward on both sides (tools/bench/torch_forward.py's network), so only the rounding of the weights differs.
Two ways of rounding: the state dict as shipped (BatchNorm running statistics in float16 too), and the weights with
every BatchNorm folded into its convolution in float32 first (what the worker runs), then rounded.
Needs python3-torch and python3-pil (run with /usr/bin/python3).
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))
import torch_forward as tf  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from default_views import view  # noqa: E402  (the scoring path's view of an image, as in the view table)


def fold(state):
    """conv weight * gamma / sqrt(var + eps) and a bias beta - mean * gamma / sqrt(var + eps), for every conv + BN."""
    out = dict(state)
    for key in [k for k in state if k.endswith('running_var')]:
        bn = key[:-len('running_var')]
        conv = bn.replace('bn', 'conv') if 'downsample' not in bn else bn[:-2] + '0.'
        g = state[bn + 'weight'] / torch.sqrt(state[bn + 'running_var'] + 1e-5)
        out[conv + 'weight'] = state[conv + 'weight'] * g.view(-1, 1, 1, 1)
        out[conv + 'bias'] = state[bn + 'bias'] - state[bn + 'running_mean'] * g
        for name in ('weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'):
            out.pop(bn + name)
    return out


class Folded(torch.nn.Module):
    """CntkQualityNet with identity BatchNorms and biased convolutions, loading a folded state dict."""

    def __init__(self, state):
        super().__init__()
        self.net = tf.CntkQualityNet()
        for name, module in list(self.net.named_modules()):
            for child_name, child in list(module.named_children()):
                if isinstance(child, torch.nn.BatchNorm2d):
                    setattr(module, child_name, torch.nn.Identity())
                elif isinstance(child, torch.nn.Conv2d):
                    child.bias = torch.nn.Parameter(torch.zeros(child.out_channels))
        self.net.load_state_dict(state, strict=True)

    def forward(self, x):
        return self.net(x)


def main():
    model_dir, image_dir = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    manifest = json.load(open(os.path.join(model_dir, 'manifest.json')))
    files = sorted(f for f in os.listdir(image_dir) if f.lower().endswith(('.jpg', '.jpeg', '.png')))[:n]
    meta = manifest['meta_learner']
    torch.set_num_threads(2)
    finals = {}
    for kind in ('float32', 'float16', 'folded float16'):
        base = {}
        for entry in manifest['base_models']:
            if entry['architecture'] != 'resnet18_cntk':
                sys.exit(f"{entry['name']}: only resnet18_cntk base models are handled here")
            state = tf.read_safetensors(os.path.join(model_dir, entry['weights_file']))
            if kind == 'folded float16':
                state = {k: v.half().float() for k, v in fold(state).items()}
                net = Folded(state)
            else:
                if kind == 'float16':
                    state = {k: (v.half().float() if v.is_floating_point() else v) for k, v in state.items()}
                net = tf.CntkQualityNet()
                net.load_state_dict(state, strict=True)
            net.eval()
            mean = torch.tensor(entry['normalization_mean']).view(1, 3, 1, 1) * 255
            scores = []
            with torch.inference_mode():
                for f in files:
                    image = view(Image.open(os.path.join(image_dir, f)).convert('RGB'), entry['view_side'])
                    x = torch.from_numpy(np.asarray(image, dtype=np.float32)).permute(2, 0, 1)[None] - mean
                    raw = net(x)[0, 0].item()
                    scores.append(entry['output_scale']['scale'] * raw + entry['output_scale']['offset'])
            base[entry['name']] = np.array(scores)
        final = meta['intercept'] + sum(c * base[p] for p, c in zip(meta['predictors'], meta['coefficients']))
        finals[kind] = np.clip(final, 0, 100)
    for kind in ('float16', 'folded float16'):
        diff = np.abs(finals['float32'] - finals[kind])
        print(f'{len(files)} images of {image_dir}: |score({kind} weights) - score(float32)| max {diff.max():.2e}, '
              f'mean {diff.mean():.2e} (0-100 scale; scores {finals["float32"].min():.1f}-{finals["float32"].max():.1f})')
    size32 = sum(os.path.getsize(os.path.join(model_dir, e['weights_file'])) for e in manifest['base_models'])
    print(f'weights: {size32 / 2**20:.1f} MiB as float32, about {size32 / 2**21:.1f} MiB as float16')


if __name__ == '__main__':
    main()
