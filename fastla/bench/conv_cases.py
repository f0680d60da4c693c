"""Convolution rows of ``python -m fastla bench``: conv2d forward, forward +
backward, and im2col, float32, NCHW, on the five shapes of issue 6, against
PyTorch's CPU path (oneDNN) when torch is installed (its thread count set to
fastla's), and a NumPy stride-trick im2col.

GFLOP/s of a forward = 2 N C_out H_out W_out (C_in/groups) kh kw / time;
forward + backward (input, weight and bias gradients) counts 3x that.
im2col bytes = input read + columns written.  The plain rows run conv2d's
default (``algorithm="auto"``); where that takes Winograd F(2x2, 3x3) the
row's name says ``[winograd]`` and a ``direct`` row follows, so both paths
stay measured.  Winograd's GFLOP/s count the direct product's flops
(effective rate; it does 2.25x fewer in its GEMMs).  ``quick=True`` uses N = 4
instead of N = 32 (im2col uses at most N = 8: its columns are kh*kw times
the input).
"""
import sys

import numpy as np

import fastla
from fastla.bench.peers import torch_or_none

# (N, C_in, H, W, C_out, k, stride, padding)
SHAPES = [
    (32, 64, 56, 56, 64, 3, 1, 1),
    (32, 128, 28, 28, 128, 3, 1, 1),
    (32, 256, 14, 14, 256, 3, 1, 1),
    (32, 3, 224, 224, 64, 7, 2, 3),
    (32, 64, 56, 56, 256, 1, 1, 0),
]


def shapes(quick):
    return [((4,) + s[1:]) if quick else s for s in SHAPES]


def out_hw(h, k, s, p):
    return (h + 2 * p - k) // s + 1


def forward_flops(shape):
    n, c, h, w, co, k, s, p = shape
    return 2.0 * n * co * out_hw(h, k, s, p) * out_hw(w, k, s, p) * c * k * k


def label(shape):
    n, c, h, w, co, k, s, p = shape
    return f"N{n} {c}x{h}x{w}->{co} k{k}s{s}p{p}"


def numpy_im2col(x, k, s, p):
    """The stride-trick im2col: pad, sliding_window_view, one copy."""
    n, c = x.shape[:2]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
    v = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    ho, wo = v.shape[2:4]
    return v.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k * k, ho * wo)


def numpy_im2col_into(out, x, k, s, p):
    """The stride-trick im2col written into an existing array (np.copyto)."""
    n, c = x.shape[:2]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
    v = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    ho, wo = v.shape[2:4]
    np.copyto(out.reshape(n, c, k, k, ho, wo), v.transpose(0, 1, 4, 5, 2, 3))
    return out


