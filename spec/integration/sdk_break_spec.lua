-- The SDK against answers a careless url or a broken server gives: the
-- real Label Studio wherever it can answer, and break_stub.py on
-- loopback (marked) for shapes it will not produce. Each failure is
-- an ApiError that says what went wrong and never shows the key.

local ls = require "labelstudio"
local srv = require "ls_server"
local break_stub = require "break_stub"

local errors = ls.errors

local HERE = "sdk_break_spec.lua:%d+"


describe("labelstudio.client against broken answers #integration",
         function()
  local client, stub

  setup(function()
    client = srv.client()
    stub = break_stub.start()
  end)

  teardown(function() stub:stop() end)

  local function fails(fn, ...)
    local ok, err = pcall(fn, ...)
    assert.is_false(ok)
    assert.is_true(errors.is(err))
    local text = tostring(err)
    assert.matches(HERE, text)
    assert.falsy(text:find(srv.key, 1, true))
    return err, text
  end

  local function stub_client(shape)
    return srv.client{url = stub:url(shape), retries = 0}
  end

  it("gives the title of the HTML page a wrong path gets", function()
    local err, text = fails(client.make_request, client, "GET",
                            "/api/projects/-1/")
    assert.equal(404, err.status)
    assert.equal("404 | Label Studio", err.detail)
    assert.falsy(text:find("function", 1, true))
  end)

  it("gives the title of the HTML page under a wrong path prefix",
     function()
    local c = srv.client{url = srv.url .. "/nope/"}
    local err = fails(c.get_projects, c)
    assert.equal(404, err.status)
    assert.equal("404 | Label Studio", err.detail)
  end)

  -- break_stub: Django's own 500 page, with a script and a style
  it("gives the title of an HTML 500, not its script", function()
    local c = stub_client("html500")
    local err, text = fails(c.get_project, c, 1)
    assert.equal(500, err.status)
    assert.equal("Server Error (500)", err.detail)
    assert.falsy(text:find("function", 1, true))
    assert.falsy(text:find("color", 1, true))
  end)
  -- break_stub: a 200 whose JSON is cut off, and a proxy's login page
  local bad_bodies = {
    {"badjson", "not valid JSON: .*unterminated"},
    {"html200", "an HTML page %(Sign in%), not JSON"},
  }
  for _, case in ipairs(bad_bodies) do
    it("raises on a 200 of shape " .. case[1] .. " instead of losing it",
       function()
      local c = stub_client(case[1])
      for _, call in ipairs{
        function() return c:get_projects() end,
        function() return c:check_connection() end,
        function() return c:start_project{title = "x"} end,
      } do
        local err, text = fails(call)
        assert.equal(200, err.status)
        assert.matches(case[2], text)
      end
    end)
  end
end)
