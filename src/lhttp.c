/*
** lhttp.c: the Lua binding of the HTTP module, "lsrun.http".
** A session holds one curl multi handle (its connection pool) and
** defaults; request and batch turn Lua tables into lsrun_xfer
** records, hand them to the engine (http_xfer.c), and push the
** outcomes after libcurl has returned. Any HTTP status is a value;
** a transport failure is nil, message, info (DESIGN decision 2).
**
** Caveats: unknown keys in option tables raise, to catch typos.
** Redirects are followed (at most 10); res.url is the final url as
** is, not redacted. With output=, a response with status >= 400
** keeps its body in res.body and the file is removed, as it is
** after a transport failure. A timeout of 0 means none.
*/

#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
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

static const lsrun_http_opts defaults = {
  60, 10, 30, 1, 1, 3, 8, 0.5, 8, 30
};

static const char *const session_keys[] = {
  "base_url", "headers", "timeout", "connect_timeout",
  "low_speed_time", "low_speed_limit", "verify", "ca_file", "retries",
  "retry_base", "retry_max_wait", "retry_budget", "max_in_flight",
  "user_agent", NULL
};

static const char *const request_id_headers[] = {
  "x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid",
  "x-amz-request-id", NULL
};


/* Copy field k of table t, a string or nil, into table dst. */
static void copy_str(lua_State *L, int t, const char *k, int dst,
                     int arg) {
  int type = lua_getfield(L, t, k);
  if (type != LUA_TNIL && type != LUA_TSTRING)
    luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a string",
                  k));
  lua_setfield(L, dst, k);
}


/* ===================================================== results === */

/* Push the response headers as a table keyed by lowercase name;
** repeated headers are joined with ", ", except Set-Cookie, whose
** values may hold ", " themselves (RFC 6265 forbids folding them):
** those are joined with "\n", which no header value can contain. */
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
      lsrun_push_case(L, lua_tostring(L, -1), tolower);
      lua_remove(L, -2);
      lua_pushvalue(L, -1);
      if (lua_rawget(L, -3) != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushliteral(L, "");
        lua_pushliteral(L, "");
      } else if (strcmp(lua_tostring(L, -2), "set-cookie") == 0) {
        lua_pushliteral(L, "\n");
      } else {
        lua_pushliteral(L, ", ");
      }
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
  lua_pushstring(L, url && !x->offsite ? url : x->url);
  lua_setfield(L, -2, "url");
  lua_pushinteger(L, x->attempts);
  lua_setfield(L, -2, "attempts");
  push_waits(L, x);
  lua_setfield(L, -2, "waits");
  lua_pushnumber(L, x->elapsed);
  lua_setfield(L, -2, "elapsed");
}


static void push_info(lua_State *L, const lsrun_xfer *x) {
  lua_createtable(L, 0, 7);
  lua_pushstring(L, lsrun_http_kind(x));
  lua_setfield(L, -2, "kind");
  lua_pushboolean(L, x->sent);
  lua_setfield(L, -2, "sent");
  lua_pushinteger(L, x->attempts);
  lua_setfield(L, -2, "attempts");
  push_waits(L, x);
  lua_setfield(L, -2, "waits");
  lua_pushboolean(L, x->idempotent);
  lua_setfield(L, -2, "idempotent");
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

/* __gc of a batch: frees what the transfers still hold. */
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


/* Point src at the session's user value and the batch's anchor
** table, pushed here; the batch is at the top. */
static void init_src(lsrun_http_src *src, lua_State *L, session *s) {
  memset(src, 0, sizeof *src);
  src->o = &s->o;
  src->arg = 2;
  lua_getiuservalue(L, 1, 1);
  src->uv = lua_gettop(L);
  lua_getiuservalue(L, -2, 1);
  src->anchor = lua_gettop(L);
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
  lsrun_http_src src;
  batch *b;
  lsrun_xfer *x;
  luaL_checktype(L, 2, LUA_TTABLE);
  b = new_batch(L, 1);
  x = &b->xs[0];
  init_src(&src, L, s);
  lsrun_http_prepare(L, &src, 2, x);
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
  lsrun_http_check_keys(L, 3, keys, 3);
  cap = lsrun_http_num(L, 3, "max_in_flight", s->o.max_in_flight, 3);
  luaL_argcheck(L, cap >= 1 && cap <= 1024, 3,
                "'max_in_flight' must be from 1 to 1024");
  return (int)cap;
}


/* session:batch(requests[, {max_in_flight = n}]) -> results */
static int session_batch(lua_State *L) {
  session *s = check_session(L);
  int i, n, cap = batch_cap(L, s);
  lsrun_http_src src;
  batch *b;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = (int)luaL_len(L, 2);
  luaL_argcheck(L, n >= 0 && n < 1000000, 2, "too many requests");
  lua_settop(L, 2);
  b = new_batch(L, n);
  init_src(&src, L, s);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, 2, i);
    src.i = i;
    lsrun_http_prepare(L, &src, lua_gettop(L), &b->xs[i - 1]);
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


/* tostring(session): the base url without secrets, or "closed". */
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
  lsrun_http_push_redacted(L, base ? base : "", base ? n : 0);
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
    lsrun_http_add_headers(L, 4, 3, 1);
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
  lsrun_http_check_keys(L, 1, session_keys, 1);
  session_uservalue(L);
  s = lua_newuserdatauv(L, sizeof *s, 1);
  s->multi = NULL;
  s->o = defaults;
  luaL_setmetatable(L, SESSION);
  lsrun_http_read_opts(L, 1, 1, &s->o);
  cap = lsrun_http_num(L, 1, "max_in_flight", s->o.max_in_flight, 1);
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
  lsrun_http_push_redacted(L, u, n);
  return 1;
}


/* http.encode_query(t) -> "a=1&b=2" */
static int http_encode_query(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lsrun_http_push_query(L, 1, 1);
  return 1;
}


/* headers[k]: case-insensitive lookup of a response header. */
static int headers_index(lua_State *L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  lsrun_push_case(L, lua_tostring(L, 2), tolower);
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
