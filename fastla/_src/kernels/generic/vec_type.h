/*
 * kernels/generic/vec_type.h -- per-dtype aliases for a kernel template.
 * Before including: T (double|float) and FASTLA_TC (d|s).  Re-includable.
 *   V       vector of T          VL      lanes
 *   VLOAD   unaligned load       VSTORE  unaligned store     VHSUM  horizontal sum
 *   VBCAST  scalar to all lanes     VMASK  integer vector of V's lane width
 *   KNAME(op)  exported kernel name  fastla_<isa>_<tc><op>
 */
#undef V
#undef VL
#undef VLOAD
#undef VSTORE
#undef VHSUM
#undef VBCAST
#undef VMASK
#undef KNAME
#define V FASTLA_CAT(fastla_v, FASTLA_TC)
#define VL FASTLA_CAT(FASTLA_VL_, FASTLA_TC)
#define VLOAD FASTLA_CAT(fastla_load_, FASTLA_TC)
#define VSTORE FASTLA_CAT(fastla_store_, FASTLA_TC)
#define VHSUM FASTLA_CAT(fastla_hsum_, FASTLA_TC)
#define VBCAST FASTLA_CAT(fastla_bcast_, FASTLA_TC)
#define VMASK FASTLA_CAT(fastla_vmask_, FASTLA_TC)
#define KNAME(op) FASTLA_CAT(FASTLA_CAT3(fastla_, FASTLA_ISA, _), FASTLA_CAT(FASTLA_TC, op))
