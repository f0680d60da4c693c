/*
 * fastla/conv.h -- 2-D convolution lowered to matrix products (im2col),
 * with torch.nn.functional's semantics (NCHW, cross-correlation).
 *
 * Geometry (fastla_conv2d_geom, every field >= 0):
 *   n, c, h, w        input images: N x C x H x W
 *   c_out, groups     output channels and groups (conv2d only; im2col and
 *                     col2im ignore them): C % groups == 0, c_out % groups == 0
 *   kh, kw            kernel size (>= 1)
 *   sh, sw            stride (>= 1)
 *   ph, pw            top / left zero padding
 *   dh, dw            dilation (>= 1)
 *   ho, wo            output size.  Output pixel (oh, ow) with kernel offset
 *                     (i, j) reads input pixel
 *                         (oh*sh - ph + i*dh, ow*sw - pw + j*dw),
 *                     zero when outside the image.  So any bottom / right
 *                     padding (torch's padding="same" with an even kernel)
 *                     is expressed by ho, wo alone; the usual value is
 *                     ho = (H + ph + ph_bottom - dh*(kh-1) - 1) / sh + 1.
 *   L = ho * wo,  K = C * kh * kw,  Kg = (C / groups) * kh * kw.
 *
 * Tensors are given by a pointer and element strides (any sign):
 *   x(n, c, ih, iw)   = x[n*xs[0] + c*xs[1] + ih*xs[2] + iw*xs[3]]
 *   cols(n, r, l)     = cols[n*cs[0] + r*cs[1] + l*cs[2]],
 *                       r = (c*kh + i)*kw + j,  l = oh*wo + ow
 *                       (the layout of torch.nn.functional.unfold)
 *   weight(o, c, i, j) = w[o*ws[0] + c*ws[1] + i*ws[2] + j*ws[3]]
 *   y(n, o, oh, ow)   = y[n*ys[0] + o*ys[1] + oh*ys[2] + ow*ys[3]]
 * Outputs must not overlap inputs, and distinct elements of an output must
 * have distinct addresses.
 *
 * All functions return FASTLA_OK, FASTLA_ERR_ARG (a geometry or stride
 * precondition is violated; nothing is written) or FASTLA_ERR_NOMEM.
 */
#ifndef FASTLA_CONV_H
#define FASTLA_CONV_H

#include "fastla/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fastla_conv2d_geom {
    fastla_index n, c, h, w;
    fastla_index c_out, groups;
    fastla_index kh, kw;
    fastla_index sh, sw;
    fastla_index ph, pw;
    fastla_index dh, dw;
    fastla_index ho, wo;
} fastla_conv2d_geom;

/*
 * im2col (unfold): cols(n, r, l) := x(n, c, oh*sh - ph + i*dh, ow*sw - pw + j*dw)
 * or 0 outside the image, for all n < N, r < K, l < L.
 *   x: any strides; cols: any strides (fastest with cs[2] == 1).
 * Threads split the (n, r, oh) rows of cols; a row with unit strides and
 * sw == 1 is a zero fill plus one memcpy.  Complexity: N K L writes.
 */
fastla_status fastla_sim2col(const fastla_conv2d_geom *g, const float *x, const fastla_index *xs,
                             float *cols, const fastla_index *cs);
fastla_status fastla_dim2col(const fastla_conv2d_geom *g, const double *x, const fastla_index *xs,
                             double *cols, const fastla_index *cs);

/*
 * col2im (fold), the adjoint of im2col:
 *   x := beta * x + sum over (r, l) of cols(n, r, l) at the pixel im2col read,
 * overlapping patches accumulate; beta == 0 makes x write-only.
 * Threads split the (n, c, ih) rows of x, so no two threads add to the same
 * element (no atomics).  Complexity: N K L + N C H W operations.
 */
fastla_status fastla_scol2im(const fastla_conv2d_geom *g, const float *cols, const fastla_index *cs,
                             float beta, float *x, const fastla_index *xs);
fastla_status fastla_dcol2im(const fastla_conv2d_geom *g, const double *cols, const fastla_index *cs,
                             double beta, double *x, const fastla_index *xs);

/*
 * conv2d forward (torch.nn.functional.conv2d):
 *   y(n, o, oh, ow) = bias[o*bs] + sum_{c in group of o, i, j} w(o, c', i, j) x(n, c, ...)
 *   w: C_out x (C / groups) x kh x kw; bias may be NULL.
 * Preconditions (else FASTLA_ERR_ARG): w's (c, i, j) dimensions collapse to
 * one stride (e.g. C-contiguous per output channel), and y's (oh, ow) plane
 * collapses to one stride (ys[2] == wo * ys[3] when ho > 1 and wo > 1).
 * x may have any strides.
 * Algorithm: chunks whose columns fit a bounded workspace
 * (FASTLA_CONV_WORKSPACE_BYTES, 2 MB) -- output rows of one image, or
 * several small images side by side as one K x (images*L) matrix -- are
 * built by im2col and multiplied by the weights with fastla_?gemm, one GEMM
 * per group.  With stride 1 along the width (sw == 1) no columns are built:
 * the chunk's images are copied once, zero-padded, into the workspace and
 * the GEMM's packing gathers each column sliver from that copy (a few
 * vector loads per sliver row), so the workspace holds about 1/(kh kw) of
 * what im2col would write.  With at least two chunks per thread, threads
 * take whole chunks (single-threaded im2col + GEMM, own workspace, no
 * barrier); otherwise im2col and the GEMM are threaded inside each chunk.  Peak memory: one
 * workspace per thread plus the GEMM's packing buffers.
 * 1x1 kernels with stride 1, no padding and a collapsible input plane skip
 * im2col (GEMM straight on x).  Depthwise convolutions (C / groups == 1,
 * groups > 1) run direct loops over output planes instead of 1-row GEMMs.
 * Complexity: 2 N C_out L Kg flops.
 */
