/*
** lsrun.h: declarations shared by the host and its native modules.
*/

#ifndef LSRUN_H
#define LSRUN_H

#include <signal.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#define LSRUN_VERSION "0.1.0"


/* Set by the host's SIGINT handler; long native loops poll it and
** return so that the pending interrupt is raised in Lua. */
extern volatile sig_atomic_t lsrun_interrupted;


/* One embedded Lua source file (generated build/embedded.c). */
typedef struct lsrun_chunk {
  const char *module;        /* "labelstudio.client" */
  const char *chunkname;     /* "@lua/labelstudio/client.lua" */
  const char *source;
  size_t size;
} lsrun_chunk;

extern const lsrun_chunk lsrun_chunks[];   /* ends with a NULL module */


/* linit.c: put native and embedded modules into package.preload.
** With sdk_dir set, the embedded Lua files are skipped and sdk_dir
** is searched first instead. */
void lsrun_openlibs(lua_State *L, const char *sdk_dir);

/* True if a chunk name or error position belongs to the shipped SDK. */
int lsrun_is_sdk_source(const char *where);


/* Native modules, one per file. */
int luaopen_lsrun_json(lua_State *L);
int luaopen_lsrun_http(lua_State *L);
int luaopen_lsrun_sys(lua_State *L);


/* ljson.c: encode the value at idx with the project's codec and push
** the text. Raises a Lua error on a value that cannot be encoded, so
** call it before handing control to a C library. */
void lsrun_json_encode(lua_State *L, int idx);


/* ================================================= http engine === */
/* lhttp.c binds these to Lua; http_req.c reads request tables;
** http_xfer.c runs transfers with no Lua in sight; http_text.c
** encodes and redacts text. */

#include <stdio.h>
#include <curl/curl.h>

#define LSRUN_HTTP_MAX_RETRIES 20

/* A growable byte buffer; p is NUL-terminated when not NULL. */
typedef struct lsrun_buf {
  char *p;
  size_t n, cap;
} lsrun_buf;

int lsrun_buf_add(lsrun_buf *b, const char *s, size_t n);
void lsrun_buf_free(lsrun_buf *b);

/* Limits and retry policy of a session, or of one request. */
typedef struct lsrun_http_opts {
  double timeout, connect_timeout;        /* seconds; 0: none */
  long low_speed_time, low_speed_limit;
  int verify, retries, max_in_flight;
  double retry_base, retry_max_wait, retry_budget;
} lsrun_http_opts;

enum { LSRUN_XFER_WAITING, LSRUN_XFER_RUNNING, LSRUN_XFER_DONE };

/* One request and its outcome. Strings are owned by the caller and
** outlive the transfer; the engine owns easy, headers, mime and the
** files once set. */
typedef struct lsrun_xfer {
  CURL *easy;
  const char *method, *url, *rurl;        /* rurl: redacted */
  const char *body;
  size_t body_len;
  const char *ca_file, *user_agent, *out_path, *in_path;
  struct curl_slist *headers;
  curl_mime *mime;
  FILE *in, *out;
  char *part, *dest;   /* output's part file and resolved target */
  curl_off_t in_size;
  lsrun_http_opts o;
  int idempotent;
  int nofollow;                  /* follow = false: a 3xx is the answer */
  int state, attempts, nwaits, sent, failed;
  int offsite;                   /* redirect to another origin held */
  int sends, heard;       /* requests out, answer since the last one */
  int resend;             /* curl's own re-send stopped */
  double waits[LSRUN_HTTP_MAX_RETRIES];
  double start, ready_at, elapsed, retry_after;
  lsrun_buf resp, head;
  CURLcode rc;
  long status;
  char errbuf[CURL_ERROR_SIZE];
} lsrun_xfer;

/* http_xfer.c */
double lsrun_monotonic(void);
void lsrun_http_setup(lsrun_xfer *x);
void lsrun_http_run(CURLM *multi, lsrun_xfer *xs, int n, int cap);
void lsrun_http_free(lsrun_xfer *x);
void lsrun_http_fail(lsrun_xfer *x, const char *what);
const char *lsrun_http_kind(const lsrun_xfer *x);
int lsrun_http_message(const lsrun_xfer *x, lsrun_buf *out);
int lsrun_http_same_origin(const char *from, const char *to);

/* http_req.c: Lua tables to requests and query strings. */
typedef struct lsrun_http_src {
  const lsrun_http_opts *o;  /* the session's defaults */
  int uv;                    /* session user value: base_url, headers,
                                ca_file, user_agent */
  int anchor;                /* table keeping strings alive */
  int arg, i;                /* argument and request number, for errors */
} lsrun_http_src;

void lsrun_http_prepare(lua_State *L, const lsrun_http_src *src,
                        int req, lsrun_xfer *x);
void lsrun_http_check_keys(lua_State *L, int t,
                           const char *const *keys, int arg);
double lsrun_http_num(lua_State *L, int t, const char *k,
                      double def, int arg);
void lsrun_http_read_opts(lua_State *L, int t, int arg,
                          lsrun_http_opts *o);
void lsrun_http_add_headers(lua_State *L, int src, int dst, int arg);
void lsrun_http_push_query(lua_State *L, int t, int arg);
void lsrun_http_push_redacted(lua_State *L, const char *u, size_t n);
void lsrun_push_case(lua_State *L, const char *s, int (*f)(int));

/* http_text.c */
int lsrun_pct_encode(lsrun_buf *b, const char *s, size_t n);
int lsrun_redact_url(lsrun_buf *b, const char *url, size_t n);
int lsrun_redact_text(lsrun_buf *b, const char *s, size_t n);
const char *lsrun_header_find(const lsrun_buf *h, const char *name,
                              size_t *len);

#endif
