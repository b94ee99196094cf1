"""Reference fits for @mle/forecasting, made with statsmodels (Debian's python3-statsmodels 0.13.5).

Run from the repository root, with Debian's Python (the package is not a runtime dependency of anything):

    apt-get install python3-statsmodels
    /usr/bin/python3 packages/forecasting/reference/statsmodels_fits.py

It reads the two series from the vega-datasets npm package the workspace installs and writes
packages/forecasting/test/fixtures/statsmodels.json, which the tests compare against.

- Exact maximum likelihood: SARIMAX with simple_differencing=True (the series is differenced first and the ARMA
  part fitted by the Kalman filter's exact Gaussian likelihood, as @mle/forecasting does), stationarity and
  invertibility enforced by statsmodels' transformations, L-BFGS to a tight tolerance. For the non-seasonal models
  L-BFGS is also started from a grid of AR and MA values and the best fit kept (the default start's log-likelihood
  is recorded beside it as default_start_llf: on temp ARIMA(1,1,1) it stops at a local maximum). Forecasts and their 95%
  intervals on the original scale come from the same parameters in a SARIMAX with the differencing in the state
  (simple_differencing=False), so the undifferencing is statsmodels' own.
- Correlograms: statsmodels' acf (biased, with Bartlett's 95% band) and pacf (Levinson–Durbin on the biased
  autocovariances, method='ldb') of the CO2 series differenced at lags 1 and 12.
- Diagnostics: the Ljung–Box statistic and p-value (acorr_ljungbox, model_df 2) of the differenced CO2 series, and
  KPSS (nlags="legacy") on both series and their first differences.
- Conditional sum of squares: statsmodels 0.13 no longer has an ARMA CSS estimator (arima_model.ARIMA was removed in
  0.13). For a pure AR model CSS is least squares, which statsmodels' AutoReg fits; that is the CSS reference. For an
  ARMA model the script minimises the conditional sum of squares itself (residuals by scipy.signal.lfilter, zero
  pre-sample errors, the sum from t = p), a second implementation rather than statsmodels'.
"""
import glob
import itertools
import json
import os

import numpy as np
import pandas as pd
import scipy.optimize
import scipy.signal
import statsmodels
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.tsa.stattools import acf, kpss, pacf
from statsmodels.tsa.statespace.sarimax import SARIMAX

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATA = glob.glob(os.path.join(ROOT, 'node_modules/.pnpm/vega-datasets@*/node_modules/vega-datasets/data'))[0]
OUT = os.path.join(ROOT, 'packages/forecasting/test/fixtures/statsmodels.json')

co2 = pd.read_csv(os.path.join(DATA, 'co2-concentration.csv'))
co2 = co2[co2['Date'] >= '1965-01-01']  # no month missing from here on
temp = pd.read_csv(os.path.join(DATA, 'global-temp.csv'))

SERIES = {
    'co2': {'start': co2['Date'].iloc[0], 'values': co2['CO2'].astype(float).tolist()},
    'temp': {'start': str(int(temp['year'].iloc[0])), 'values': temp['temp'].astype(float).tolist()},
}

MODELS = [
    ('co2', (0, 1, 1), (0, 1, 1, 12), 'n'),
    ('co2', (1, 1, 1), (0, 1, 1, 12), 'n'),
    ('co2', (2, 1, 1), (1, 1, 1, 12), 'n'),
    ('temp', (1, 1, 1), (0, 0, 0, 0), 'c'),
    ('temp', (0, 1, 2), (0, 0, 0, 0), 'c'),
    ('temp', (2, 0, 0), (0, 0, 0, 0), 'c'),
]


def exact(series, order, seasonal, trend):
    y = np.asarray(SERIES[series]['values'])
    model = SARIMAX(y, order=order, seasonal_order=seasonal, trend=trend, simple_differencing=True,
                    enforce_stationarity=True, enforce_invertibility=True)
    fit = model.fit(method='lbfgs', maxiter=2000, disp=False, pgtol=1e-10, factr=10)
    default_llf = float(fit.llf)
    if seasonal[3] == 0:
        # L-BFGS from statsmodels' default start can stop at a local maximum; for the non-seasonal models the script
        # also starts it from a grid of AR and MA values and keeps the best, and records the default's result.
        for guess in itertools.product([-0.6, 0.0, 0.6], repeat=order[0] + order[2]):
            start = fit.params.copy()
            k = 1 if trend == 'c' else 0
            start[k:k + len(guess)] = guess
            try:
                other = model.fit(start_params=start, method='lbfgs', maxiter=2000, disp=False, pgtol=1e-10,
                                  factr=10)
            except Exception:
                continue
            if other.llf > fit.llf + 1e-9:
                fit = other
    params = dict(zip(model.param_names, fit.params.tolist()))
    full = SARIMAX(y, order=order, seasonal_order=seasonal, trend=trend, simple_differencing=False,
                   enforce_stationarity=True, enforce_invertibility=True)
    forecast = full.filter(fit.params).get_forecast(24)
    interval = forecast.conf_int(alpha=0.05)
    return {
        'series': series, 'order': list(order), 'seasonal': list(seasonal), 'trend': trend,
        'params': params, 'sigma2': params['sigma2'], 'llf': float(fit.llf), 'aic': float(fit.aic),
        'aicc': float(fit.aicc), 'bic': float(fit.bic), 'nobs': int(fit.nobs),
        'converged': bool(fit.mle_retvals['converged']), 'default_start_llf': default_llf,
        'forecast': {'mean': forecast.predicted_mean.tolist(), 'lower': interval[:, 0].tolist(),
                     'upper': interval[:, 1].tolist()},
    }


