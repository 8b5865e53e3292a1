/* libos/net/sockets.c: the POSIX socket calls, poll, select and the resolver, mapped onto lwIP's lwip_* (starting the stack on first use). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <netdb.h>
#include <poll.h>
#include <arpa/inet.h>
#include <sys/select.h>
#include "net_priv.h"
#include "inet6.h"
#include "dns_lookup.h"

#define MS_PER_S 1000
#define US_PER_MS 1000
#define FD_SOCKET_FIRST LWIP_SOCKET_OFFSET

static ssize_t sock_read(int fd, void *buf, size_t len)
{
	return lwip_read(fd, buf, len);
}

static ssize_t sock_write(int fd, const void *buf, size_t len)
{
	return lwip_write(fd, buf, len);
}

static const struct uv_fd_ops socket_ops = {
	.read = sock_read, .write = sock_write, .close = lwip_close, .fcntl = lwip_fcntl,
};

/* The stack is up and sys_io.c sends socket fds here: 0, or -1 with errno. */
static int need(void)
{
	if (__uv_net_need())
		return -1;
	__uv_socket_fd_ops = &socket_ops;
	return 0;
}

int socket(int domain, int type, int protocol)
{
	return need() ? -1 : lwip_socket(domain, type, protocol);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return lwip_bind(fd, addr, len);
}

int listen(int fd, int backlog)
{
	return lwip_listen(fd, backlog);
}

/* An IPv4 peer of a dual-stack AF_INET6 listener comes back as ::ffff:a.b.c.d (RFC 3493 3.7):
 * lwIP 2.1.3's accept gives a sockaddr_in there, its getpeername the mapped form. */
int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	socklen_t room = len ? *len : 0;
	int r = lwip_accept(fd, addr, len);
	if (r >= 0 && addr && len && *len >= sizeof(sa_family_t) && addr->sa_family == AF_INET) {
		*len = room;
		lwip_getpeername(r, addr, len); /* the same sockaddr_in for an IPv4 socket */
	}
	return r;
}

