-- labelstudio.client against loopback servers that are not Label
-- Studio: what check_connection says when the url is wrong.

local ls = require "labelstudio"
local httpd = require "httpd"

local KEY = "0123456789abcdef0123456789abcdef01234567"


describe("labelstudio.client", function()
  local srv

  setup(function() srv = httpd.start() end)
  teardown(function() srv:stop() end)

  it("says when /health is not Label Studio's answer", function()
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0}
    local ok, err = pcall(c.check_connection, c)
    assert.is_false(ok)
    local text = tostring(err)
    assert.equal(200, err.status)
    assert.matches("GET " .. srv.url:gsub("%p", "%%%0") .. "/health", text)
    assert.matches("not Label Studio's", text)
    assert.matches("client_spec%.lua:%d+", text)
    assert.falsy(text:find(KEY, 1, true))
    assert.equal(1, srv:stats().requests)
  end)

  it("reads timeout as Python does: seconds without a byte, not in all",
     function()
    local sys = require "lsrun.sys"
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0,
                        timeout = 2}
    local t0 = sys.now()
    local r = c:make_request("GET", "/drip", {query = {n = 8,
                                                       interval = 0.5}})
    assert.equal(200, r.status)
    assert.equal(80, #r.body)
    assert.is_true(sys.now() - t0 > 3.5)
    t0 = sys.now()
    local ok, err = pcall(c.make_request, c, "GET", "/slow",
                          {query = {delay = 6}})
    assert.is_false(ok)
    assert.equal("timeout", err.kind)
    assert.is_true(sys.now() - t0 < 5)
  end)

  it("tells a file it cannot write from a server it cannot reach",
     function()
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0}
    local ok, err = pcall(c.make_request, c, "GET", "/download",
                          {output = "/nonexistent/folder/out.json"})
    assert.is_false(ok)
    local text = tostring(err)
    assert.matches("^Label Studio request failed: GET ", text)
    assert.matches("cannot write '/nonexistent/folder/out.json'", text)
    assert.falsy(text:find("unreachable", 1, true))
  end)
end)
