/*
 * cmd_build.c: commands for builders and admins. `reload area <id>` loads
 * an area's files again into a running world through world_ops.reload_area
 * (the script layer checks the new version and swaps it in, or keeps the old
 * one and reports every problem). `reboot hot` asks the server for a hot
 * reboot through world_ops.hot_reboot.
 *
 * Start reading at cmd_reload(). The row in cmd.c's table asks for no role,
 * so that builders and admins alike can use it; the command itself answers
 * anyone else as an unknown command does.
 */
#include "game/cmd.h"

#include <string.h>

#include "base/buf.h"
#include "base/color.h"
#include "base/utf8.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

/* The longest report sent back (a broken area can have many problems). */
#define BUILD_REPORT_MAX ((size_t)256 << 10)

void cmd_reload(struct world *w, struct character *ch, const char *arg)
{
	struct buf what, report, line, clean;

	if (!ch->pc || !(ch->pc->roles & (PLAYER_ROLE_BUILDER | PLAYER_ROLE_ADMIN))) {
		world_send(w, ch, "Huh? Type 'help' for a list of commands.\n");
		return;
	}
	buf_init(&what, 64);
	const char *id = cmd_split(arg, &what);
	if (strcmp(buf_cstr(&what), "area") != 0 || !*id || strchr(id, ' ')) {
		world_send(w, ch,
			   "Usage: reload area <id>    (for example: reload area emberfall)\n");
		buf_fini(&what);
		return;
	}
	if (!w->ops.reload_area) {
		world_send(w, ch, "Live reload is not available in this world.\n");
		buf_fini(&what);
		return;
	}
	world_sendf(w, ch, "Reloading %s...\n", id);
	buf_init(&report, BUILD_REPORT_MAX);
	int problems = w->ops.reload_area(w->ops.ud, id, &report);
	/* The report is plain text from files: every line escaped, so no '{' turns into color. */
	buf_init(&line, BUILD_REPORT_MAX * 2);
	buf_init(&clean, BUILD_REPORT_MAX + 4096);
	utf8_repair(&clean, report.data ? report.data : "", report.len);
	for (const char *p = buf_cstr(&clean); *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		buf_puts(&line, problems ? "{R" : "{G");
		color_escape(&line, p, n);
		buf_puts(&line, "{x\n");
		p += n + (nl != NULL);
	}
	if (report.err)
		buf_puts(&line, "\n(the report was cut short)\n");
	world_send(w, ch, buf_cstr(&line));
	buf_fini(&clean);
	buf_fini(&line);
	buf_fini(&report);
	buf_fini(&what);
}

void cmd_reboot(struct world *w, struct character *ch, const char *arg)
{
	struct buf why;

	if (!ch->pc || !(ch->pc->roles & PLAYER_ROLE_ADMIN)) {
		world_send(w, ch, "Huh? Type 'help' for a list of commands.\n");
		return;
	}
	if (strcmp(arg, "hot") != 0) {
		world_send(w, ch, "Usage: reboot hot    (everyone stays connected)\n");
		return;
	}
	if (!w->ops.hot_reboot) {
		world_send(w, ch, "Hot reboot is not available in this world.\n");
		return;
	}
	buf_init(&why, 4096);
	if (w->ops.hot_reboot(w->ops.ud, &why) < 0)
		world_sendf(w, ch, "{RNo reboot: %s{x\n", buf_cstr(&why));
	else
		world_send(w, ch, "The reboot begins as soon as this command is done.\n");
	buf_fini(&why);
	log_info(w->log, "%s asked for a hot reboot", ch->name);
}
