-- labelstudio.client against loopback servers that are not Label
-- Studio: what check_connection says when the url is wrong, and what
-- make_request sends for requests' keywords and the Client's options.

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

  it("shows a null in the server's validation errors as null",
     function()
    local json = require "labelstudio.json"
    local e = ls.errors.new{method = "GET", url = srv.url, status = 400,
                            validation_errors = {cookie = json.null}}
    assert.matches("\n  cookie: null\n", tostring(e))
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

  local function echo(c, opts)
    return c:make_request("POST", "/echo", opts).json
  end

  it("sends make_request's data string as the body", function()
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0}
    local got = echo(c, {data = "raw text"})
    assert.equal("raw text", got.body)
  end)

  it("form-urlencodes a data table, as requests does", function()
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0}
    local got = echo(c, {data = {title = "a b&c", n = 2}})
    assert.equal("n=2&title=a%20b%26c", got.body)
    assert.equal("application/x-www-form-urlencoded",
                 got.headers["Content-Type"])
  end)

  it("sends files and data as one multipart form", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write("file-bytes")
    f:close()
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0}
    local got = echo(c, {data = {note = "hi"},
                         files = {upload = path,
                                  other = {data = "inline",
                                           filename = "o.txt"}}})
    os.remove(path)
    assert.matches("^multipart/form%-data", got.headers["Content-Type"])
    assert.matches('name="note"', got.body, 1, true)
    assert.matches("file-bytes", got.body, 1, true)
    assert.matches('filename="o.txt"', got.body, 1, true)
  end)

  it("sends the Client's cookies on every request", function()
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0,
                        cookies = {b = "2", a = "1"}}
    assert.equal("a=1; b=2", echo(c).headers.Cookie)
  end)

  it("does not raise on a 404 when make_request_raise is false",
     function()
    local c = ls.Client{url = srv.url, api_key = KEY, retries = 0,
                        make_request_raise = false}
    local res = c:make_request("GET", "/status?code=404&key=mrr")
    assert.equal(404, res.status)
    local strict = ls.Client{url = srv.url, api_key = KEY, retries = 0}
    assert.is_false(pcall(strict.make_request, strict, "GET",
                          "/status?code=404&key=mrr2"))
    assert.is_false(pcall(c.make_request, c, "GET",
                          "/status?code=404&key=mrr3",
                          {raise_exceptions = true}))
  end)
end)