def conv_cases(quick):
    torch = torch_or_none()
    F = torch.nn.functional if torch else None
    rng = np.random.default_rng(0)
    cases = []
    for shape in shapes(quick):
        n, c, h, w, co, k, s, p = shape
        ho, wo = out_hw(h, k, s, p), out_hw(w, k, s, p)
        x = rng.standard_normal((n, c, h, w)).astype(np.float32)
        wt = rng.standard_normal((co, c, k, k)).astype(np.float32)
        b = rng.standard_normal(co).astype(np.float32)
        gy = rng.standard_normal((n, co, ho, wo)).astype(np.float32)
        fl = forward_flops(shape)
        peers = {}
        if torch is not None:
            X, W, B = torch.from_numpy(x), torch.from_numpy(wt), torch.from_numpy(b)
            peers["torch"] = (lambda X=X, W=W, B=B, s=s, p=p:
                              F.conv2d(X, W, B, stride=s, padding=p))
        auto = fastla.conv2d_algorithm(x, wt, stride=s, padding=p)
        tag = " [winograd]" if auto == "winograd" else ""
        cases.append(dict(
            name=f"conv2d fwd{tag} float32 {label(shape)}",
            fastla=lambda x=x, wt=wt, b=b, s=s, p=p: fastla.conv2d(x, wt, b, stride=s, padding=p),
            peers=peers, flops=fl, limit="fma", bytes=x.nbytes + wt.nbytes + gy.nbytes))
        if auto != "direct":        # the direct product on the same shape
            cases.append(dict(
                name=f"conv2d fwd direct float32 {label(shape)}",
                fastla=lambda x=x, wt=wt, b=b, p=p: fastla.conv2d(x, wt, b, padding=p,
                                                                  algorithm="direct"),
                peers=peers, flops=fl, limit="fma", bytes=x.nbytes + wt.nbytes + gy.nbytes))

        def fwd_bwd(x=x, wt=wt, b=b, gy=gy, s=s, p=p):
            fastla.conv2d(x, wt, b, stride=s, padding=p)
            fastla.conv2d_backward(gy, x, wt, stride=s, padding=p)

        peers = {}
        if torch is not None:
            Xr = torch.from_numpy(x).requires_grad_()
            Wr = torch.from_numpy(wt).requires_grad_()
            Br = torch.from_numpy(b).requires_grad_()
            GY = torch.from_numpy(gy)

            def torch_fwd_bwd(Xr=Xr, Wr=Wr, Br=Br, GY=GY, s=s, p=p):
                Xr.grad = Wr.grad = Br.grad = None
                F.conv2d(Xr, Wr, Br, stride=s, padding=p).backward(GY)

            peers["torch"] = torch_fwd_bwd
        cases.append(dict(
            name=f"conv2d fwd+bwd{tag} float32 {label(shape)}", fastla=fwd_bwd, peers=peers,
            flops=3 * fl, limit="fma", bytes=2 * (x.nbytes + wt.nbytes + gy.nbytes)))
        if auto != "direct":        # forward and input gradient by the direct product

            def fwd_bwd_direct(x=x, wt=wt, b=b, gy=gy, p=p):
                fastla.conv2d(x, wt, b, padding=p, algorithm="direct")
                fastla.conv2d_backward(gy, x, wt, padding=p, algorithm="direct")

            cases.append(dict(
                name=f"conv2d fwd+bwd direct float32 {label(shape)}", fastla=fwd_bwd_direct,
                peers=peers, flops=3 * fl, limit="fma",
                bytes=2 * (x.nbytes + wt.nbytes + gy.nbytes)))

    for shape in (shapes(quick)[0], shapes(quick)[3]):
        n, c, h, w, co, k, s, p = shape
        n = min(n, 8)
        x = rng.standard_normal((n, c, h, w)).astype(np.float32)
        ho, wo = out_hw(h, k, s, p), out_hw(w, k, s, p)
        cols_bytes = 4.0 * n * c * k * k * ho * wo
        peers = {"numpy": lambda x=x, k=k, s=s, p=p: numpy_im2col(x, k, s, p)}
        if torch is not None:
            X = torch.from_numpy(x)
            peers["torch"] = lambda X=X, k=k, s=s, p=p: F.unfold(X, k, stride=s, padding=p)
        cases.append(dict(
            name=f"im2col float32 N{n} {c}x{h}x{w} k{k}s{s}p{p}",
            fastla=lambda x=x, k=k, s=s, p=p: fastla.im2col(x, k, stride=s, padding=p),
            peers=peers, flops=0.0, limit="bandwidth", bytes=x.nbytes + cols_bytes,
            im2col=True))
        # the same into a reused buffer (out=): the kernel's own bandwidth,
        # without the page faults of a fresh 30-60 MB array per call
        buf = np.empty((n, c * k * k, ho * wo), np.float32)
        cases.append(dict(
            name=f"im2col out= float32 N{n} {c}x{h}x{w} k{k}s{s}p{p}",
            fastla=lambda x=x, k=k, s=s, p=p, buf=buf: fastla.im2col(x, k, stride=s, padding=p,
                                                                     out=buf),
            peers={"numpy": lambda x=x, k=k, s=s, p=p, buf=buf: numpy_im2col_into(buf, x, k, s, p)},
            flops=0.0, limit="bandwidth", bytes=x.nbytes + cols_bytes, im2col=True))
    return cases


def extra_report(cases, rows, mach, repeats, out=sys.stdout):
    """fastla's ratio against torch on every row (the targets: forward >= 1,
    forward + backward >= 0.8, im2col >= 5x unfold), and im2col GB/s as a
    fraction of the copy bandwidth measured in this run."""
    copy = mach["bandwidth_gbs"].get("copy", float("nan"))
    print(f"\n-- conv: fastla vs torch (ratio = torch time / fastla time); im2col vs the "
          f"copy bandwidth ({copy:.1f} GB/s) --", file=out)
    print(f"{'case':52s} {'vs torch':>8s} {'GFLOP/s':>8s} {'torch GF/s':>10s} {'GB/s':>6s} "
          f"{'% copy':>6s}", file=out)
    for case, row in zip(cases, rows):
        sec = row["seconds"]
        t = sec["fastla"]
        tt = sec.get("torch")
        ratio = tt / t if tt else float("nan")
        row["ratio_vs_torch"] = ratio
        if case.get("im2col"):
            gbs = case["bytes"] / t / 1e9
            print(f"{case['name'][:52]:52s} {ratio:8.2f} {'':>8s} {'':>10s} {gbs:6.1f} "
                  f"{100 * gbs / copy:5.0f}%", file=out)
        else:
            tg = case["flops"] / tt / 1e9 if tt else float("nan")
            print(f"{case['name'][:52]:52s} {ratio:8.2f} {case['flops'] / t / 1e9:8.1f} "
                  f"{tg:10.1f}", file=out)
