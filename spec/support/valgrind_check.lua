-- Run by scripts/test under valgrind: one batch of 100 requests with
-- JSON bodies against a loopback server, plus a few single requests
-- that take the error paths. Exits 0 when every answer is right.

local http = require "lsrun.http"
local httpd = require "httpd"

local json = require "labelstudio.json"

local srv = httpd.start()
local s = http.session{base_url = srv.url, retry_base = 0.01,
                       headers = {Authorization = "Token secret"}}

local reqs = {}
for i = 1, 100 do
  reqs[i] = {method = "POST", url = "/echo", query = {i = i},
             json = {i = i, name = "task " .. i, tags = {"a", "b"}}}
end
local results = s:batch(reqs, {max_in_flight = 8})
for i, res in ipairs(results) do
  assert(res.status == 200, res.error)
  local echo = json.decode(res.body)
  assert(echo.query == "i=" .. i, "out of order at " .. i)
  assert(json.decode(echo.body).i == i, "wrong body at " .. i)
end

local res, err = s:request{url = "http://u:p@127.0.0.1:9/x?sig=1",
                           retries = 1}
assert(res == nil and not err:find("p@", 1, true))
res = s:request{url = "/status?key=v&code=503&retry_after=0"}
assert(res.status == 200 and res.attempts == 2)
res = s:request{url = "/truncated", retries = 0}
assert(res == nil)

s:close()
srv:stop()
print("valgrind_check: 100 requests ok")
