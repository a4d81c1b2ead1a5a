// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one place the tracepoints of trace.h are defined.  Built with
 * -I of this directory (Kbuild), which define_trace.h needs to find
 * trace.h again.
 */

#define CREATE_TRACE_POINTS
#include "trace.h"
