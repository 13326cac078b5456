/*
** ljson.c: lsrun.json, the project's JSON codec. It keeps data exact
** (DESIGN.md decision 3): integers stay integers, floats survive bit
** for bit and stay floats, [] and {} stay apart, null is kept.
**
** Caveats (deliberate limits):
** - Integers beyond 64 bits decode as floats (nearest double).
** - Floats are written in the shortest form that reads back to the
**   same double (at most 17 significant digits); a float with an
**   integral value gets ".0" so that it decodes as a float again.
** - NaN and +-Infinity cannot be encoded, and NaN, Infinity and
**   other non-JSON literals are a decode error.
** - A lone surrogate escape (\ud800) decodes to its 3-byte
**   generalized UTF-8 form (ED A0 80); encode writes that form back
**   as the escape, so such data round-trips. Raw surrogate bytes in
**   a JSON text are invalid UTF-8, as is a string holding an encoded
**   high surrogate directly followed by a low one (CESU-8).
** - Nesting is limited to 1000 levels, on encode and decode.
** - An unmarked empty table encodes as {}; use json.array() for [].
** - Object keys must be strings; a table mixing string and integer
**   keys, or with holes, is an error. Keys come out in table order
**   (unspecified) unless sort_keys is set.
** - Error paths use Lua's 1-based indices: $.data.items[1].
** - Numbers are read and written in the "C" numeric locale, which
**   the host never changes.
** - json.reader only reads a text whose top level is an array; its
**   errors give byte offsets but no line numbers.
*/

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsrun.h"

#define MAXDEPTH 1000
#define ARRAY_MT "lsrun.json.array"
#define OBJECT_MT "lsrun.json.object"
#define BUFFER_MT "lsrun.json.buffer"
#define READER_MT "lsrun.json.Reader"
#define CHUNK 65536

typedef unsigned char uchar;

#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x

/* Byte classes inside a string: 0 plain, 1 '"', 2 '\\', 3 control,
** 4 the start (or part) of a multi-byte UTF-8 sequence. */
static const uchar strclass[256] = {
  R16(3), R16(3),
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  R16(0), R16(0),
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
  R16(0), R16(0),
  R16(4), R16(4), R16(4), R16(4), R16(4), R16(4), R16(4), R16(4)
};


