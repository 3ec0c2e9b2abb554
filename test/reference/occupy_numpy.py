"""
An independent NumPy/SciPy implementation of OccuPy's local-scale estimation, METHOD.md §2-§8, written
from the spec (not from the project's TypeScript), with the libraries the published program uses:
numpy/scipy FFTs in single precision, scipy.ndimage.maximum_filter, scipy.optimize.curve_fit, np.histogram.

It checks the project on maps the fixtures do not contain (other boxes, voxel sizes, models): the test
first shows it agrees with the published program's outputs on the fixtures, then compares it with the
project on new maps, with ../shared/fixtures/README.md's tolerances.

    python3 occupy_numpy.py map.mrc out_dir [--occupancy] [--max-box N] [--lowpass A] [--nlrc] [--S0]

Writes out_dir/scale.mrc, out_dir/conf.mrc and out_dir/figures.json.
"""
import argparse
import json
import math
import os

import mrcfile
import numpy as np
from scipy import fft as spfft
from scipy import ndimage, optimize

F32 = np.float32


def fourier_block(x, apix, lowpass=None, size=None):
    """§3: low-pass to `lowpass` Å (spherical window) or resample to `size` voxels (square window)."""
    n = x.shape[0]
    spectrum = np.fft.fftshift(spfft.rfftn(x.astype(F32)), axes=(0, 1))  # complex64
    if lowpass is not None:
        ks = int(np.floor(F32(F32(F32(n) * F32(apix)) / F32(lowpass))))
        centre, shape = n // 2, spectrum.shape
    else:
        ks = size // 2
        centre, shape = ks, (2 * ks, 2 * ks, ks + 1)
    k = min(ks, n // 2)
    block = np.zeros(shape, dtype=np.complex64)
    block[centre - k:centre + k, centre - k:centre + k, :k + 1] = \
        spectrum[n // 2 - k:n // 2 + k, n // 2 - k:n // 2 + k, :k + 1]
    if lowpass is not None:
        # Boolean sphere of radius k+1 centred at (n-1)/2 on an n^3 grid; its last n/2+1 planes.
        grid = np.arange(n) - (n - 1) / 2
        sphere = (grid[:, None, None] ** 2 + grid[None, :, None] ** 2 + grid[None, None, :] ** 2) <= (k + 1) ** 2
        block = block * sphere[:, :, n // 2 - 1:]
    out = spfft.irfftn(np.fft.ifftshift(block, axes=(0, 1)))
    if size is not None:
        out = out * (size / n) ** 3
    return out.astype(F32)


def tau_for(n_v):
    root = optimize.brentq(lambda t: t ** n_v + t - 1, 0.0, 1.0, xtol=1e-15)
    return round(root, 4) if n_v <= 1000 else root


def settings(apix, n_proc, lowpass=None, resolution=None):
    if lowpass is None and resolution is None:
        lp = F32(max(F32(3 * F32(apix)), 8.0))
    elif lowpass is None:
        lp = F32(resolution)
    elif resolution is None:
        lp = F32(lowpass)
    else:
        lp = F32(max(lowpass, resolution))
    size = int(np.floor(F32(lp / F32(apix))))
    size = int(np.clip(2 * (size // 2) + 1, 3, 9))
    radius = F32(lp / F32(2 * F32(apix)))
    grid = np.arange(size) - (size - 1) / 2
    kernel = (grid[:, None, None] ** 2 + grid[None, :, None] ** 2 + grid[None, None, :] ** 2) <= radius ** 2
    n_v = int(kernel.sum())
    return dict(lowpass=float(lp), kernel=kernel, size=size, radius=float(radius), n_v=n_v, tau=tau_for(n_v),
                tile=n_proc // 20)


def full_scale(D, tau, t):
    n = D.shape[0]
    T = 20
    if n - t + 1 < T:
        T = n - t + 1
    step = t + (n - T * t) // (T - 1)
    edge = (n - ((T - 1) * step + t)) // 2
    q = int(np.floor(tau * t ** 3))
    best = worst = None
    for i in range(T):
        for j in range(T):
            for l in range(T):
                if math.sqrt((i - T / 2) ** 2 + (j - T / 2) ** 2 + (l - T / 2) ** 2) >= T / 2 - 1:
                    continue
                a, b, c = edge + step * i, edge + step * j, edge + step * l
                value = np.sort(D[a:a + t, b:b + t, c:c + t], axis=None)[q]
                centre = [edge + step * s + t / 2 for s in (i, j, l)]
                if best is None or value > best[0]:
                    best = (value, centre)
                if worst is None or value < worst[0]:
                    worst = (value, centre)
    return float(best[0]), best[1], worst[1]


def gauss(x, c, mu, sigma):
    return c * np.exp(-(x - mu) ** 2 / (2 * sigma ** 2))


def solvent_model(L, region):
    values = L[region]
    a, b = np.histogram(values, bins=1000, density=True)
    p = int(np.argmax(a))
    j = p
    while a[j] >= a[p] / np.exp(1):
        j += 1
    guess = [a[p], b[p], (j - p) * (b[1] - b[0])]
    x = np.linspace(values.min(), values.max(), 1000).astype(F32)
    (c, mu, sigma), _ = optimize.curve_fit(gauss, x, a, p0=guess)
    model = gauss(x, c, mu, sigma)
    fit = np.clip(model, 1e-6, model.max())
    content = (a + 0.001 - fit) / (a + 0.001)
    high = int(np.nonzero(model >= 1e-9)[0].max())
    midhigh = int(np.nonzero(content <= 0.01)[0].max())
    return dict(c=float(c), mu=float(mu), sigma=abs(float(sigma)), contentAt1pct=float(b[midhigh + 1]), solventEdge=float(b[high]))


def confidence(L, fit, hedge=None):
    A, E = np.histogram(L, bins=1000, density=True)
    G = gauss(E.astype(np.float64), fit['c'], fit['mu'], fit['sigma'])
    G = np.clip(G, 0, G.max())
    r = (A + 0.01 - G[:-1]) / (A + 0.01)
    dt = 0.0
    for i in range(998, -1, -1):
        r[i] = min(r[i], r[i + 1], r[i + 1] - dt)
        dt = r[i + 1] - r[i]
        if r[i - 1] <= 0:  # at i = 0 this reads r[-1], as the published program does
            r[:i - 1] = 0
            break
    if hedge is not None and hedge > 1:
        r = np.clip(r, 0, 1) ** hedge
    lo, hi = L.min(), L.max()
    span = F32(hi - lo)
    u = (L / span - F32(lo / span)).astype(F32)
    index = (u * F32(1000) - F32(1)).astype(np.int64)
    index = np.clip(index, 0, 999)  # the project's fix: the minimum voxel reads entry 0, not the last
    conf = np.clip(r[index], 0, 1).astype(F32)
    idx = 1000 - int(np.sum(r > 0.5))
    return conf, float(E[idx])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('map')
    ap.add_argument('out')
    ap.add_argument('--occupancy', action='store_true')
    ap.add_argument('--max-box', type=int, default=256)
    ap.add_argument('--lowpass', type=float)
    ap.add_argument('--nlrc', action='store_true')
    ap.add_argument('--S0', action='store_true')
    ap.add_argument('--solvent-def')
    ap.add_argument('--hedge-confidence', type=float)
    args = ap.parse_args()

    with mrcfile.open(args.map, permissive=False) as f:
        X = f.data.astype(F32).copy()
        apix = F32(f.voxel_size.x)
    n = X.shape[0]
    if n > args.max_box:
        X = fourier_block(X, apix, size=args.max_box)
        apix = F32(F32(apix * n) / args.max_box)
    n_proc = X.shape[0]
    s = settings(apix, n_proc, lowpass=args.lowpass)
    L = fourier_block(X, apix, lowpass=s['lowpass']) if s['lowpass'] > 2 * apix else X
    D = L if args.occupancy else X

    grid = np.arange(n_proc) - (n_proc - 1) / 2
    sphere = (grid[:, None, None] ** 2 + grid[None, :, None] ** 2 + grid[None, None, :] ** 2) <= (n_proc // 2) ** 2
    region = sphere
    if args.solvent_def:
        with mrcfile.open(args.solvent_def, permissive=False) as f:
            definition = f.data.astype(F32).copy()
        if definition.shape[0] > n_proc:
            definition = fourier_block(definition, apix, size=n_proc)
        inside = (definition > 0.9) & sphere
        outside = ~(definition > 0.9) & sphere
        region = inside if np.var(L[inside]) < np.var(L[outside]) else outside
    fit = solvent_model(L, region)

    M = ndimage.maximum_filter(D, footprint=s['kernel'], mode='reflect')
    if args.S0:
        s_max, max_tile, min_tile = float(s['tau'] * D.max()), None, None
    else:
        s_max, max_tile, min_tile = full_scale(D, s['tau'], s['tile'])
    S = np.clip(M / F32(s_max), 0, 1).astype(F32)
    variability = float(np.mean(D[S == 1]) / s_max)
    conf, limit_value = confidence(L, fit, args.hedge_confidence)
    conf_limit = limit_value / s_max
    if args.nlrc:
        S = np.clip((S - conf_limit) / (1 - conf_limit), 0, 1).astype(F32)

    os.makedirs(args.out, exist_ok=True)
    for name, data in (('scale.mrc', S), ('conf.mrc', conf)):
        with mrcfile.new(os.path.join(args.out, name), overwrite=True) as f:
            f.set_data(data)
    figures = dict(kernelSize=s['size'], kernelRadius=s['radius'], sampleCount=s['n_v'], tau=s['tau'],
                   lowpass=s['lowpass'], tileSize=s['tile'], fullScale=s_max, variabilityLimit=variability,
                   confidenceLimit=conf_limit, solventPeak=fit['mu'], contentAt1pct=fit['contentAt1pct'],
                   solventEdge=fit['solventEdge'], maxTile=max_tile, minTile=min_tile)
    with open(os.path.join(args.out, 'figures.json'), 'w') as f:
        json.dump(figures, f, indent=1)


if __name__ == '__main__':
    main()
