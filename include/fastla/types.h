/*
 * fastla/types.h -- basic types shared by every fastla C header.
 *
 * Sizes and strides are signed 64-bit (fastla_index) everywhere, so arrays
 * beyond 2**31 elements and negative strides (reversed views) are expressed
 * without overflow.  Strides are counted in elements, not bytes.
 */
#ifndef FASTLA_TYPES_H
#define FASTLA_TYPES_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t fastla_index;

/* Status codes returned by every entry point that can fail. */
typedef enum fastla_status {
    FASTLA_OK = 0,
    FASTLA_ERR_NOMEM = 1,    /* a workspace allocation failed            */
    FASTLA_ERR_ARG = 2,      /* an argument violates the documented contract */
    FASTLA_ERR_NOARCH = 3    /* the requested ISA is unknown or unsupported by this CPU */
} fastla_status;

/* Instruction-set architectures with a kernel table. */
typedef enum fastla_arch {
    FASTLA_ARCH_REF = 0,     /* portable C, always built          */
    FASTLA_ARCH_AVX2 = 1,    /* AVX2 + FMA                        */
    FASTLA_ARCH_AVX512 = 2,  /* AVX-512 F/BW/DQ/VL + FMA          */
    FASTLA_ARCH_COUNT = 3
} fastla_arch;

#ifdef __cplusplus
}
#endif
#endif