/* ================================================ plain runs === */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Whether any of the 8 bytes in x needs a look of its own: a control
** byte, a quote, a backslash, or a byte of a UTF-8 sequence. Each
** "t - ONES & ~t" sets a byte's high bit when that byte of t is
** zero; the subtraction below 0x20 does the same for control bytes
** (exact for bytes under 0x80, and the others are caught by x). */
static int special8(uint64_t x) {
  uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
  uint64_t t = ((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) |
               ((b - ONES) & ~b) | x;
  return (t & HIGHS) != 0;
}


/* Skips plain string bytes 8 at a time while 8 are left before end;
** the byte loops that follow handle the rest. */
static const uchar *skip_plain(const uchar *p, const uchar *end) {
  uint64_t x;
  while (end - p >= 8) {
    memcpy(&x, p, 8);
    if (special8(x)) break;
    p += 8;
  }
  return p;
}

static const char hexdigits[] = "0123456789abcdef";


/* ======================================================= UTF-8 === */

#define iscont(c) (((c) & 0xC0) == 0x80)


/* Length of the valid UTF-8 sequence at s (*s >= 0x80, s < e), or 0.
** An encoded surrogate (ED A0..BF xx) counts as valid and sets *sur;
** callers decide what to do with it. */
static int u8len(const uchar *s, const uchar *e, int *sur) {
  unsigned c = s[0];
  *sur = 0;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return e - s >= 2 && iscont(s[1]) ? 2 : 0;
  if (c < 0xF0) {
    if (e - s < 3 || !iscont(s[1]) || !iscont(s[2])) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;
    *sur = c == 0xED && s[1] >= 0xA0;
    return 3;
  }
  if (c > 0xF4 || e - s < 4) return 0;
  if (!iscont(s[1]) || !iscont(s[2]) || !iscont(s[3])) return 0;
  if (c == 0xF0 && s[1] < 0x90) return 0;
  if (c == 0xF4 && s[1] >= 0x90) return 0;
  return 4;
}


/* Writes code point cp (at most 0x10FFFF) as UTF-8; surrogates get
** their generalized 3-byte form. Returns the length. */
static int u8put(char *o, unsigned long cp) {
  if (cp < 0x80) { o[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}


/* ============================================== output buffer === */

/* The encoder's output. A userdata owns the memory, so an error in
** the middle of an encode frees it at the next collection (a
** luaL_Buffer cannot be used: the encoder keeps values above it). */
typedef struct sbuf {
  lua_State *L;
  char *p;
  size_t n, cap;
} sbuf;


static int buffer_gc(lua_State *L) {
  sbuf *b = (sbuf *)luaL_checkudata(L, 1, BUFFER_MT);
  void *ud;
  lua_Alloc alloc = lua_getallocf(L, &ud);
  if (b->p != NULL) alloc(ud, b->p, b->cap, 0);
  b->p = NULL;
  b->cap = b->n = 0;
  return 0;
}


/* Pushes a new empty buffer. */
static sbuf *newbuffer(lua_State *L) {
  sbuf *b = (sbuf *)lua_newuserdatauv(L, sizeof(sbuf), 0);
  b->L = L;
  b->p = NULL;
  b->n = b->cap = 0;
  if (luaL_newmetatable(L, BUFFER_MT)) {
    lua_pushcfunction(L, buffer_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return b;
}


static void grow(sbuf *b, size_t k) {
  void *ud;
  lua_Alloc alloc = lua_getallocf(b->L, &ud);
  size_t cap = b->cap ? b->cap : 256;
  char *p;
  while (cap - b->n < k) {
    if (cap > SIZE_MAX / 2) luaL_error(b->L, "json: output too large");
    cap *= 2;
  }
  p = (char *)alloc(ud, b->p, b->cap, cap);
  if (p == NULL) luaL_error(b->L, "json: not enough memory");
  b->p = p;
  b->cap = cap;
}


#define room(b, k) \
  ((b)->cap - (b)->n >= (k) ? (void)0 : grow((b), (k)))


static void put(sbuf *b, const char *s, size_t k) {
  room(b, k);
  memcpy(b->p + b->n, s, k);
  b->n += k;
}


static void putch(sbuf *b, char c) {
  room(b, 1);
  b->p[b->n++] = c;
}


/* ===================================================== encoder === */

typedef struct step {
  const char *key;     /* NULL: an array index */
  size_t len;
  lua_Integer i;
} step;

typedef struct enc {
  lua_State *L;
  sbuf *b;
  int sort, indent, depth;
  int amt, omt;        /* stack indices of the two metatables */
  step path[MAXDEPTH + 1];
} enc;

enum { T_EMPTY, T_ARRAY, T_OBJECT, T_MIXED, T_SPARSE, T_BADKEY };

static void encode_value(enc *e, int idx);


static int isident(const char *s, size_t n) {
  size_t i;
  if (n == 0 || (s[0] >= '0' && s[0] <= '9')) return 0;
  for (i = 0; i < n; i++) {
    uchar c = (uchar)s[i];
    if (!(c == '_' || (c >= '0' && c <= '9') ||
          ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
      return 0;
  }
  return 1;
}


/* Pushes the path of the value being encoded, like $.data.items[2]. */
static void pushpath(enc *e) {
  luaL_Buffer p;
  int i;
  luaL_buffinit(e->L, &p);
  luaL_addchar(&p, '$');
  for (i = 1; i <= e->depth; i++) {
    step *s = &e->path[i];
    if (s->key == NULL)
      lua_pushfstring(e->L, "[%I]", (LUAI_UACINT)s->i);
    else if (isident(s->key, s->len))
      lua_pushfstring(e->L, ".%s", s->key);
    else
      lua_pushfstring(e->L, "[\"%s\"]", s->key);
    luaL_addvalue(&p);
  }
  luaL_pushresult(&p);
}


/* Raises "json.encode: <msg> at <path><tail>". */
static void enc_error2(enc *e, const char *msg, const char *tail) {
  pushpath(e);
  luaL_error(e->L, "json.encode: %s at %s%s", msg,
             lua_tostring(e->L, -1), tail);
}


static void enc_error(enc *e, const char *msg) {
  enc_error2(e, msg, "");
}


static void encode_integer(sbuf *b, lua_Integer v) {
  char tmp[24];
  int n = 0;
  lua_Unsigned u = v < 0 ? 0u - (lua_Unsigned)v : (lua_Unsigned)v;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  room(b, 21);
  if (v < 0) b->p[b->n++] = '-';
  while (n > 0) b->p[b->n++] = tmp[--n];
}


/* Formats d in the shortest form that reads back as d. Normal
** doubles round-trip at 15 digits whenever any shorter form does, so
** the search starts there; subnormals start at 1. */
static int format_double(char *s, double d) {
  int n, prec = d != 0 && fabs(d) < DBL_MIN ? 1 : 15;
  for (;; prec++) {
    n = snprintf(s, 32, "%.*g", prec, d);
    if (prec >= 17 || strtod(s, NULL) == d) break;
  }
  if (strpbrk(s, ".e") == NULL) {
    memcpy(s + n, ".0", 3);
    n += 2;
  }
  return n;
}


static void encode_float(enc *e, double d) {
  char tmp[40];
  if (d != d) enc_error(e, "cannot encode NaN");
  if (d == HUGE_VAL || d == -HUGE_VAL)
    enc_error(e, "cannot encode infinity");
  put(e->b, tmp, (size_t)format_double(tmp, d));
}


static void put_escape(sbuf *b, unsigned c) {
  char *o;
  room(b, 6);
  o = b->p + b->n;
  o[0] = '\\';
  switch (c) {
    case '"': case '\\': o[1] = (char)c; b->n += 2; return;
    case '\b': o[1] = 'b'; b->n += 2; return;
    case '\f': o[1] = 'f'; b->n += 2; return;
    case '\n': o[1] = 'n'; b->n += 2; return;
    case '\r': o[1] = 'r'; b->n += 2; return;
    case '\t': o[1] = 't'; b->n += 2; return;
  }
  o[1] = 'u';
  o[2] = hexdigits[(c >> 12) & 15];
  o[3] = hexdigits[(c >> 8) & 15];
  o[4] = hexdigits[(c >> 4) & 15];
  o[5] = hexdigits[c & 15];
  b->n += 6;
}


/* Raises for bad UTF-8 at byte i (0-based) of a string or key. */
static void utf8_error(enc *e, int iskey, size_t i, const char *why) {
  const char *msg = lua_pushfstring(e->L, "%s in %s", why,
                                    iskey ? "key" : "string");
  if (iskey) e->depth--;   /* name the object, not the bad key */
  lua_pushfstring(e->L, " (byte %I)", (LUAI_UACINT)(i + 1));
  enc_error2(e, msg, lua_tostring(e->L, -1));
}


/* Handles the multi-byte sequence at s; returns its length. */
static size_t encode_utf8(enc *e, const uchar *s0, const uchar *s,
                          const uchar *end, int iskey) {
  int sur, n = u8len(s, end, &sur);
  if (n == 0) utf8_error(e, iskey, (size_t)(s - s0), "invalid UTF-8");
  if (!sur) {
    put(e->b, (const char *)s, (size_t)n);
    return (size_t)n;
  }
  if (s[1] < 0xB0 && end - s >= 6 && s[3] == 0xED && s[4] >= 0xB0 &&
      iscont(s[4]) && iscont(s[5]))
    utf8_error(e, iskey, (size_t)(s - s0), "CESU-8 surrogate pair");
  put_escape(e->b, 0xD000u | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu));
  return 3;
}


static void encode_string(enc *e, const char *str, size_t len,
                          int iskey) {
  const uchar *s0 = (const uchar *)str, *s = s0, *end = s0 + len;
  putch(e->b, '"');
  while (s < end) {
    const uchar *run = s;
    s = skip_plain(s, end);
    while (s < end && strclass[*s] == 0) s++;
    if (s > run) put(e->b, (const char *)run, (size_t)(s - run));
    if (s == end) break;
    if (strclass[*s] == 4)
      s += encode_utf8(e, s0, s, end, iskey);
    else
      put_escape(e->b, *s++);
  }
  putch(e->b, '"');
}


/* Sorts a table's keys into an array of steps (for sort_keys). */
static int cmpkey(const void *a, const void *b) {
  const step *x = (const step *)a, *y = (const step *)b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->key, y->key, n);
  if (c != 0) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}


static void newline(enc *e) {
  size_t k = (size_t)e->indent * (size_t)e->depth;
  room(e->b, k + 1);
  e->b->p[e->b->n++] = '\n';
  memset(e->b->p + e->b->n, ' ', k);
  e->b->n += k;
}


/* Looks at every key of the table at t: what JSON value it makes. */
static int classify(lua_State *L, int t) {
  lua_Integer count = 0, max = 0, strs = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) strs++;
    else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0) {
      lua_Integer k = lua_tointeger(L, -1);
      count++;
      if (k > max) max = k;
    } else {
      lua_pop(L, 1);
      return T_BADKEY;
    }
  }
  if (strs && count) return T_MIXED;
  if (strs) return T_OBJECT;
  if (count == 0) return T_EMPTY;
  return count == max ? T_ARRAY : T_SPARSE;
}


/* What to write for the table at t: T_ARRAY or T_OBJECT, or raise. */
static int table_kind(enc *e, int t) {
  lua_State *L = e->L;
  int mark = 0, kind;
  if (lua_getmetatable(L, t)) {
    mark = lua_rawequal(L, -1, e->amt) ? T_ARRAY
         : lua_rawequal(L, -1, e->omt) ? T_OBJECT : 0;
    lua_pop(L, 1);
  }
  if (mark == T_OBJECT) return T_OBJECT;
  kind = classify(L, t);
  if (kind == T_EMPTY) return mark ? mark : T_OBJECT;
  if (kind == T_BADKEY)
    enc_error(e, "table key that is neither a string nor an index");
  if (kind == T_MIXED)
    enc_error(e, "table mixing string and integer keys");
  if (kind == T_SPARSE) enc_error(e, "array with holes");
  if (mark == T_ARRAY && kind == T_OBJECT)
    enc_error(e, "string key in a table marked as an array");
  return kind;
}


static void encode_array(enc *e, int t) {
  lua_Integer i, n = (lua_Integer)lua_rawlen(e->L, t);
  putch(e->b, '[');
  for (i = 1; i <= n; i++) {
    if (i > 1) putch(e->b, ',');
    if (e->indent >= 0) newline(e);
    e->path[e->depth].key = NULL;
    e->path[e->depth].i = i;
    lua_rawgeti(e->L, t, i);
    encode_value(e, lua_gettop(e->L));
    lua_pop(e->L, 1);
  }
  e->depth--;
  if (e->indent >= 0 && n > 0) newline(e);
  putch(e->b, ']');
}


/* Raises for the non-string key at the top of the stack. */
static void badkey(enc *e) {
  lua_pushfstring(e->L, "%s key in an object",
                  luaL_typename(e->L, -1));
  e->depth--;
  enc_error(e, lua_tostring(e->L, -1));
}


/* Writes one member; the key and the value are at the top. */
static void encode_member(enc *e, int first) {
  lua_State *L = e->L;
  step *s = &e->path[e->depth];
  if (lua_type(L, -2) != LUA_TSTRING) {
    lua_pushvalue(L, -2);
    badkey(e);
  }
  s->key = lua_tolstring(L, -2, &s->len);
  if (!first) putch(e->b, ',');
  if (e->indent >= 0) newline(e);
  encode_string(e, s->key, s->len, 1);
  if (e->indent >= 0) put(e->b, ": ", 2);
  else putch(e->b, ':');
  encode_value(e, lua_gettop(L));
}


/* Writes the members of the object at t in key order; returns how
** many there were. */
static lua_Integer encode_sorted(enc *e, int t) {
  lua_State *L = e->L;
  lua_Integer n = 0, i;
  step *keys;
  lua_pushnil(L);
  while (lua_next(L, t)) { lua_pop(L, 1); n++; }
  keys = (step *)lua_newuserdatauv(L, (size_t)n * sizeof(step), 0);
  lua_pushnil(L);
  for (i = 0; lua_next(L, t); i++) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) badkey(e);
    keys[i].key = lua_tolstring(L, -1, &keys[i].len);
  }
  qsort(keys, (size_t)n, sizeof(step), cmpkey);
  for (i = 0; i < n; i++) {
    lua_pushlstring(L, keys[i].key, keys[i].len);
    lua_pushvalue(L, -1);
    lua_rawget(L, t);
    encode_member(e, i == 0);
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
  return n;
}


static void encode_object(enc *e, int t) {
  lua_State *L = e->L;
  lua_Integer n = 0;
  putch(e->b, '{');
  if (e->sort) n = encode_sorted(e, t);
  else {
    lua_pushnil(L);
    while (lua_next(L, t)) {
      encode_member(e, n++ == 0);
      lua_pop(L, 1);
    }
  }
  e->depth--;
  if (e->indent >= 0 && n > 0) newline(e);
  putch(e->b, '}');
}


static void encode_table(enc *e, int t) {
  if (e->depth >= MAXDEPTH)
    enc_error(e, "nesting deeper than 1000 levels (a cycle?)");
  luaL_checkstack(e->L, 8, "json.encode: nesting too deep");
  if (table_kind(e, t) == T_ARRAY) {
    e->depth++;
    encode_array(e, t);
  } else {
    e->depth++;
    encode_object(e, t);
  }
}


static void encode_value(enc *e, int idx) {
  lua_State *L = e->L;
  size_t len;
  const char *s;
  switch (lua_type(L, idx)) {
    case LUA_TSTRING:
      s = lua_tolstring(L, idx, &len);
      encode_string(e, s, len, 0);
      return;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx))
        encode_integer(e->b, lua_tointeger(L, idx));
      else encode_float(e, lua_tonumber(L, idx));
      return;
    case LUA_TTABLE: encode_table(e, idx); return;
    case LUA_TBOOLEAN:
      if (lua_toboolean(L, idx)) put(e->b, "true", 4);
      else put(e->b, "false", 5);
      return;
    case LUA_TNIL: put(e->b, "null", 4); return;
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, idx) == NULL) {
        put(e->b, "null", 4);
        return;
      }
  }
  lua_pushfstring(L, "cannot encode a %s", luaL_typename(L, idx));
  enc_error(e, lua_tostring(L, -1));
}


