/*
** lhttp.c: the Lua binding of the HTTP module, "lsrun.http".
** A session holds one curl multi handle (its connection pool) and
** defaults; request and batch turn Lua tables into lsrun_xfer
** records, hand them to the engine (http_xfer.c), and push the
** outcomes after libcurl has returned. Any HTTP status is a value;
** a transport failure is nil, message, info (DESIGN decision 2).
**
** Caveats: unknown keys in option and request tables raise, to
** catch typos. Redirects are followed (at most 10). With output=,
** a response with status >= 400 keeps its body in res.body and no
** file is left behind; so does a transport failure.
*/

#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "lsrun.h"

#define SESSION "lsrun.http.Session"
#define BATCH "lsrun.http.Batch"
#define HEADERS "lsrun.http.Headers"

typedef struct session {
  CURLM *multi;                 /* NULL once closed */
  lsrun_http_opts o;
} session;

typedef struct batch {
  int n;
  lsrun_xfer xs[1];
} batch;

/* Where a request table is being read, for error messages. */
typedef struct prep {
  lua_State *L;
  session *s;
  int uv, req, anchor, arg, i, nkept;
  lsrun_xfer *x;
} prep;

static const lsrun_http_opts defaults = {
  60, 10, 30, 1, 1, 3, 8, 0.5, 8, 30
};

static const char *const session_keys[] = {
  "base_url", "headers", "timeout", "connect_timeout",
  "low_speed_time", "low_speed_limit", "verify", "ca_file", "retries",
  "retry_base", "retry_max_wait", "retry_budget", "max_in_flight",
  "user_agent", NULL
};

static const char *const request_keys[] = {
  "method", "url", "query", "headers", "body", "json", "file", "form",
  "output", "timeout", "connect_timeout", "low_speed_time",
  "low_speed_limit", "verify", "retries", "retry_base",
  "retry_max_wait", "retry_budget", "idempotent", NULL
};

static const char *const request_id_headers[] = {
  "x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid",
  "x-amz-request-id", NULL
};


/* ===================================================== helpers === */

/* Raise "bad argument" naming the request when in a batch. */
static int bad(prep *p, const char *fmt, ...) {
  lua_State *L = p->L;
  va_list ap;
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  if (p->i > 0) {
    lua_pushfstring(L, "request %d: %s", p->i, lua_tostring(L, -1));
    lua_remove(L, -2);
  }
  return luaL_argerror(L, p->arg, lua_tostring(L, -1));
}


static void check_keys(lua_State *L, int t, const char *const *keys,
                       int arg) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    int i;
    lua_pop(L, 1);
    for (i = 0; keys[i]; i++)
      if (lua_type(L, -1) == LUA_TSTRING &&
          strcmp(lua_tostring(L, -1), keys[i]) == 0) break;
    if (keys[i] == NULL)
      luaL_argerror(L, arg, lua_pushfstring(L, "unknown option '%s'",
                    luaL_tolstring(L, -1, NULL)));
  }
}


static double get_num(lua_State *L, int t, const char *k, double def,
                      int arg) {
  double v;
  int type = lua_getfield(L, t, k);
  if (type == LUA_TNIL) v = def;
  else if (type != LUA_TNUMBER)
    return luaL_argerror(L, arg, lua_pushfstring(L,
                         "'%s' must be a number", k));
  else v = lua_tonumber(L, -1);
  if (!(v >= 0))
    return luaL_argerror(L, arg, lua_pushfstring(L,
                         "'%s' must not be negative", k));
  lua_pop(L, 1);
  return v;
}


/* Read the limits and retry policy present in table t over o. */
static void read_opts(lua_State *L, int t, int arg, lsrun_http_opts *o) {
  o->timeout = get_num(L, t, "timeout", o->timeout, arg);
  o->connect_timeout = get_num(L, t, "connect_timeout",
                               o->connect_timeout, arg);
  o->low_speed_time = (long)get_num(L, t, "low_speed_time",
                                    (double)o->low_speed_time, arg);
  o->low_speed_limit = (long)get_num(L, t, "low_speed_limit",
                                     (double)o->low_speed_limit, arg);
  o->retries = (int)get_num(L, t, "retries", o->retries, arg);
  luaL_argcheck(L, o->retries <= LSRUN_HTTP_MAX_RETRIES, arg,
                "'retries' is too large");
  o->retry_base = get_num(L, t, "retry_base", o->retry_base, arg);
  o->retry_max_wait = get_num(L, t, "retry_max_wait",
                              o->retry_max_wait, arg);
  o->retry_budget = get_num(L, t, "retry_budget", o->retry_budget, arg);
  if (lua_getfield(L, t, "verify") != LUA_TNIL) {
    luaL_argcheck(L, lua_isboolean(L, -1), arg,
                  "'verify' must be a boolean");
    o->verify = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
}


/* Copy field k of table t, a string or nil, into table dst. */
static void copy_str(lua_State *L, int t, const char *k, int dst,
                     int arg) {
  int type = lua_getfield(L, t, k);
  if (type != LUA_TNIL && type != LUA_TSTRING)
    luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a string",
                  k));
  lua_setfield(L, dst, k);
}


