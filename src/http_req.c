/*
** http_req.c: turns a Lua request table into an lsrun_xfer for the
** HTTP engine: method, url joined to the base url, query string,
** merged headers, body (string, JSON, file or multipart form),
** output file and retry policy. Everything that may raise a Lua
** error happens here, before libcurl runs (STYLE habit 7); strings
** the transfer points at stay alive in an anchor table.
**
** Caveats: unknown keys in a request table raise, to catch typos.
** Query and form keys are sorted bytewise for determinism; a query
** given as a list of {key, value} pairs keeps its order.
*/

#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lsrun.h"

/* Where a request table is being read, for error messages. */
typedef struct prep {
  lua_State *L;
  const lsrun_http_opts *o;     /* the session's defaults */
  int uv, req, anchor, arg, i, nkept;
  lsrun_xfer *x;
} prep;

static const char *const request_keys[] = {
  "method", "url", "query", "headers", "body", "json", "file", "form",
  "output", "timeout", "connect_timeout", "low_speed_time",
  "low_speed_limit", "verify", "retries", "retry_base",
  "retry_max_wait", "retry_budget", "idempotent", "follow", NULL
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


void lsrun_http_check_keys(lua_State *L, int t,
                           const char *const *keys, int arg) {
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


double lsrun_http_num(lua_State *L, int t, const char *k,
                      double def, int arg) {
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
  if (v > 1e9)
    return luaL_argerror(L, arg, lua_pushfstring(L,
                         "'%s' is too large (at most 1e9)", k));
  lua_pop(L, 1);
  return v;
}


/* Read the limits and retry policy present in table t over o. */
void lsrun_http_read_opts(lua_State *L, int t, int arg,
                          lsrun_http_opts *o) {
  o->timeout = lsrun_http_num(L, t, "timeout", o->timeout, arg);
  o->connect_timeout = lsrun_http_num(L, t, "connect_timeout",
                               o->connect_timeout, arg);
  o->low_speed_time = (long)lsrun_http_num(L, t, "low_speed_time",
                                    (double)o->low_speed_time, arg);
  o->low_speed_limit = (long)lsrun_http_num(L, t, "low_speed_limit",
                                     (double)o->low_speed_limit, arg);
  o->retries = (int)lsrun_http_num(L, t, "retries", o->retries, arg);
  luaL_argcheck(L, o->retries <= LSRUN_HTTP_MAX_RETRIES, arg,
                "'retries' is too large");
  o->retry_base = lsrun_http_num(L, t, "retry_base", o->retry_base, arg);
  o->retry_max_wait = lsrun_http_num(L, t, "retry_max_wait",
                              o->retry_max_wait, arg);
  o->retry_budget = lsrun_http_num(L, t, "retry_budget", o->retry_budget, arg);
  if (lua_getfield(L, t, "verify") != LUA_TNIL) {
    luaL_argcheck(L, lua_isboolean(L, -1), arg,
                  "'verify' must be a boolean");
    o->verify = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
}


static int token(const char *s) {
  if (*s == '\0') return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
      return 0;
  return 1;
}


/* Push s with each byte passed through f (toupper, tolower). */
void lsrun_push_case(lua_State *L, const char *s, int (*f)(int)) {
  luaL_Buffer b;
  size_t n = strlen(s), j;
  char *p = luaL_buffinitsize(L, &b, n);
  for (j = 0; j < n; j++) p[j] = (char)f((unsigned char)s[j]);
  luaL_pushresultsize(&b, n);
}


/* Whether the string at idx is one line without NUL; sets *v. */
static int one_line(lua_State *L, int idx, const char **v) {
  size_t n;
  *v = lua_tolstring(L, idx, &n);
  return strlen(*v) == n && strpbrk(*v, "\r\n") == NULL;
}


/* Put the headers of table src into dst as lowercase name ->
** "Name: value" (or false, which removes a session's header). */
void lsrun_http_add_headers(lua_State *L, int src, int dst,
                            int arg) {
  lua_pushnil(L);
  while (lua_next(L, src)) {
    int tv = lua_type(L, -1);
    const char *k = NULL, *v;
    size_t kn = 0;
    if (lua_type(L, -2) == LUA_TSTRING) k = lua_tolstring(L, -2, &kn);
    if (k == NULL || strlen(k) != kn || !token(k))
      luaL_argerror(L, arg, "a header name must be a token string");
    lsrun_push_case(L, k, tolower);
    if (tv == LUA_TBOOLEAN && !lua_toboolean(L, -2))
      lua_pushboolean(L, 0);
    else if (tv != LUA_TSTRING && tv != LUA_TNUMBER)
      luaL_argerror(L, arg, lua_pushfstring(L,
                    "header '%s' must be a string", k));
    else if (!one_line(L, -2, &v))
      luaL_argerror(L, arg, lua_pushfstring(L,
                    "header '%s' holds a line break or NUL", k));
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
    case LUA_TNUMBER:
      if (lua_isinteger(L, v) || isfinite(lua_tonumber(L, v))) {
        luaL_tolstring(L, v, NULL);
        break;
      }
      luaL_argerror(L, arg, lua_pushfstring(L, "query value of '%s' "
                    "is not a finite number", k));
      break;
    case LUA_TBOOLEAN:
      lua_pushstring(L, lua_toboolean(L, v) ? "true" : "false");
      break;
    default:
      luaL_argerror(L, arg, lua_pushfstring(L, "query value of '%s' "
                    "must be a string, number or boolean", k));
  }
}


/* Length of the list at v, raising if v has other keys: a map
** as a query value has no encoding, and must not vanish. */
static size_t list_len(lua_State *L, int v, const char *k, int arg) {
  size_t n = lua_rawlen(L, v), count = 0;
  lua_pushnil(L);
  while (lua_next(L, v)) {
    lua_pop(L, 1);
    count++;
  }
  if (count != n)
    luaL_argerror(L, arg, lua_pushfstring(L, "query value of '%s' "
                  "must be a list, not a map", k));
  return n;
}


/* Append "k=v" (or one per element when v is a list) to parts. */
static void add_param(lua_State *L, int parts, int k, int v, int arg) {
  const char *key;
  size_t kn, vn, j, n = 1;
  int t = lua_type(L, k);
  if (t != LUA_TSTRING && t != LUA_TNUMBER)
    luaL_argerror(L, arg, "a query key must be a string or number");
  key = luaL_tolstring(L, k, &kn);
  if (lua_istable(L, v)) n = list_len(L, v, key, arg);
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


/* Whether table t has a key that is not an integer. */
static int has_name_keys(lua_State *L, int t) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (!lua_isinteger(L, -1)) {
      lua_pop(L, 1);
      return 1;
    }
  }
  return 0;
}


/* Push the query string of table t: a map with keys sorted, or a
** list of {key, value} pairs kept in order. */
void lsrun_http_push_query(lua_State *L, int t, int arg) {
  int parts, keys;
  lua_Integer i, n;
  lua_newtable(L);
  parts = lua_gettop(L);
  if (lua_rawgeti(L, t, 1) == LUA_TTABLE) {
    lua_pop(L, 1);
    luaL_argcheck(L, !has_name_keys(L, t), arg,
                  "a query is a list of pairs or a map, not both");
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


void lsrun_http_push_redacted(lua_State *L, const char *u,
                               size_t n) {
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
  lsrun_push_case(L, m, toupper);
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


/* With the url at -3 and a query string on top: replace the url by
** the url with the query added before any #fragment. */
static void add_query(lua_State *L) {
  size_t n, cut;
  const char *u = lua_tolstring(L, -3, &n), *hash = memchr(u, '#', n);
  cut = hash ? (size_t)(hash - u) : n;
  lua_pushlstring(L, u, cut);
  lua_pushstring(L, memchr(u, '?', cut) ? "&" : "?");
  lua_pushvalue(L, -3);
  lua_pushlstring(L, u + cut, n - cut);
  lua_concat(L, 4);
  lua_replace(L, -4);
}


static void prep_url(prep *p) {
  lua_State *L = p->L;
  size_t n;
  int t;
  push_full_url(p);
  t = lua_getfield(L, p->req, "query");
  if (t == LUA_TTABLE) {
    lsrun_http_push_query(L, lua_gettop(L), p->arg);
    if (lua_rawlen(L, -1) > 0) add_query(L);
    lua_pop(L, 1);
  }
  else if (t != LUA_TNIL) bad(p, "'query' must be a table");
  lua_pop(L, 1);
  p->x->url = lua_tolstring(L, -1, &n);
  lsrun_http_push_redacted(L, p->x->url, n);
  p->x->rurl = keep(p, NULL);
  keep(p, NULL);
}


static void add_line(prep *p, const char *line) {
  struct curl_slist *l = curl_slist_append(p->x->headers, line);
  if (l == NULL) luaL_error(p->L, "not enough memory");
  p->x->headers = l;
}


/* Pushes the session's headers, or an empty table when the request
** goes to another origin than the session's base_url: defaults such
** as credentials belong to the session's server. */
static void push_session_headers(prep *p) {
  lua_State *L = p->L;
  const char *base;
  lua_getfield(L, p->uv, "base_url");
  base = lua_tostring(L, -1);
  if (base && !lsrun_http_same_origin(base, p->x->url)) {
    lua_pop(L, 1);
    lua_newtable(L);
    return;
  }
  lua_pop(L, 1);
  lua_getfield(L, p->uv, "headers");
}


/* Session headers, then the request's over them; ctype is the
** Content-Type to send when none was given ("" for none at all). */
static void prep_headers(prep *p, const char *ctype) {
  lua_State *L = p->L;
  int merged, t;
  lua_newtable(L);
  merged = lua_gettop(L);
  push_session_headers(p);
  lua_pushnil(L);
  while (lua_next(L, merged + 1)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, merged);
  }
  t = lua_getfield(L, p->req, "headers");
  if (t == LUA_TTABLE) lsrun_http_add_headers(L, merged + 2, merged, p->arg);
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


/* A file body: checked and measured now, opened when sent. */
static void prep_file(prep *p) {
  lua_State *L = p->L;
  struct stat st;
  if (lua_type(L, -1) != LUA_TSTRING) bad(p, "'file' must be a path");
  p->x->in_path = keep(p, NULL);
  if (stat(p->x->in_path, &st) != 0 || access(p->x->in_path, R_OK))
    fail_errno(p, "read", p->x->in_path);
  else if (!S_ISREG(st.st_mode)) {
    errno = EISDIR;
    fail_errno(p, "read", p->x->in_path);
  }
  else p->x->in_size = (curl_off_t)st.st_size;
}


static const char *const file_part_keys[] = {
  "path", "data", "filename", "content_type", NULL
};


/* A file part: {path = ..., filename = ..., content_type = ...},
** or data = "..." in place of path. Table at the top. */
static void form_file(prep *p, curl_mimepart *part, const char *name) {
  lua_State *L = p->L;
  int t = lua_gettop(L);
  lsrun_http_check_keys(L, t, file_part_keys, p->arg);
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
}


static void prep_policy(prep *p) {
  lua_State *L = p->L;
  lsrun_xfer *x = p->x;
  const char *m = x->method;
  int t;
  x->o = *p->o;
  lsrun_http_read_opts(L, p->req, p->arg, &x->o);
  t = lua_getfield(L, p->req, "idempotent");
  if (t == LUA_TBOOLEAN) x->idempotent = lua_toboolean(L, -1);
  else if (t != LUA_TNIL) bad(p, "'idempotent' must be a boolean");
  else
    x->idempotent = !strcmp(m, "GET") || !strcmp(m, "HEAD") ||
      !strcmp(m, "PUT") || !strcmp(m, "DELETE") ||
      !strcmp(m, "OPTIONS") || !strcmp(m, "TRACE");
  lua_pop(L, 1);
  t = lua_getfield(L, p->req, "follow");
  if (t != LUA_TNIL && t != LUA_TBOOLEAN)
    bad(p, "'follow' must be a boolean");
  x->nofollow = t == LUA_TBOOLEAN && !lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, p->uv, "ca_file");
  x->ca_file = lua_tostring(L, -1);
  lua_getfield(L, p->uv, "user_agent");
  x->user_agent = lua_tostring(L, -1);
  lua_pop(L, 2);
}


/* Read request table req into x; everything that may raise happens
** here, before libcurl runs. */
void lsrun_http_prepare(lua_State *L, const lsrun_http_src *src,
                        int req, lsrun_xfer *x) {
  int top = lua_gettop(L);
  const char *ctype;
  prep p = {L, src->o, src->uv, req, src->anchor, src->arg, src->i, 0, x};
  p.nkept = (int)lua_rawlen(L, src->anchor);
  if (!lua_istable(L, req)) bad(&p, "a request must be a table");
  lsrun_http_check_keys(L, req, request_keys, p.arg);
  x->easy = curl_easy_init();
  if (x->easy == NULL) luaL_error(L, "not enough memory");
  prep_method(&p);
  prep_url(&p);
  ctype = prep_body(&p);
  prep_headers(&p, ctype);
  prep_output(&p);
  prep_policy(&p);
  lua_settop(L, top);
}
