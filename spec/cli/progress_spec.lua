-- labelstudio.progress from lsrun as a process: the bar is drawn on
-- standard error only when it is a terminal (a pseudo-terminal made by
-- util-linux `script`), and never under -q or --quiet.

local cli = require "cli"

-- Reports three steps as the bulk calls do (no `progress` option),
-- then says on standard output whether standard error is a terminal.
local SCRIPT = [[
local progress = require "labelstudio.progress"
local sys = require "lsrun.sys"
local bar = progress.new{what = "import", total = 3, unit = "tasks"}
for _ = 1, 3 do
  sys.sleep(0.01)
  bar:add(1)
end
bar:finish()
print("stderr is a tty: " .. tostring(sys.isatty("stderr")))
]]

local STEP = "lsrun: import %[#+ +%] 1/3 %d+ tasks/s ETA %d%d:%d%d"
local DONE = "lsrun: import %[#+%] 3/3 %d+ tasks/s in %d%d:%d%d"


describe("labelstudio.progress under lsrun", function()
  local script

  setup(function() script = cli.write_temp(SCRIPT) end)
  teardown(function() os.remove(script) end)

  it("draws a bar with count, rate and ETA when stderr is a terminal",
     function()
    local r = cli.run_tty{script}
    assert.equal(0, r.code)
    assert.matches("stderr is a tty: true", r.output, 1, true)
    assert.matches("\r" .. STEP, r.output)
    assert.matches("\r" .. DONE .. "\027%[K\r?\n", r.output)
  end)

  it("draws nothing when stderr is not a terminal", function()
    local r = cli.run{script}
    assert.same({0, "stderr is a tty: false\n", ""},
                {r.code, r.stdout, r.stderr})
  end)

  it("draws nothing on stderr redirected from a terminal's stdout",
     function()
    local r = cli.run_tty({script}, {stderr_file = true})
    assert.equal(0, r.code)
    assert.matches("stderr is a tty: false", r.output, 1, true)
    assert.not_matches("lsrun:", r.output, 1, true)
    assert.equal("", r.stderr)
  end)

  for _, flag in ipairs{"-q", "--quiet"} do
    it("draws nothing on a terminal with " .. flag, function()
      local r = cli.run_tty{flag, script}
      assert.equal(0, r.code)
      assert.matches("stderr is a tty: true", r.output, 1, true)
      assert.not_matches("lsrun:", r.output, 1, true)
      assert.not_matches("tasks/s", r.output, 1, true)
    end)
  end
end)
