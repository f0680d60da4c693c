/*
 * config/avx512.c -- the avx512 kernel table: which kernel serves each operation and
 * dtype, and the block sizes (config/avx512.h; struct in config/table.h).
 */
#include "avx512.h"
#include "table_def.inc"
