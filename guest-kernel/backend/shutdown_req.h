/*
 * Tern guest kernel, domain 0's toolstack: asking domains to power off or
 * reboot through xenstore, as `xl shutdown` and `xl reboot` do
 * (shutdown_req.c).
 */
#ifndef BACKEND_SHUTDOWN_REQ_H
#define BACKEND_SHUTDOWN_REQ_H

/* Reads shutdown=<dom>[:<dom>...] and reboot=<dom>[:<dom>...] from our
 * command line and watches each domain's control/feature-<action>. */
void shutdown_requests_init(void);
/* A watch event of ours: if it says a listed domain now listens, ask it. */
void shutdown_requests_on_watch(const char *path, const char *token);

#endif /* BACKEND_SHUTDOWN_REQ_H */