fastla_status fastla_sconv2d(const fastla_conv2d_geom *g, const float *x, const fastla_index *xs,
                             const float *w, const fastla_index *ws, const float *bias,
                             fastla_index bs, float *y, const fastla_index *ys);
fastla_status fastla_dconv2d(const fastla_conv2d_geom *g, const double *x, const fastla_index *xs,
                             const double *w, const fastla_index *ws, const double *bias,
                             fastla_index bs, double *y, const fastla_index *ys);

/*
 * conv2d forward by Winograd's F(2x2, 3x3): the same y as fastla_?conv2d for
 * 3x3 kernels with stride 1, dilation 1 and groups 1 (any padding), with
 * 2.25x fewer multiply-adds.  g, x, xs, bias, bs, y, ys as above; w(o, c, i,
 * j) = w[o*ws[0] + c*ws[1] + i*ws[2] + j*ws[3]] (any strides).  Other
 * geometries are FASTLA_ERR_ARG.
 * Rounding differs from the direct product: the inputs and filters are
 * transformed (sums of up to 4 inputs, halves of sums of 3 weights) before
 * the channel sums and the products are transformed back (sums of up to 9),
 * so the error is a few times the direct one's (docs/kernels/conv.rst).
 * Workspace: the transformed weights (16 C_out C) plus the chunks of
 * images' transformed inputs and products, within
 * FASTLA_WINO_WORKSPACE_BYTES (8 MB per call, shared by the threads that
 * take whole chunks; at least one image per chunk).
 * Complexity: 32 N C_out C ceil(ho/2) ceil(wo/2) flops in fastla_?gemm_batch
 * plus O(N (C + C_out) ho wo) for the transforms.
 */
fastla_status fastla_sconv2d_winograd(const fastla_conv2d_geom *g, const float *x,
                                      const fastla_index *xs, const float *w,
                                      const fastla_index *ws, const float *bias, fastla_index bs,
                                      float *y, const fastla_index *ys);
fastla_status fastla_dconv2d_winograd(const fastla_conv2d_geom *g, const double *x,
                                      const fastla_index *xs, const double *w,
                                      const fastla_index *ws, const double *bias,
                                      fastla_index bs, double *y, const fastla_index *ys);

/*
 * 1 if conv2d's automatic choice (algorithm="auto" in Python) takes
 * fastla_?conv2d_winograd for g on the active ISA, else 0: g is a Winograd
 * geometry (above) and the ISA's table holds measured thresholds under
 * which it is faster than fastla_?conv2d (enough channels and output tiles;
 * config/<isa>.h), and one image's transformed inputs and products (16
 * (C + C_out) ceil(ho/2) ceil(wo/2) elements) fit 4 times
 * FASTLA_WINO_WORKSPACE_BYTES (32 MB).  ISAs and dtypes without measured
 * thresholds: 0.
 * Reads g only; O(1).
 */
int fastla_sconv2d_winograd_pays(const fastla_conv2d_geom *g);
int fastla_dconv2d_winograd_pays(const fastla_conv2d_geom *g);

/*
 * conv2d backward, given gy = dLoss/dy (N x C_out x ho x wo):
 *   gx = dLoss/dx (N x C x H x W)      = col2im(W_g^T gy_g)   (needs w)
 *   gw = dLoss/dw (C_out x C/groups x kh x kw) = sum_n gy_g cols_g^T  (needs x)
 *   gb = dLoss/dbias (C_out, stride gbs) = sum over n, oh, ow of gy
 * Any of gx, gw, gb may be NULL (not computed); x (resp. w) may be NULL when
 * gw (resp. gx) is.  Outputs are overwritten.
 * Preconditions: gy's plane and w's / gw's (c, i, j) dimensions collapse to
 * one stride (as for conv2d); x and gx may have any strides.
 * Algorithm: the same chunks as the forward; per chunk im2col then
 * gw += gy_chunk cols^T (GEMM, beta = 1) and cols' = W^T gy_chunk (GEMM) then
 * col2im into gx.  With stride 1 (sh == sw == 1), padding at most the
 * dilated kernel's extent and a collapsible gx plane, gx is instead the
 * forward convolution of gy with the flipped, group-transposed weights
 * (fastla_?conv2d; no column block for gx, no col2im).  With at least two
 * image groups per thread, threads take whole images (each with a private
 * gw accumulator, summed at the end).
 * 1x1 / stride 1 / no padding: GEMMs straight on x and gx.  Depthwise:
 * direct loops (gx over input planes, gw over output channels).
 * Complexity: 2 N C_out L Kg flops per gradient of x or w.
 */
fastla_status fastla_sconv2d_backward(const fastla_conv2d_geom *g,
                                      const float *gy, const fastla_index *gys,
                                      const float *x, const fastla_index *xs,
                                      const float *w, const fastla_index *ws,
                                      float *gx, const fastla_index *gxs,
                                      float *gw, const fastla_index *gws,
                                      float *gb, fastla_index gbs);
fastla_status fastla_dconv2d_backward(const fastla_conv2d_geom *g,
                                      const double *gy, const fastla_index *gys,
                                      const double *x, const fastla_index *xs,
                                      const double *w, const fastla_index *ws,
                                      double *gx, const fastla_index *gxs,
                                      double *gw, const fastla_index *gws,
                                      double *gb, fastla_index gbs);

#ifdef __cplusplus
}
#endif
#endif
