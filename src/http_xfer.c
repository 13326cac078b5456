/*
** http_xfer.c: the transfer engine of the HTTP module. It runs a set
** of prepared requests on one curl multi handle (so connections are
** kept alive and reused within a session), at most `cap` at a time,
** retries as DESIGN decision 7 says, and leaves each outcome in its
** lsrun_xfer. No Lua runs here: callbacks only append to buffers or
** write to a file, so no Lua error can unwind through libcurl.
**
** Caveats: whether a failed request "may have reached the server" is
** judged from curl's count of request bytes sent and from the kind
** of failure, erring towards "it may have". A failed certificate
** check is not retried, since trying again cannot change it.
** Redirects are followed only within the request's origin (scheme,
** host and port; http on port 80 to https on 443 of the same host is
** allowed): curl
** would send custom secret headers (X-API-Key, Proxy-Authorization)
** to any host, so a redirect elsewhere comes back as the 3xx itself.
** When a reused keep-alive connection closes after a request went
** out but before any answer, curl would quietly send the request
** again on a new connection. That second send is stopped for every
** request, so that only the retry policy here re-sends (and counts
** it): a POST then fails as one that may have landed, even when the
** server had in fact closed an idle connection unread. curl checks
** that a pooled connection is still open before reusing it, so this
** takes a server closing it in the instant the request is sent.
** A download is written to a part file beside its target and renamed
** over it only when the answer is a success, so a failed request
** never truncates or removes what was there; a target that exists
** and is not a regular file (/dev/null, a FIFO) is written in place.
*/

#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lsrun.h"

static void close_output(lsrun_xfer *x, int keep);

enum kind {
  K_NONE, K_CONNECT, K_DNS, K_TLS, K_TIMEOUT, K_SEND, K_RECV,
  K_INTERRUPTED, K_OTHER
};

static const char *const kind_names[] = {
  "none", "connect", "dns", "tls", "timeout", "send", "recv",
  "interrupted", "other"
};

static unsigned long long rng;


double lsrun_monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


/* A number in [0, 1) from a xorshift generator seeded once. */
static double jitter(void) {
  if (rng == 0)
    rng = ((unsigned long long)time(NULL) << 20) ^ (unsigned)getpid()
          ^ 0x9E3779B97F4A7C15ULL;
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}


/* ================================================== callbacks === */

/* Body bytes: to the output file, unless the status says error
** (>= 400), whose body is kept in memory for the message. */
static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  lsrun_xfer *x = ud;
  size_t len = size * n;
  long status = 0;
  if (x->out) {
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status < 400) return fwrite(p, 1, len, x->out);
  }
  return lsrun_buf_add(&x->resp, p, len) ? 0 : len;
}


/* Header lines; a status line starts over, so that only the final
** response's headers remain after redirects and 100 Continue. */
static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  lsrun_xfer *x = ud;
  size_t len = size * n;
  x->heard = 1;
  if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) x->head.n = 0;
  return lsrun_buf_add(&x->head, p, len) ? 0 : len;
}


static int on_seek(void *ud, curl_off_t off, int origin) {
  return fseeko((FILE *)ud, (off_t)off, origin)
         ? CURL_SEEKFUNC_CANTSEEK : CURL_SEEKFUNC_OK;
}


/* ================================================== redirects === */

/* Parse u into h; returns 0 on success. */
static int parse_url(CURLU *h, const char *u) {
  return curl_url_set(h, CURLUPART_URL, u, CURLU_DEFAULT_SCHEME)
         != CURLUE_OK;
}


static int same_part(CURLU *a, CURLU *b, CURLUPart part) {
  char *x = NULL, *y = NULL;
  int same;
  curl_url_get(a, part, &x, CURLU_DEFAULT_PORT);
  curl_url_get(b, part, &y, CURLU_DEFAULT_PORT);
  same = x && y && strcasecmp(x, y) == 0;
  curl_free(x);
  curl_free(y);
  return same;
}


static int part_is(CURLU *h, CURLUPart part, const char *want) {
  char *v = NULL;
  int yes;
  curl_url_get(h, part, &v, CURLU_DEFAULT_PORT);
  yes = v && strcasecmp(v, want) == 0;
  curl_free(v);
  return yes;
}


