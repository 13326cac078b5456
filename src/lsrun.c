/*
** lsrun.c: the host. Reads the command line, makes the Lua state,
** installs the native modules and the embedded SDK, runs the work
** under lua_pcall with a message handler, and turns the outcome
** into an exit code.
*/

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "lsrun.h"

enum {
  EXIT_OK = 0,
  EXIT_SCRIPT = 1,
  EXIT_USAGE = 2,
  EXIT_INTERNAL = 70,
  EXIT_INTERRUPTED = 130
};

volatile sig_atomic_t lsrun_interrupted = 0;

static const char *progname = "lsrun";
static lua_State *globalL = NULL;

/* Registry key of the value raised by an interrupt. */
static const char interrupt_key = 'i';


/* ====================================================== options === */

typedef struct options {
  int verbose;
  int quiet;
  int version;
  int help;
  int script;       /* argv index of the script, 0 if none */
  int first_exec;   /* argv index of the first -e/-l, 0 if none */
} options;


static const char usage_text[] =
  "usage: %s [options] [script [args]]\n"
  "Run a Lua 5.4 script with the Label Studio SDK built in.\n"
  "\n"
  "  -e code       run the string 'code'\n"
  "  -l [g=]mod    require 'mod' into global 'g' (default: 'mod')\n"
  "  -v, --version print the versions of lsrun, Lua and libcurl\n"
  "                (then run the script or code, if any)\n"
  "  -h, --help    print this help\n"
  "  --verbose     tracebacks and debug log on standard error\n"
  "  -q, --quiet   no progress output; only errors\n"
  "  --            stop handling options\n"
  "  -             run standard input\n"
  "\n"
  "Environment:\n"
  "  LSRUN_LOG=level    error, warn, info or debug\n"
  "  LSRUN_PATH=dirs    ':'-separated folders searched for modules\n"
  "  LSRUN_SDK_DIR=dir  load the SDK from dir/ instead of the binary\n"
  "  LABEL_STUDIO_URL, LABEL_STUDIO_API_KEY  Client defaults\n";


static void usage(FILE *out) {
  fprintf(out, usage_text, progname);
}


static int usage_error(const char *fmt, const char *what) {
  fprintf(stderr, "%s: ", progname);
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\n%s: try '%s --help'\n", progname, progname);
  return -1;
}


/* Whether a is -e or -l, with its value attached or not. */
static int is_exec(const char *a) {
  return a[0] == '-' && (a[1] == 'e' || a[1] == 'l');
}


/* Parse options up to the script name. Returns 0, or -1 after
** reporting a usage error. */
static int parse_args(int argc, char **argv, options *o) {
  int i;
  memset(o, 0, sizeof *o);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || strcmp(a, "-") == 0) {
      o->script = i;
      return 0;
    }
    if (strcmp(a, "--") == 0) {
      if (i + 1 < argc) o->script = i + 1;
      return 0;
    }
    if (is_exec(a)) {
      if (!o->first_exec) o->first_exec = i;
      if (a[2] == '\0' && ++i >= argc)
        return usage_error("'%s' needs an argument", a);
    }
    else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0)
      o->version = 1;
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
      o->help = 1;
    else if (strcmp(a, "--verbose") == 0)
      o->verbose = 1;
    else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
      o->quiet = 1;
    else
      return usage_error("unknown option '%s'", a);
  }
  return 0;
}


/* ===================================================== signals === */

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &interrupt_key);
  lua_error(L);
}


/* First Ctrl-C: ask the running script to stop at its next
** instruction (and native loops to return); a second one kills. */
static void on_sigint(int sig) {
  int mask = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  signal(sig, SIG_DFL);
  lsrun_interrupted = 1;
  lua_sethook(globalL, interrupt_hook, mask, 1);
}


static int interrupt_tostring(lua_State *L) {
  lua_pushliteral(L, "interrupted");
  return 1;
}


static void make_interrupt_value(lua_State *L) {
  lua_newtable(L);
  lua_newtable(L);
  lua_pushcfunction(L, interrupt_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &interrupt_key);
}


static int is_interrupt(lua_State *L, int idx) {
  int yes;
  idx = lua_absindex(L, idx);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &interrupt_key);
  yes = lua_rawequal(L, idx, -1);
  lua_pop(L, 1);
  return yes;
}


/* ====================================================== errors === */

/* An uncaught error is a fault of lsrun itself, not of the script,
** when it is a plain string raised from inside the shipped SDK. */
static int is_internal(lua_State *L, int idx) {
  const char *msg = lua_tostring(L, idx);
  return lua_type(L, idx) == LUA_TSTRING && lsrun_is_sdk_source(msg);
}


