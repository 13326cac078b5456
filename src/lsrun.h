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

#endif
