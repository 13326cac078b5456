-- lsrun as a process: the order in which user modules are found.
-- The script's folder first, then LSRUN_PATH, then LUA_PATH and
-- LUA_CPATH.

local cli = require("cli")


local function mkdir()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. cli.quote(dir)))
  return dir
end


local function put(dir, name, text)
  local f = assert(io.open(dir .. "/" .. name, "w"))
  f:write(text)
  f:close()
end


describe("lsrun module search order", function()
  local script_dir, extra_dir, lua_dir

  before_each(function()
    script_dir, extra_dir, lua_dir = mkdir(), mkdir(), mkdir()
    for _, m in ipairs({"a", "b", "c"}) do
      put(lua_dir, m .. ".lua", "return 'LUA_PATH'")
    end
    put(extra_dir, "a.lua", "return 'LSRUN_PATH'")
    put(extra_dir, "b.lua", "return 'LSRUN_PATH'")
    put(script_dir, "a.lua", "return 'script folder'")
    put(script_dir, "main.lua", [[
      print((require "a"), (require "b"), (require "c"))
      print(package.cpath)]])
  end)

  after_each(function()
    for _, d in ipairs({script_dir, extra_dir, lua_dir}) do
      os.execute("rm -rf " .. cli.quote(d))
    end
  end)

  local function run_main()
    return cli.run({script_dir .. "/main.lua"}, {env = {
      LSRUN_PATH = "/nonexistent:" .. extra_dir,
      LUA_PATH = lua_dir .. "/?.lua;;",
      LUA_CPATH = lua_dir .. "/?.so;;"}})
  end

  it("prefers the script's folder, then LSRUN_PATH, then LUA_PATH",
     function()
    local r = run_main()
    assert.equal(0, r.code, r.stderr)
    local first = r.stdout:match("^[^\n]*")
    assert.equal("script folder\tLSRUN_PATH\tLUA_PATH", first)
  end)

  it("searches C modules in the same order, LUA_CPATH last", function()
    local r = run_main()
    assert.equal(0, r.code, r.stderr)
    local cpath = r.stdout:match("\n([^\n]*)")
    local s = cpath:find(script_dir .. "/?.so", 1, true)
    local e = cpath:find(extra_dir .. "/?.so", 1, true)
    local l = cpath:find(lua_dir .. "/?.so", 1, true)
    assert.truthy(s and e and l, cpath)
    assert.is_true(s < e and e < l, cpath)
  end)

  it("uses no script folder for -e code", function()
    put(lua_dir, "a.lua", "return 'LUA_PATH'")
    local r = cli.run({"-e", "print((require 'a'))"}, {env = {
      LUA_PATH = lua_dir .. "/?.lua;;"}})
    assert.equal("LUA_PATH\n", r.stdout)
  end)
end)
