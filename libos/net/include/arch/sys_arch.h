/* libos/net/include/arch/sys_arch.h: lwIP's OS types (NO_SYS=0) over libos's cooperative threads (libos/include/uv_thread.h). */
#ifndef LIBOS_LWIP_ARCH_SYS_ARCH_H
#define LIBOS_LWIP_ARCH_SYS_ARCH_H

#include <uv_thread.h>

/* A counting semaphore. */
typedef struct {
	int valid;
	unsigned count;
	struct uv_waitq waiters;
} sys_sem_t;

typedef struct {
	int valid;
	struct uv_mutex m;
} sys_mutex_t;

/* A bounded queue of messages: a ring of size slots. */
typedef struct {
	int valid;
	void **slot;
	unsigned size, head, count;
	struct uv_waitq readers, writers;
} sys_mbox_t;

typedef struct uv_thread *sys_thread_t;

/* lwIP's core lock (lwip/tcpip.h LOCK_TCPIP_CORE, taken by every socket call) inline: one
 * test and a store while no thread waits for it. */
#define LOCK_TCPIP_CORE() uv_mutex_lock_fast(&lock_tcpip_core.m)
#define UNLOCK_TCPIP_CORE() uv_mutex_unlock_fast(&lock_tcpip_core.m)

#define sys_sem_valid(s) ((s)->valid)
#define sys_sem_set_invalid(s) ((s)->valid = 0)
#define sys_mutex_valid(m) ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = 0)
#define sys_mbox_valid(b) ((b)->valid)
#define sys_mbox_set_invalid(b) ((b)->valid = 0)

/* lwIP's critical sections (lwip/sys.h SYS_ARCH_PROTECT): nothing to do with cooperative
 * threads, where nothing preempts lwIP; as macros no call is made either. */
#define SYS_ARCH_DECL_PROTECT(lev)
#define SYS_ARCH_PROTECT(lev)
#define SYS_ARCH_UNPROTECT(lev)

#endif
