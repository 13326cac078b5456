/*
** http_text.c: the text work of the HTTP module that needs no Lua:
** growable buffers, percent-encoding, finding a response header,
** and taking secrets out of URLs and messages (DESIGN decision 8).
**
** Caveats: redaction works on what looks like a URL (scheme "://"
** up to white space or a quote); a secret that a server echoes in
** free text elsewhere is not recognised. A query parameter is
** secret when its name is on a short list or contains a word such
** as "token" or "signature"; this errs towards hiding too much.
*/

#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lsrun.h"


int lsrun_buf_add(lsrun_buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (cap < b->n + n + 1) cap *= 2;
    p = realloc(b->p, cap);
    if (p == NULL) return -1;
    b->p = p;
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return 0;
}


void lsrun_buf_free(lsrun_buf *b) {
  free(b->p);
  b->p = NULL;
  b->n = b->cap = 0;
}


static int unreserved(unsigned char c) {
  return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}


/* Append s percent-encoded: all but RFC 3986's unreserved set. */
int lsrun_pct_encode(lsrun_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[3];
    if (unreserved(c)) {
      if (lsrun_buf_add(b, s + i, 1)) return -1;
      continue;
    }
    esc[0] = '%';
    esc[1] = hex[c >> 4];
    esc[2] = hex[c & 15];
    if (lsrun_buf_add(b, esc, 3)) return -1;
  }
  return 0;
}


/* ================================================== redaction === */

static const char *const secret_names[] = {
  "sig", "key", "auth", "code", "pass", "pwd", "session", "access",
  "refresh", NULL
};

static const char *const secret_words[] = {
  "signature", "token", "secret", "password", "passwd", "credential",
  "api_key", "apikey", "api-key", "access_key", "accesskey",
  "private", NULL
};


static int has_word(const char *name, size_t n, const char *w) {
  size_t wn = strlen(w), i;
  for (i = 0; i + wn <= n; i++)
    if (strncasecmp(name + i, w, wn) == 0) return 1;
  return 0;
}


static int secret_param(const char *name, size_t n) {
  int i;
  for (i = 0; secret_names[i]; i++)
    if (strlen(secret_names[i]) == n &&
        strncasecmp(name, secret_names[i], n) == 0)
      return 1;
  for (i = 0; secret_words[i]; i++)
    if (has_word(name, n, secret_words[i])) return 1;
  return 0;
}


/* Copy "a=1&b=2" with the values of secret parameters replaced. */
static int redact_params(lsrun_buf *b, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t end = i, eq;
    while (end < n && s[end] != '&' && s[end] != ';') end++;
    for (eq = i; eq < end && s[eq] != '='; eq++) {}
    if (eq < end && secret_param(s + i, eq - i)) {
      if (lsrun_buf_add(b, s + i, eq + 1 - i) ||
          lsrun_buf_add(b, "REDACTED", 8)) return -1;
    }
    else if (lsrun_buf_add(b, s + i, end - i)) return -1;
    if (end < n && lsrun_buf_add(b, s + end, 1)) return -1;
    i = end + 1;
  }
  return 0;
}


static size_t span_until(const char *s, size_t n, const char *stops) {
  size_t i = 0;
  while (i < n && strchr(stops, s[i]) == NULL) i++;
  return i;
}


/* Append url without user:password and without secret parameters
** in its query or fragment. */
int lsrun_redact_url(lsrun_buf *b, const char *url, size_t n) {
  const char *sep = NULL;
  size_t i, auth, at, path, q;
  for (i = 0; i + 3 <= n && i < 40; i++)
    if (memcmp(url + i, "://", 3) == 0) { sep = url + i; break; }
  auth = sep ? (size_t)(sep - url) + 3 : 0;
  path = auth + span_until(url + auth, n - auth, "/?#");
  for (at = path; sep && at > auth && url[at - 1] != '@'; at--) {}
  if (sep && at > auth) {
    if (lsrun_buf_add(b, url, auth) || lsrun_buf_add(b, "***@", 4))
      return -1;
  }
  else at = 0;
  q = path + span_until(url + path, n - path, "?#");
  if (lsrun_buf_add(b, url + at, q - at)) return -1;
  while (q < n) {
    size_t end = q + 1 + span_until(url + q + 1, n - q - 1, "#");
    if (lsrun_buf_add(b, url + q, 1) ||
        redact_params(b, url + q + 1, end - q - 1)) return -1;
    q = end;
  }
  return 0;
}


static int scheme_char(char c) {
  return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}


/* Append s with every URL in it redacted as above. */
int lsrun_redact_text(lsrun_buf *b, const char *s, size_t n) {
  size_t copied = 0, j = 0;
  while (j + 3 <= n) {
    size_t k = j, end;
    if (memcmp(s + j, "://", 3) != 0) { j++; continue; }
    while (k > copied && scheme_char(s[k - 1])) k--;
    end = j + span_until(s + j, n - j, " \t\r\n\"'<>()[]{}");
    if (lsrun_buf_add(b, s + copied, k - copied) ||
        lsrun_redact_url(b, s + k, end - k)) return -1;
    copied = j = end;
  }
  return lsrun_buf_add(b, s + copied, n - copied);
}


/* The value of the first header called name in a block of header
** lines, trimmed, or NULL. */
const char *lsrun_header_find(const lsrun_buf *h, const char *name,
                              size_t *len) {
  size_t nn = strlen(name);
  const char *p = h->p, *end = h->p + h->n;
  while (p && p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *stop = eol ? eol : end;
    if ((size_t)(stop - p) > nn && p[nn] == ':' &&
        strncasecmp(p, name, nn) == 0) {
      const char *v = p + nn + 1;
      while (v < stop && (*v == ' ' || *v == '\t')) v++;
      while (stop > v && isspace((unsigned char)stop[-1])) stop--;
      *len = (size_t)(stop - v);
      return v;
    }
    p = eol ? eol + 1 : NULL;
  }
  return NULL;
}
