/*
 * fdt/: the only code that reads device-tree structure, a bounded layer over libfdt.
 *
 * Every length and offset taken from the DTB is checked here; callers get decoded values or a
 * negative libfdt error code (-FDT_ERR_*), never a raw cell. Error messages name the node by
 * its path.
 */
#ifndef ARBOR_DT_H
#define ARBOR_DT_H

#include <libfdt.h>

#include <arbor/types.h>

/* Validate a DTB at fdt before anything reads it; 0 or -FDT_ERR_*. */
int dt_check(const void *fdt, size_t max_size);

/* The node's full path in buf (for messages); "<bad node>" when it cannot be found. */
const char *dt_path(const void *fdt, int node, char *buf, size_t size);

/* status absent, "okay" or "ok". */
bool dt_enabled(const void *fdt, int node);

/* A string property that is NUL terminated within its length; NULL if absent or malformed. */
const char *dt_string(const void *fdt, int node, const char *name, int *err);

/*
 * #address-cells / #size-cells that apply to node's reg, i.e. its parent's (1 or 2; the
 * defaults 2 and 1 when absent). Anything else is -FDT_ERR_BADNCELLS.
 */
int dt_reg_cells(const void *fdt, int node, int *addr_cells, int *size_cells);

/* Number of (address, size) entries in node's reg, or -FDT_ERR_*. 0 when reg is absent. */
int dt_reg_count(const void *fdt, int node);

/* Entry index of node's reg, decoded with the parent's cell counts. */
int dt_reg(const void *fdt, int node, int index, paddr_t *base, uint64_t *size);

#endif
