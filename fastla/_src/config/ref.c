/*
 * config/ref.c -- the ref kernel table: which kernel serves each operation and
 * dtype, and the block sizes (config/ref.h; struct in config/table.h).
 */
#include "ref.h"
#include "table_def.inc"
