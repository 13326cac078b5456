local sys = require("lsrun.sys")

describe("lsrun.sys", function()
  it("gives a monotonic clock that advances across a sleep", function()
    local t0 = sys.now()
    assert.is_true(sys.sleep(0.02))
    assert.is_true(sys.now() - t0 >= 0.019)
  end)
end)