static int token(const char *s) {
  if (*s == '\0') return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
      return 0;
  return 1;
}


/* Push s with each byte passed through f (toupper, tolower). */
static void push_case(lua_State *L, const char *s, int (*f)(int)) {
  luaL_Buffer b;
  size_t n = strlen(s), j;
  char *p = luaL_buffinitsize(L, &b, n);
  for (j = 0; j < n; j++) p[j] = (char)f((unsigned char)s[j]);
  luaL_pushresultsize(&b, n);
}


/* Put the headers of table src into dst as lowercase name ->
** "Name: value" (or false, which removes a session's header). */
static void add_headers(lua_State *L, int src, int dst, int arg) {
  lua_pushnil(L);
  while (lua_next(L, src)) {
    int tv = lua_type(L, -1);
    const char *k = NULL, *v;
    if (lua_type(L, -2) == LUA_TSTRING) k = lua_tostring(L, -2);
    if (k == NULL || !token(k))
      luaL_argerror(L, arg, "a header name must be a token string");
    push_case(L, k, tolower);
    if (tv == LUA_TBOOLEAN && !lua_toboolean(L, -2))
      lua_pushboolean(L, 0);
    else if (tv != LUA_TSTRING && tv != LUA_TNUMBER)
      luaL_argerror(L, arg, lua_pushfstring(L,
                    "header '%s' must be a string", k));
    else if (strpbrk((v = lua_tostring(L, -2)), "\r\n"))
      luaL_argerror(L, arg, lua_pushfstring(L,
                    "header '%s' holds a line break", k));
    else
      lua_pushfstring(L, "%s: %s", k, v);
    lua_settable(L, dst);
    lua_pop(L, 1);
  }
}


/* ======================================================= query === */

static void push_pct(lua_State *L, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  luaL_Buffer b;
  size_t i;
  luaL_buffinit(L, &b);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isalnum(c) || (c && strchr("-._~", c))) {
      luaL_addchar(&b, (char)c);
      continue;
    }
    luaL_addchar(&b, '%');
    luaL_addchar(&b, hex[c >> 4]);
    luaL_addchar(&b, hex[c & 15]);
  }
  luaL_pushresult(&b);
}


/* Push value v of query key k as text, or raise. */
static void push_scalar(lua_State *L, int v, const char *k, int arg) {
  switch (lua_type(L, v)) {
    case LUA_TSTRING: lua_pushvalue(L, v); break;
    case LUA_TNUMBER: luaL_tolstring(L, v, NULL); break;
    case LUA_TBOOLEAN:
      lua_pushstring(L, lua_toboolean(L, v) ? "true" : "false");
      break;
    default:
      luaL_argerror(L, arg, lua_pushfstring(L, "query value of '%s' "
                    "must be a string, number or boolean", k));
  }
}


/* Append "k=v" (or one per element when v is a list) to parts. */
static void add_param(lua_State *L, int parts, int k, int v, int arg) {
  const char *key;
  size_t kn, vn, j, n = 1;
  int t = lua_type(L, k);
  if (t != LUA_TSTRING && t != LUA_TNUMBER)
    luaL_argerror(L, arg, "a query key must be a string or number");
  key = luaL_tolstring(L, k, &kn);
  if (lua_istable(L, v)) n = lua_rawlen(L, v);
  for (j = 1; j <= n; j++) {
    const char *val;
    if (lua_istable(L, v)) lua_rawgeti(L, v, (lua_Integer)j);
    else lua_pushvalue(L, v);
    push_scalar(L, lua_gettop(L), key, arg);
    val = lua_tolstring(L, -1, &vn);
    push_pct(L, key, kn);
    lua_pushliteral(L, "=");
    push_pct(L, val, vn);
    lua_concat(L, 3);
    lua_rawseti(L, parts, (lua_Integer)lua_rawlen(L, parts) + 1);
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}


/* Push the keys of table t, as strings, sorted bytewise. */
static void push_sorted_keys(lua_State *L, int t) {
  lua_Integer n = 0, i, j;
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, ++n);
  }
  for (i = 2; i <= n; i++)
    for (j = i; j > 1; j--) {
      const char *a, *b;
      lua_rawgeti(L, -1, j - 1);
      lua_rawgeti(L, -2, j);
      a = luaL_tolstring(L, -2, NULL);
      b = luaL_tolstring(L, -2, NULL);
      if (strcmp(a, b) <= 0) { lua_pop(L, 4); break; }
      lua_pop(L, 2);
      lua_rawseti(L, -3, j - 1);
      lua_rawseti(L, -2, j);
    }
}


