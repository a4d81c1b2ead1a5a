/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of xen_liveupdate: how long the steps of an update took.
 * Measurements, not ABI: the ioctls return none since ABI 6.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_liveupdate

#if !defined(_XEN_LIVEUPDATE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XEN_LIVEUPDATE_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

/**
 * DOC: Tracepoints
 *
 * The time each step of an update takes is a measurement, not a result:
 * the module reports it through tracepoints of the ``xen_liveupdate``
 * system, never through an ioctl.  Each event fires once per command when
 * its step ran, whether the step succeeded (@rc 0) or not; times are
 * CLOCK_MONOTONIC differences in nanoseconds.
 *
 *  - ``xen_lu_prepare``: PREPARE collected (every participant's collect()
 *    and prepare() included: @collect_ns) and reloaded the image with the
 *    records (@load_ns, @rc of the reload, @records_len handed over).
 *  - ``xen_lu_freeze``: COMMIT asked dom0's backends to freeze; @freeze_ns
 *    until every one was frozen (the xenstore round trip that parks
 *    xenwatch), @rc the freeze's.
 *  - ``xen_lu_exec``: COMMIT issued the live-update exec; @frozen_ns from
 *    frozen to the exec issued (the frozen window), @exec_ns the exec
 *    hypercall itself, @rc its result, @reloaded whether the image was
 *    reloaded with changed records in the window.
 *  - ``xen_lu_finish``: FINISH collected dom0's records and compared them
 *    with those handed over (@verify_ns), finding @nr_differences.
 *
 * In dom0::
 *
 *	echo 1 > /sys/kernel/tracing/events/xen_liveupdate/enable
 *	lu-ctl prepare; lu-ctl commit; lu-ctl finish
 *	cat /sys/kernel/tracing/trace
 */

/*
 * Four events of four shapes: only @rc is common, to three of them, each
 * beside fields of its own step.  An event class would have to name its
 * fields generically, and the benchmarks and Documentation read them by
 * these names, so each event is a TRACE_EVENT of its own.
 */
TRACE_EVENT(xen_lu_prepare,
	    TP_PROTO(int rc, u64 collect_ns, u64 load_ns, u64 records_len),
	    TP_ARGS(rc, collect_ns, load_ns, records_len),
	    TP_STRUCT__entry(__field(int, rc)
			     __field(u64, collect_ns)
			     __field(u64, load_ns)
			     __field(u64, records_len)),
	    TP_fast_assign(__entry->rc = rc;
			   __entry->collect_ns = collect_ns;
			   __entry->load_ns = load_ns;
			   __entry->records_len = records_len;),
	    TP_printk("rc=%d collect_ns=%llu load_ns=%llu records_len=%llu",
		      __entry->rc, __entry->collect_ns, __entry->load_ns,
		      __entry->records_len)
);

TRACE_EVENT(xen_lu_freeze,
	    TP_PROTO(int rc, u64 freeze_ns),
	    TP_ARGS(rc, freeze_ns),
	    TP_STRUCT__entry(__field(int, rc)
			     __field(u64, freeze_ns)),
	    TP_fast_assign(__entry->rc = rc;
			   __entry->freeze_ns = freeze_ns;),
	    TP_printk("rc=%d freeze_ns=%llu", __entry->rc, __entry->freeze_ns)
);

TRACE_EVENT(xen_lu_exec,
	    TP_PROTO(int rc, bool reloaded, u64 frozen_ns, u64 exec_ns),
	    TP_ARGS(rc, reloaded, frozen_ns, exec_ns),
	    TP_STRUCT__entry(__field(int, rc)
			     __field(bool, reloaded)
			     __field(u64, frozen_ns)
			     __field(u64, exec_ns)),
	    TP_fast_assign(__entry->rc = rc;
			   __entry->reloaded = reloaded;
			   __entry->frozen_ns = frozen_ns;
			   __entry->exec_ns = exec_ns;),
	    TP_printk("rc=%d reloaded=%d frozen_ns=%llu exec_ns=%llu",
		      __entry->rc, __entry->reloaded, __entry->frozen_ns,
		      __entry->exec_ns)
);

TRACE_EVENT(xen_lu_finish,
	    TP_PROTO(u32 nr_differences, u64 verify_ns),
	    TP_ARGS(nr_differences, verify_ns),
	    TP_STRUCT__entry(__field(u32, nr_differences)
			     __field(u64, verify_ns)),
	    TP_fast_assign(__entry->nr_differences = nr_differences;
			   __entry->verify_ns = verify_ns;),
	    TP_printk("nr_differences=%u verify_ns=%llu",
		      __entry->nr_differences, __entry->verify_ns)
);

#endif /* _XEN_LIVEUPDATE_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
