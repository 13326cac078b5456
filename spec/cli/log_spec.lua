-- labelstudio.log from lsrun as a process: which levels reach standard
-- error under the default, -q/--quiet, --verbose and LSRUN_LOG.

local cli = require "cli"

local SCRIPT = [[
local log = require "labelstudio.log"
log.debug("a debug line")
log.info("an info line")
log.warn("a warning")
log.error("an error")
print("done")
]]

local LINES = {
  debug = "lsrun: debug: a debug line\n",
  info = "lsrun: an info line\n",
  warn = "lsrun: warn: a warning\n",
  error = "lsrun: error: an error\n",
}


local function expect(...)
  local out = {}
  for _, level in ipairs{...} do out[#out + 1] = LINES[level] end
  return table.concat(out)
end


describe("labelstudio.log under lsrun", function()
  local script

  setup(function() script = cli.write_temp(SCRIPT) end)
  teardown(function() os.remove(script) end)

  local cases = {
    {"writes warnings and errors by default", {}, nil,
     expect("warn", "error")},
    {"keeps only errors with -q", {"-q"}, nil, expect("error")},
    {"keeps only errors with --quiet", {"--quiet"}, nil, expect("error")},
    {"writes every level with --verbose", {"--verbose"}, nil,
     expect("debug", "info", "warn", "error")},
    {"lets LSRUN_LOG win over -q", {"-q"}, "info",
     expect("info", "warn", "error")},
  }
  for _, c in ipairs(cases) do
    it(c[1], function()
      local args = {table.unpack(c[2])}
      args[#args + 1] = script
      local r = cli.run(args, {env = {LSRUN_LOG = c[3] or ""}})
      assert.same({0, "done\n", c[4]}, {r.code, r.stdout, r.stderr})
    end)
  end

  it("keeps errors on standard error under -q when a script fails",
     function()
    local r = cli.run{"-q", "-e", "error('it broke')"}
    assert.equal(1, r.code)
    assert.equal("lsrun: (command line):1: it broke\n", r.stderr)
  end)
end)
