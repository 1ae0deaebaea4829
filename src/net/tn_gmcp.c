/*
 * tn_gmcp.c: GMCP (telnet option 201) in and out.
 *
 * A GMCP message is "Package.Name" optionally followed by a space and JSON.
 * Start at tn_gmcp_recv(): it checks the package name and parses the JSON
 * with jansson (a message that fails either is counted in stats.gmcp_bad and
 * dropped), handles the Core.* messages tn owns through tn_gmcp_handlers[],
 * then hands every good message to the gmcp callback. Core.Supports keeps
 * the set of packages the client wants; tn_gmcp_wants() asks it.
 */
#include "net/tn.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "net/tn_internal.h"
#include "base/banned.h"

/* Longest package name we accept, in bytes. */
#define TN_GMCP_MAX_PACKAGE 64

/* Letters, digits, '_', '-' and '.', at most TN_GMCP_MAX_PACKAGE bytes. */
static bool tn_gmcp_valid_name(const char *s, size_t n)
{
	if (n == 0 || n > TN_GMCP_MAX_PACKAGE)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '_' && c != '-' && c != '.')
			return false;
	}
	return true;
}

/* ---- Core.Supports ------------------------------------------------------- */

static size_t tn_gmcp_find(const struct tn *tn, const char *name, size_t n)
{
	for (size_t i = 0; i < tn->n_pkgs; i++) {
		if (strlen(tn->pkgs[i].name) == n && strncasecmp(tn->pkgs[i].name, name, n) == 0)
			return i;
	}
	return SIZE_MAX;
}

static void tn_gmcp_sync(struct tn *tn)
{
	tn->caps.gmcp_packages = tn->pkgs;
	tn->caps.n_gmcp_packages = tn->n_pkgs;
}

static void tn_gmcp_remove(struct tn *tn, size_t i)
{
	free(tn->pkgs[i].name);
	tn->pkgs[i] = tn->pkgs[tn->n_pkgs - 1];
	tn->n_pkgs--;
}

static void tn_gmcp_clear(struct tn *tn)
{
	while (tn->n_pkgs > 0)
		tn_gmcp_remove(tn, tn->n_pkgs - 1);
}

/* One Core.Supports item, "Room 1" or "Room": add (or update) or remove it. */
static void tn_gmcp_supports_item(struct tn *tn, const char *item, bool add)
{
	const char *sp = strchr(item, ' ');
	size_t n = sp ? (size_t)(sp - item) : strlen(item);
	long version = 1;
	size_t i;

	if (!tn_gmcp_valid_name(item, n))
		return;
	if (add && sp && str_to_long(str_skip_space(sp), 0, INT_MAX, &version) != 0)
		return;
	i = tn_gmcp_find(tn, item, n);
	if (!add) {
		if (i != SIZE_MAX)
			tn_gmcp_remove(tn, i);
		return;
	}
	if (i != SIZE_MAX) {
		tn->pkgs[i].version = (int)version;
		return;
	}
	if (tn->n_pkgs >= TN_MAX_GMCP_PACKAGES)
		return;
	if (!tn->pkgs)
		tn->pkgs = xcalloc(TN_MAX_GMCP_PACKAGES, sizeof(*tn->pkgs));
	tn->pkgs[tn->n_pkgs].name = xstrndup(item, n);
	tn->pkgs[tn->n_pkgs].version = (int)version;
	tn->n_pkgs++;
}

void tn_gmcp_add_package(struct tn *tn, const char *name, int version)
{
	struct buf item;

	buf_init(&item, 256);
	buf_printf(&item, "%s %d", name, version < 0 ? 0 : version);
	if (!item.err)
		tn_gmcp_supports_item(tn, buf_cstr(&item), true);
	buf_fini(&item);
	tn_gmcp_sync(tn);
}

static void tn_gmcp_supports(struct tn *tn, json_t *root, bool set, bool add)
{
	size_t i;
	json_t *v;

	if (!json_is_array(root))
		return;
	if (set)
		tn_gmcp_clear(tn);
	json_array_foreach(root, i, v)
	{
		if (json_is_string(v))
			tn_gmcp_supports_item(tn, json_string_value(v), add);
	}
	tn_gmcp_sync(tn);
	tn_notify(tn, TN_CHANGED_GMCP_SUPPORTS);
}

static void tn_gmcp_supports_set(struct tn *tn, json_t *root)
{
	tn_gmcp_supports(tn, root, true, true);
}

static void tn_gmcp_supports_add(struct tn *tn, json_t *root)
{
	tn_gmcp_supports(tn, root, false, true);
}

static void tn_gmcp_supports_remove(struct tn *tn, json_t *root)
{
	tn_gmcp_supports(tn, root, false, false);
}

