/*
 * Lookup in the embedded content table (http_static.h).  The table is a
 * handful of entries, so a linear scan; a directory path is its
 * index.html.
 *
 * Context: any.
 */
#include "apps/http_static.h"

#include <stdbool.h>

#include "kernel/lib/string.h"

#define INDEX_NAME	"index.html"

const struct http_file *http_static_lookup(const char *path)
{
	size_t len = strlen(path);
	bool dir = len && path[len - 1] == '/';

	for (unsigned int i = 0; i < http_nfiles; i++) {
		const char *p = http_files[i].path;

		if (dir ? !strncmp(p, path, len) && !strcmp(p + len, INDEX_NAME) : !strcmp(p, path))
			return &http_files[i];
	}
	return NULL;
}