/* Whether url 'to' may receive the headers meant for 'from': the
** same scheme, host and port, or the upgrade of http on port 80 to
** https on port 443 of the same host. */
int lsrun_http_same_origin(const char *from, const char *to) {
  CURLU *a = curl_url(), *b = curl_url();
  int ok = 0;
  if (a && b && !parse_url(a, from) && !parse_url(b, to) &&
      same_part(a, b, CURLUPART_HOST)) {
    ok = (same_part(a, b, CURLUPART_SCHEME) &&
          same_part(a, b, CURLUPART_PORT)) ||
         (part_is(a, CURLUPART_SCHEME, "http") &&
          part_is(a, CURLUPART_PORT, "80") &&
          part_is(b, CURLUPART_SCHEME, "https") &&
          part_is(b, CURLUPART_PORT, "443"));
  }
  curl_url_cleanup(a);
  curl_url_cleanup(b);
  return ok;
}


/* Whether curl is about to send the request again although nothing
** came back since the last send: its silent retry after a reused
** connection died. Redirects and auth rounds follow an answer. */
static int silent_resend(lsrun_xfer *x) {
  int again = x->sends++ > 0 && !x->heard;
  x->heard = 0;
  return again;
}


/* Before each request goes out, redirected ones included: stop
** curl's silent re-send (finish() reports the lost answer) and one
** bound for another origin (finish() reports the 3xx instead). */
static int on_prereq(void *ud, char *ip, char *lip, int port,
                     int lport) {
  lsrun_xfer *x = ud;
  char *now = NULL;
  (void)ip; (void)lip; (void)port; (void)lport;
  if (silent_resend(x)) {
    x->resend = 1;
    return CURL_PREREQFUNC_ABORT;
  }
  curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &now);
  if (now == NULL || lsrun_http_same_origin(x->url, now))
    return CURL_PREREQFUNC_OK;
  x->offsite = 1;
  return CURL_PREREQFUNC_ABORT;
}


/* ====================================================== setup === */

static void set_body(lsrun_xfer *x) {
  CURL *e = x->easy;
  if (x->mime)
    curl_easy_setopt(e, CURLOPT_MIMEPOST, x->mime);
  else if (x->in_path) {
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, x->in_size);
  }
  else if (x->body) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                     (curl_off_t)x->body_len);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body);
  }
  if (strcmp(x->method, "HEAD") == 0)
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  else if (strcmp(x->method, "GET") != 0 || x->body || x->in_path ||
           x->mime)
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
}


static void set_limits(lsrun_xfer *x) {
  CURL *e = x->easy;
  const lsrun_http_opts *o = &x->o;
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1e3));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   (long)(o->connect_timeout * 1e3));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->verify ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->verify ? 2L : 0L);
  if (x->ca_file) curl_easy_setopt(e, CURLOPT_CAINFO, x->ca_file);
}


/* Set up the easy handle (made when the request was prepared, so
** that a form could be attached to it) from the request's fields. */
void lsrun_http_setup(lsrun_xfer *x) {
  CURL *e = x->easy;
  curl_easy_setopt(e, CURLOPT_URL, x->url);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)x);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)x);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, (void *)x);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, x->nofollow ? 0L : 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, (void *)x);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
  curl_easy_setopt(e, CURLOPT_USERAGENT, x->user_agent);
  set_limits(x);
  set_body(x);
}


/* Mark a request failed before it ran, with what went wrong. */
void lsrun_http_fail(lsrun_xfer *x, const char *what) {
  x->failed = 1;
  x->state = LSRUN_XFER_DONE;
  x->rc = CURLE_FAILED_INIT;
  snprintf(x->errbuf, sizeof x->errbuf, "%s", what);
}


void lsrun_http_free(lsrun_xfer *x) {
  if (x->easy) curl_easy_cleanup(x->easy);
  if (x->mime) curl_mime_free(x->mime);
  if (x->headers) curl_slist_free_all(x->headers);
  if (x->in) fclose(x->in);
  if (x->out) close_output(x, 0);
  lsrun_buf_free(&x->resp);
  lsrun_buf_free(&x->head);
  x->easy = NULL;
  x->mime = NULL;
  x->headers = NULL;
  x->in = x->out = NULL;
}


/* ============================================= classification === */

static enum kind kind_of(CURLcode rc) {
  switch (rc) {
    case CURLE_OK: return K_NONE;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return K_DNS;
    case CURLE_COULDNT_CONNECT: return K_CONNECT;
    case CURLE_OPERATION_TIMEDOUT: return K_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return K_TLS;
    case CURLE_SEND_ERROR: return K_SEND;
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return K_RECV;
    case CURLE_ABORTED_BY_CALLBACK: return K_INTERRUPTED;
    default: return K_OTHER;
  }
}


