/*
 * kernels/ref/kernels.c -- the ref instantiation of every micro-kernel template
 * in kernels/generic/ (vectors and tiles from config/ref.h).  setup.py compiles
 * this file with the ref ISA flags only; nothing else in the extension uses them.
 */
#include "../../config/ref.h"
#include "../generic/all_kernels.inc"
