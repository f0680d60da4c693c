/*
 * config/dispatch.c -- CPU detection, the active kernel table, threads and
 * build facts (the implementation of include/fastla/runtime.h).
 * Compiled for baseline x86-64: it only reads CPUID (through
 * __builtin_cpu_supports, which also checks that the OS saves the vector
 * state), never executes an ISA-specific instruction.
 */
#include <stdio.h>
#include "fastla/runtime.h"
#include "table.h"
#include "../frame/threads.h"

const fastla_kernel_table *fastla_active_table = &fastla_table_ref;

static int cpu_has(fastla_arch arch)
{
    switch (arch) {
    case FASTLA_ARCH_REF:
        return 1;
#if defined(FASTLA_HAVE_X86_KERNELS)
    case FASTLA_ARCH_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case FASTLA_ARCH_AVX512:
        __builtin_cpu_init();
#if defined(FASTLA_EMULATE_AVX512)   /* test build: the set was compiled for AVX2 */
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
#endif
    default:
        return 0;
    }
}

int fastla_arch_supported(fastla_arch arch) { return cpu_has(arch); }

int fastla_arch_emulated(fastla_arch arch)
{
#if defined(FASTLA_HAVE_X86_KERNELS) && defined(FASTLA_EMULATE_AVX512)
    return arch == FASTLA_ARCH_AVX512;
#else
    (void)arch;
    return 0;
#endif
}

const fastla_kernel_table *fastla_table_for(fastla_arch arch)
{
    if (!cpu_has(arch)) return NULL;
    switch (arch) {
    case FASTLA_ARCH_REF: return &fastla_table_ref;
#if defined(FASTLA_HAVE_X86_KERNELS)
    case FASTLA_ARCH_AVX2: return &fastla_table_avx2;
    case FASTLA_ARCH_AVX512: return &fastla_table_avx512;
#endif
    default: return NULL;
    }
}

fastla_arch fastla_arch_best(void)
{
    for (int a = FASTLA_ARCH_COUNT - 1; a > 0; --a)
        if (cpu_has((fastla_arch)a)) return (fastla_arch)a;
    return FASTLA_ARCH_REF;
}

fastla_status fastla_arch_select(fastla_arch arch)
{
    const fastla_kernel_table *t = fastla_table_for(arch);
    if (t == NULL) return FASTLA_ERR_NOARCH;
    fastla_active_table = t;
    return FASTLA_OK;
}

fastla_arch fastla_arch_active(void) { return fastla_active_table->arch; }

const char *fastla_arch_name(fastla_arch arch)
{
    static const char *names[FASTLA_ARCH_COUNT] = {"ref", "avx2", "avx512"};
    return (arch >= 0 && arch < FASTLA_ARCH_COUNT) ? names[arch] : NULL;
}

int fastla_has_openmp(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

const char *fastla_compiler(void)
{
#if defined(__clang__)
    return "Clang " __clang_version__;
#elif defined(__GNUC__)
    return "GCC " __VERSION__;
#else
    return "unknown C compiler";
#endif
}
