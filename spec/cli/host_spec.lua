-- lsrun as a process: arguments, exit codes, standard streams,
-- module search, error reports.

local cli = require("cli")
local run, temp = cli.run, cli.write_temp


describe("lsrun command line", function()
  it("runs -e code and prints to standard output", function()
    local r = run({"-e", "print(1+1)"})
    assert.same({0, "2\n", ""}, {r.code, r.stdout, r.stderr})
  end)

  it("runs standard input with '-' and passes the arguments", function()
    local r = run({"-", "a", "b"}, {stdin = "print(...)"})
    assert.equal(0, r.code)
    assert.equal("a\tb\n", r.stdout)
  end)

  it("builds arg as lua does", function()
    local script = temp("print(arg[0] == ..., arg[1], arg[2], arg[-1])")
    local r = run({"--verbose", script, script, "x"})
    assert.equal("true\t" .. script .. "\tx\t--verbose\n", r.stdout)
  end)

  it("stops reading options at --", function()
    local script = temp("print(select('#', ...), ...)")
    local r = run({"--", script, "-v", "--help"})
    assert.equal(0, r.code)
    assert.equal("2\t-v\t--help\n", r.stdout)
  end)

  it("runs -e and -l options in order before the script", function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute("mkdir -p " .. dir)
    local f = assert(io.open(dir .. "/greeting.lua", "w"))
    f:write("return {text = 'hello'}")
    f:close()
    local r = run({"-l", "greeting", "-e", "print(greeting.text)"},
                  {env = {LSRUN_PATH = dir}})
    assert.equal(0, r.code)
    assert.equal("hello\n", r.stdout)
    os.execute("rm -rf " .. dir)
  end)

  for _, case in ipairs{
    {{"-eprint(1 + 1)"}, "2\n"},
    {{"-lstring", "-eprint(string ~= nil)"}, "true\n"},
    {{"-l", "s=string", "-e", "print(s.rep('a', 3))"}, "aaa\n"},
    {{"-ls=string", "-eprint(s.upper('x'))"}, "X\n"},
    {{"-q", "-eprint(1)", "-e", "print(2)"}, "1\n2\n"},
  } do
    it("takes " .. table.concat(case[1], " ") .. " as lua does", function()
      local r = run(case[1])
      assert.equal(0, r.code, r.stderr)
      assert.equal(case[2], r.stdout)
    end)
  end

  it("prints the version, then runs the script, with -v", function()
    local script = temp("print('ran', ...)")
    local r = run({"-v", script, "a"})
    os.remove(script)
    assert.equal(0, r.code)
    assert.matches("^lsrun %d+%.%d+%.%d+ %(Lua [^\n]*\nran\ta\n$", r.stdout)
  end)

  it("reports a missing -l module by name, exit 1", function()
    local r = run({"-l", "nosuchmod", "-e", "print(1)"})
    assert.equal(1, r.code)
    assert.equal("", r.stdout)
    assert.matches("^lsrun: module 'nosuchmod' not found:", r.stderr)
  end)

  it("prints versions of lsrun, Lua and libcurl", function()
    local r = run({"--version"})
    assert.equal(0, r.code)
    assert.matches("^lsrun %d+%.%d+%.%d+ %(Lua 5%.4%.%d+, libcurl %d", r.stdout)
  end)

  it("prints help on standard output with -h", function()
    local r = run({"-h"})
    assert.equal(0, r.code)
    assert.matches("usage: lsrun", r.stdout)
  end)

  it("prints usage on standard error and exits 2 without arguments", function()
    local r = run({})
    assert.equal(2, r.code)
    assert.equal("", r.stdout)
    assert.matches("usage: lsrun", r.stderr)
  end)

  it("exits 2 on an unknown option and names it", function()
    local r = run({"--frobnicate"})
    assert.equal(2, r.code)
    assert.matches("unknown option '%-%-frobnicate'", r.stderr)
  end)

  it("exits 2 when -e lacks its argument", function()
    local r = run({"-e"})
    assert.equal(2, r.code)
    assert.matches("'%-e' needs an argument", r.stderr)
  end)

  it("exits 2 when the script cannot be read", function()
    local r = run({"/nonexistent/script.lua"})
    assert.equal(2, r.code)
    assert.matches("^lsrun: cannot open /nonexistent/script.lua", r.stderr)
  end)
end)