const char *lsrun_http_kind(const lsrun_xfer *x) {
  return kind_names[kind_of(x->rc)];
}


/* Whether the request may have reached the server. */
static int may_have_sent(lsrun_xfer *x) {
  long req = 0;
  enum kind k = kind_of(x->rc);
  if (x->failed || k == K_DNS || k == K_CONNECT || k == K_TLS)
    return 0;
  if (k == K_SEND || k == K_RECV || k == K_NONE) return 1;
  curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &req);
  return req > 0;
}


static int retry_failure(const lsrun_xfer *x) {
  switch (kind_of(x->rc)) {
    case K_DNS: case K_CONNECT: case K_TIMEOUT: case K_SEND:
    case K_RECV: break;
    case K_TLS:
      if (x->rc == CURLE_SSL_CONNECT_ERROR) break;
      return 0;
    default: return 0;
  }
  return !x->sent || x->idempotent;
}


static int retry_status(long status) {
  return status == 429 || status == 502 || status == 503 ||
         status == 504;
}


/* Seconds the server asked us to wait, or -1. */
static double retry_after(const lsrun_xfer *x) {
  char v[64];
  size_t n;
  const char *p = lsrun_header_find(&x->head, "Retry-After", &n);
  time_t t;
  if (p == NULL || n == 0 || n >= sizeof v) return -1;
  memcpy(v, p, n);
  v[n] = '\0';
  if (strspn(v, "0123456789") == n) return strtod(v, NULL);
  t = curl_getdate(v, NULL);
  if (t == -1) return -1;
  return t > time(NULL) ? (double)(t - time(NULL)) : 0;
}


/* Whether to try again; if so, how long to wait first. */
static int retry_wait(lsrun_xfer *x, double now, double *wait) {
  double ra = -1, d;
  if (x->attempts > x->o.retries ||
      x->nwaits >= LSRUN_HTTP_MAX_RETRIES) return 0;
  if (x->rc == CURLE_OK) {
    if (!retry_status(x->status) || !x->idempotent) return 0;
    ra = retry_after(x);
  }
  else if (!retry_failure(x)) return 0;
  d = ldexp(x->o.retry_base, x->nwaits) * (0.8 + 0.4 * jitter());
  if (ra >= 0) d = ra;
  if (d > x->o.retry_max_wait) d = x->o.retry_max_wait;
  *wait = d;
  return now - x->start + d <= x->o.retry_budget;
}


/* ===================================================== running === */

static int file_error(lsrun_xfer *x, const char *what,
                      const char *path, CURLcode rc) {
  snprintf(x->errbuf, sizeof x->errbuf, "cannot %s '%s': %s", what,
           path, strerror(errno));
  x->rc = rc;
  return -1;
}


static unsigned parts;   /* part files made, for unique names */


/* The file a symbolic link names, read against the link's folder,
** for a link whose file does not exist yet (realpath fails there);
** NULL when path is no link. The caller frees it. */
static char *link_target(const char *path) {
  struct stat st;
  char buf[4096], *out;
  const char *slash = strrchr(path, '/');
  ssize_t n;
  size_t dir;
  if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) return NULL;
  n = readlink(path, buf, sizeof buf - 1);
  if (n < 0) return NULL;
  buf[n] = '\0';
  dir = buf[0] == '/' || slash == NULL ? 0 : (size_t)(slash - path) + 1;
  if ((out = malloc(dir + (size_t)n + 1)) == NULL) return NULL;
  memcpy(out, path, dir);
  memcpy(out + dir, buf, (size_t)n + 1);
  return out;
}


/* Opens the output: the target itself when it exists and is not a
** regular file, else a new part file beside the file a symbolic
** link names (or beside the target). Returns 0, or -1 with errno. */
static int open_output(lsrun_xfer *x) {
  struct stat st;
  const char *dest = x->out_path;
  int fd;
  if (stat(dest, &st) == 0 && !S_ISREG(st.st_mode))
    return (x->out = fopen(dest, "wb")) ? 0 : -1;
  x->dest = realpath(dest, NULL);
  if (x->dest == NULL) x->dest = link_target(dest);
  if (x->dest != NULL) dest = x->dest;
  x->part = malloc(strlen(dest) + 40);
  if (x->part == NULL) return -1;
  sprintf(x->part, "%s.part-%ld-%u", dest, (long)getpid(), ++parts);
  fd = open(x->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 || (x->out = fdopen(fd, "wb")) == NULL) {
    if (fd >= 0) close(fd);
    free(x->part);
    x->part = NULL;
    return -1;
  }
  return 0;
}


