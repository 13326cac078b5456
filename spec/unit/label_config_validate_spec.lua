local lc = require "labelstudio.label_config"

local CASES = dofile("spec/fixtures/label_configs/cases.lua")


local function first(problems, severity)
  for _, p in ipairs(problems) do
    if p.severity == severity then return p end
  end
  return nil
end


describe("labelstudio.label_config.validate", function()
  for _, case in ipairs(CASES) do
    local verdict = case.valid and "accepts" or "rejects"
    it(verdict .. " " .. case.name .. " as the server does", function()
      local ok, problems = lc.validate(case.xml)
      assert.equal(case.valid, ok)
      if case.match then
        local p = first(problems, case.valid and "warning" or "error")
        assert.is_table(p)
        assert.matches(case.match, p.message, 1, true)
      elseif case.valid then
        assert.is_nil(first(problems, "error"))
      end
    end)
  end

  it("gives every problem a severity, a message, a line and a column",
     function()
    local _, problems = lc.validate("<View>\n\n  <Blah/><Text name='t'/>\n"
                                    .. "</View>")
    assert.is_true(#problems >= 2)
    for _, p in ipairs(problems) do
      assert.is_string(p.message)
      assert.is_true(p.severity == "error" or p.severity == "warning")
      assert.equal(3, p.line)
      assert.is_true(p.column >= 1)
    end
  end)

  it("points a parse error at its line and column", function()
    local ok, problems = lc.validate("<View>\n  <Image name='i'>\n</View>")
    assert.is_false(ok)
    assert.same({3, 3}, {problems[1].line, problems[1].column})
  end)

  it("refuses a config over 1 MiB before parsing", function()
    local ok, problems = lc.validate("<View>" .. (" "):rep(lc.MAX_BYTES)
                                     .. "</View>")
    assert.is_false(ok)
    assert.matches("byte limit", problems[1].message, 1, true)
  end)

  it("never expands entities", function()
    local bomb = '<!DOCTYPE v [<!ENTITY a "aaaaaaaaaa">'
      .. '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><View>&b;</View>'
    local ok, problems = lc.validate(bomb)
    assert.is_false(ok)
    assert.equal(1, #problems)
  end)

  it("rejects an empty or non-string config", function()
    assert.is_false((lc.validate("")))
    assert.is_false((lc.validate("  \n")))
    assert.is_false((lc.validate(nil)))
  end)
end)
