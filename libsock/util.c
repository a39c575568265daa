#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sockbox.h"
#include "libsock/out.h"

const char *applet_name = "sockbox";

static void vwarn(const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: %s\n", applet_name, msg);
}

void sb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void sb_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}