/* ---- Core.Hello and Core.Ping -------------------------------------------- */

static void tn_gmcp_hello(struct tn *tn, json_t *root)
{
	json_t *client = json_object_get(root, "client");
	json_t *version = json_object_get(root, "version");
	unsigned what = 0;

	if (json_is_string(client)) {
		tn->client_from_hello = true;
		if (tn_opt_set_name(tn, &tn->client, json_string_value(client),
				    json_string_length(client)))
			what |= TN_CHANGED_CLIENT;
	}
	if (json_is_string(version) &&
	    tn_opt_set_name(tn, &tn->client_version, json_string_value(version),
			    json_string_length(version)))
		what |= TN_CHANGED_CLIENT;
	tn_notify(tn, what | tn_opt_refresh(tn));
}

static void tn_gmcp_ping(struct tn *tn, json_t *root)
{
	(void)root;
	tn_send_gmcp(tn, "Core.Ping", NULL);
}

/* The messages tn answers itself (package names are case-insensitive). */
static const struct {
	const char *package;
	void (*fn)(struct tn *tn, json_t *root);
} tn_gmcp_handlers[] = {
	{"Core.Hello", tn_gmcp_hello},
	{"Core.Supports.Set", tn_gmcp_supports_set},
	{"Core.Supports.Add", tn_gmcp_supports_add},
	{"Core.Supports.Remove", tn_gmcp_supports_remove},
	{"Core.Ping", tn_gmcp_ping},
};

/* ---- in and out ---------------------------------------------------------- */

static bool tn_gmcp_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void tn_gmcp_recv(struct tn *tn, const char *buf, size_t n)
{
	size_t plen = 0, dlen;
	const char *data, *package;
	json_t *root = NULL;

	/* An empty message has no package name; libtelnet passes it as NULL. */
	if (n == 0 || !buf) {
		tn->stats.gmcp_bad++;
		return;
	}
	while (plen < n && !tn_gmcp_space(buf[plen]))
		plen++;
	data = buf + plen;
	dlen = n - plen;
	while (dlen > 0 && tn_gmcp_space(data[0])) {
		data++;
		dlen--;
	}
	while (dlen > 0 && tn_gmcp_space(data[dlen - 1]))
		dlen--;
	if (!tn_gmcp_valid_name(buf, plen)) {
		tn->stats.gmcp_bad++;
		return;
	}
	if (dlen > 0) {
		json_error_t err;

		root = json_loadb(data, dlen, JSON_DECODE_ANY, &err);
		if (!root) {
			tn->stats.gmcp_bad++;
			return;
		}
	}
	tn->stats.gmcp_in++;

	/* "Package\0json\0", so both halves are C strings. */
	buf_clear(&tn->gmcp_in);
	buf_append(&tn->gmcp_in, buf, plen);
	buf_putc(&tn->gmcp_in, '\0');
	buf_append(&tn->gmcp_in, data, dlen);
	package = buf_cstr(&tn->gmcp_in);

	for (size_t i = 0; i < sizeof(tn_gmcp_handlers) / sizeof(tn_gmcp_handlers[0]); i++) {
		if (str_eq_nocase(package, tn_gmcp_handlers[i].package)) {
			tn_gmcp_handlers[i].fn(tn, root);
			break;
		}
	}
	json_decref(root);
	if (tn->cb.gmcp && !tn->gmcp_in.err)
		tn->cb.gmcp(tn->ud, package, package + plen + 1, dlen);
}

void tn_send_gmcp(struct tn *tn, const char *package, const char *json)
{
	if (!tn->caps.gmcp)
		return;
	buf_clear(&tn->scratch);
	buf_puts(&tn->scratch, package);
	if (json && *json) {
		buf_putc(&tn->scratch, ' ');
		buf_puts(&tn->scratch, json);
	}
	if (tn->scratch.err)
		return;
	telnet_subnegotiation(tn->telnet, TN_TELOPT_GMCP, buf_cstr(&tn->scratch), tn->scratch.len);
	tn_flush(tn);
}

bool tn_gmcp_wants(const struct tn *tn, const char *package)
{
	size_t n = strlen(package);

	if (!tn->caps.gmcp)
		return false;
	if (str_prefix("Core.", package) || str_eq_nocase(package, "Core"))
		return true;
	/* The package itself, or any parent at a '.' boundary. */
	for (size_t len = n; len > 0; len--) {
		if (len == n || package[len] == '.') {
			if (tn_gmcp_find(tn, package, len) != SIZE_MAX)
				return true;
		}
	}
	return false;
}

void tn_gmcp_fini(struct tn *tn)
{
	tn_gmcp_clear(tn);
	free(tn->pkgs);
	tn->pkgs = NULL;
}