static void concat_parts(lua_State *L, int parts, const char *sep) {
  luaL_Buffer b;
  lua_Integer i, n = (lua_Integer)lua_rawlen(L, parts);
  luaL_buffinit(L, &b);
  for (i = 1; i <= n; i++) {
    if (i > 1) luaL_addstring(&b, sep);
    lua_rawgeti(L, parts, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
}


/* Push the query string of table t: a map with keys sorted, or a
** list of {key, value} pairs kept in order. */
static void push_query(lua_State *L, int t, int arg) {
  int parts, keys;
  lua_Integer i, n;
  lua_newtable(L);
  parts = lua_gettop(L);
  if (lua_rawgeti(L, t, 1) == LUA_TTABLE) {
    lua_pop(L, 1);
    for (i = 1, n = (lua_Integer)lua_rawlen(L, t); i <= n; i++) {
      lua_rawgeti(L, t, i);
      luaL_argcheck(L, lua_istable(L, -1), arg,
                    "a query list holds {key, value} pairs");
      lua_rawgeti(L, -1, 1);
      lua_rawgeti(L, -2, 2);
      add_param(L, parts, lua_gettop(L) - 1, lua_gettop(L), arg);
      lua_pop(L, 3);
    }
  }
  else {
    lua_pop(L, 1);
    push_sorted_keys(L, t);
    keys = lua_gettop(L);
    for (i = 1, n = (lua_Integer)lua_rawlen(L, keys); i <= n; i++) {
      lua_rawgeti(L, keys, i);
      lua_pushvalue(L, -1);
      lua_gettable(L, t);
      add_param(L, parts, lua_gettop(L) - 1, lua_gettop(L), arg);
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
  }
  concat_parts(L, parts, "&");
  lua_remove(L, parts);
}


/* =================================================== preparing === */

/* Keep the string on top alive in the batch's anchor table while
** the transfer runs; pop it and return it. */
static const char *keep(prep *p, size_t *len) {
  const char *s = lua_tolstring(p->L, -1, len);
  lua_rawseti(p->L, p->anchor, ++p->nkept);
  return s;
}


static void push_redacted(lua_State *L, const char *u, size_t n) {
  lsrun_buf b = {NULL, 0, 0};
  int bad_alloc = lsrun_redact_url(&b, u, n);
  lua_pushlstring(L, b.p ? b.p : "", b.n);
  lsrun_buf_free(&b);
  if (bad_alloc) luaL_error(L, "not enough memory");
}


static void prep_method(prep *p) {
  lua_State *L = p->L;
  const char *m = "GET";
  int t = lua_getfield(L, p->req, "method");
  if (t == LUA_TSTRING) m = lua_tostring(L, -1);
  else if (t != LUA_TNIL) bad(p, "'method' must be a string");
  if (!token(m)) bad(p, "'%s' is not a method", m);
  push_case(L, m, toupper);
  p->x->method = keep(p, NULL);
  lua_pop(L, 1);
}


static int absolute(const char *u) {
  size_t n = strspn(u, "abcdefghijklmnopqrstuvwxyz"
                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
  return n > 0 && isalpha((unsigned char)u[0]) &&
         strncmp(u + n, "://", 3) == 0;
}


/* Push the request's url joined to the session's base_url. */
static void push_full_url(prep *p) {
  lua_State *L = p->L;
  const char *u, *base;
  size_t bn;
  if (lua_getfield(L, p->req, "url") != LUA_TSTRING)
    bad(p, "'url' must be a string");
  u = lua_tostring(L, -1);
  if (absolute(u)) return;
  if (lua_getfield(L, p->uv, "base_url") != LUA_TSTRING)
    bad(p, "a relative url needs the session's base_url");
  base = lua_tolstring(L, -1, &bn);
  while (bn > 0 && base[bn - 1] == '/') bn--;
  lua_pushlstring(L, base, bn);
  lua_pushstring(L, strchr("/?", *u) && *u ? "" : "/");
  lua_pushvalue(L, -4);
  lua_concat(L, 3);
  lua_replace(L, -3);
  lua_pop(L, 1);
}


static void prep_url(prep *p) {
  lua_State *L = p->L;
  size_t n;
  int t;
  push_full_url(p);
  t = lua_getfield(L, p->req, "query");
  if (t == LUA_TTABLE) {
    push_query(L, lua_gettop(L), p->arg);
    if (lua_rawlen(L, -1) > 0) {
      lua_pushstring(L, strchr(lua_tostring(L, -3), '?') ? "&" : "?");
      lua_insert(L, -2);
      lua_pushvalue(L, -4);
      lua_insert(L, -3);
      lua_concat(L, 3);
      lua_replace(L, -3);
    }
    else lua_pop(L, 1);
  }
  else if (t != LUA_TNIL) bad(p, "'query' must be a table");
  lua_pop(L, 1);
  p->x->url = lua_tolstring(L, -1, &n);
  push_redacted(L, p->x->url, n);
  p->x->rurl = keep(p, NULL);
  keep(p, NULL);
}


static void add_line(prep *p, const char *line) {
  struct curl_slist *l = curl_slist_append(p->x->headers, line);
  if (l == NULL) luaL_error(p->L, "not enough memory");
  p->x->headers = l;
}


/* Session headers, then the request's over them; ctype is the
** Content-Type to send when none was given ("" for none at all). */
static void prep_headers(prep *p, const char *ctype) {
  lua_State *L = p->L;
  int merged, t;
  lua_newtable(L);
  merged = lua_gettop(L);
  lua_getfield(L, p->uv, "headers");
  lua_pushnil(L);
  while (lua_next(L, merged + 1)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, merged);
  }
  t = lua_getfield(L, p->req, "headers");
  if (t == LUA_TTABLE) add_headers(L, merged + 2, merged, p->arg);
  else if (t != LUA_TNIL) bad(p, "'headers' must be a table");
  lua_pop(L, 2);
  if (lua_getfield(L, merged, "content-type") == LUA_TNIL && ctype)
    add_line(p, lua_pushfstring(L, "Content-Type:%s%s",
                                *ctype ? " " : "", ctype));
  lua_settop(L, merged);
  lua_pushnil(L);
  while (lua_next(L, merged)) {
    if (lua_isstring(L, -1)) add_line(p, lua_tostring(L, -1));
    else add_line(p, lua_pushfstring(L, "%s:", lua_tostring(L, -2)));
    lua_settop(L, merged + 1);
  }
  add_line(p, "Expect:");
  lua_pop(L, 1);
}


static int has_body(const char *method) {
  return strcmp(method, "GET") && strcmp(method, "HEAD") &&
         strcmp(method, "DELETE") && strcmp(method, "OPTIONS") &&
         strcmp(method, "TRACE");
}


static void fail_errno(prep *p, const char *what, const char *path) {
  char msg[CURL_ERROR_SIZE];
  snprintf(msg, sizeof msg, "cannot %s '%s': %s", what, path,
           strerror(errno));
  lsrun_http_fail(p->x, msg);
}


static void prep_file(prep *p) {
  lua_State *L = p->L;
  FILE *f;
  if (lua_type(L, -1) != LUA_TSTRING) bad(p, "'file' must be a path");
  p->x->in_path = keep(p, NULL);
  f = fopen(p->x->in_path, "rb");
  if (f == NULL || fseeko(f, 0, SEEK_END) != 0) {
    fail_errno(p, "read", p->x->in_path);
    if (f) fclose(f);
    return;
  }
  p->x->in = f;
  p->x->in_size = (curl_off_t)ftello(f);
  rewind(f);
}


static const char *const file_part_keys[] = {
  "path", "data", "filename", "content_type", NULL
};


/* A file part: {path = ..., filename = ..., content_type = ...},
** or data = "..." in place of path. Table at the top. */
static void form_file(prep *p, curl_mimepart *part, const char *name) {
  lua_State *L = p->L;
  int t = lua_gettop(L);
  check_keys(L, t, file_part_keys, p->arg);
  if (lua_getfield(L, t, "path") == LUA_TSTRING) {
    const char *path = lua_tostring(L, -1);
    errno = ENOENT;
    if (curl_mime_filedata(part, path) != CURLE_OK)
      fail_errno(p, "read", path);
  }
  else if (lua_getfield(L, t, "data") == LUA_TSTRING) {
    size_t n;
    const char *d = lua_tolstring(L, -1, &n);
    curl_mime_data(part, d, n);
  }
  else bad(p, "form file '%s' needs 'path' or 'data'", name);
  if (lua_getfield(L, t, "filename") == LUA_TSTRING)
    curl_mime_filename(part, lua_tostring(L, -1));
  if (lua_getfield(L, t, "content_type") == LUA_TSTRING)
    curl_mime_type(part, lua_tostring(L, -1));
  lua_settop(L, t);
}


/* A multipart form from the table at the top, fields sorted. */
static void prep_form(prep *p) {
  lua_State *L = p->L;
  int form = lua_gettop(L), keys;
  lua_Integer i, n;
  curl_mime *m = p->x->mime = curl_mime_init(p->x->easy);
  if (m == NULL) luaL_error(L, "not enough memory");
  push_sorted_keys(L, form);
  keys = form + 1;
  for (i = 1, n = (lua_Integer)lua_rawlen(L, keys); i <= n; i++) {
    curl_mimepart *part = curl_mime_addpart(m);
    const char *name;
    lua_rawgeti(L, keys, i);
    name = luaL_tolstring(L, -1, NULL);
    if (part == NULL) luaL_error(L, "not enough memory");
    curl_mime_name(part, name);
    lua_pushvalue(L, keys + 1);
    lua_gettable(L, form);
    if (lua_istable(L, -1)) form_file(p, part, name);
    else if (lua_type(L, -1) == LUA_TSTRING ||
             lua_type(L, -1) == LUA_TNUMBER) {
      size_t len;
      const char *v = lua_tolstring(L, -1, &len);
      curl_mime_data(part, v, len);
    }
    else bad(p, "form field '%s' must be a string or a table", name);
    lua_settop(L, keys);
  }
  lua_settop(L, form);
}


/* The body, from one of body, json, file and form; returns the
** default Content-Type ("" for none, NULL to leave it to curl). */
static const char *prep_body(prep *p) {
  static const char *const fields[] = {"body", "json", "file", "form"};
  lua_State *L = p->L;
  int i, given = -1;
  const char *ctype = NULL;
  for (i = 0; i < 4; i++) {
    if (lua_getfield(L, p->req, fields[i]) != LUA_TNIL) {
      if (given >= 0) bad(p, "give only one of body, json, file, form");
      given = i;
    }
    lua_pop(L, 1);
  }
  if (given < 0) {
    if (!has_body(p->x->method)) return NULL;
    p->x->body = "";
    return "";
  }
  lua_getfield(L, p->req, fields[given]);
  switch (given) {
    case 0:
      if (lua_type(L, -1) != LUA_TSTRING) bad(p, "'body' must be a string");
      p->x->body = keep(p, &p->x->body_len);
      return "";
    case 1:
      lsrun_json_encode(L, lua_gettop(L));
      if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "lsrun.json cannot encode request bodies yet");
      p->x->body = keep(p, &p->x->body_len);
      ctype = "application/json";
      break;
    case 2: prep_file(p); return NULL;
    default:
      if (!lua_istable(L, -1)) bad(p, "'form' must be a table");
      prep_form(p);
  }
  lua_pop(L, 1);
  return ctype;
}


static void prep_output(prep *p) {
  lua_State *L = p->L;
  int t = lua_getfield(L, p->req, "output");
  if (t == LUA_TNIL) { lua_pop(L, 1); return; }
  if (t != LUA_TSTRING) bad(p, "'output' must be a path");
  p->x->out_path = keep(p, NULL);
  if (p->x->failed) return;
  p->x->out = fopen(p->x->out_path, "wb");
  if (p->x->out == NULL) fail_errno(p, "write", p->x->out_path);
}


static void prep_policy(prep *p) {
  lua_State *L = p->L;
  lsrun_xfer *x = p->x;
  const char *m = x->method;
  int t;
  x->o = p->s->o;
  read_opts(L, p->req, p->arg, &x->o);
  t = lua_getfield(L, p->req, "idempotent");
  if (t == LUA_TBOOLEAN) x->idempotent = lua_toboolean(L, -1);
  else if (t != LUA_TNIL) bad(p, "'idempotent' must be a boolean");
  else
    x->idempotent = !strcmp(m, "GET") || !strcmp(m, "HEAD") ||
      !strcmp(m, "PUT") || !strcmp(m, "DELETE") ||
      !strcmp(m, "OPTIONS") || !strcmp(m, "TRACE");
  lua_pop(L, 1);
  lua_getfield(L, p->uv, "ca_file");
  x->ca_file = lua_tostring(L, -1);
  lua_getfield(L, p->uv, "user_agent");
  x->user_agent = lua_tostring(L, -1);
  lua_pop(L, 2);
}


/* Read request table req into x; everything that may raise happens
** here, before libcurl runs. */
static void prepare(prep *p, lsrun_xfer *x) {
  lua_State *L = p->L;
  int top = lua_gettop(L);
  const char *ctype;
  p->x = x;
  if (!lua_istable(L, p->req)) bad(p, "a request must be a table");
  check_keys(L, p->req, request_keys, p->arg);
  x->easy = curl_easy_init();
  if (x->easy == NULL) luaL_error(L, "not enough memory");
  prep_method(p);
  prep_url(p);
  ctype = prep_body(p);
  prep_headers(p, ctype);
  prep_output(p);
  prep_policy(p);
  lua_settop(L, top);
}


/* ===================================================== results === */

/* Push the response headers as a table keyed by lowercase name;
** repeated headers are joined with ", ". */
static void push_headers(lua_State *L, const lsrun_buf *h) {
  const char *p = h->p, *end = h->p + h->n;
  lua_newtable(L);
  while (p && p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *stop = eol ? eol : end, *colon, *v;
    colon = memchr(p, ':', (size_t)(stop - p));
    if (colon != NULL && colon > p && strncmp(p, "HTTP/", 5) != 0) {
      for (v = colon + 1; v < stop && (*v == ' ' || *v == '\t'); v++) {}
      while (stop > v && (stop[-1] == '\r' || stop[-1] == ' ')) stop--;
      lua_pushlstring(L, p, (size_t)(colon - p));
      push_case(L, lua_tostring(L, -1), tolower);
      lua_remove(L, -2);
      lua_pushvalue(L, -1);
      if (lua_rawget(L, -3) == LUA_TSTRING) lua_pushliteral(L, ", ");
      else { lua_pop(L, 1); lua_pushliteral(L, ""); lua_pushliteral(L, ""); }
      lua_pushlstring(L, v, (size_t)(stop - v));
      lua_concat(L, 3);
      lua_rawset(L, -3);
    }
    p = eol ? eol + 1 : NULL;
  }
  luaL_setmetatable(L, HEADERS);
}


static void push_waits(lua_State *L, const lsrun_xfer *x) {
  int i;
  lua_createtable(L, x->nwaits, 0);
  for (i = 0; i < x->nwaits; i++) {
    lua_pushnumber(L, x->waits[i]);
    lua_rawseti(L, -2, i + 1);
  }
}


/* The request id the server sent, if any, into the table at -2
** from the headers table at -1. */
static void set_request_id(lua_State *L) {
  int i;
  for (i = 0; request_id_headers[i]; i++) {
    if (lua_getfield(L, -1, request_id_headers[i]) != LUA_TNIL) {
      lua_setfield(L, -3, "request_id");
      return;
    }
    lua_pop(L, 1);
  }
}


static void push_response(lua_State *L, const lsrun_xfer *x) {
  char *url = NULL;
  lua_createtable(L, 0, 9);
  lua_pushinteger(L, x->status);
  lua_setfield(L, -2, "status");
  push_headers(L, &x->head);
  set_request_id(L);
  lua_setfield(L, -2, "headers");
  if (x->out_path == NULL || x->status >= 400) {
    lua_pushlstring(L, x->resp.p ? x->resp.p : "", x->resp.n);
    lua_setfield(L, -2, "body");
  }
  curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
  lua_pushstring(L, url ? url : x->url);
  lua_setfield(L, -2, "url");
  lua_pushinteger(L, x->attempts);
  lua_setfield(L, -2, "attempts");
  push_waits(L, x);
  lua_setfield(L, -2, "waits");
  lua_pushnumber(L, x->elapsed);
  lua_setfield(L, -2, "elapsed");
}


static void push_info(lua_State *L, const lsrun_xfer *x) {
  lua_createtable(L, 0, 6);
  lua_pushstring(L, lsrun_http_kind(x));
  lua_setfield(L, -2, "kind");
  lua_pushboolean(L, x->sent);
  lua_setfield(L, -2, "sent");
  lua_pushinteger(L, x->attempts);
  lua_setfield(L, -2, "attempts");
  push_waits(L, x);
  lua_setfield(L, -2, "waits");
  lua_pushstring(L, x->method);
  lua_setfield(L, -2, "method");
  lua_pushstring(L, x->rurl);
  lua_setfield(L, -2, "url");
}


static void push_message(lua_State *L, const lsrun_xfer *x) {
  lsrun_buf b = {NULL, 0, 0};
  int bad_alloc = lsrun_http_message(x, &b);
  lua_pushlstring(L, b.p ? b.p : "", b.n);
  lsrun_buf_free(&b);
  if (bad_alloc) luaL_error(L, "not enough memory");
}


/* ===================================================== batches === */

static int batch_gc(lua_State *L) {
  batch *b = luaL_checkudata(L, 1, BATCH);
  int i;
  for (i = 0; i < b->n; i++) lsrun_http_free(&b->xs[i]);
  b->n = 0;
  return 0;
}


/* Push a batch of n empty transfers; its user value anchors the
** strings the transfers point at, and its __gc frees them. */
static batch *new_batch(lua_State *L, int n) {
  size_t size = sizeof(batch) + (size_t)(n > 1 ? n - 1 : 0) *
                sizeof(lsrun_xfer);
  batch *b = lua_newuserdatauv(L, size, 1);
  memset(b, 0, size);
  b->n = n;
  luaL_setmetatable(L, BATCH);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);
  return b;
}


static void init_prep(prep *p, lua_State *L, session *s, int arg) {
  memset(p, 0, sizeof *p);
  p->L = L;
  p->s = s;
  p->arg = arg;
  lua_getiuservalue(L, 1, 1);
  p->uv = lua_gettop(L);
  lua_getiuservalue(L, -2, 1);
  p->anchor = lua_gettop(L);
}


static void run_batch(session *s, batch *b, int cap) {
  int i;
  for (i = 0; i < b->n; i++)
    if (!b->xs[i].failed) lsrun_http_setup(&b->xs[i]);
  lsrun_http_run(s->multi, b->xs, b->n, cap);
}


/* ==================================================== sessions === */

static session *check_session(lua_State *L) {
  session *s = luaL_checkudata(L, 1, SESSION);
  if (s->multi == NULL) luaL_argerror(L, 1, "session is closed");
  return s;
}


/* session:request(req) -> res | nil, message, info */
static int session_request(lua_State *L) {
  session *s = check_session(L);
  prep p;
  batch *b;
  lsrun_xfer *x;
  luaL_checktype(L, 2, LUA_TTABLE);
  b = new_batch(L, 1);
  x = &b->xs[0];
  init_prep(&p, L, s, 2);
  p.req = 2;
  prepare(&p, x);
  run_batch(s, b, 1);
  if (x->rc == CURLE_OK) push_response(L, x);
  else {
    lua_pushnil(L);
    push_message(L, x);
    push_info(L, x);
  }
  lsrun_http_free(x);
  return x->rc == CURLE_OK ? 1 : 3;
}


static int batch_cap(lua_State *L, session *s) {
  static const char *const keys[] = {"max_in_flight", NULL};
  double cap;
  if (lua_isnoneornil(L, 3)) return s->o.max_in_flight;
  luaL_checktype(L, 3, LUA_TTABLE);
  check_keys(L, 3, keys, 3);
  cap = get_num(L, 3, "max_in_flight", s->o.max_in_flight, 3);
  luaL_argcheck(L, cap >= 1 && cap <= 1024, 3,
                "'max_in_flight' must be from 1 to 1024");
  return (int)cap;
}


/* session:batch(requests[, {max_in_flight = n}]) -> results */
static int session_batch(lua_State *L) {
  session *s = check_session(L);
  int i, n, cap = batch_cap(L, s);
  prep p;
  batch *b;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (int)luaL_len(L, 2);
  luaL_argcheck(L, n >= 0 && n < 1000000, 2, "too many requests");
  lua_settop(L, 2);
  b = new_batch(L, n);
  init_prep(&p, L, s, 2);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, 2, i);
    p.i = i;
    p.req = lua_gettop(L);
    prepare(&p, &b->xs[i - 1]);
    lua_pop(L, 1);
  }
  run_batch(s, b, cap);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lsrun_xfer *x = &b->xs[i];
    if (x->rc == CURLE_OK) push_response(L, x);
    else {
      lua_createtable(L, 0, 2);
      push_message(L, x);
      lua_setfield(L, -2, "error");
      push_info(L, x);
      lua_setfield(L, -2, "info");
    }
    lua_rawseti(L, -2, i + 1);
    lsrun_http_free(x);
  }
  return 1;
}


