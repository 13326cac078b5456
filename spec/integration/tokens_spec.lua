-- Personal access tokens on the real server: a JWT refresh token is
-- exchanged at /api/token/refresh/ for an access token sent as Bearer,
-- refreshed before it expires and once after a 401.

local ls = require "labelstudio"
local srv = require "ls_server"

describe("labelstudio.client personal access tokens #integration", function()
  local pat

  setup(function() pat = srv.pat(srv.client()) end)

  it("works as the api_key", function()
    local c = ls.Client{url = srv.url, api_key = pat}
    local r = c:check_connection()
    assert.equal("admin@example.com", r.user.email)
    assert.truthy(c._access)
    assert.are_not.equal(pat, c._access)
  end)

  it("refreshes the access token shortly before it expires", function()
    local c = ls.Client{url = srv.url, api_key = pat}
    c:check_connection()
    local first = c._access
    assert.truthy(c._access_exp)
    c._access_exp = require("lsrun.sys").time() + 5
    c:make_request("GET", "/api/current-user/whoami")
    assert.are_not.equal(first, c._access)
  end)

  -- Records "METHOD path status" for each request the client sends.
  local function record(c)
    local sent, session = {}, c._session
    c._session = setmetatable({request = function(_, req)
      local res, msg, info = session:request(req)
      sent[#sent + 1] = ("%s %s %s"):format(req.method,
        req.url:gsub("^https?://[^/]+", ""), res and res.status or msg)
      return res, msg, info
    end}, {__index = function(_, k)
      return function(_, ...) return session[k](session, ...) end
    end})
    return sent
  end

  it("refreshes once when the server answers 401", function()
    local c = ls.Client{url = srv.url, api_key = pat}
    c:check_connection()
    c._access = "eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.bm90LXZhbGlk"
    c._access_exp = require("lsrun.sys").time() + 3600
    local sent = record(c)
    local r = c:make_request("GET", "/api/current-user/whoami")
    assert.equal(200, r.status)
    assert.same({"GET /api/current-user/whoami 401",
                 "POST /api/token/refresh/ 200",
                 "GET /api/current-user/whoami 200"}, sent)
  end)

  it("raises after one refresh that the server refuses", function()
    local c = ls.Client{url = srv.url, api_key = pat}
    c:check_connection()
    c._access = "eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.bm90LXZhbGlk"
    c._access_exp = require("lsrun.sys").time() + 3600
    c._key = pat:sub(1, -5) .. (pat:sub(-4) == "AAAA" and "BBBB"
                                or "AAAA")
    local sent = record(c)
    local ok, err = pcall(c.make_request, c, "GET",
                          "/api/current-user/whoami")
    assert.is_false(ok)
    assert.equal(401, err.status)
    assert.same({"GET /api/current-user/whoami 401",
                 "POST /api/token/refresh/ 401"}, sent)
  end)

  it("reports a rejected token without showing it", function()
    local bad = pat:sub(1, -5) .. (pat:sub(-4) == "AAAA" and "BBBB"
                                   or "AAAA")
    local c = ls.Client{url = srv.url, api_key = bad}
    local ok, err = pcall(c.check_connection, c)
    assert.is_false(ok)
    assert.equal(401, err.status)
    assert.matches("/api/token/refresh/", err.url)
    local text = tostring(err)
    assert.falsy(text:find(bad, 1, true))
    assert.falsy(text:find(pat, 1, true))
  end)

  it("refuses an expired personal access token", function()
    local b64 = "eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6MX0"
    local ok, err = pcall(ls.Client, {url = srv.url,
                                      api_key = "eyJhbGciOiJIUzI1NiJ9."
                                        .. b64 .. ".c2ln"})
    assert.is_false(ok)
    assert.matches("expired", err)
  end)
end)
