/*
** lsys.c: the few system facilities Lua lacks that the SDK needs:
** a monotonic clock, a sleep that Ctrl-C interrupts, whether Ctrl-C
** was pressed, and whether a standard stream is a terminal.
*/

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lsrun.h"


static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


/* sys.now(): seconds on a monotonic clock, as a float. */
static int sys_now(lua_State *L) {
  lua_pushnumber(L, monotonic());
  return 1;
}


/* sys.time(): seconds since the epoch with sub-second precision. */
static int sys_time(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  lua_pushnumber(L, (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
  return 1;
}


/* sys.sleep(seconds): returns true, or false if Ctrl-C cut it short
** (the interrupt is then raised at the caller's next instruction). */
static int sys_sleep(lua_State *L) {
  double s = luaL_checknumber(L, 1);
  double end = monotonic() + (s > 0 ? s : 0);
  luaL_argcheck(L, s == s, 1, "not a number");
  while (!lsrun_interrupted) {
    double left = end - monotonic();
    struct timespec ts;
    if (left <= 0) break;
    if (left > 0.05) left = 0.05;
    ts.tv_sec = (time_t)left;
    ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
  }
  lua_pushboolean(L, !lsrun_interrupted);
  return 1;
}


/* sys.interrupted(): whether Ctrl-C has been pressed during this
** run, so that code which caught the interrupt can report what it
** had done before re-raising. */
static int sys_interrupted(lua_State *L) {
  lua_pushboolean(L, lsrun_interrupted);
  return 1;
}


/* sys.isatty(stream): stream is "stdin", "stdout" or "stderr". */
static int sys_isatty(lua_State *L) {
  static const char *const names[] = {"stdin", "stdout", "stderr", NULL};
  int fd = luaL_checkoption(L, 1, "stderr", names);
  lua_pushboolean(L, isatty(fd));
  return 1;
}


/* sys.environ(): the whole environment as a table. */
static int sys_environ(lua_State *L) {
  extern char **environ;
  char **e;
  lua_newtable(L);
  for (e = environ; *e; e++) {
    const char *eq = strchr(*e, '=');
    if (eq == NULL) continue;
    lua_pushlstring(L, *e, (size_t)(eq - *e));
    lua_pushstring(L, eq + 1);
    lua_rawset(L, -3);
  }
  return 1;
}


static const luaL_Reg sys_funcs[] = {
  {"now", sys_now},
  {"time", sys_time},
  {"sleep", sys_sleep},
  {"interrupted", sys_interrupted},
  {"isatty", sys_isatty},
  {"environ", sys_environ},
  {NULL, NULL}
};


int luaopen_lsrun_sys(lua_State *L) {
  luaL_newlib(L, sys_funcs);
  return 1;
}