/* Pushes the array and object metatables, creating them if needed. */
static void pushmts(lua_State *L) {
  luaL_newmetatable(L, ARRAY_MT);
  luaL_newmetatable(L, OBJECT_MT);
}


/* Encodes the value at idx and pushes the text (one net push). */
static void encode_at(lua_State *L, int idx, int sort, int indent) {
  enc e;
  int base = lua_gettop(L);
  idx = lua_absindex(L, idx);
  pushmts(L);
  e.L = L;
  e.amt = base + 1;
  e.omt = base + 2;
  e.sort = sort;
  e.indent = indent;
  e.depth = 0;
  e.b = newbuffer(L);
  encode_value(&e, idx);
  lua_pushlstring(L, e.b->p, e.b->n);
  lua_replace(L, base + 1);
  lua_settop(L, base + 1);
}


void lsrun_json_encode(lua_State *L, int idx) {
  encode_at(L, idx, 0, -1);
}


/* Reads encode's options table at idx. */
static void encode_opts(lua_State *L, int idx, int *sort, int *indent) {
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_getfield(L, idx, "sort_keys");
  *sort = lua_toboolean(L, -1);
  lua_getfield(L, idx, "indent");
  if (lua_isinteger(L, -1)) {
    lua_Integer n = lua_tointeger(L, -1);
    luaL_argcheck(L, n >= 0 && n <= 32, idx, "indent out of range");
    *indent = (int)n;
  } else if (lua_toboolean(L, -1)) *indent = 2;
  lua_pop(L, 2);
}