/* Closes the output; a part file replaces its target when keep is
** set and everything was written, and is removed otherwise. */
static void close_output(lsrun_xfer *x, int keep) {
  const char *dest = x->dest ? x->dest : x->out_path;
  int ok = fclose(x->out) == 0;
  x->out = NULL;
  if (x->part) {
    ok = ok && keep && rename(x->part, dest) == 0;
    if (!ok) unlink(x->part);
    free(x->part);
    x->part = NULL;
  }
  free(x->dest);
  x->dest = NULL;
  if (keep && !ok) file_error(x, "write", x->out_path, CURLE_WRITE_ERROR);
}


static void close_files(lsrun_xfer *x) {
  if (x->in) fclose(x->in);
  x->in = NULL;
  if (x->out)
    close_output(x, x->rc == CURLE_OK && x->status < 400);
}


static void done(lsrun_xfer *x, double now) {
  x->state = LSRUN_XFER_DONE;
  x->elapsed = x->attempts ? now - x->start : 0;
  close_files(x);
}


/* Open the body and output files on the first attempt (so that a
** big batch does not hold them all open); rewind them on a retry. */
static int open_files(lsrun_xfer *x) {
  if (x->in) rewind(x->in);
  else if (x->in_path) {
    if ((x->in = fopen(x->in_path, "rb")) == NULL)
      return file_error(x, "read", x->in_path, CURLE_READ_ERROR);
    curl_easy_setopt(x->easy, CURLOPT_READDATA, x->in);
    curl_easy_setopt(x->easy, CURLOPT_SEEKDATA, x->in);
  }
  if (x->out) {
    rewind(x->out);
    if (ftruncate(fileno(x->out), 0)) {}
  }
  else if (x->out_path && open_output(x) != 0)
    return file_error(x, "write", x->out_path, CURLE_WRITE_ERROR);
  return 0;
}


static int begin(CURLM *m, lsrun_xfer *x, double now) {
  x->resp.n = x->head.n = 0;
  x->errbuf[0] = '\0';
  x->status = 0;
  x->offsite = x->resend = x->sends = x->heard = 0;
  if (x->attempts++ == 0) x->start = now;
  if (open_files(x) == 0) {
    x->state = LSRUN_XFER_RUNNING;
    if (curl_multi_add_handle(m, x->easy) == CURLM_OK) return 1;
    x->rc = CURLE_OUT_OF_MEMORY;
  }
  done(x, now);
  return 0;
}


/* A held redirect: the 3xx whose headers are in x->head. */
static void hold_redirect(lsrun_xfer *x) {
  const char *sp = x->head.p ? strchr(x->head.p, ' ') : NULL;
  x->rc = CURLE_OK;
  x->status = sp ? strtol(sp, NULL, 10) : 0;
  x->resp.n = 0;
}


/* A stopped silent re-send: the request went out and the connection
** closed with no answer, which is what curl would have reported. */
static void lost_answer(lsrun_xfer *x) {
  x->rc = CURLE_GOT_NOTHING;
  x->status = 0;
  snprintf(x->errbuf, sizeof x->errbuf, "%s",
           "connection closed with no answer");
}


static void finish(lsrun_xfer *x, CURLcode rc, double now) {
  double wait;
  x->rc = rc;
  curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
  if (x->offsite) hold_redirect(x);
  if (x->resend) lost_answer(x);
  x->sent = may_have_sent(x);
  if (retry_wait(x, now, &wait)) {
    x->waits[x->nwaits++] = wait;
    x->ready_at = now + wait;
    x->state = LSRUN_XFER_WAITING;
    return;
  }
  done(x, now);
}


typedef struct run {
  CURLM *m;
  lsrun_xfer *xs;
  int n, cap, running, left, next, waiting;
} run;


/* Start what may start: retries whose wait is over, then requests
** never tried, in order, while fewer than cap are in flight. */
static void start_ready(run *r, double now) {
  int i;
  for (i = 0; r->waiting > 0 && i < r->next; i++) {
    lsrun_xfer *x = &r->xs[i];
    if (r->running >= r->cap) return;
    if (x->state != LSRUN_XFER_WAITING || x->ready_at > now) continue;
    r->waiting--;
    if (begin(r->m, x, now)) r->running++; else r->left--;
  }
  for (; r->next < r->n && r->running < r->cap; r->next++) {
    lsrun_xfer *x = &r->xs[r->next];
    if (x->state != LSRUN_XFER_WAITING) continue;
    if (begin(r->m, x, now)) r->running++; else r->left--;
  }
}