/* session:close(), also __gc and __close; safe to call twice. */
static int session_close(lua_State *L) {
  session *s = luaL_checkudata(L, 1, SESSION);
  if (s->multi) curl_multi_cleanup(s->multi);
  s->multi = NULL;
  return 0;
}


static int session_tostring(lua_State *L) {
  session *s = luaL_checkudata(L, 1, SESSION);
  const char *base;
  size_t n;
  if (s->multi == NULL) {
    lua_pushliteral(L, SESSION " (closed)");
    return 1;
  }
  lua_getiuservalue(L, 1, 1);
  lua_getfield(L, -1, "base_url");
  base = lua_tolstring(L, -1, &n);
  push_redacted(L, base ? base : "", base ? n : 0);
  lua_pushfstring(L, SESSION " (%s): %p", lua_tostring(L, -1),
                  (void *)s);
  return 1;
}


/* Build the session's user value from options table 1. */
static void session_uservalue(lua_State *L) {
  lua_createtable(L, 0, 4);
  copy_str(L, 1, "base_url", 2, 1);
  copy_str(L, 1, "ca_file", 2, 1);
  copy_str(L, 1, "user_agent", 2, 1);
  if (lua_getfield(L, 2, "user_agent") == LUA_TNIL) {
    lua_pushliteral(L, "lsrun/" LSRUN_VERSION);
    lua_setfield(L, 2, "user_agent");
  }
  lua_pop(L, 1);
  lua_newtable(L);
  if (lua_getfield(L, 1, "headers") == LUA_TTABLE)
    add_headers(L, 4, 3, 1);
  else if (!lua_isnil(L, -1))
    luaL_argerror(L, 1, "'headers' must be a table");
  lua_pop(L, 1);
  lua_setfield(L, 2, "headers");
}


