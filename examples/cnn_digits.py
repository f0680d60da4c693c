"""A small CNN on scikit-learn's bundled 8x8 digits (no download):
conv 3x3 (1 -> 16) + ReLU + 2x2 max-pool, conv 3x3 (16 -> 32) + ReLU + 2x2
max-pool, then linear 128 -> 64 (fused ReLU) -> 10, trained with Adam.
Convolutions forward and backward are ``fastla.conv2d`` /
``fastla.conv2d_backward``, the dense layers ``fastla.linear`` /
``fastla.linear_backward``; only the pooling, the ReLU after the
convolutions, the loss and the optimizer are NumPy.

    python examples/cnn_digits.py            # 40 epochs, >= 98% test accuracy
    python examples/cnn_digits.py --quick    # a few epochs (used by the tests)

Needs scikit-learn (the `examples` extra), for the data set only.
"""
import argparse
import os
import sys
import time

import numpy as np

import fastla

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mlp_digits import Adam, load, softmax_xent_grad  # noqa: E402


def init(seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)

    def he(shape, fan_in):
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)
    return [[he((16, 1, 3, 3), 9), np.zeros(16, dtype)],
            [he((32, 16, 3, 3), 144), np.zeros(32, dtype)],
            [he((64, 128), 128), np.zeros(64, dtype)],
            [he((10, 64), 64), np.zeros(10, dtype)]]


def pool(x):
    """2x2 max-pool of (N, C, H, W) with even H, W."""
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def pool_backward(g, x, y):
    """Gradient of pool: to the maxima of each window (ties share it)."""
    up = np.repeat(np.repeat(y, 2, axis=2), 2, axis=3)
    gu = np.repeat(np.repeat(g, 2, axis=2), 2, axis=3)
    return gu * (x == up)


def forward(params, x):
    (w1, b1), (w2, b2), (w3, b3), (w4, b4) = params
    z1 = np.maximum(fastla.conv2d(x, w1, b1, padding=1), 0)       # (N, 16, 8, 8)
    p1 = pool(z1)                                                  # (N, 16, 4, 4)
    z2 = np.maximum(fastla.conv2d(p1, w2, b2, padding=1), 0)      # (N, 32, 4, 4)
    p2 = pool(z2)                                                  # (N, 32, 2, 2)
    f = p2.reshape(len(x), -1)                                     # (N, 128)
    h = fastla.linear(f, w3, b3, activation="relu")                # (N, 64)
    out = fastla.linear(h, w4, b4)                                 # (N, 10)
    return (x, z1, p1, z2, p2, f, h, out)


def backward(params, cache, g):
    (w1, _), (w2, _), (w3, _), (w4, _) = params
    x, z1, p1, z2, p2, f, h, _ = cache
    gh, gw4, gb4 = fastla.linear_backward(g, h, w4)
    gf, gw3, gb3 = fastla.linear_backward(gh, f, w3, h, activation="relu")
    gz2 = pool_backward(gf.reshape(p2.shape), z2, p2) * (z2 > 0)
    gp1, gw2, gb2 = fastla.conv2d_backward(gz2, p1, w2, padding=1)
    gz1 = pool_backward(gp1, z1, p1) * (z1 > 0)
    _, gw1, gb1 = fastla.conv2d_backward(gz1, x, w1, padding=1, needs=("weight", "bias"))
    return [[gw1, gb1], [gw2, gb2], [gw3, gb3], [gw4, gb4]]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="a few epochs (for the tests)")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--threads", type=int, default=1,
                   help="threads for fastla (default 1: the products of a batch of 32 are small)")
    args = p.parse_args(argv)
    fastla.set_num_threads(args.threads)
    epochs = args.epochs or (6 if args.quick else 40)
    Xtr, ytr, Xte, yte = load()
    Xtr, Xte = Xtr.reshape(-1, 1, 8, 8), Xte.reshape(-1, 1, 8, 8)
    params = init()
    opt = Adam(params, 2e-3)
    rng = np.random.default_rng(1)
    times = []
    for _ in range(epochs):
        order = rng.permutation(len(Xtr))
        t0 = time.perf_counter()
        for s in range(0, len(order), 32):
            sel = order[s:s + 32]
            cache = forward(params, Xtr[sel])
            _, g = softmax_xent_grad(cache[-1], ytr[sel])
            opt.step(backward(params, cache, g.astype(np.float32)))
        times.append(time.perf_counter() - t0)
    acc = float((forward(params, Xte)[-1].argmax(1) == yte).mean())
    print(f"fastla CNN: test accuracy {acc:.4f} after {epochs} epochs, "
          f"{1e3 * np.median(times):.1f} ms per epoch (median)")
    print(f"accuracy={acc:.4f}")
    return acc


if __name__ == "__main__":
    main()
