/*
 * kernels/ref/kernels.c -- the ref instantiation of every micro-kernel template
 * in kernels/generic/ (vectors of 16 bytes).  setup.py compiles this file with
 * the ref ISA flags only; nothing else in the extension uses them.
 */
#define FASTLA_ISA ref
#define FASTLA_VBYTES 16
#include "../generic/all_kernels.inc"
