/*
 * kernels/avx512/kernels.c -- the avx512 instantiation of every micro-kernel template
 * in kernels/generic/ (vectors of 64 bytes).  setup.py compiles this file with
 * the avx512 ISA flags only; nothing else in the extension uses them.
 */
#define FASTLA_ISA avx512
#define FASTLA_VBYTES 64
#include "../generic/all_kernels.inc"
