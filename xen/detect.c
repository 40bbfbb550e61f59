/*
 * Is Arbor running on Xen, and which Xen? Nothing in xen/ makes a hypercall before this has
 * said yes.
 *
 * The DT says so with a hypervisor node (compatible "xen,xen"), which dom0 and a
 * xen,enhanced domU get. A plain dom0less domU gets none; the only way left to ask is an
 * SMCCC call over the conduit the psci node names: Call UID of the Standard Hypervisor
 * Service range, 0x8500ff01, which Xen answers with its UID (XEN_SMCCC_UID in Xen's public
 * arch-arm/smccc.h). Xen 4.17 does not answer the Vendor Specific Hypervisor range
 * (0x8600ff01) that KVM uses: it logs "Unhandled SMC/HVC" and returns -1.
 *
 * With neither a node nor a PSCI conduit nothing is called at all: an unknown hypervisor,
 * or none, could take an HVC as anything. The boot's own console output (lib/printk.c,
 * HYPERVISOR_console_io) and its final SCHEDOP_shutdown are the exceptions: until a console
 * driver exists Arbor has no other way to speak or to stop.
 */
#include <errno.h>

#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/smccc.h>
#include <arbor/xen.h>

#include <xen/version.h>
#include <xen/arch-arm/smccc.h>

static enum xen_detection detection = XEN_ABSENT;
static bool detection_done;
/* The outcome in words, composed by xen_detect() and printed by xen_report_detection(). */
static char outcome[200];
static unsigned version_major, version_minor;
static xen_extraversion_t extraversion;

enum xen_detection xen_detected(void)
{
	return detection;
}

bool xen_detection_done(void)
{
	return detection_done;
}

void xen_report_detection(void)
{
	if (outcome[0])
		pr_info("%s\n", outcome);
}

void xen_version(unsigned *major, unsigned *minor, const char **extra)
{
	*major = version_major;
	*minor = version_minor;
	*extra = extraversion;
}

/* Whether w0..w3 of a Call UID hold XEN_SMCCC_UID, four bytes a register, little endian. */
static bool uid_is_xen(const struct smccc_res *r)
{
	const xen_uuid_t xen_uid = XEN_SMCCC_UID;
	const uint32_t words[4] = { r->a0, r->a1, r->a2, r->a3 };

	for (unsigned i = 0; i < sizeof(xen_uid.a); i++)
		if (((words[i / 4] >> (8 * (i % 4))) & 0xff) != xen_uid.a[i])
			return false;
	return true;
}

static const char *conduit_name(enum psci_method m)
{
	return m == PSCI_HVC ? "hvc" : m == PSCI_SMC ? "smc" : "none";
}

/* XENVER_version and XENVER_extraversion, once Xen is known to be there. */
static void read_version(void)
{
	long v = xen_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
	if (v < 0) {
		pr_err("xen: xen_version(XENVER_version): %s\n", xen_strerror(v));
		v = 0;
	}
	version_major = (unsigned long)v >> 16;
	version_minor = (unsigned long)v & 0xffff;

	long err = xen_hypercall(__HYPERVISOR_xen_version, XENVER_extraversion,
				  (unsigned long)extraversion, 0, 0, 0);
	if (err < 0) {
		pr_err("xen: xen_version(XENVER_extraversion): %s\n", xen_strerror(err));
		extraversion[0] = '\0';
	}
	extraversion[sizeof(extraversion) - 1] = '\0';
}

int xen_detect(const struct platform *plat)
{
	char how[128] = "";
	bool say = !printk_quiet();	/* how is only said: not formatted when quiet */

	if (plat->xen.present) {
		detection = XEN_BY_NODE;
		if (say)
			format_buf(how, sizeof(how), "the hypervisor node %s (\"%s\")",
				   plat->xen.path, plat->xen.compatible);
	} else if (plat->psci.present && plat->psci.method != PSCI_NONE) {
		struct smccc_res res = { 0 };
		unsigned fid = SMCCC_CALL_UID(SMCCC_OWNER_STD_HYP);

		smccc_call(plat->psci.method, fid, &res);
		if (!uid_is_xen(&res)) {
			if (res.a0 == SMCCC_NOT_SUPPORTED)
				format_buf(outcome, sizeof(outcome), "xen: not detected: no hypervisor "
				   "node, and SMCCC Call UID 0x%08x over %s is not supported", fid,
					conduit_name(plat->psci.method));
			else
				format_buf(outcome, sizeof(outcome), "xen: not detected: no hypervisor "
					   "node, and SMCCC Call UID 0x%08x over %s answered %08x %08x "
					   "%08x %08x, not Xen's UID",
					fid, conduit_name(plat->psci.method), (unsigned)res.a0,
					(unsigned)res.a1, (unsigned)res.a2, (unsigned)res.a3);
			detection_done = true;
			return -ENODEV;
		}
		detection = XEN_BY_SMCCC_UID;
		if (say)
			format_buf(how, sizeof(how), "SMCCC Call UID 0x%08x over %s (no hypervisor node)",
				   fid, conduit_name(plat->psci.method));
	} else {
		format_buf(outcome, sizeof(outcome), "xen: not detected: no hypervisor node and no "
			   "PSCI conduit; no hypervisor calls made");
		detection_done = true;
		return -ENODEV;
	}

	detection_done = true;
	read_version();
	format_buf(outcome, sizeof(outcome), "xen: Xen %u.%u%s, detected by %s", version_major,
		   version_minor, extraversion, how);
	if (plat->xen.present && (plat->xen.major || plat->xen.minor) &&
	    (plat->xen.major != version_major || plat->xen.minor != version_minor))
		pr_warn("xen: the hypervisor node says Xen %u.%u, XENVER_version says %u.%u\n",
			plat->xen.major, plat->xen.minor, version_major, version_minor);
	return 0;
}
