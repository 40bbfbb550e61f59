/*
 * The SMC Calling Convention (Arm DEN 0028), as far as Arbor uses it: fast calls over the
 * conduit the DT's psci node names, without arguments to ask a hypervisor who it is before
 * any hypercall is made (xen/detect.c), with three for PSCI CPU_ON (smp/smp.c).
 *
 * A function ID is: bit 31 fast call, bit 30 the 64-bit convention, bits 29:24 the owning
 * service, bits 15:0 the function (DEN 0028, 2.5 "Function Identifiers"). Function 0xff01 of
 * every service is Call UID: the service's UUID in w0..w3, each register holding four of its
 * bytes in little-endian order, or NOT_SUPPORTED (-1) in w0.
 */
#ifndef ARBOR_SMCCC_H
#define ARBOR_SMCCC_H

#include <arbor/platform.h>
#include <arbor/types.h>

#define SMCCC_FAST_CALL           (1u << 31)
#define SMCCC_OWNER_SHIFT         24
#define SMCCC_OWNER_STD_HYP       5u	/* Standard Hypervisor Service Calls */
#define SMCCC_OWNER_VENDOR_HYP    6u	/* Vendor Specific Hypervisor Service Calls */
#define SMCCC_FUNC_CALL_UID       0xff01u
#define SMCCC_CALL_UID(owner) \
	(SMCCC_FAST_CALL | (owner) << SMCCC_OWNER_SHIFT | SMCCC_FUNC_CALL_UID)
#define SMCCC_NOT_SUPPORTED       0xffffffffu	/* -1 in w0 */

_Static_assert(SMCCC_CALL_UID(SMCCC_OWNER_STD_HYP) == 0x8500ff01u, "Call UID, standard hypervisor");

/* What a call returns: w0..w3 (the low 32 bits of x0..x3 on arm64). */
struct smccc_res {
	uint32_t a0, a1, a2, a3;
};

#include <arch/smccc.h>

/*
 * Make the fast call fid, without arguments, over conduit (PSCI_HVC: HVC #0, PSCI_SMC:
 * SMC #0). Returns false, without calling, for PSCI_NONE.
 */
static inline bool smccc_call(enum psci_method conduit, uint32_t fid, struct smccc_res *res)
{
	switch (conduit) {
	case PSCI_HVC:
		arch_smccc_hvc(fid, res);
		return true;
	case PSCI_SMC:
		arch_smccc_smc(fid, res);
		return true;
	default:
		return false;
	}
}

/* The same with three arguments (PSCI CPU_ON's target, entry point and context_id). */
static inline bool smccc_call3(enum psci_method conduit, uint32_t fid, unsigned long a1,
			       unsigned long a2, unsigned long a3, struct smccc_res *res)
{
	switch (conduit) {
	case PSCI_HVC:
		arch_smccc_hvc3(fid, a1, a2, a3, res);
		return true;
	case PSCI_SMC:
		arch_smccc_smc3(fid, a1, a2, a3, res);
		return true;
	default:
		return false;
	}
}

#endif