describe("lsrun error reports", function()
  it("exits 1 naming the script, line and message", function()
    local script = temp("local x = 1\nerror('boom')\n")
    local r = run({script})
    assert.equal(1, r.code)
    assert.equal("lsrun: " .. script .. ":2: boom\n", r.stderr)
  end)

  it("adds a traceback only with --verbose", function()
    local script = temp("local function f() error('deep') end\nf()\n")
    local plain = run({script})
    local verbose = run({"--verbose", script})
    assert.not_matches("stack traceback", plain.stderr)
    assert.matches("stack traceback:", verbose.stderr)
    assert.matches("in local 'f'", verbose.stderr)
  end)

  it("uses __tostring of an error object", function()
    local r = run({"-e", [[
      error(setmetatable({}, {__tostring = function()
        return "GET /api/x: 404 Not Found"
      end}))]]})
    assert.equal(1, r.code)
    assert.equal("lsrun: GET /api/x: 404 Not Found\n", r.stderr)
  end)

  it("reports a non-string error object by its type", function()
    local r = run({"-e", "error({})"})
    assert.equal(1, r.code)
    assert.matches("error object is a table value", r.stderr)
  end)

  it("masks the SDK's secrets in a script's own error", function()
    local code = [[
      local ls = require "labelstudio"
      ls.Client{url = "http://127.0.0.1:9", api_key = "abcdef0123456789"}
      error("the key is abcdef0123456789")]]
    for _, flags in ipairs({{}, {"--verbose"}}) do
      local args = {table.unpack(flags)}
      args[#args + 1] = "-e"
      args[#args + 1] = code
      local r = run(args)
      assert.equal(1, r.code)
      assert.matches("the key is %*%*%*", r.stderr)
      assert.falsy(r.stderr:find("abcdef0123456789", 1, true))
    end
  end)

  it("exits 1 on a syntax error", function()
    local r = run({temp("local = 1\n")})
    assert.equal(1, r.code)
    assert.matches(":1: .*near '='", r.stderr)
  end)

  it("refuses precompiled chunks", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write(string.dump(function() return 1 end))
    f:close()
    local r = run({path})
    assert.equal(1, r.code)
    assert.matches("attempt to load a binary chunk", r.stderr)
    os.remove(path)
  end)

  it("exits 70 with a traceback when the SDK itself faults", function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute("mkdir -p " .. dir .. "/labelstudio")
    local f = assert(io.open(dir .. "/labelstudio/broken.lua", "w"))
    f:write("local t\nreturn t.field\n")
    f:close()
    local r = run({"-e", "require 'labelstudio.broken'"},
                  {env = {LSRUN_SDK_DIR = dir}})
    assert.equal(70, r.code)
    assert.matches("fault in lsrun itself", r.stderr)
    assert.matches("stack traceback:", r.stderr)
    os.execute("rm -rf " .. dir)
  end)

  it("exits 130 when interrupted with Ctrl-C", function()
    local cmd = string.format(
      "%s -e 'print(\"go\"); io.stdout:flush(); while true do end' "
      .. ">/dev/null 2>&1 & pid=$!; sleep 0.3; kill -INT $pid; wait $pid",
      cli.quote(cli.bin))
    local _, _, code = os.execute(cmd)
    assert.equal(130, code)
  end)

  it("exits 130 when a script that caught Ctrl-C raises its report",
     function()
    local script = temp([[
      local sys = require "lsrun.sys"
      local ok, e = pcall(function() while true do end end)
      print(sys.interrupted(), tostring(e))
      error("stopped after 3 of 5 steps")]])
    local out = os.tmpname()
    local cmd = string.format("%s %s >%s 2>&1 & pid=$!; sleep 0.3; "
      .. "kill -INT $pid; wait $pid", cli.quote(cli.bin),
      cli.quote(script), out)
    local _, _, code = os.execute(cmd)
    local f = assert(io.open(out))
    local text = f:read("a")
    f:close()
    os.remove(out)
    os.remove(script)
    assert.equal(130, code)
    assert.matches("true\tinterrupted", text)
    assert.matches("stopped after 3 of 5 steps", text)
  end)
end)


describe("lsrun module search", function()
  it("finds a user module in the script's folder", function()
    local r = run({"examples/word_counts.lua", "possum", "cat"})
    assert.equal(0, r.code)
    assert.equal("possum\t2\ncat\t0\n", r.stdout)
  end)

  it("searches LSRUN_PATH folders after the script's folder", function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute("mkdir -p " .. dir)
    local f = assert(io.open(dir .. "/mymod.lua", "w"))
    f:write("return 42")
    f:close()
    local r = run({"-e", "print((require 'mymod'))"},
                  {env = {LSRUN_PATH = "/nonexistent:" .. dir}})
    assert.equal("42\n", r.stdout)
    os.execute("rm -rf " .. dir)
  end)

  it("loads Debian's Lua C modules cjson and lxp", function()
    local r = run({"-e", [[
      local cjson, lxp = require "cjson", require "lxp"
      local n = 0
      local p = lxp.new({StartElement = function() n = n + 1 end})
      p:parse("<View><Text/></View>")
      p:close()
      print(cjson.encode({1, 2}), n)]]})
    assert.equal(0, r.code)
    assert.equal("[1,2]\t2\n", r.stdout)
  end)

  it("names the SDK's real files and lines in tracebacks", function()
    local r = run({"--verbose", "-e", [[
      local ls = require "labelstudio"
      ls.Client{url = "http://127.0.0.1:9", api_key = "abcdefabcdef",
                retries = 0}:get_project(1)]]},
      {env = {LSRUN_SDK_DIR = ""}})
    assert.equal(1, r.code)
    assert.matches("lua/labelstudio/client%.lua:%d+: in method", r.stderr)
    assert.matches("called from %(command line%):2", r.stderr)
  end)

  it("ships the SDK's modules inside the binary", function()
    local r = run({"-e", [[
      print(package.preload["labelstudio.json"] ~= nil,
            package.preload["lsrun.http"] ~= nil)]]},
      {env = {LUA_PATH = "/nonexistent/?.lua", LSRUN_SDK_DIR = ""}})
    assert.equal("true\ttrue\n", r.stdout)
  end)
end)