/* json.encode(value [, opts]) */
static int json_encode(lua_State *L) {
  int sort = 0, indent = -1;
  luaL_checkany(L, 1);
  encode_opts(L, 2, &sort, &indent);
  encode_at(L, 1, sort, indent);
  return 1;
}


/* ===================================================== decoder === */

/* Object keys repeat (an export holds the same few dozen keys
** millions of times), so recent keys are kept in a direct-mapped
** cache: a Lua table at stack index kc anchors slot i's string as
** item i + 1, and keys[i] points at its bytes. A hit pushes the
** string with lua_rawgeti instead of hashing and interning it. */
#define KEYCACHE 256
#define KEYMAX 64

typedef struct keyslot {
  const char *s;
  size_t len;
} keyslot;

/* The text being decoded: start .. end, with *end == '\0', so that
** every scan stops at end without checking for it. */
typedef struct dec {
  lua_State *L;
  const char *start, *p, *end;
  const char *what;    /* "json.decode" or "json.reader: path" */
  lua_Integer base;    /* offset of start in the whole input */
  int depth, lines;
  int amt, omt;        /* stack indices of the two metatables */
  int kc;              /* stack index of the key cache, 0 for none */
  keyslot *keys;       /* its KEYCACHE slots */
} dec;

#define BATCH 32
#define isdigit_(c) ((unsigned)((c) - '0') < 10)

static void decode_value(dec *d);


/* Raises "<what>: <msg> at byte N (line L, column C)", for the
** position p; N, L and C count from 1. */
static void dec_error(dec *d, const char *p, const char *msg) {
  lua_Integer at = d->base + (lua_Integer)(p - d->start) + 1;
  const char *s, *bol = d->start;
  int line = 1;
  if (!d->lines)
    luaL_error(d->L, "%s: %s at byte %I", d->what, msg, (LUAI_UACINT)at);
  for (s = d->start; s < p; s++)
    if (*s == '\n') { line++; bol = s + 1; }
  luaL_error(d->L, "%s: %s at byte %I (line %d, column %d)", d->what,
             msg, (LUAI_UACINT)at, line, (int)(p - bol) + 1);
}


/* Raises "expected <what> but found <the byte at p>". */
static void unexpected(dec *d, const char *p, const char *what) {
  uchar c = (uchar)*p;
  char found[16];
  if (p >= d->end) strcpy(found, "end of input");
  else if (c > 0x20 && c < 0x7F) snprintf(found, 16, "'%c'", c);
  else snprintf(found, 16, "byte 0x%02X", c);
  lua_pushfstring(d->L, "expected %s but found %s", what, found);
  dec_error(d, p, lua_tostring(d->L, -1));
}


static const char *skipws(const char *p) {
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
  return p;
}


static int match(const char *p, const char *word) {
  while (*word)
    if (*p++ != *word++) return 0;
  return 1;
}


/* Checks the UTF-8 sequence at p; returns the byte after it. */
static const char *skip_utf8(dec *d, const char *p) {
  int sur, n = u8len((const uchar *)p, (const uchar *)d->end, &sur);
  if (n == 0 || sur) dec_error(d, p, "invalid UTF-8 in string");
  return p + n;
}


static long hex4(const char *p) {
  long v = 0;
  int i;
  for (i = 0; i < 4; i++) {
    int c = (uchar)p[i] | 0x20;
    if (isdigit_(p[i])) v = v * 16 + (p[i] - '0');
    else if (c >= 'a' && c <= 'f') v = v * 16 + (c - 'a' + 10);
    else return -1;
  }
  return v;
}


/* Decodes \uXXXX (or a surrogate pair) at p into b. */
static const char *decode_u(dec *d, const char *p, luaL_Buffer *b) {
  char tmp[4];
  long cp = hex4(p + 2), lo;
  if (cp < 0) dec_error(d, p, "invalid \\u escape");
  p += 6;
  if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
    lo = hex4(p + 2);
    if (lo >= 0xDC00 && lo < 0xE000) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      p += 6;
    }
  }
  luaL_addlstring(b, tmp, (size_t)u8put(tmp, (unsigned long)cp));
  return p;
}


