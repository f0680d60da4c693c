/*
 * config/avx2.c -- the avx2 kernel table: which kernel serves each operation and
 * dtype, and the block sizes (see config/table.h).
 */
#define FASTLA_ISA avx2
#define FASTLA_ARCH_ID FASTLA_ARCH_AVX2
#define FASTLA_VBYTES 32
#include "table_def.inc"
