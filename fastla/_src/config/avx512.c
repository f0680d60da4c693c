/*
 * config/avx512.c -- the avx512 kernel table: which kernel serves each operation and
 * dtype, and the block sizes (see config/table.h).
 */
#define FASTLA_ISA avx512
#define FASTLA_ARCH_ID FASTLA_ARCH_AVX512
#define FASTLA_VBYTES 64
#include "table_def.inc"