/* Decodes the escape at p (a backslash) into b. */
static const char *decode_escape(dec *d, const char *p, luaL_Buffer *b) {
  char c;
  switch (p[1]) {
    case '"': case '\\': case '/': c = p[1]; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u': return decode_u(d, p, b);
    default: dec_error(d, p, "invalid escape in string"); return p;
  }
  luaL_addchar(b, c);
  return p + 2;
}


static void control_error(dec *d, const char *p) {
  if (p >= d->end) dec_error(d, p, "unterminated string");
  dec_error(d, p, "unescaped control character in string");
}


/* The rest of a string holding escapes: s is where the text not yet
** copied starts, p the first backslash. */
static void decode_string_slow(dec *d, const char *s, const char *p) {
  luaL_Buffer b;
  luaL_buffinit(d->L, &b);
  for (;;) {
    int c = strclass[(uchar)*p];
    if (c == 0) { p++; continue; }
    if (c == 4) { p = skip_utf8(d, p); continue; }
    luaL_addlstring(&b, s, (size_t)(p - s));
    if (c == 1) break;
    if (c == 3) control_error(d, p);
    s = p = decode_escape(d, p, &b);
  }
  luaL_pushresult(&b);
  d->p = p + 1;
}


/* Scans string text from p to its closing quote or first escape,
** checking UTF-8 and control bytes; returns where it stopped. */
static const char *scan_string(dec *d, const char *p) {
  for (;;) {
    int c;
    p = (const char *)skip_plain((const uchar *)p, (const uchar *)d->end);
    while ((c = strclass[(uchar)*p]) == 0) p++;
    if (c == 4) { p = skip_utf8(d, p); continue; }
    if (c == 3) control_error(d, p);
    return p;
  }
}


/* Pushes the string whose opening quote is at d->p. */
static void decode_string(dec *d) {
  const char *s = d->p + 1, *p = scan_string(d, s);
  if (*p == '\\') {
    decode_string_slow(d, s, p);
    return;
  }
  lua_pushlstring(d->L, s, (size_t)(p - s));
  d->p = p + 1;
}


/* Pushes the key s .. s + n from the key cache, or pushes it and
** puts it in the cache. */
static void push_key(dec *d, const char *s, size_t n) {
  lua_State *L = d->L;
  unsigned h = ((unsigned)n * 31u + (uchar)s[0] * 7u +
                (uchar)s[n - 1] + (uchar)s[n / 2] * 3u) % KEYCACHE;
  keyslot *k = &d->keys[h];
  if (k->len == n && memcmp(k->s, s, n) == 0) {
    lua_rawgeti(L, d->kc, (lua_Integer)h + 1);
    return;
  }
  k->s = lua_pushlstring(L, s, n);
  k->len = n;
  lua_pushvalue(L, -1);
  lua_rawseti(L, d->kc, (lua_Integer)h + 1);
}


/* Pushes the object key whose opening quote is at d->p. */
static void decode_key(dec *d) {
  const char *s = d->p + 1, *p = scan_string(d, s);
  size_t n = (size_t)(p - s);
  if (*p == '\\') decode_string_slow(d, s, p);
  else if (d->kc == 0 || n == 0 || n > KEYMAX) {
    lua_pushlstring(d->L, s, n);
    d->p = p + 1;
  } else {
    push_key(d, s, n);
    d->p = p + 1;
  }
}


/* Exact powers of ten: doubles up to 1e22, integers up to 1e19. */
static const double pow10d[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define TWO53 9007199254740992u

/* Reads the number at p (grammar already checked) as w * 10^-q;
** returns 0 when it has more than 19 significant digits or a large
** exponent, which are left to strtod. */
static int parse_decimal(const char *p, uint64_t *w, int *q) {
  uint64_t m = 0;
  int nd = 0, frac = 0, infrac = 0, e = 0, eneg;
  p += *p == '-';
  for (;; p++) {
    if (isdigit_(*p)) {
      if ((m != 0 || *p != '0') && ++nd > 19) return 0;
      m = m * 10 + (uint64_t)(*p - '0');
      frac += infrac;
    } else if (*p == '.') infrac = 1;
    else break;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    eneg = *p == '-';
    p += *p == '-' || *p == '+';
    while (isdigit_(*p) && e < 1000) e = e * 10 + (*p++ - '0');
    if (e >= 1000) return 0;
    if (eneg) e = -e;
  }
  *w = m;
  *q = frac - e;
  return 1;
}


#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 u128;

/* w / 10^q rounded to nearest even, for w > 0 and 0 < q <= 19: the
** exact integer quotient keeps 63 or 64 bits, a nonzero remainder
** sets its low (sticky) bit, so the conversion to double is the one
** rounding; scaling by a power of two is exact (no underflow). */
static double div_pow10(uint64_t w, int q) {
  uint64_t dv = (uint64_t)pow10d[q], quo;
  int s = 63 - (64 - __builtin_clzll(w)) + (64 - __builtin_clzll(dv));
  u128 n = (u128)w << s;
  quo = (uint64_t)(n / dv);
  if (n % dv != 0) quo |= 1;
  return ldexp((double)quo, -s);
}
#endif


/* The exact nearest double to the number s .. p when a fast path
** gives it (Clinger's for w <= 2^53 and |q| <= 22); 0 otherwise. */
static int fast_float(const char *s, double *v) {
  uint64_t w;
  int q;
  if (!parse_decimal(s, &w, &q)) return 0;
  if (w == 0) *v = 0.0;
  else if (w <= TWO53 && q >= 0 && q <= 22) *v = (double)w / pow10d[q];
  else if (w <= TWO53 && q < 0 && q >= -22) *v = (double)w * pow10d[-q];
#ifdef __SIZEOF_INT128__
  else if (q > 0 && q <= 19) *v = div_pow10(w, q);
#endif
  else return 0;
  if (*s == '-') *v = -*v;
  return 1;
}


/* Pushes the float s .. p (already checked against the grammar). */
static void push_float(dec *d, const char *s, const char *p) {
  char *end;
  double v;
  if (fast_float(s, &v)) {
    lua_pushnumber(d->L, v);
    return;
  }
  v = strtod(s, &end);
  if (end != p) dec_error(d, s, "invalid number");
  if (v == HUGE_VAL || v == -HUGE_VAL)
    dec_error(d, s, "number out of range");
  lua_pushnumber(d->L, v);
}


/* Checks a fraction and an exponent at p; returns the end. */
static const char *skip_fraction(dec *d, const char *p) {
  if (*p == '.') {
    if (!isdigit_(*++p)) unexpected(d, p, "a digit");
    while (isdigit_(*p)) p++;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!isdigit_(*p)) unexpected(d, p, "a digit");
    while (isdigit_(*p)) p++;
  }
  return p;
}