/* A reset answering the SYN is a refusal (RFC 793 3.4, POSIX connect: ECONNREFUSED); lwIP says ECONNRESET. */
int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int r = lwip_connect(fd, addr, len);
	if (r < 0 && errno == ECONNRESET)
		errno = ECONNREFUSED;
	return r;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return lwip_send(fd, buf, len, flags);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return lwip_recv(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)
{
	return lwip_sendto(fd, buf, len, flags, to, tolen);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)
{
	return lwip_recvfrom(fd, buf, len, flags, from, fromlen);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return lwip_sendmsg(fd, msg, flags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	return lwip_recvmsg(fd, msg, flags);
}

int shutdown(int fd, int how)
{
	return lwip_shutdown(fd, how);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return lwip_setsockopt(fd, level, name, val, len);
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	return lwip_getsockopt(fd, level, name, val, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return lwip_getsockname(fd, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return lwip_getpeername(fd, addr, len);
}

/* POSIX's strict forms (libos/net/inet4.c, inet6.c; lwIP's also take "1.2.3", hex and octal, and zones). */
int inet_pton(int af, const char *src, void *dst)
{
	if (af == AF_INET)
		return uv_inet_pton4(src, dst);
	if (af == AF_INET6)
		return uv_inet_pton6(src, dst);
	errno = EAFNOSUPPORT;
	return -1;
}

/* AF_INET6 in RFC 5952's canonical form (inet6.c); ENOSPC when size is too small, as POSIX says. */
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	if (af != AF_INET6)
		return lwip_inet_ntop(af, src, dst, size);
	if (uv_inet_ntop6(src, dst, size))
		return dst;
	errno = ENOSPC;
	return NULL;
}

/*
 * A name is resolved first (dns_lookup.c: POSIX's EAI_NONAME and EAI_AGAIN, which lwIP's
 * getaddrinfo folds into EAI_FAIL); lwIP's getaddrinfo then finds it in its cache and
 * builds the answer.
 */
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
	if (need())
		return EAI_FAIL;
	if (res)
		*res = NULL;
	int family = hints ? hints->ai_family : AF_UNSPEC;
	if (node && !(hints && (hints->ai_flags & AI_NUMERICHOST)) &&
	    (family == AF_UNSPEC || family == AF_INET || family == AF_INET6)) {
		int r = __uv_dns_resolve(node, family);
		if (r)
			return r;
	}
	return lwip_getaddrinfo(node, service, hints, res);
}

void freeaddrinfo(struct addrinfo *ai)
{
	lwip_freeaddrinfo(ai);
}

const char *gai_strerror(int code)
{
	switch (code) {
	case 0: return "Success";
	case EAI_NONAME: return "Name or service not known";
	case EAI_SERVICE: return "Servname not supported for ai_socktype";
	case EAI_FAIL: return "Non-recoverable failure in name resolution";
	case EAI_MEMORY: return "Memory allocation failure";
	case EAI_FAMILY: return "ai_family not supported";
	case EAI_AGAIN: return "Temporary failure in name resolution";
	default: return "Unknown error";
	}
}

struct hostent *gethostbyname(const char *name)
{
	return need() ? NULL : lwip_gethostbyname(name);
}

/* What stdio fd fd is ready for: stdin reads end of file, stdout and stderr always take output. */
static short stdio_ready(int fd, short events)
{
	return (short)(events & (fd == 0 ? POLLIN : POLLOUT));
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	int ready = 0, sockets = 0;
	if (!fds && nfds) {
		errno = EFAULT;
		return -1;
	}
	for (nfds_t i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd >= 0 && fds[i].fd < FD_SOCKET_FIRST) {
			fds[i].revents = stdio_ready(fds[i].fd, fds[i].events);
			ready += fds[i].revents != 0;
		} else if (fds[i].fd >= FD_SOCKET_FIRST) {
			sockets++;
		}
	}
	if (!sockets) {
		if (!ready && timeout_ms != 0) { /* only stdio and nothing ready: sleep out the timeout */
			static struct uv_waitq nobody;
			int64_t now = uv_monotonic_ns();
			uv_waitq_wait(&nobody, timeout_ms < 0 ? 0 : now + (int64_t)timeout_ms * 1000000);
		}
		return ready;
	}
	if (!__uv_socket_fd_ops) { /* no socket exists yet: every socket fd is invalid */
		for (nfds_t i = 0; i < nfds; i++)
			if (fds[i].fd >= FD_SOCKET_FIRST) {
				fds[i].revents = POLLNVAL;
				ready++;
			}
		return ready;
	}
	/* lwIP skips negative fds: hide the stdio ones from it, then put them back. */
	int saved[FD_SOCKET_FIRST * 4], n_saved = 0;
	short saved_rev[FD_SOCKET_FIRST * 4];
	nfds_t stdio_idx[FD_SOCKET_FIRST * 4];
	for (nfds_t i = 0; i < nfds; i++)
		if (fds[i].fd >= 0 && fds[i].fd < FD_SOCKET_FIRST) {
			if (n_saved == (int)(sizeof(saved) / sizeof(saved[0]))) {
				errno = EINVAL; /* more stdio entries than anyone needs */
				return -1;
			}
			saved[n_saved] = fds[i].fd;
			saved_rev[n_saved] = fds[i].revents;
			stdio_idx[n_saved++] = i;
			fds[i].fd = -1;
		}
	int r = lwip_poll(fds, nfds, ready ? 0 : timeout_ms);
	for (int k = 0; k < n_saved; k++) {
		fds[stdio_idx[k]].fd = saved[k];
		fds[stdio_idx[k]].revents = saved_rev[k];
	}
	return r < 0 ? r : r + ready;
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	int ready = 0;
	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	fd_set std_rd, std_wr;
	FD_ZERO(&std_rd);
	FD_ZERO(&std_wr);
	for (int fd = 0; fd < FD_SOCKET_FIRST && fd < nfds; fd++) {
		if (rd && FD_ISSET(fd, rd)) {
			FD_CLR(fd, rd);
			if (stdio_ready(fd, POLLIN)) {
				FD_SET(fd, &std_rd);
				ready++;
			}
		}
		if (wr && FD_ISSET(fd, wr)) {
			FD_CLR(fd, wr);
			if (stdio_ready(fd, POLLOUT)) {
				FD_SET(fd, &std_wr);
				ready++;
			}
		}
		if (ex)
			FD_CLR(fd, ex);
	}
	int r;
	if (nfds <= FD_SOCKET_FIRST || !__uv_socket_fd_ops) {
		int any = 0;
		for (int fd = FD_SOCKET_FIRST; fd < nfds; fd++)
			any |= (rd && FD_ISSET(fd, rd)) || (wr && FD_ISSET(fd, wr)) || (ex && FD_ISSET(fd, ex));
		if (any) {
			errno = EBADF;
			return -1;
		}
		if (!ready && tv) {
			static struct uv_waitq nobody;
			int64_t ns = (int64_t)tv->tv_sec * MS_PER_S * US_PER_MS * 1000 + (int64_t)tv->tv_usec * 1000;
			uv_waitq_wait(&nobody, uv_monotonic_ns() + (ns > 0 ? ns : 0) + 1);
		}
		r = 0;
	} else {
		struct timeval zero = { 0, 0 };
		r = lwip_select(nfds, rd, wr, ex, ready ? &zero : tv);
		if (r < 0)
			return r;
	}
	for (int fd = 0; fd < FD_SOCKET_FIRST && fd < nfds; fd++) {
		if (rd && FD_ISSET(fd, &std_rd))
			FD_SET(fd, rd);
		if (wr && FD_ISSET(fd, &std_wr))
			FD_SET(fd, wr);
	}
	return r + ready;
}
