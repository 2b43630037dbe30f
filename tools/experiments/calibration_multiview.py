#!/usr/bin/env python3
"""Calibration at N rated images from several view sides at once: the frozen trunk's features of two or four views
concatenated into one ridge, or the mean of one ridge per view, against the 512 view alone.

Usage: python3 tools/experiments/calibration_multiview.py RUN DATASET [N] [DRAWS]

RUN: a recipe run with feature caches at 224, 320, 384 and 512 (configs/biq2021-views.json); DATASET its MOS folder.
"""
import csv, glob, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(__file__))
from calibration_variants import load, ridge, srocc
run=sys.argv[1]; dataset=sys.argv[2]
with open(os.path.join(dataset,'mos.csv'),newline='') as f:
    y=np.array([float(r['mos']) for r in csv.DictReader(f)])
X={}
for side in [224,320,384,512]:
    chunks=sorted(glob.glob(f'{run}/features/{side}-{side}/chunk-*/features.safetensors'))
    X[side]=np.concatenate([load(c)['features'] for c in chunks]).astype(np.float64)
    print(side, X[side].shape, flush=True)
N=int(sys.argv[3]) if len(sys.argv)>3 else 200; D=int(sys.argv[4]) if len(sys.argv)>4 else 20
variants={
 '512':[[512]],
 '512+384 concat':[[512,384]],
 '512+320 concat':[[512,320]],
 'all concat':[[224,320,384,512]],
 'mean(512,384)':[[512],[384]],
 'mean(512,320)':[[512],[320]],
 'mean(all)':[[224],[320],[384],[512]],
}
for name,groups in variants.items():
    s=[]
    for d in range(D):
        o=np.random.RandomState(1000+d).permutation(len(y)); tr,te=o[:N],o[N:]
        preds=[]
        for g in groups:
            x=np.concatenate([X[v] for v in g],axis=1)
            preds.append(ridge(x[tr],y[tr])(x[te]))
        s.append(srocc(np.mean(preds,axis=0),y[te]))
    print(f'{name}: N={N} {D} draws SROCC {np.mean(s):.4f} ± {np.std(s):.4f}',flush=True)
