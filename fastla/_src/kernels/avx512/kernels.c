/*
 * kernels/avx512/kernels.c -- the avx512 instantiation of every micro-kernel template
 * in kernels/generic/ (vectors and tiles from config/avx512.h).  setup.py compiles
 * this file with the avx512 ISA flags only; nothing else in the extension uses them.
 */
#include "../../config/avx512.h"
#include "../generic/all_kernels.inc"
