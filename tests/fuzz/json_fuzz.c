/* libFuzzer target: the JSON writer. Byte 0 picks a mode:
 *  even: the rest is one string; the output must be a valid JSON string
 *        that decodes to the input with every byte that is not part of
 *        valid UTF-8 replaced by the text "\xNN" (json.h's promise);
 *  odd:  the rest is a program of writer calls (objects, arrays, keys,
 *        strings, numbers) kept well nested; the output must be valid JSON.
 * The writer's output goes to a memfd on stdout and is checked by a small
 * strict RFC 8259 validator written here, independent of the writer. */
#include <fcntl.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libsock/json.h"
#include "libsock/out.h"

static char got[1 << 20];
static size_t got_len, pos;

/* Strict UTF-8 (RFC 3629): length of the sequence at s, 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0], need, min;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void ws(void)
{
	while (pos < got_len && strchr(" \t\r\n", got[pos]))
		pos++;
}

/* A JSON string at pos, decoded into out (when not NULL); 0 if invalid. */
static int jstring(char *out, size_t *out_len)
{
	size_t n = 0;

	if (pos >= got_len || got[pos++] != '"')
		return 0;
	while (pos < got_len) {
		unsigned char c = got[pos];
		if (c == '"') {
			pos++;
			if (out_len)
				*out_len = n;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (++pos >= got_len)
				return 0;
			const char *esc = strchr("\"\\/bfnrt", got[pos]);
			if (got[pos] && esc) {
				if (out)
					out[n] = "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"];
				n++, pos++;
				continue;
			}
			if (got[pos] != 'u' || pos + 4 >= got_len)
				return 0;
			unsigned v = 0;
			for (int i = 1; i <= 4; i++) {
				int d = hexval(got[pos + i]);
				if (d < 0)
					return 0;
				v = v << 4 | d;
			}
			if (v >= 0x80)	/* the writer only escapes control bytes */
				return 0;
			if (out)
				out[n] = v;
			n++, pos += 5;
			continue;
		}
		size_t k = utf8_seq((const unsigned char *)got + pos, got_len - pos);
		if (!k)
			return 0;
		if (out)
			memcpy(out + n, got + pos, k);
		n += k, pos += k;
	}
	return 0;
}

static int jvalue(int depth);

static int jnumber(void)
{
	size_t start = pos;

	if (pos < got_len && got[pos] == '-')
		pos++;
	if (pos < got_len && got[pos] == '0')
		pos++;
	else if (pos < got_len && got[pos] >= '1' && got[pos] <= '9')
		while (pos < got_len && got[pos] >= '0' && got[pos] <= '9')
			pos++;
	else
		return 0;
	return pos > start;
}

static int jword(const char *w)
{
	size_t n = strlen(w);

	if (got_len - pos < n || memcmp(got + pos, w, n))
		return 0;
	pos += n;
	return 1;
}

static int jcontainer(char close, int depth)
{
	pos++;
	ws();
	if (pos < got_len && got[pos] == close) {
		pos++;
		return 1;
	}
	for (;;) {
		if (close == '}') {
			if (!jstring(NULL, NULL))
				return 0;
			ws();
			if (pos >= got_len || got[pos++] != ':')
				return 0;
		}
		if (!jvalue(depth + 1))
			return 0;
		ws();
		if (pos >= got_len)
			return 0;
		if (got[pos] == close) {
			pos++;
			return 1;
		}
		if (got[pos++] != ',')
			return 0;
		ws();
	}
}

static int jvalue(int depth)
{
	ws();
	if (pos >= got_len || depth > 200)
		return 0;
	switch (got[pos]) {
	case '{': return jcontainer('}', depth);
	case '[': return jcontainer(']', depth);
	case '"': return jstring(NULL, NULL);
	case 't': return jword("true");
	case 'f': return jword("false");
	case 'n': return jword("null");
	default: return jnumber();
	}
}

static void capture(void)
{
	out_flush();
	ssize_t n = pread(STDOUT_FILENO, got, sizeof(got), 0);
	if (n < 0 || ftruncate(STDOUT_FILENO, 0) || lseek(STDOUT_FILENO, 0, SEEK_SET))
		abort();
	got_len = n;
	pos = 0;
}

static void string_mode(const uint8_t *s, size_t n)
{
	static char want[1 << 18], dec[1 << 18];
	size_t w = 0, d;

	json_reset();
	json_strn((const char *)s, n);
	capture();
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq(s + i, n - i);
		if (k) {
			memcpy(want + w, s + i, k);
			w += k, i += k;
		} else {
			want[w++] = '\\';
			want[w++] = 'x';
			want[w++] = "0123456789abcdef"[s[i] >> 4];
			want[w++] = "0123456789abcdef"[s[i] & 15];
			i++;
		}
	}
	if (!jstring(dec, &d) || pos != got_len)
		abort();	/* not one valid JSON string */
	if (d != w || memcmp(dec, want, w))
		abort();	/* does not round-trip */
}

/* Writer calls from bytes. The writer tracks commas for 64 levels
 * (sockbox nests 4 deep); the program stays below that. */
static void program_mode(const uint8_t *p, size_t n)
{
	char stack[48];
	int depth = 0;

	json_reset();
	json_obj_begin();
	stack[depth++] = '}';
	for (size_t i = 0; i < n; i++) {
		unsigned op = p[i] & 7, len = p[i] >> 3;
		if (len > n - i - 1)
			len = n - i - 1;
		if (op == 1) {
			if (depth > 1)
				stack[--depth] == '}' ? json_obj_end() : json_arr_end();
			continue;
		}
		if (stack[depth - 1] == '}') {	/* a member: key first */
			/* keys are sockbox's own constants, written without
			 * escaping: letters and '_' only here too */
			char key[32];
			size_t k = len < 31 ? len : 31;
			for (size_t j = 0; j < k; j++)
				key[j] = p[i + 1 + j] % 27 ? 'a' + p[i + 1 + j] % 27 - 1 : '_';
			key[k] = 0;
			json_key(key);
		}
		if ((op == 0 || op == 2) && depth < (int)sizeof(stack)) {
			op ? json_arr_begin() : json_obj_begin();
			stack[depth++] = op ? ']' : '}';
			continue;
		}
		uint64_t v = 0;
		memcpy(&v, p + i + 1, len < 8 ? len : 8);
		switch (op) {
		case 3:
			json_strn((const char *)p + i + 1, len);
			i += len;
			break;
		case 4: json_u64(v); i += len < 8 ? len : 8; break;
		case 5: json_i64(v); i += len < 8 ? len : 8; break;
		case 6: json_bool(len & 1); break;
		default: json_null(); break;
		}
	}
	while (depth)
		stack[--depth] == '}' ? json_obj_end() : json_arr_end();
	capture();
	if (!jvalue(0))
		abort();	/* not valid JSON */
	ws();
	if (pos != got_len)
		abort();	/* trailing bytes */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;

	if (!init) {
		int fd = memfd_create("json", 0);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			abort();
		init = 1;
	}
	if (size < 1 || size > 60000)
		return 0;
	if (data[0] & 1)
		program_mode(data + 1, size - 1);
	else
		string_mode(data + 1, size - 1);
	return 0;
}