/* http.session([options]) -> session */
static int http_session(lua_State *L) {
  session *s;
  double cap;
  if (lua_isnoneornil(L, 1)) lua_newtable(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  check_keys(L, 1, session_keys, 1);
  session_uservalue(L);
  s = lua_newuserdatauv(L, sizeof *s, 1);
  s->multi = NULL;
  s->o = defaults;
  luaL_setmetatable(L, SESSION);
  read_opts(L, 1, 1, &s->o);
  cap = get_num(L, 1, "max_in_flight", s->o.max_in_flight, 1);
  luaL_argcheck(L, cap >= 1 && cap <= 1024, 1,
                "'max_in_flight' must be from 1 to 1024");
  s->o.max_in_flight = (int)cap;
  lua_insert(L, 2);
  lua_setiuservalue(L, 2, 1);
  s->multi = curl_multi_init();
  if (s->multi == NULL) return luaL_error(L, "not enough memory");
  curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS,
                    (long)(cap < 16 ? 16 : cap * 2));
  return 1;
}


/* http.redact_url(url) -> url without secrets */
static int http_redact_url(lua_State *L) {
  size_t n;
  const char *u = luaL_checklstring(L, 1, &n);
  push_redacted(L, u, n);
  return 1;
}


/* http.encode_query(t) -> "a=1&b=2" */
static int http_encode_query(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  push_query(L, 1, 1);
  return 1;
}


