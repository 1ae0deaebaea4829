/*
 * tn_state.c: a connection's telnet state across a hot reboot.
 *
 * tn_save() writes down what the client negotiated (options agreed, terminal
 * type, MTTS, window size, charset, GMCP packages, compression) as JSON;
 * the new process's tn_restore() rebuilds a tn from it without sending a
 * single negotiation byte, so the client notices nothing but a message.
 *
 * libtelnet keeps the agreed state of each option (its RFC 1143 Q-method)
 * in its private telnet_t, with no call to set it. tn_restore() therefore
 * replays the client's side of each agreement ("IAC DO EOR", "IAC WILL
 * NAWS") into a fresh telnet_t with tn->mute and tn->restoring set:
 * libtelnet moves each option to "on", its answers go nowhere, and no
 * callback runs. Then the saved values are put back. MCCP2 cannot carry a deflate stream
 * across processes: tn_save() ends it cleanly (Z_FINISH, which the client
 * sees as the end of compression) and tn_restore() starts a fresh one.
 */
#include "net/tn.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/xalloc.h"
#include "net/tn_internal.h"
#include "base/banned.h"

#define TN_STATE_VERSION 1

json_t *tn_save(struct tn *tn)
{
	json_t *o = json_object(), *pkgs = json_array();
	bool mccp2 = tn->z_on;

	tn_mccp2_end(tn);
	tn_flush(tn);
	json_object_set_new(o, "version", json_integer(TN_STATE_VERSION));
	json_object_set_new(o, "client", json_string(tn->client));
	json_object_set_new(o, "client_version", json_string(tn->client_version));
	json_object_set_new(o, "client_from_hello", json_boolean(tn->client_from_hello));
	json_object_set_new(o, "terminal", json_string(tn->terminal));
	json_object_set_new(o, "mtts", json_integer(tn->caps.mtts));
	json_object_set_new(o, "mtts_known", json_boolean(tn->caps.mtts_known));
	json_object_set_new(o, "cols", json_integer(tn->caps.cols));
	json_object_set_new(o, "rows", json_integer(tn->caps.rows));
	json_object_set_new(o, "charset_utf8", json_boolean(tn->charset_utf8));
	json_object_set_new(o, "charset_latin1", json_boolean(tn->charset_latin1));
	json_object_set_new(o, "charset_requested", json_boolean(tn->charset_requested));
	json_object_set_new(o, "ttype", json_boolean(tn->ttype_sends > 0));
	json_object_set_new(o, "eor", json_boolean(tn->caps.eor));
	json_object_set_new(o, "sga", json_boolean(tn->caps.sga));
	json_object_set_new(o, "gmcp", json_boolean(tn->caps.gmcp));
	json_object_set_new(o, "mssp", json_boolean(tn->mssp_on));
	json_object_set_new(o, "mccp2", json_boolean(mccp2));
	json_object_set_new(o, "mccp2_starts", json_integer(tn->mccp2_starts));
	json_object_set_new(o, "echo_off", json_boolean(tn->caps.echo_off));
	for (size_t i = 0; i < tn->n_pkgs; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "name", json_string(tn->pkgs[i].name));
		json_object_set_new(p, "version", json_integer(tn->pkgs[i].version));
		json_array_append_new(pkgs, p);
	}
	json_object_set_new(o, "gmcp_packages", pkgs);
	return o;
}

/* Feeds libtelnet the client's half of an agreement: IAC cmd opt. */
static void tn_state_replay(struct tn *tn, unsigned char cmd, unsigned char opt)
{
	char bytes[3] = {(char)TELNET_IAC, (char)cmd, (char)opt};

	telnet_recv(tn->telnet, bytes, sizeof(bytes));
}

static bool tn_state_bool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static const char *tn_state_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static unsigned tn_state_uint(const json_t *o, const char *key, unsigned max)
{
	json_int_t v = json_integer_value(json_object_get(o, key));

	return v < 0 ? 0 : v > (json_int_t)max ? max : (unsigned)v;
}