/* Pushes the number at d->p: an integer when it has no fraction and
** no exponent and fits in 64 bits, a float otherwise. */
static void decode_number(dec *d) {
  const char *s = d->p, *p = s, *digits;
  lua_Unsigned u = 0, lim;
  int neg = *p == '-';
  p += neg;
  digits = p;
  if (*p == '0' && isdigit_(p[1])) dec_error(d, p, "leading zero");
  if (!isdigit_(*p)) unexpected(d, p, "a digit");
  while (isdigit_(*p)) u = u * 10 + (lua_Unsigned)(*p++ - '0');
  d->p = p;
  if (*p == '.' || *p == 'e' || *p == 'E') {
    d->p = skip_fraction(d, p);
    push_float(d, s, d->p);
    return;
  }
  lim = (lua_Unsigned)LUA_MAXINTEGER + (lua_Unsigned)neg;
  if (p - digits > 19 || u > lim) push_float(d, s, p);
  else lua_pushinteger(d->L, neg ? (lua_Integer)(0u - u)
                                 : (lua_Integer)u);
}


/* Enters an array or object: checks the depth and the stack. */
static void enter(dec *d) {
  if (++d->depth > MAXDEPTH)
    dec_error(d, d->p, "nesting deeper than 1000 levels");
  luaL_checkstack(d->L, 2 * BATCH + 8, "json: nesting too deep");
}


/* Creates the marked table for a container holding n values (or
** pairs) at the top, and puts it below them; returns its index. */
static int newtable(dec *d, int narr, int nrec, int n, int mt) {
  lua_createtable(d->L, narr, nrec);
  lua_pushvalue(d->L, mt);
  lua_setmetatable(d->L, -2);
  lua_insert(d->L, -n - 1);
  return lua_gettop(d->L) - n;
}


/* Moves the n values at the top into array t (made when t is 0) as
** items len+1 .. len+n; returns t. */
static int flush_items(dec *d, int t, lua_Integer len, int n) {
  int k;
  if (t == 0) t = newtable(d, n, 0, n, d->amt);
  for (k = n; k > 0; k--) lua_rawseti(d->L, t, len + k);
  return t;
}


static void decode_array(dec *d) {
  lua_Integer len = 0;
  int t = 0, n = 0;
  const char *p;
  enter(d);
  p = skipws(d->p + 1);
  if (*p != ']') for (;;) {
    d->p = p;
    decode_value(d);
    n++;
    p = skipws(d->p);
    if (*p == ']') break;
    if (*p != ',') unexpected(d, p, "',' or ']'");
    p = skipws(p + 1);
    if (n == BATCH) {
      t = flush_items(d, t, len, n);
      len += n;
      n = 0;
    }
  }
  flush_items(d, t, len, n);
  d->p = p + 1;
  d->depth--;
}


/* Moves the n key-value pairs at the top into object t (made when t
** is 0), in order, so a repeated key keeps its last value. */
static int flush_members(dec *d, int t, int n) {
  lua_State *L = d->L;
  int k, first;
  if (t == 0) t = newtable(d, 0, n, 2 * n, d->omt);
  first = t + 1;
  for (k = 0; k < n; k++) {
    lua_pushvalue(L, first + 2 * k);
    lua_pushvalue(L, first + 2 * k + 1);
    lua_rawset(L, t);
  }
  lua_settop(L, t);
  return t;
}


/* Decodes "key": value at p, leaving both on the stack. */
static const char *decode_member(dec *d, const char *p) {
  if (*p != '"') unexpected(d, p, "a string key");
  d->p = p;
  decode_key(d);
  p = skipws(d->p);
  if (*p != ':') unexpected(d, p, "':'");
  d->p = skipws(p + 1);
  decode_value(d);
  return skipws(d->p);
}


static void decode_object(dec *d) {
  int t = 0, n = 0;
  const char *p;
  enter(d);
  p = skipws(d->p + 1);
  if (*p != '}') for (;;) {
    p = decode_member(d, p);
    n++;
    if (*p == '}') break;
    if (*p != ',') unexpected(d, p, "',' or '}'");
    p = skipws(p + 1);
    if (n == BATCH) {
      t = flush_members(d, t, n);
      n = 0;
    }
  }
  flush_members(d, t, n);
  d->p = p + 1;
  d->depth--;
}


/* Decodes true, false or null at d->p, or raises. */
static void decode_literal(dec *d) {
  const char *p = d->p;
  if (match(p, "true")) lua_pushboolean(d->L, 1);
  else if (match(p, "false")) lua_pushboolean(d->L, 0);
  else if (match(p, "null")) lua_pushlightuserdata(d->L, NULL);
  else if (match(p, "NaN") || match(p, "Infinity"))
    dec_error(d, p, "NaN and Infinity are not JSON");
  else unexpected(d, p, "a value");
  d->p = p + (*p == 'f' ? 5 : 4);
}


