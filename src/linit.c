/*
** linit.c: the modules lsrun offers besides Lua's own: the native
** ones compiled from src/l*.c and the SDK's Lua files embedded from
** lua/, all found through package.preload.
*/

#include <string.h>

#include "lsrun.h"

static const luaL_Reg native_modules[] = {
  {"lsrun.json", luaopen_lsrun_json},
  {"lsrun.http", luaopen_lsrun_http},
  {"lsrun.sys", luaopen_lsrun_sys},
  {NULL, NULL}
};

/* Where SDK chunks come from: the binary ("lua/") or LSRUN_SDK_DIR. */
static char sdk_prefix[512] = "lua/";


int lsrun_is_sdk_source(const char *where) {
  size_t n = strlen(sdk_prefix);
  if (where == NULL) return 0;
  if (where[0] == '@') where++;
  return strncmp(where, sdk_prefix, n) == 0 &&
         strncmp(where + n, "labelstudio/", 12) == 0;
}


/* package.preload loader of one embedded chunk (precompiled by
** scripts/embed.lua); upvalue 1 is its index in lsrun_chunks. Called
** as a searcher's loader would be. */
static int load_chunk(lua_State *L) {
  const lsrun_chunk *c =
    &lsrun_chunks[lua_tointeger(L, lua_upvalueindex(1))];
  if (luaL_loadbufferx(L, c->source, c->size, c->chunkname, "b"))
    return lua_error(L);
  lua_pushstring(L, c->module);
  lua_pushstring(L, c->chunkname + 1);
  lua_call(L, 2, 1);
  return 1;
}


void lsrun_openlibs(lua_State *L, const char *sdk_dir) {
  const luaL_Reg *m;
  lua_Integer i;
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for (m = native_modules; m->name; m++) {
    lua_pushcfunction(L, m->func);
    lua_setfield(L, -2, m->name);
  }
  if (sdk_dir != NULL && sdk_dir[0] != '\0') {
    size_t n = strlen(sdk_dir);
    int slash = sdk_dir[n - 1] == '/';
    if (n + 2 < sizeof sdk_prefix) {
      memcpy(sdk_prefix, sdk_dir, n);
      strcpy(sdk_prefix + n, slash ? "" : "/");
    }
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s?.lua;%s?/init.lua;", sdk_prefix, sdk_prefix);
    lua_getfield(L, -2, "path");
    lua_concat(L, 2);
    lua_setfield(L, -2, "path");
    lua_pop(L, 2);
    return;
  }
  for (i = 0; lsrun_chunks[i].module != NULL; i++) {
    lua_pushinteger(L, i);
    lua_pushcclosure(L, load_chunk, 1);
    lua_setfield(L, -2, lsrun_chunks[i].module);
  }
  lua_pop(L, 1);
}
