/*
 * kernels/avx2/kernels.c -- the avx2 instantiation of every micro-kernel template
 * in kernels/generic/ (vectors of 32 bytes).  setup.py compiles this file with
 * the avx2 ISA flags only; nothing else in the extension uses them.
 */
#define FASTLA_ISA avx2
#define FASTLA_VBYTES 32
#include "../generic/all_kernels.inc"
