"""A fully connected network on scikit-learn's bundled 8x8 digits (no
download), trained with Adam; every forward and backward product is
fastla's (``fastla.linear`` with the fused bias + ReLU epilogue and
``fastla.linear_backward``).  The same network written with NumPy is trained
from the same initial weights on the same batches, and the time per epoch of
both is printed.

    python examples/mlp_digits.py            # 60 epochs, >= 97% test accuracy
    python examples/mlp_digits.py --quick    # a few epochs (used by the tests)

Needs scikit-learn (the `examples` extra), for the data set only.
"""
import argparse
import time

import numpy as np

import fastla


def load(seed=0, dtype=np.float32):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
    return ((Xtr - mu) / sd).astype(dtype), ytr, ((Xte - mu) / sd).astype(dtype), yte


def init(sizes, seed=0, dtype=np.float32):
    """He-initialized (weight, bias) per layer, torch's (out, in) layout."""
    rng = np.random.default_rng(seed)
    return [[(rng.standard_normal((n, m)) * np.sqrt(2.0 / m)).astype(dtype),
             np.zeros(n, dtype)] for m, n in zip(sizes[:-1], sizes[1:])]


def softmax_xent_grad(logits, y):
    """Mean cross-entropy loss and its gradient with respect to the logits."""
    z = logits - logits.max(1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(1, keepdims=True)
    n = logits.shape[0]
    loss = -np.log(p[np.arange(n), y] + 1e-12).mean()
    p[np.arange(n), y] -= 1
    return loss, p / n


class Adam:
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.params, self.lr, self.b1, self.b2, self.eps = params, lr, b1, b2, eps
        self.m = [[np.zeros_like(p) for p in layer] for layer in params]
        self.v = [[np.zeros_like(p) for p in layer] for layer in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        c1, c2 = 1 - self.b1 ** self.t, 1 - self.b2 ** self.t
        for layer, gl, ml, vl in zip(self.params, grads, self.m, self.v):
            for p, g, m, v in zip(layer, gl, ml, vl):
                m *= self.b1
                m += (1 - self.b1) * g
                v *= self.b2
                v += (1 - self.b2) * g * g
                p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


# ---- the network with fastla's products ----

def forward_fastla(params, x):
    acts = [x]
    for i, (w, b) in enumerate(params):
        last = i == len(params) - 1
        acts.append(fastla.linear(acts[-1], w, b, activation=None if last else "relu"))
    return acts


def backward_fastla(params, acts, g):
    grads = [None] * len(params)
    for i in reversed(range(len(params))):
        w, _ = params[i]
        act = None if i == len(params) - 1 else "relu"
        gx, gw, gb = fastla.linear_backward(
            g, acts[i], w, acts[i + 1] if act else None, activation=act,
            needs=("input", "weight", "bias") if i > 0 else ("weight", "bias"))
        grads[i] = [gw, gb]
        g = gx
    return grads


# ---- the same network in NumPy ----

def forward_numpy(params, x):
    acts = [x]
    for i, (w, b) in enumerate(params):
        z = acts[-1] @ w.T + b
        acts.append(z if i == len(params) - 1 else np.maximum(z, 0))
    return acts


def backward_numpy(params, acts, g):
    grads = [None] * len(params)
    for i in reversed(range(len(params))):
        w, _ = params[i]
        if i < len(params) - 1:
            g = g * (acts[i + 1] > 0)
        grads[i] = [g.T @ acts[i], g.sum(0)]
        g = g @ w
    return grads


def train(forward, backward, data, sizes, epochs, batch, lr, seed=0):
    Xtr, ytr, Xte, yte = data
    params = init(sizes, seed)
    opt = Adam(params, lr)
    rng = np.random.default_rng(seed + 1)
    times = []
    for _ in range(epochs):
        order = rng.permutation(len(Xtr))
        t0 = time.perf_counter()
        for s in range(0, len(order), batch):
            sel = order[s:s + batch]
            acts = forward(params, Xtr[sel])
            _, g = softmax_xent_grad(acts[-1], ytr[sel])
            opt.step(backward(params, acts, g.astype(Xtr.dtype)))
        times.append(time.perf_counter() - t0)
    pred = forward(params, Xte)[-1].argmax(1)
    return float((pred == yte).mean()), times


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="a few epochs (for the tests)")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--no-numpy", action="store_true", help="skip the NumPy network")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for fastla and NumPy's BLAS alike (default 1: the products "
                        "of a batch of 32 are far too small to share)")
    args = p.parse_args(argv)
    fastla.set_num_threads(args.threads)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads, user_api="blas")
    except ImportError:
        pass
    epochs = args.epochs or (8 if args.quick else 60)
    data = load()
    sizes = [64, 256, 128, 10]
    acc, times = train(forward_fastla, backward_fastla, data, sizes, epochs, 32, 2e-3)
    print(f"fastla: test accuracy {acc:.4f} after {epochs} epochs, "
          f"{1e3 * np.median(times):.1f} ms per epoch (median)")
    if not args.no_numpy:
        acc_np, times_np = train(forward_numpy, backward_numpy, data, sizes, epochs, 32, 2e-3)
        print(f"numpy:  test accuracy {acc_np:.4f} after {epochs} epochs, "
              f"{1e3 * np.median(times_np):.1f} ms per epoch (median)")
    print(f"accuracy={acc:.4f}")
    return acc


if __name__ == "__main__":
    main()