/* Pushes the value at d->p (not whitespace) and moves past it. */
static void decode_value(dec *d) {
  switch (*d->p) {
    case '"': decode_string(d); return;
    case '{': decode_object(d); return;
    case '[': decode_array(d); return;
    case '-':
      if (match(d->p, "-Infinity"))
        dec_error(d, d->p, "NaN and Infinity are not JSON");
      /* fall through */
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      decode_number(d);
      return;
    default: decode_literal(d);
  }
}


/* json.decode(text [, opts]): opts is reserved; none are read yet. */
static int json_decode(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  keyslot keys[KEYCACHE];
  dec d;
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 1);
  pushmts(L);
  lua_createtable(L, KEYCACHE, 0);
  memset(keys, 0, sizeof keys);
  d.kc = 4;
  d.keys = keys;
  d.L = L;
  d.start = s;
  d.end = s + n;
  d.what = "json.decode";
  d.base = 0;
  d.depth = 0;
  d.lines = 1;
  d.amt = 2;
  d.omt = 3;
  d.p = skipws(s);
  decode_value(&d);
  d.p = skipws(d.p);
  if (d.p != d.end) unexpected(&d, d.p, "end of input");
  return 1;
}


/* ====================================================== reader === */

/* json.reader's state: a window on the file that always holds the
** whole element being decoded, followed by a '\0'. */
typedef struct reader {
  FILE *f;
  int own;             /* opened here, so closed here */
  int state, eof;
  char *buf;
  size_t len, cap, pos;
  lua_Integer base;    /* offset of buf[0] in the file */
  size_t scan;         /* bytes of the element already scanned */
  int depth, instr, esc;
  keyslot keys[KEYCACHE];  /* the key cache, kept across elements */
} reader;

enum { R_START, R_NEXT, R_DONE, R_BROKEN };

#define isws(c) ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')


/* Frees the window and closes the file if it is ours; safe twice. */
static void release(lua_State *L, reader *r) {
  void *ud;
  lua_Alloc alloc = lua_getallocf(L, &ud);
  if (r->buf != NULL) alloc(ud, r->buf, r->cap, 0);
  r->buf = NULL;
  r->cap = r->len = r->pos = 0;
  if (r->own && r->f != NULL) fclose(r->f);
  r->f = NULL;
}


/* __gc and __close of a reader. */
static int reader_gc(lua_State *L) {
  release(L, (reader *)luaL_checkudata(L, 1, READER_MT));
  return 0;
}


/* Makes room for a chunk, dropping what was consumed. */
static void make_room(lua_State *L, reader *r) {
  void *ud;
  lua_Alloc alloc = lua_getallocf(L, &ud);
  size_t cap = r->cap ? r->cap : CHUNK + 1;
  char *p;
  if (r->pos > 0) memmove(r->buf, r->buf + r->pos, r->len - r->pos);
  r->base += (lua_Integer)r->pos;
  r->len -= r->pos;
  r->pos = 0;
  while (cap - r->len < CHUNK + 1) cap *= 2;
  if (cap == r->cap) return;
  p = (char *)alloc(ud, r->buf, r->cap, cap);
  if (p == NULL) luaL_error(L, "json.reader: not enough memory");
  r->buf = p;
  r->cap = cap;
}


/* Reads the next chunk; returns how many bytes came. Stack 4 holds
** the reader's name for messages. */
static size_t fill(lua_State *L, reader *r) {
  size_t got;
  if (r->eof) return 0;
  if (r->buf == NULL || r->pos > 0 || r->cap - r->len < CHUNK + 1)
    make_room(L, r);
  got = fread(r->buf + r->len, 1, CHUNK, r->f);
  r->len += got;
  r->buf[r->len] = '\0';
  if (got == 0 && ferror(r->f))
    luaL_error(L, "%s: %s", lua_tostring(L, 4), strerror(errno));
  if (got == 0) r->eof = 1;
  return got;
}


/* Skips whitespace; returns the next byte, or -1 at the end. */
static int peekc(lua_State *L, reader *r) {
  for (;;) {
    while (r->pos < r->len) {
      uchar c = (uchar)r->buf[r->pos];
      if (!isws(c)) return c;
      r->pos++;
    }
    if (fill(L, r) == 0) return -1;
  }
}


/* Whether the window holds the whole element at pos; resumes where
** the last call stopped. Only bytes that matter are tracked: quotes,
** escapes and brackets; the decoder checks everything else. */
static int complete(reader *r) {
  const char *s = r->buf + r->pos, *p = s + r->scan;
  const char *e = r->buf + r->len;
  if (*s != '[' && *s != '{' && *s != '"') {
    while (p < e && !isws(*p) && *p != ',' && *p != ']') p++;
    r->scan = (size_t)(p - s);
    return p < e;
  }
  for (; p < e; p++) {
    if (r->instr) {
      if (r->esc) r->esc = 0;
      else if (*p == '\\') r->esc = 1;
      else if (*p == '"' && (r->instr = 0, r->depth == 0)) return 1;
    } else if (*p == '"') r->instr = 1;
    else if (*p == '[' || *p == '{') r->depth++;
    else if ((*p == ']' || *p == '}') && --r->depth == 0) return 1;
  }
  r->scan = (size_t)(p - s);
  return 0;
}


/* A decoder over the window, for an element or an error message. */
static void window(lua_State *L, reader *r, dec *d) {
  d->L = L;
  d->start = r->buf;
  d->p = r->buf + r->pos;
  d->end = r->buf + r->len;
  d->what = lua_tostring(L, 4);
  d->base = r->base;
  d->depth = 1;
  d->lines = 0;
  d->amt = 2;
  d->omt = 3;
  d->kc = 0;
  d->keys = r->keys;
}


static void reader_expected(lua_State *L, reader *r, const char *what) {
  dec d;
  window(L, r, &d);
  unexpected(&d, d.p, what);
}


/* Decodes the element at pos and pushes it. */
static void next_element(lua_State *L, reader *r) {
  dec d;
  r->scan = 0;
  r->depth = r->instr = r->esc = 0;
  while (!complete(r) && fill(L, r) > 0) {}
  window(L, r, &d);
  lua_getiuservalue(L, 1, 3);
  d.kc = lua_gettop(L);
  decode_value(&d);
  r->pos = (size_t)(d.p - r->buf);
}


