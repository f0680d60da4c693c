/*
 * config/ref.c -- the ref kernel table: which kernel serves each operation and
 * dtype, and the block sizes (see config/table.h).
 */
#define FASTLA_ISA ref
#define FASTLA_ARCH_ID FASTLA_ARCH_REF
#define FASTLA_VBYTES 16
#include "table_def.inc"
