"""Writes test/fixtures/scipy-ks.json: two-sample KS statistics and limiting-distribution p-values from SciPy.

Run from packages/mlops with Debian's python3-scipy (1.10): /usr/bin/python3 reference/ks_fixture.py
"""
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(7)
cases = []
for n, m, shift, scale in [(200, 300, 0.0, 1.0), (500, 400, 0.2, 1.0), (1000, 1000, 0.0, 1.3), (50, 80, 0.5, 1.0), (300, 300, 0.05, 1.0)]:
    a = rng.normal(0.0, 1.0, n).round(3)  # rounded: ties, as pixel sums have
    b = rng.normal(shift, scale, m).round(3)
    result = stats.ks_2samp(a, b, method="asymp")
    en = n * m / (n + m)
    cases.append({
        "a": a.tolist(),
        "b": b.tolist(),
        "statistic": float(result.statistic),
        "kstwobign_sf": float(stats.kstwobign.sf(np.sqrt(en) * result.statistic)),
        "ks_2samp_asymp_pvalue": float(result.pvalue),
    })
with open("test/fixtures/scipy-ks.json", "w") as f:
    json.dump({"scipy": __import__("scipy").__version__, "cases": cases}, f)
