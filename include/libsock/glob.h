/* Shell wildcards (* ? [...] [!...] [[:class:]] \) as glibc's
 * fnmatch(p, s, casefold ? FNM_CASEFOLD : 0), on bytes: ASCII classes and
 * ASCII case folding only. */
#ifndef LIBSOCK_GLOB_H
#define LIBSOCK_GLOB_H

#include <string.h>

int sk_glob_match(const char *pattern, const char *s, int casefold);

#endif
