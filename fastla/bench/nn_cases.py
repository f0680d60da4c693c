"""Neural-network rows of ``python -m fastla bench`` (issue 8's shapes).

* ``linear relu``: ``relu(x @ w.T + b)`` forward (fused epilogue) and forward +
  backward (``linear_backward``), batch 256: 784 -> 512, 4096: 1024 -> 1024,
  64: 4096 -> 4096; flops 2 m n k forward, 3 x that forward + backward.
* ``attention``: (8, 12, 512, 64) and causal (1, 16, 4096, 64); flops
  4 L S d per head, half of it with causal (the unmasked half only).
* ``embedding_bag``: bags of 32 rows of a 64-wide table; bytes = the gathered
  rows (nnz * dim * itemsize).
Peers: NumPy (where it has a direct formulation) and PyTorch when installed,
with ``torch.set_num_threads`` matched to fastla's thread count.
``quick=True`` uses smaller shapes.
"""
import numpy as np

import fastla
from fastla.bench.peers import torch_or_none


def linear_shapes(quick):
    return [(128, 784, 512), (1024, 1024, 1024)] if quick else \
        [(256, 784, 512), (4096, 1024, 1024), (64, 4096, 4096)]


def attention_shapes(quick):
    """(batch, heads, L, d, causal)."""
    return [(2, 4, 512, 64, False), (1, 4, 1024, 64, True)] if quick else \
        [(8, 12, 512, 64, False), (1, 16, 4096, 64, True)]


def embedding_shapes(quick):
    """(num_embeddings, dim, bags, bag size)."""
    return [(100_000, 64, 2048, 32)] if quick else [(1_000_000, 64, 16384, 32)]


def nn_cases(quick):
    torch = torch_or_none()
    rng = np.random.default_rng(0)
    cases = []
    dt = np.float32
    for m, k, n in linear_shapes(quick):
        x = rng.standard_normal((m, k)).astype(dt)
        w = (rng.standard_normal((n, k)) / np.sqrt(k)).astype(dt)
        b = rng.standard_normal(n).astype(dt)
        g = rng.standard_normal((m, n)).astype(dt)
        out = np.empty((m, n), dt)

        def np_fwd(x=x, w=w, b=b, out=out):
            np.matmul(x, w.T, out=out)
            out += b
            np.maximum(out, 0, out=out)

        def fl_fwdbwd(x=x, w=w, b=b, g=g):
            y = fastla.linear(x, w, b, activation="relu")
            fastla.linear_backward(g, x, w, y, activation="relu")

        peers = {"numpy": np_fwd}
        peers_fb = {}
        if torch is not None:
            tx, tw, tb, tg = (torch.from_numpy(a) for a in (x, w, b, g))
            F = torch.nn.functional
            peers["torch"] = lambda tx=tx, tw=tw, tb=tb: F.relu(F.linear(tx, tw, tb))
            txg, twg, tbg = (t.clone().requires_grad_(True) for t in (tx, tw, tb))

            def torch_fb(txg=txg, twg=twg, tbg=tbg, tg=tg):
                F.relu(F.linear(txg, twg, tbg)).backward(tg)
                txg.grad = twg.grad = tbg.grad = None
            peers_fb["torch"] = torch_fb
        nbytes = x.nbytes + w.nbytes + out.nbytes
        cases.append(dict(name=f"linear relu float32 {m}:{k}->{n}",
                          fastla=lambda x=x, w=w, b=b: fastla.linear(x, w, b, activation="relu"),
                          peers=peers, bytes=nbytes, flops=2.0 * m * n * k, limit="fma"))
        cases.append(dict(name=f"linear relu fwd+bwd float32 {m}:{k}->{n}", fastla=fl_fwdbwd,
                          peers=peers_fb, bytes=3 * nbytes, flops=6.0 * m * n * k, limit="fma"))
    for B, H, L, d, causal in attention_shapes(quick):
        q, k_, v = (rng.standard_normal((B, H, L, d)).astype(dt) for _ in range(3))
        peers = {}
        if torch is not None:
            tq, tk, tv = (torch.from_numpy(a) for a in (q, k_, v))
            peers["torch"] = (lambda tq=tq, tk=tk, tv=tv, c=causal:
                              torch.nn.functional.scaled_dot_product_attention(tq, tk, tv,
                                                                               is_causal=c))
        flops = 4.0 * B * H * L * L * d * (0.5 if causal else 1.0)
        cases.append(dict(name=f"attention{' causal' if causal else ''} float32 "
                               f"{B}x{H}x{L}x{d}",
                          fastla=lambda q=q, k=k_, v=v, c=causal: fastla.attention(
                              q, k, v, is_causal=c),
                          peers=peers, bytes=4 * q.nbytes, flops=flops, limit="fma"))
    for num, dim, bags, size in embedding_shapes(quick):
        w = rng.standard_normal((num, dim)).astype(dt)
        idx = rng.integers(0, num, bags * size)
        offsets = np.arange(0, bags * size, size)
        gathered = idx.size * dim * w.itemsize
        for mode in ("sum", "mean", "max"):
            peers = {}
            if mode == "sum":
                peers["numpy"] = lambda w=w, idx=idx, o=offsets: np.add.reduceat(w[idx], o)
            if torch is not None:
                ti, tw, to = (torch.from_numpy(a) for a in (idx, w, offsets))
                peers["torch"] = (lambda ti=ti, tw=tw, to=to, mode=mode:
                                  torch.nn.functional.embedding_bag(ti, tw, to, mode=mode))
            cases.append(dict(name=f"embedding_bag {mode} float32 {num}x{dim} {bags}x{size}",
                              fastla=lambda w=w, idx=idx, o=offsets, mode=mode:
                              fastla.embedding_bag(idx, w, o, mode=mode),
                              peers=peers, bytes=gathered, flops=2.0 * idx.size * dim,
                              limit="bandwidth"))
    return cases