/* Moves past '[' or ','; returns 0 at the closing ']'. */
static int advance(lua_State *L, reader *r, int state) {
  int c = peekc(L, r);
  if (state == R_START) {
    if (c != '[') reader_expected(L, r, "'[' (an array)");
    r->pos++;
    c = peekc(L, r);
  } else if (c != ']') {
    if (c != ',') reader_expected(L, r, "',' or ']'");
    r->pos++;
    c = peekc(L, r);
    if (c == ']') reader_expected(L, r, "a value");
  }
  if (c != ']') return 1;
  r->pos++;
  if (peekc(L, r) != -1) reader_expected(L, r, "end of input");
  return 0;
}


/* Whether a file handle given by the caller is still open. */
static int source_open(lua_State *L, reader *r) {
  luaL_Stream *fh;
  int open;
  if (r->own) return 1;
  lua_getiuservalue(L, 1, 1);
  fh = (luaL_Stream *)luaL_testudata(L, -1, LUA_FILEHANDLE);
  open = fh != NULL && fh->closef != NULL && fh->f == r->f;
  lua_pop(L, 1);
  return open;
}


/* The iterator json.reader returns; upvalues: the reader and the
** two metatables. Returns the next element, or nothing at the end. */
static int reader_next(lua_State *L) {
  reader *r = (reader *)lua_touserdata(L, lua_upvalueindex(1));
  int state = r->state;
  lua_settop(L, 0);
  if (state == R_DONE) return 0;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, lua_upvalueindex(3));
  lua_getiuservalue(L, 1, 2);
  if (state == R_BROKEN || r->f == NULL || !source_open(L, r))
    luaL_error(L, "%s: cannot go on after an error or a close",
               lua_tostring(L, 4));
  r->state = R_BROKEN;
  if (!advance(L, r, state)) {
    r->state = R_DONE;
    release(L, r);
    return 0;
  }
  next_element(L, r);
  r->state = R_NEXT;
  return 1;
}


/* Opens the source at 1 for the reader r (at the top). */
static void open_source(lua_State *L, reader *r) {
  luaL_Stream *fh = (luaL_Stream *)luaL_testudata(L, 1, LUA_FILEHANDLE);
  const char *path = fh ? "file" : luaL_checkstring(L, 1);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  lua_pushfstring(L, "json.reader: %s", path);
  lua_setiuservalue(L, -2, 2);
  if (fh != NULL) {
    luaL_argcheck(L, fh->closef != NULL, 1, "file is closed");
    r->f = fh->f;
    return;
  }
  r->f = fopen(path, "rb");
  if (r->f == NULL)
    luaL_error(L, "json.reader: %s: %s", path, strerror(errno));
  r->own = 1;
}


/* json.reader(path_or_file): iterator, nil, nil, closing value. */
static int json_reader(lua_State *L) {
  reader *r;
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  r = (reader *)lua_newuserdatauv(L, sizeof(reader), 3);
  memset(r, 0, sizeof *r);
  lua_createtable(L, KEYCACHE, 0);
  lua_setiuservalue(L, -2, 3);
  luaL_setmetatable(L, READER_MT);
  open_source(L, r);
  lua_pushvalue(L, -1);
  pushmts(L);
  lua_pushcclosure(L, reader_next, 3);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, -4);
  return 4;
}


static int reader_tostring(lua_State *L) {
  reader *r = (reader *)luaL_checkudata(L, 1, READER_MT);
  lua_getiuservalue(L, 1, 2);
  lua_pushfstring(L, "%s (%s)", lua_tostring(L, -1),
                  r->f ? "open" : "closed");
  return 1;
}


static const luaL_Reg reader_meta[] = {
  {"__gc", reader_gc},
  {"__close", reader_gc},
  {"__tostring", reader_tostring},
  {NULL, NULL}
};


/* ====================================================== module === */

/* Sets mark (a metatable name) on the table at 1, or a new table. */
static int mark(lua_State *L, const char *mt) {
  if (lua_isnoneornil(L, 1)) lua_newtable(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  if (lua_getmetatable(L, 1)) {
    int ours;
    lua_getfield(L, -1, "__name");
    ours = lua_type(L, -1) == LUA_TSTRING &&
           strncmp(lua_tostring(L, -1), "lsrun.json.", 11) == 0;
    if (!ours)
      luaL_argerror(L, 1, "table already has another metatable");
    lua_pop(L, 2);
  }
  luaL_setmetatable(L, mt);
  return 1;
}


/* json.array([t]): marks t (or a new table) as a JSON array. */
static int json_array(lua_State *L) {
  return mark(L, ARRAY_MT);
}


/* json.object([t]): marks t (or a new table) as a JSON object. */
static int json_object(lua_State *L) {
  return mark(L, OBJECT_MT);
}


/* json.is_array(v): whether encode would write v as an array. */
static int json_is_array(lua_State *L) {
  int kind = 0;
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_settop(L, 1);
    pushmts(L);
    if (!lua_getmetatable(L, 1)) kind = classify(L, 1);
    else if (lua_rawequal(L, -1, 2)) kind = T_ARRAY;
    else if (!lua_rawequal(L, -1, 3)) kind = classify(L, 1);
  }
  lua_pushboolean(L, kind == T_ARRAY);
  return 1;
}


static const luaL_Reg json_funcs[] = {
  {"encode", json_encode},
  {"decode", json_decode},
  {"array", json_array},
  {"object", json_object},
  {"is_array", json_is_array},
  {"reader", json_reader},
  {NULL, NULL}
};


int luaopen_lsrun_json(lua_State *L) {
  luaL_newmetatable(L, READER_MT);
  luaL_setfuncs(L, reader_meta, 0);
  lua_pop(L, 1);
  luaL_newlib(L, json_funcs);
  lua_pushlightuserdata(L, NULL);
  lua_setfield(L, -2, "null");
  pushmts(L);
  lua_setfield(L, -3, "object_mt");
  lua_setfield(L, -2, "array_mt");
  return 1;
}
