/*
 * fastla/fastla.h -- umbrella header of the fastla C API.
 * Compile with the directory returned by fastla.get_include() on the include path.
 */
#ifndef FASTLA_FASTLA_H
#define FASTLA_FASTLA_H
#include "fastla/types.h"
#include "fastla/runtime.h"
#include "fastla/gemv.h"
#include "fastla/gemm.h"
#include "fastla/probe.h"
#include "fastla/csr.h"
#include "fastla/strassen.h"
#include "fastla/conv.h"
#include "fastla/nn.h"
#endif
