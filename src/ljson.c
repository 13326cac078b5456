/* placeholder until the json module lands */
#include "lsrun.h"
int luaopen_lsrun_json(lua_State *L) { lua_newtable(L); return 1; }
void lsrun_json_encode(lua_State *L, int idx) { lua_pushvalue(L, idx); lua_tostring(L, -1); }
