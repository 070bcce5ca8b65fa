/*
 * The static content: apps/www embedded at build time by tools/mkwww.py
 * into a table (the generated http_www.c) of path, Content-Type, strong
 * entity tag (a SHA-256 prefix of the bytes) and bytes.
 *
 * Context: any; the table is read-only.
 */
#ifndef SYNACK_APPS_HTTP_STATIC_H
#define SYNACK_APPS_HTTP_STATIC_H

#include <stddef.h>

struct http_file {
	const char *path;		/* "/index.html" */
	const char *type;
	const char *etag;		/* quoted: "\"0123abcd...\"" */
	const unsigned char *data;
	size_t len;
};

extern const struct http_file http_files[];
extern const unsigned int http_nfiles;

/* The file a normalized path names ("/dir/" means "/dir/index.html"), or
 * NULL. */
const struct http_file *http_static_lookup(const char *path);

#endif
