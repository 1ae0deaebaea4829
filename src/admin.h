/*
 * admin.h: the admin socket inside ruin-server, where ruin-console (and any
 * script speaking JSON lines) watches the game and acts on it.
 *
 * A unix socket (config admin_socket, mode 0600: whoever may open the file
 * is an admin; docs/admin.md "The admin console"), non-blocking, watched by
 * the server's own loop. Several consoles at once, each with a capped
 * output queue: a console that falls behind is dropped, never waited for,
 * so the game never slows down for it. Consoles subscribe to a stats
 * snapshot every N seconds and to log lines as they are written, and send
 * actions (kick, broadcast, reload, shutdown/reboot with a countdown,
 * wizlock, log level), each written to the audit table and the log.
 *
 * Files: admin.c (socket, consoles, requests, subscriptions: start at
 * admin_new() and admin_client_line()), admin_act.c (the actions and the
 * countdown), admin_snap.c (stats and connection snapshots), admin_proto.c
 * (the protocol without sockets). Like server.c, these see every layer.
 */
#ifndef RUIN_ADMIN_H
#define RUIN_ADMIN_H

struct server;
struct admin;

/* The exit status of ruin-server after an admin reboot: a supervisor restarts it. */
#define ADMIN_EXIT_REBOOT 3

/*
 * Opens the admin socket at srv->cfg.admin_socket on srv->loop and starts
 * taking the server's log lines (log_set_sink on srv->log). An empty
 * admin_socket setting means no admin socket. Returns NULL if there is
 * none or it cannot be opened (logged: the game runs without it).
 */
struct admin *admin_new(struct server *srv);
/*
 * Sends what is queued as far as the sockets take it without blocking
 * (the last log lines of a shutdown), closes every console, removes the
 * socket file and the log sink. NULL is fine.
 */
void admin_free(struct admin *a);
/*
 * Once a second from the server loop: advances a shutdown countdown
 * (announcing it to players, then stopping the server), measures
 * per-connection rates, sends due stats snapshots, frees dropped consoles.
 * NULL is fine.
 */
void admin_second(struct admin *a);

#endif
