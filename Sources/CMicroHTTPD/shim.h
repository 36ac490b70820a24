#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

// Shims for the parts of libmicrohttpd Swift cannot call directly: variadic functions
// (MHD_start_daemon, MHD_get_daemon_info, MHD_get_connection_info) and macros with casts.
// Only AuditHTTP/MicroHTTPDServer.swift uses them.

// Cast macros do not import into Swift; re-export them as constants.
static const ssize_t SPA_CONTENT_READER_END_OF_STREAM = MHD_CONTENT_READER_END_OF_STREAM;
static const ssize_t SPA_CONTENT_READER_END_WITH_ERROR = MHD_CONTENT_READER_END_WITH_ERROR;
static const uint64_t SPA_SIZE_UNKNOWN = MHD_SIZE_UNKNOWN;

typedef void *(*spa_uri_log_callback)(void *cls, const char *uri, struct MHD_Connection *con);

// Starts a daemon bound to one IPv4 address. Returns NULL with *bad_address = 1 when the
// address does not parse; any other failure is reported through `logger`.
static inline struct MHD_Daemon *spa_start_daemon(
    unsigned int flags, const char *bind_ipv4, uint16_t port,
    MHD_AccessHandlerCallback access, MHD_RequestCompletedCallback completed,
    spa_uri_log_callback uri_log, MHD_LogCallback logger, void *cls,
    size_t memory_limit, unsigned int connection_limit, unsigned int timeout_seconds,
    int *bad_address)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    *bad_address = 0;
    if (inet_pton(AF_INET, bind_ipv4, &addr.sin_addr) != 1) {
        *bad_address = 1;
        return NULL;
    }
    return MHD_start_daemon(
        flags, port, NULL, NULL, access, cls,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, completed, cls,
        MHD_OPTION_URI_LOG_CALLBACK, uri_log, cls,
        MHD_OPTION_EXTERNAL_LOGGER, logger, cls,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
        MHD_OPTION_END);
}

// The port actually bound (useful when port 0 asked for an ephemeral one); 0 if unknown.
static inline uint16_t spa_bind_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

// Writes the peer address as text into buf; returns 0 when unavailable.
static inline int spa_client_address(struct MHD_Connection *con, char *buf, socklen_t len)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return 0;
    const struct sockaddr *sa = info->client_addr;
    const void *src = NULL;
    if (sa->sa_family == AF_INET) src = &((const struct sockaddr_in *)sa)->sin_addr;
    else if (sa->sa_family == AF_INET6) src = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    else return 0;
    return inet_ntop(sa->sa_family, src, buf, len) != NULL;
}

// Formats one MHD log line (MHD hands us printf-style format + va_list).
static inline void spa_format_log(char *buf, size_t len, const char *fmt, va_list ap)
{
    vsnprintf(buf, len, fmt, ap);
}
