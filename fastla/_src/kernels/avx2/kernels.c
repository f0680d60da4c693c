/*
 * kernels/avx2/kernels.c -- the avx2 instantiation of every micro-kernel template
 * in kernels/generic/ (vectors and tiles from config/avx2.h).  setup.py compiles
 * this file with the avx2 ISA flags only; nothing else in the extension uses them.
 */
#include "../../config/avx2.h"
#include "../generic/all_kernels.inc"