/* headers[k]: case-insensitive lookup of a response header. */
static int headers_index(lua_State *L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  push_case(L, lua_tostring(L, 2), tolower);
  lua_rawget(L, 1);
  return 1;
}


static const luaL_Reg session_meta[] = {
  {"__gc", session_close},
  {"__close", session_close},
  {"__tostring", session_tostring},
  {NULL, NULL}
};

static const luaL_Reg session_methods[] = {
  {"request", session_request},
  {"batch", session_batch},
  {"close", session_close},
  {NULL, NULL}
};

static const luaL_Reg http_funcs[] = {
  {"session", http_session},
  {"redact_url", http_redact_url},
  {"encode_query", http_encode_query},
  {NULL, NULL}
};


int luaopen_lsrun_http(lua_State *L) {
  luaL_newmetatable(L, SESSION);
  luaL_setfuncs(L, session_meta, 0);
  luaL_newlib(L, session_methods);
  lua_setfield(L, -2, "__index");
  luaL_newmetatable(L, BATCH);
  lua_pushcfunction(L, batch_gc);
  lua_setfield(L, -2, "__gc");
  luaL_newmetatable(L, HEADERS);
  lua_pushcfunction(L, headers_index);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 3);
  luaL_newlib(L, http_funcs);
  return 1;
}