/* Replace the string on top of the stack by what the hook
** lsrun.redact makes of it, when the SDK has installed one: it masks
** the secrets the SDK knows of (API keys, tokens, passwords). */
static void redact_top(lua_State *L) {
  int top = lua_gettop(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, -1, "lsrun") == LUA_TTABLE &&
      lua_getfield(L, -1, "redact") == LUA_TFUNCTION) {
    lua_pushvalue(L, top);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_isstring(L, -1))
      lua_replace(L, top);
  }
  lua_settop(L, top);
}


/* Message handler: turn the error into text (respecting __tostring),
** keep the original value, add a traceback. Leaves a table
** {value, message, traceback}. */
static int msghandler(lua_State *L) {
  lua_newtable(L);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "value");
  if (!luaL_callmeta(L, 1, "__tostring") || !lua_isstring(L, -1)) {
    if (lua_gettop(L) > 2) lua_pop(L, 1);
    if (lua_isstring(L, 1))
      lua_pushvalue(L, 1);
    else
      lua_pushfstring(L, "(error object is a %s value)",
                      luaL_typename(L, 1));
  }
  redact_top(L);
  lua_setfield(L, -2, "message");
  luaL_traceback(L, L, NULL, 1);
  redact_top(L);
  lua_setfield(L, -2, "traceback");
  return 1;
}


/* Print an error left by docall; return the exit code it means. */
static int report(lua_State *L, int status, int verbose) {
  int code = EXIT_SCRIPT, internal;
  const char *msg, *tb;
  if (status == LUA_ERRMEM) {
    fprintf(stderr, "%s: out of memory\n", progname);
    return EXIT_INTERNAL;
  }
  if (!lua_istable(L, -1)) {
    fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
    return EXIT_INTERNAL;
  }
  lua_getfield(L, -1, "value");
  if (is_interrupt(L, -1) || lsrun_interrupted) code = EXIT_INTERRUPTED;
  internal = is_internal(L, -1);
  if (internal) code = EXIT_INTERNAL;
  lua_getfield(L, -2, "message");
  lua_getfield(L, -3, "traceback");
  msg = lua_tostring(L, -2);
  tb = lua_tostring(L, -1);
  fprintf(stderr, "%s: %s\n", progname, msg ? msg : "(no message)");
  if (internal)
    fprintf(stderr, "%s: this is a fault in lsrun itself; "
            "please report it with the traceback below\n", progname);
  if ((verbose || internal) && tb)
    fprintf(stderr, "%s\n", tb);
  lua_pop(L, 4);
  return code;
}


/* Call the function below nargs arguments under the handler. */
static int docall(lua_State *L, int nargs, int nres) {
  int status, base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  signal(SIGINT, on_sigint);
  lsrun_interrupted = 0;
  status = lua_pcall(L, nargs, nres, base);
  signal(SIGINT, SIG_DFL);
  lua_remove(L, base);
  return status;
}


/* ===================================================== loading === */


/* Script folder, then each LSRUN_PATH folder, in front of what
** LUA_PATH/LUA_CPATH or Lua's defaults already gave. */
static const char searchpath_code[] =
  "local dir, extra = ...\n"
  "local p, c = {}, {}\n"
  "local function add(d)\n"
  "  if d:sub(-1) ~= '/' then d = d .. '/' end\n"
  "  p[#p + 1] = d .. '?.lua;' .. d .. '?/init.lua'\n"
  "  c[#c + 1] = d .. '?.so'\n"
  "end\n"
  "if dir then add(dir) end\n"
  "for d in (extra or ''):gmatch('[^:]+') do add(d) end\n"
  "if #p > 0 then\n"
  "  package.path = table.concat(p, ';') .. ';' .. package.path\n"
  "  package.cpath = table.concat(c, ';') .. ';' .. package.cpath\n"
  "end\n";


static void set_search_path(lua_State *L, const char *script) {
  const char *slash;
  luaL_loadbuffer(L, searchpath_code, sizeof searchpath_code - 1,
                  "=searchpath");
  if (script == NULL || strcmp(script, "-") == 0)
    lua_pushnil(L);
  else if ((slash = strrchr(script, '/')) == NULL)
    lua_pushliteral(L, "./");
  else
    lua_pushlstring(L, script, (size_t)(slash - script) + 1);
  lua_pushstring(L, getenv("LSRUN_PATH"));
  lua_call(L, 2, 0);
}