def css_autoreg(series, lags, d):
    y = np.diff(np.asarray(SERIES[series]['values']), n=d)
    fit = AutoReg(y, lags=lags, trend='c').fit()
    resid = fit.resid
    return {'series': series, 'order': [lags, d, 0], 'trend': 'c', 'method': 'AutoReg (least squares)',
            'params': fit.params.tolist(), 'sse': float(resid @ resid), 'nobs': int(len(resid))}


def css_arma(series, p, d, q):
    w = np.diff(np.asarray(SERIES[series]['values']), n=d)

    def residuals(theta):
        c, ar, ma = theta[0], theta[1:1 + p], theta[1 + p:]
        x = w - c
        # e_t = x_t − Σ φ_i x_{t−i} − Σ θ_j e_{t−j}, from t = p with e_{t<p} = 0
        ar_part = x[p:] - sum(ar[i] * x[p - 1 - i:len(x) - 1 - i] for i in range(p))
        return scipy.signal.lfilter([1.0], np.r_[1.0, ma], ar_part)

    start = np.r_[w.mean(), np.zeros(p + q)]
    fit = scipy.optimize.least_squares(residuals, start, xtol=1e-14, ftol=1e-14, gtol=1e-14)
    e = residuals(fit.x)
    return {'series': series, 'order': [p, d, q], 'trend': 'c', 'method': 'least squares on lfilter residuals',
            'params': fit.x.tolist(), 'sse': float(e @ e), 'nobs': int(len(e))}


def correlogram(series, d, D, s, nlags):
    y = np.asarray(SERIES[series]['values'])
    w = np.diff(y, n=d) if d else y
    for _ in range(D):
        w = w[s:] - w[:-s]
    r, conf = acf(w, nlags=nlags, fft=False, alpha=0.05)
    return {'series': series, 'd': d, 'D': D, 's': s, 'acf': r.tolist(),
            'acf_band': ((conf[:, 1] - conf[:, 0]) / 2).tolist(),
            'pacf': pacf(w, nlags=nlags, method='ldb').tolist(), 'n': int(len(w))}


def diagnostics():
    y = np.asarray(SERIES['co2']['values'])
    w = np.diff(y)
    w = w[12:] - w[:-12]
    lb = acorr_ljungbox(w, lags=[12, 24], model_df=2)
    tests = []
    for name, x, regression in [('co2', y, 'ct'), ('co2', y, 'c'), ('co2 differenced', np.diff(y), 'c'),
                                ('temp', np.asarray(SERIES['temp']['values']), 'c'),
                                ('temp differenced', np.diff(SERIES['temp']['values']), 'c')]:
        stat, p, lags, crit = kpss(x, regression=regression, nlags='legacy')
        tests.append({'series': name, 'regression': regression, 'statistic': float(stat), 'pvalue': float(p),
                      'lags': int(lags)})
    temp_lb = acorr_ljungbox(np.diff(SERIES['temp']['values']), lags=[4, 10], model_df=0)
    return {'ljungbox': {'series': 'co2 differenced at lags 1 and 12', 'lags': [12, 24], 'model_df': 2,
                         'statistic': lb['lb_stat'].tolist(), 'pvalue': lb['lb_pvalue'].tolist()},
            'ljungbox_temp': {'series': 'temp differenced', 'lags': [4, 10], 'model_df': 0,
                              'statistic': temp_lb['lb_stat'].tolist(), 'pvalue': temp_lb['lb_pvalue'].tolist()},
            'kpss': tests}


out = {
    'made_with': f'statsmodels {statsmodels.__version__}, numpy {np.__version__}, scipy {scipy.__version__}',
    'series': SERIES,
    'exact': [exact(*m) for m in MODELS],
    'css': [css_autoreg('temp', 2, 1), css_arma('temp', 1, 1, 1)],
    'correlogram': [correlogram('co2', 1, 1, 12, 36)],
    'diagnostics': diagnostics(),
}
with open(OUT, 'w') as f:
    json.dump(out, f, indent=1)
print('wrote', OUT)
for m in out['exact']:
    print(m['series'], m['order'], m['seasonal'], m['trend'], 'llf', round(m['llf'], 4), 'aic', round(m['aic'], 4),
          'converged', m['converged'], {k: round(v, 5) for k, v in m['params'].items()})
for m in out['css']:
    print('css', m['series'], m['order'], [round(v, 6) for v in m['params']], 'sse', round(m['sse'], 6))
