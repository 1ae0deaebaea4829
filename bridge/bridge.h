/*
 * bridge.h: ruin-bridge as a whole, for main.c: the web client over HTTP,
 * the JSON WebSocket at /ws, one telnet connection to ruin-server per
 * browser session, resume, counters at /status. Start reading at
 * bridge_new() and bridge_run() in bridge.c.
 */
#ifndef RUIN_BRIDGE_BRIDGE_H
#define RUIN_BRIDGE_BRIDGE_H

#include "base/buf.h"
#include "base/log.h"
#include "settings.h"

struct bridge;

/*
 * Takes the settings (moved: the caller must not fini them) and the log
 * (borrowed), binds the port and prepares everything. NULL with a reason
 * in err if the settings are wrong or the port cannot be bound.
 */
struct bridge *bridge_new(struct settings *cfg, struct log *lg, struct buf *err);
/* Serves until SIGTERM or SIGINT, then closes every session (browsers are
 * told) and returns the exit status (0 for a clean stop). SIGHUP reopens
 * the log file. */
int bridge_run(struct bridge *br);
void bridge_free(struct bridge *br);

#endif
