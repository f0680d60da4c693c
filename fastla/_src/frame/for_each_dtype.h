/*
 * frame/for_each_dtype.h -- instantiates the template named by
 * FASTLA_TEMPLATE once per dtype (T = double, FASTLA_TC = d; T = float,
 * FASTLA_TC = s).  Re-includable; also defines the token-pasting helpers.
 */
#ifndef FASTLA_CAT
#define FASTLA_CAT_(a, b) a##b
#define FASTLA_CAT(a, b) FASTLA_CAT_(a, b)
#define FASTLA_CAT3(a, b, c) FASTLA_CAT(FASTLA_CAT(a, b), c)
#endif

#define T double
#define FASTLA_TC d
#include FASTLA_TEMPLATE
#undef T
#undef FASTLA_TC

#define T float
#define FASTLA_TC s
#include FASTLA_TEMPLATE
#undef T
#undef FASTLA_TC
#undef FASTLA_TEMPLATE