static void collect(run *r, double now) {
  CURLMsg *msg;
  int queued;
  while ((msg = curl_multi_info_read(r->m, &queued)) != NULL) {
    char *p = NULL;
    CURL *e = msg->easy_handle;
    CURLcode rc = msg->data.result;
    if (msg->msg != CURLMSG_DONE) continue;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, &p);
    curl_multi_remove_handle(r->m, e);
    r->running--;
    finish((lsrun_xfer *)(void *)p, rc, now);
    if (((lsrun_xfer *)(void *)p)->state == LSRUN_XFER_DONE) r->left--;
    else r->waiting++;
  }
}


/* Ctrl-C: take every unfinished request out and mark it. */
static void stop_all(run *r, double now) {
  int i;
  for (i = 0; i < r->n; i++) {
    lsrun_xfer *x = &r->xs[i];
    if (x->state == LSRUN_XFER_DONE) continue;
    if (x->state == LSRUN_XFER_RUNNING)
      curl_multi_remove_handle(r->m, x->easy);
    x->rc = CURLE_ABORTED_BY_CALLBACK;
    x->sent = x->attempts > 0 && x->state == LSRUN_XFER_RUNNING;
    done(x, now);
  }
}


/* Milliseconds to sleep in poll: until the next retry is due, at
** most 100 so that Ctrl-C is seen soon. */
static int poll_ms(const run *r, double now) {
  double t = 0.1;
  int i;
  for (i = 0; r->waiting > 0 && i < r->next; i++) {
    const lsrun_xfer *x = &r->xs[i];
    if (x->state == LSRUN_XFER_WAITING && x->ready_at - now < t)
      t = x->ready_at - now;
  }
  return t <= 0 ? 0 : (int)(t * 1e3) + 1;
}


void lsrun_http_run(CURLM *m, lsrun_xfer *xs, int n, int cap) {
  run r = {m, xs, n, cap > 0 ? cap : 1, 0, 0, 0, 0};
  int i, still;
  for (i = 0; i < n; i++)
    if (xs[i].state != LSRUN_XFER_DONE) r.left++;
  while (r.left > 0) {
    double now = lsrun_monotonic();
    if (lsrun_interrupted) {
      stop_all(&r, now);
      return;
    }
    start_ready(&r, now);
    curl_multi_perform(m, &still);
    collect(&r, lsrun_monotonic());
    if (r.left == 0) break;
    curl_multi_poll(m, NULL, 0, poll_ms(&r, lsrun_monotonic()), NULL);
  }
}


/* ==================================================== messages === */

static int add_str(lsrun_buf *b, const char *s) {
  return lsrun_buf_add(b, s, strlen(s));
}


static int add_waits(lsrun_buf *b, const lsrun_xfer *x) {
  char num[48];
  int i;
  snprintf(num, sizeof num, " (%d %s, waited ", x->nwaits,
           x->nwaits == 1 ? "retry" : "retries");
  if (add_str(b, num)) return -1;
  for (i = 0; i < x->nwaits; i++) {
    snprintf(num, sizeof num, "%s%.1f s", i ? " + " : "", x->waits[i]);
    if (add_str(b, num)) return -1;
  }
  return add_str(b, ")");
}


/* The error message of a failed request, with secrets removed:
** "METHOD url: what (n retries, waited a s + b s)". */
int lsrun_http_message(const lsrun_xfer *x, lsrun_buf *out) {
  lsrun_buf t = {NULL, 0, 0};
  const char *what = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->rc);
  int bad = 0;
  if (x->rc == CURLE_ABORTED_BY_CALLBACK) what = "interrupted";
  bad |= add_str(&t, x->method) || add_str(&t, " ");
  bad |= add_str(&t, x->rurl) || add_str(&t, ": ") || add_str(&t, what);
  if (x->nwaits) bad |= add_waits(&t, x);
  if (x->sent && !x->idempotent && kind_of(x->rc) != K_INTERRUPTED)
    bad |= add_str(&t, "; not retried: the request may have reached"
                   " the server");
  bad |= lsrun_redact_text(out, t.p ? t.p : "", t.n);
  lsrun_buf_free(&t);
  return bad ? -1 : 0;
}