/* The table 'lsrun': what the host knows that scripts and the SDK
** may read. */
static void open_host_info(lua_State *L, const options *o) {
  curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_newtable(L);
  lua_pushliteral(L, LSRUN_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushliteral(L, LUA_RELEASE);
  lua_setfield(L, -2, "lua_version");
  lua_pushstring(L, cv->version);
  lua_setfield(L, -2, "curl_version");
  lua_pushboolean(L, o->verbose);
  lua_setfield(L, -2, "verbose");
  lua_pushboolean(L, o->quiet);
  lua_setfield(L, -2, "quiet");
  lua_pushstring(L, getenv("LSRUN_LOG"));
  lua_setfield(L, -2, "log_level");
  lua_setfield(L, -2, "lsrun");
  lua_pop(L, 1);
}


/* Build the global 'arg' as the standalone lua does: the script at
** 0, its arguments at 1..n, the program and options below 0. */
static void create_arg_table(lua_State *L, char **argv, int argc,
                             int script) {
  int i;
  lua_createtable(L, argc - script, script + 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}


/* Push the script's arguments; return how many. */
static int push_script_args(lua_State *L, char **argv, int argc,
                            int script) {
  int i, n = argc - script - 1;
  luaL_checkstack(L, n + 3, "too many arguments to script");
  for (i = script + 1; i < argc; i++)
    lua_pushstring(L, argv[i]);
  return n;
}


/* Run the -e and -l options in order. Returns an exit code. */
/* -l [g=]mod: require mod into global g (mod's name by default). */
static int require_global(lua_State *L, const char *val) {
  const char *eq = strchr(val, '=');
  int status;
  lua_getglobal(L, "require");
  lua_pushstring(L, eq ? eq + 1 : val);
  status = docall(L, 1, 1);
  if (status != LUA_OK) return status;
  if (eq) lua_pushlstring(L, val, (size_t)(eq - val));
  else lua_pushstring(L, val);
  lua_insert(L, -2);
  lua_setglobal(L, lua_tostring(L, -2));
  lua_pop(L, 1);
  return LUA_OK;
}


static int run_exec_options(lua_State *L, char **argv, int first,
                            int last, int verbose) {
  int i, status;
  for (i = first; first > 0 && i < last; i++) {
    const char *opt = argv[i], *val;
    if (!is_exec(opt)) continue;
    val = opt[2] ? opt + 2 : argv[++i];
    if (opt[1] == 'e') {
      status = luaL_loadbufferx(L, val, strlen(val),
                                "=(command line)", "t");
      if (status != LUA_OK) {
        fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
        return EXIT_SCRIPT;
      }
      status = docall(L, 0, 0);
    }
    else
      status = require_global(L, val);
    if (status != LUA_OK)
      return report(L, status, verbose);
  }
  return EXIT_OK;
}


static int run_script(lua_State *L, char **argv, int argc, int script,
                      int verbose) {
  const char *path = argv[script];
  int n, status = strcmp(path, "-") == 0
    ? luaL_loadfilex(L, NULL, "t")
    : luaL_loadfilex(L, path, "t");
  if (status == LUA_ERRFILE) {
    fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
    return EXIT_USAGE;
  }
  if (status != LUA_OK) {
    fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
    return EXIT_SCRIPT;
  }
  n = push_script_args(L, argv, argc, script);
  status = docall(L, n, 0);
  return status == LUA_OK ? EXIT_OK : report(L, status, verbose);
}


static void print_version(void) {
  curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
  printf("lsrun %s (%s, libcurl %s)\n", LSRUN_VERSION, LUA_RELEASE,
         cv->version);
}


/* ======================================================== main === */

/* Everything that may raise runs here, under lua_pcall. Returns the
** exit code as an integer. */
static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  options o;
  int code, end;
  if (parse_args(argc, argv, &o) != 0)
    return lua_pushinteger(L, EXIT_USAGE), 1;
  if (o.help) {
    usage(stdout);
    return lua_pushinteger(L, EXIT_OK), 1;
  }
  if (o.version) print_version();
  if (o.version && o.script == 0 && o.first_exec == 0)
    return lua_pushinteger(L, EXIT_OK), 1;
  if (o.script == 0 && o.first_exec == 0) {
    usage(stderr);
    return lua_pushinteger(L, EXIT_USAGE), 1;
  }
  luaL_openlibs(L);
  make_interrupt_value(L);
  open_host_info(L, &o);
  lsrun_openlibs(L, getenv("LSRUN_SDK_DIR"));
  set_search_path(L, o.script ? argv[o.script] : NULL);
  create_arg_table(L, argv, argc, o.script);
  end = o.script ? o.script : argc;
  code = run_exec_options(L, argv, o.first_exec, end, o.verbose);
  if (code == EXIT_OK && o.script)
    code = run_script(L, argv, argc, o.script, o.verbose);
  lua_pushinteger(L, code);
  return 1;
}


int main(int argc, char **argv) {
  int status, code;
  lua_State *L;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "%s: cannot initialise libcurl\n", progname);
    return EXIT_INTERNAL;
  }
  L = globalL = luaL_newstate();
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create state: not enough memory\n",
            progname);
    return EXIT_INTERNAL;
  }
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  status = lua_pcall(L, 2, 1, 0);
  code = status == LUA_OK ? (int)lua_tointeger(L, -1) : EXIT_INTERNAL;
  if (status != LUA_OK)
    fprintf(stderr, "%s: %s\n", progname, lua_tostring(L, -1));
  fflush(stdout);
  lua_close(L);
  curl_global_cleanup();
  return code;
}