struct tn *tn_restore(const struct tn_config *cfg, const struct tn_callbacks *cb, void *ud,
		      const json_t *saved)
{
	const json_t *pkgs = json_object_get(saved, "gmcp_packages");
	struct tn *tn;
	size_t i;
	json_t *p;

	if (!json_is_object(saved) ||
	    json_integer_value(json_object_get(saved, "version")) != TN_STATE_VERSION)
		return NULL;
	tn = tn_new(cfg, cb, ud);
	tn->restoring = true;
	tn->mute = true;
	/* Our options the client had agreed to (it said DO). */
	if (tn_state_bool(saved, "eor"))
		tn_state_replay(tn, TELNET_DO, TELNET_TELOPT_EOR);
	if (tn_state_bool(saved, "sga"))
		tn_state_replay(tn, TELNET_DO, TELNET_TELOPT_SGA);
	if (tn_state_bool(saved, "gmcp"))
		tn_state_replay(tn, TELNET_DO, TN_TELOPT_GMCP);
	if (tn_state_bool(saved, "mssp"))
		tn_state_replay(tn, TELNET_DO, TELNET_TELOPT_MSSP);
	if (tn_state_bool(saved, "mccp2") && tn->offer_mccp2)
		tn_state_replay(tn, TELNET_DO, TELNET_TELOPT_COMPRESS2);
	/* The client's options we had asked for (it said WILL). */
	if (tn_state_bool(saved, "ttype"))
		tn_state_replay(tn, TELNET_WILL, TELNET_TELOPT_TTYPE);
	if (tn_state_uint(saved, "cols", 65535))
		tn_state_replay(tn, TELNET_WILL, TELNET_TELOPT_NAWS);
	if (tn_state_bool(saved, "charset_requested"))
		tn_state_replay(tn, TELNET_WILL, TN_TELOPT_CHARSET);

	/* Then the values, as the client had told them. */
	tn_opt_set_name(tn, &tn->client, tn_state_str(saved, "client"),
			strlen(tn_state_str(saved, "client")));
	tn_opt_set_name(tn, &tn->client_version, tn_state_str(saved, "client_version"),
			strlen(tn_state_str(saved, "client_version")));
	tn_opt_set_name(tn, &tn->terminal, tn_state_str(saved, "terminal"),
			strlen(tn_state_str(saved, "terminal")));
	tn->caps.client = tn->client;
	tn->caps.client_version = tn->client_version;
	tn->caps.terminal = tn->terminal;
	tn->client_from_hello = tn_state_bool(saved, "client_from_hello");
	tn->caps.mtts = tn_state_uint(saved, "mtts", 0xFFFF);
	tn->caps.mtts_known = tn_state_bool(saved, "mtts_known");
	tn->caps.cols = tn_state_uint(saved, "cols", 65535);
	tn->caps.rows = tn_state_uint(saved, "rows", 65535);
	tn->charset_utf8 = tn_state_bool(saved, "charset_utf8");
	tn->charset_latin1 = tn_state_bool(saved, "charset_latin1");
	tn->ttype_waiting = false;
	tn->ttype_done = true;
	tn->mccp2_starts = tn_state_uint(saved, "mccp2_starts", 1000);
	tn->caps.echo_off = tn_state_bool(saved, "echo_off");
	json_array_foreach(pkgs, i, p)
	{
		const char *name = json_string_value(json_object_get(p, "name"));

		if (name)
			tn_gmcp_add_package(tn, name,
					    (int)json_integer_value(json_object_get(p, "version")));
	}
	tn_opt_refresh(tn);
	tn->mute = false;

	/* A fresh compression stream; the client sees a new start marker. */
	if (tn_state_bool(saved, "mccp2") && tn->offer_mccp2)
		tn_mccp2_start(tn);
	tn_flush(tn);
	tn->restoring = false;
	return tn;
}

void tn_unsave(struct tn *tn, const json_t *saved)
{
	/* tn_save() only read the state, but for ending compression. */
	if (tn_state_bool(saved, "mccp2"))
		tn_mccp2_start(tn);
	tn_flush(tn);
}
