/*
 * config/avx2.c -- the avx2 kernel table: which kernel serves each operation and
 * dtype, and the block sizes (config/avx2.h; struct in config/table.h).
 */
#include "avx2.h"
#include "table_def.inc"
