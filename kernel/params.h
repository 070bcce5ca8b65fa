/*
 * The kernel command line, parsed once at boot into key=value pairs
 * (kernel/lib/cmdline.c does the parsing; this is the kernel's view).
 * Documented keys (README): console=, loglevel=, ip=ADDR/PREFIX, gw=ADDR,
 * test=NAME, and what later subsystems add to the known-key table in
 * params.c.  Unknown or malformed keys are logged and ignored.
 */
#ifndef SYNACK_KERNEL_PARAMS_H
#define SYNACK_KERNEL_PARAMS_H

#include <stdbool.h>

void params_init(const char *cmdline);
/* Value of `key`, "" for a bare flag, NULL if absent. */
const char *param_get(const char *key);
/* True if `key` is present with value `value` (e.g. param_is("test", "fault")). */
bool param_is(const char *key, const char *value);
/* Whether console `name` ("serial" or "fb") should carry output under
 * console= (absent or "both": every console).  The serial console is
 * registered before the command line is read, so early output is never
 * lost; console code drops it afterwards when this says no. */
bool param_console_enabled(const char *name);

#endif
