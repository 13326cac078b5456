-- lsrun.http against a loopback test server (spec/support/httpd.py).

local http = require "lsrun.http"
local cjson = require "cjson"
local httpd = require "httpd"

local REFUSED = "http://127.0.0.1:9"


local function write_file(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end


local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end


-- A one-route server whose every answer is a 302 to `target`.
local REDIRECTOR = [[
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", sys.argv[1])
        self.send_header("Content-Length", "0")
        self.end_headers()
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print("READY %d" % s.server_address[1], flush=True)
s.serve_forever()
]]


--- Sends a request with every secret header to a loopback server
-- that redirects it to `target`; returns what request returned.
local function redirected(target, opts)
  local py = os.tmpname()
  write_file(py, REDIRECTOR)
  local h = assert(io.popen("echo $$; exec python3 " .. py .. " "
                            .. target))
  local pid = h:read("l")
  local port = assert((h:read("l") or ""):match("^READY (%d+)"))
  local p = http.session{base_url = "http://127.0.0.1:" .. port,
                         retries = 0, verify = opts and opts.verify}
  local res, err = p:request{url = "/", headers = {
    Authorization = "Token AUTHSECRET",
    ["Proxy-Authorization"] = "Basic PROXYSECRET",
    Cookie = "sid=COOKIESECRET", ["X-API-Key"] = "APIKEYSECRET"}}
  p:close()
  os.execute("kill " .. pid)
  h:close()
  os.remove(py)
  return res, err
end


describe("lsrun.http", function()
  local srv, s, tmp

  setup(function()
    srv = httpd.start()
    tmp = httpd.tempdir()
  end)

  teardown(function()
    srv:stop()
    os.execute("rm -rf " .. tmp)
  end)

  before_each(function()
    srv:reset()
    s = http.session{base_url = srv.url, retry_base = 0.05}
  end)

  after_each(function()
    s:close()
  end)

  local function echo(req)
    local res, err = s:request(req)
    assert.is_table(res, err)
    assert.equal(200, res.status)
    return cjson.decode(res.body), res
  end

  describe("responses", function()
    it("returns any status as a value with headers and request id",
       function()
      local res = s:request{url = "/status?key=a&code=404"}
      assert.equal(404, res.status)
      assert.equal('{"detail": "busy"}', res.body)
      assert.equal("application/json", res.headers["Content-Type"])
      assert.equal("application/json", res.headers["content-type"])
      assert.equal("application/json", res.headers["CONTENT-TYPE"])
      assert.matches("^req%-%d+$", res.request_id)
      assert.equal(1, res.attempts)
      assert.same({}, res.waits)
      assert.equal(srv.url .. "/status?key=a&code=404", res.url)
      assert.is_number(res.elapsed)
    end)

    it("joins repeated headers with \", \" but Set-Cookie with newlines",
       function()
      local res = s:request{url = "/cookies"}
      assert.equal("Accept, Cookie", res.headers["Vary"])
      assert.equal("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/\n"
                   .. "b=2; HttpOnly", res.headers["set-cookie"])
    end)

    it("joins a relative url to the base url, keeping its path",
       function()
      local p = http.session{base_url = srv.url .. "/ls/"}
      local res = p:request{url = "/api/projects/", query = {page = 2}}
      p:close()
      local e = cjson.decode(res.body)
      assert.equal("/ls/api/projects/", e.path)
      assert.equal("page=2", e.query)
      e = echo{url = srv.url .. "/abs?x=1", query = {y = 2}}
      assert.equal("/abs", e.path)
      assert.equal("x=1&y=2", e.query)
    end)

    it("answers HEAD without a body and follows redirects", function()
      local res = s:request{method = "head", url = "/echo"}
      assert.equal(200, res.status)
      assert.equal("", res.body)
      local e, r = echo{url = "/redirect", method = "POST", body = "x"}
      assert.equal("/echo", e.path)
      assert.matches("/echo%?from=redirect$", r.url)
    end)

    it("answers a redirect itself with follow = false", function()
      local res = s:request{url = "/redirect", follow = false}
      assert.is_true(res.status >= 300 and res.status < 400)
      assert.matches("/echo%?from=redirect$", res.headers.location)
      assert.has_error(function()
        s:request{url = "/redirect", follow = "no"}
      end)
    end)

    it("sends session headers under request headers, any case",
       function()
      local h = http.session{base_url = srv.url, user_agent = "t/1",
                             headers = {Authorization = "Token a",
                                        ["X-One"] = "1"}}
      local res = h:request{url = "/echo", headers =
                            {authorization = "Token b", ["X-Two"] = 2}}
      h:close()
      local e = cjson.decode(res.body)
      assert.equal("Token b", e.headers.authorization
                              or e.headers.Authorization)
      assert.equal("1", e.headers["X-One"])
      assert.equal("2", e.headers["X-Two"])
      assert.equal("t/1", e.headers["User-Agent"])
      assert.matches("gzip", e.headers["Accept-Encoding"])
    end)

    it("sends session headers to the session's origin only", function()
      local h = http.session{base_url = srv.url,
                             headers = {["X-API-Key"] = "session-secret"}}
      local other = srv.url:gsub("127%.0%.0%.1", "localhost")
      local own = cjson.decode(h:request{url = srv.url .. "/echo"}.body)
      local res = h:request{url = other .. "/echo",
                            headers = {["X-Given"] = "1"}}
      h:close()
      local e = cjson.decode(res.body)
      assert.equal("session-secret", own.headers["X-API-Key"])
      assert.is_nil(e.headers["X-API-Key"] or e.headers["x-api-key"])
      assert.equal("1", e.headers["X-Given"])
    end)

    it("reuses one connection across requests", function()
      for i = 1, 5 do echo{url = "/echo", query = {i = i}} end
      s:batch({{url = "/echo"}, {url = "/echo"}}, {max_in_flight = 1})
      local st = srv:stats()
      assert.equal(7, st.requests)
      assert.equal(1, st.connections)
    end)
  end)

  describe("query encoding", function()
    local cases = {
      {{q = "a b"}, "q=a%20b"},
      {{q = "é€"}, "q=%C3%A9%E2%82%AC"},
      {{q = "&=?/#+%"}, "q=%26%3D%3F%2F%23%2B%25"},
      {{ids = {1, 2}}, "ids=1&ids=2"},
      {{["ids[]"] = {3, 4}}, "ids%5B%5D=3&ids%5B%5D=4"},
      {{b = 1, a = true, c = 1.5}, "a=true&b=1&c=1.5"},
      {{{"z", 1}, {"a", 2}, {"z", 3}}, "z=1&a=2&z=3"},
      {{}, ""},
      {{safe = "A-z_0.9~"}, "safe=A-z_0.9~"},
    }
    for _, c in ipairs(cases) do
      it("encodes " .. c[2], function()
        assert.equal(c[2], http.encode_query(c[1]))
      end)
    end

    it("sends the encoded query to the server", function()
      local e = echo{url = "/echo", query = {page = 2, ids = {1, 2},
                                             ["ids[]"] = {3, 4}}}
      assert.equal("ids=1&ids=2&ids%5B%5D=3&ids%5B%5D=4&page=2", e.query)
    end)

    it("adds the query before a #fragment", function()
      assert.equal("a=1", echo{url = "/echo#part", query = {a = 1}}.query)
      assert.equal("b=2&a=1",
                   echo{url = "/echo?b=2#part", query = {a = 1}}.query)
    end)
  end)

  describe("bodies", function()
    it("sends a string body without a form Content-Type", function()
      local e = echo{method = "POST", url = "/echo", body = "héllo"}
      assert.equal("POST", e.method)
      assert.equal("héllo", e.body)
      assert.is_nil(e.headers["Content-Type"])
      e = echo{method = "POST", url = "/echo"}
      assert.equal("0", e.headers["Content-Length"])
    end)

    it("encodes json = with the project codec", function()
      local e = echo{method = "POST", url = "/echo",
                     json = {name = "x", ids = {1, 2}}}
      assert.equal("application/json", e.headers["Content-Type"])
      assert.same({name = "x", ids = {1, 2}}, cjson.decode(e.body))
    end)

    it("streams a file upload from disk", function()
      local path = tmp .. "/up.txt"
      local text = ("0123456789abcdef\n"):rep(20000)
      write_file(path, text)
      local e = echo{method = "PUT", url = "/echo", file = path}
      assert.equal(#text, e.body_len)
      assert.equal(text, e.body)
      e = echo{method = "POST", url = "/echo", file = path}
      assert.equal("POST", e.method)
      assert.equal(#text, e.body_len)
    end)

    it("reports a missing upload file as an error", function()
      local res, err, info = s:request{method = "PUT", url = "/echo",
                                       file = tmp .. "/missing"}
      assert.is_nil(res)
      assert.matches("cannot read", err)
      assert.equal(false, info.sent)
      assert.equal(0, srv:stats().requests)
    end)

    it("sends a multipart form with a file", function()
      local path = tmp .. "/x.json"
      write_file(path, '[{"data": 1}]')
      local e = echo{method = "POST", url = "/echo", form = {
        field = "v",
        file = {path = path, filename = "x.json",
                content_type = "application/json"},
        inline = {data = "abc", filename = "i.txt"},
      }}
      assert.matches("^multipart/form%-data; boundary=",
                     e.headers["Content-Type"])
      assert.truthy(e.body:find('name="field"\r\n\r\nv\r\n', 1, true))
      assert.truthy(e.body:find('name="file"; filename="x.json"', 1,
                                true))
      assert.truthy(e.body:find('Content-Type: application/json\r\n\r\n'
                                .. '[{"data": 1}]', 1, true))
      assert.truthy(e.body:find('filename="i.txt"', 1, true))
    end)

    it("streams a download to a file", function()
      local path = tmp .. "/down.bin"
      local res = s:request{url = "/download", query = {size = 300000},
                            output = path}
      assert.equal(200, res.status)
      assert.is_nil(res.body)
      local got = read_file(path)
      assert.equal(300000, #got)
      assert.equal(string.char(0, 1, 2), got:sub(1, 3))
      assert.equal(string.char(255, 0), got:sub(256, 257))
    end)

    it("reports an output file it cannot write as an error", function()
      local res, err, info = s:request{url = "/echo",
                                       output = tmp .. "/no/such/dir"}
      assert.is_nil(res)
      assert.matches("cannot write", err)
      assert.equal("other", info.kind)
      assert.is_false(info.sent)
    end)

    it("keeps an error body in memory and leaves no file", function()
      local path = tmp .. "/err.bin"
      local res = s:request{url = "/status?key=o&code=404",
                            output = path}
      assert.equal(404, res.status)
      assert.equal('{"detail": "busy"}', res.body)
      assert.is_nil(read_file(path))
    end)
  end)

  describe("downloads over an existing file", function()
    local function listing()
      local p = io.popen("ls -A " .. tmp)
      local names = p:read("a")
      p:close()
      return names
    end

    it("keeps the file when the request fails, and leaves no part file",
       function()
      local path = tmp .. "/keep.json"
      write_file(path, "PRECIOUS")
      local before = listing()
      local res = s:request{url = "/status?key=k&code=404", output = path}
      assert.equal(404, res.status)
      assert.is_nil(s:request{url = "http://127.0.0.1:9/x", retries = 0,
                              output = path})
      assert.is_nil(s:request{url = "/truncated", retries = 0,
                              output = path})
      assert.equal("PRECIOUS", read_file(path))
      assert.equal(before, listing())
    end)

    it("replaces the file when the answer is a success", function()
      local path = tmp .. "/replace.bin"
      write_file(path, "OLD")
      local res = s:request{url = "/download", query = {size = 1000},
                            output = path}
      assert.equal(200, res.status)
      assert.equal(1000, #read_file(path))
      assert.falsy(listing():find("part", 1, true))
    end)

    it("writes through a symbolic link and keeps the link", function()
      local target, link = tmp .. "/target.bin", tmp .. "/link.bin"
      write_file(target, "OLD")
      os.execute(("ln -s %s %s"):format(target, link))
      s:request{url = "/download", query = {size = 500}, output = link}
      assert.equal(500, #read_file(target))
      local p = io.popen("test -L " .. link .. " && echo link")
      assert.equal("link\n", p:read("a"))
      p:close()
      os.remove(link)
    end)

    it("makes the file a dangling symbolic link names", function()
      local target, link = tmp .. "/not-yet.bin", tmp .. "/dangling.bin"
      os.execute(("ln -s not-yet.bin %s"):format(link))
      local res = s:request{url = "/download", query = {size = 300},
                            output = link}
      assert.equal(200, res.status)
      assert.equal(300, #read_file(target))
      local p = io.popen("test -L " .. link .. " && echo link")
      assert.equal("link\n", p:read("a"))
      p:close()
      os.remove(link)
      os.remove(target)
    end)

    it("writes into a FIFO in place and leaves it a FIFO", function()
      local fifo, got = tmp .. "/pipe", tmp .. "/from-pipe"
      os.execute("mkfifo " .. fifo)
      os.execute(("cat %s > %s &"):format(fifo, got))
      local res = s:request{url = "/download", query = {size = 700},
                            output = fifo}
      assert.equal(200, res.status)
      os.execute("sleep 0.2")
      assert.equal(700, #read_file(got))
      local p = io.popen("test -p " .. fifo .. " && echo fifo")
      assert.equal("fifo\n", p:read("a"))
      p:close()
      os.remove(fifo)
    end)
  end)

  describe("batch", function()
    it("caps requests in flight and keeps request order", function()
      local reqs = {}
      for i = 1, 12 do
        reqs[i] = {url = "/slow", query = {delay = 0.2, i = i}}
      end
      local t0 = os.time()
      local results = s:batch(reqs, {max_in_flight = 3})
      assert.equal(12, #results)
      for i, r in ipairs(results) do
        assert.equal(200, r.status)
        assert.matches("i=" .. i .. "$", r.url)
      end
      local st = srv:stats()
      assert.equal(3, st.max_in_flight)
      assert.equal(3, st.connections)
      assert.is_true(os.time() - t0 < 10)
    end)

    it("uses the session's max_in_flight by default", function()
      local p = http.session{base_url = srv.url, max_in_flight = 2}
      local reqs = {}
      for i = 1, 6 do reqs[i] = {url = "/slow?delay=0.1"} end
      p:batch(reqs)
      p:close()
      assert.equal(2, srv:stats().max_in_flight)
    end)

    it("gives an error entry for a failed request", function()
      local results = s:batch{
        {url = "/echo"},
        {url = REFUSED .. "/x", retries = 0},
        {url = "/status?key=b&code=500"},
      }
      assert.equal(200, results[1].status)
      assert.matches("Couldn't connect", results[2].error)
      assert.equal("connect", results[2].info.kind)
      assert.equal(500, results[3].status)
      assert.same({}, s:batch{})
    end)
  end)

  it("stops a batch cleanly on Ctrl-C", function()
    local script = tmp .. "/interrupt.lua"
    write_file(script, ([[
      local http = require "lsrun.http"
      local s = http.session{base_url = %q}
      local reqs = {}
      for i = 1, 6 do reqs[i] = {url = "/slow?delay=5"} end
      local results = s:batch(reqs, {max_in_flight = 2})
      print("batch returned", #results)
    ]]):format(srv.url))
    local bin = os.getenv("LSRUN_BIN") or "./lsrun"
    local cmd = ("%s %s > %s/out 2>&1 & pid=$!; sleep 0.7; "
                 .. "kill -INT $pid; wait $pid; echo $? > %s/rc")
                :format(bin, script, tmp, tmp)
    local t0 = os.time()
    os.execute(cmd)
    assert.equal("130", read_file(tmp .. "/rc"):match("%d+"))
    assert.is_true(os.time() - t0 <= 3)
    assert.matches("interrupted", read_file(tmp .. "/out"))
  end)

  describe("proxies from the environment", function()
    -- The loopback server answers a proxy's absolute-form request
    -- itself, so a request to a closed port that comes back proves
    -- it went through http_proxy.
    local function via_proxy(env)
      local script = tmp .. "/proxy.lua"
      write_file(script, [[
        local http = require "lsrun.http"
        local s = http.session{retries = 0}
        local res, err = s:request{url = "http://127.0.0.1:9/echo"}
        if not res then print("error", err) return end
        local echo = require("cjson").decode(res.body)
        print(res.status, echo.headers.Host or echo.headers.host)
      ]])
      local parts = {}
      for k, v in pairs(env) do parts[#parts + 1] = k .. "=" .. v end
      local bin = os.getenv("LSRUN_BIN") or "./lsrun"
      os.execute(("env %s %s %s > %s/out 2>&1"):format(
        table.concat(parts, " "), bin, script, tmp))
      return read_file(tmp .. "/out")
    end

    it("sends requests through http_proxy", function()
      local out = via_proxy{http_proxy = srv.url}
      assert.equal("200\t127.0.0.1:9\n", out)
      assert.equal(1, srv:stats().requests)
    end)

    it("goes direct for hosts in no_proxy", function()
      local out = via_proxy{http_proxy = srv.url, no_proxy = "127.0.0.1"}
      assert.matches("^error\t", out)
      assert.equal(0, srv:stats().requests)
    end)
  end)

  describe("timeouts", function()
    it("stops a request at the total timeout", function()
      local res, err, info = s:request{url = "/slow?delay=2",
                                       timeout = 0.3, retries = 0}
      assert.is_nil(res)
      assert.equal("timeout", info.kind)
      assert.matches("timed out", err)
      assert.is_true(info.sent)
    end)

    it("stops a stalled transfer at the low-speed limit", function()
      local t0 = os.time()
      local res, _, info = s:request{url = "/stall?delay=4",
                                     low_speed_time = 1,
                                     low_speed_limit = 1000,
                                     retries = 0}
      assert.is_nil(res)
      assert.equal("timeout", info.kind)
      assert.is_true(os.time() - t0 <= 3)
    end)

    it("stops a connection that is never accepted", function()
      local res, _, info = s:request{url = srv.blackhole .. "/x",
                                     connect_timeout = 0.3, retries = 0}
      assert.is_nil(res)
      assert.equal("timeout", info.kind)
      assert.is_false(info.sent)
    end)
  end)

  describe("retries", function()
    it("never re-sends a POST that timed out after sending", function()
      local res, err, info = s:request{method = "POST", body = "x",
                                       url = "/slow?delay=1",
                                       timeout = 0.3, retries = 3}
      assert.is_nil(res)
      assert.is_true(info.sent)
      assert.is_false(info.idempotent)
      assert.equal("POST", info.method)
      assert.equal(1, info.attempts)
      assert.matches("may have reached the server", err)
      assert.equal(1, srv:stats().hits["/slow"])
    end)

    it("re-sends an idempotent request that timed out", function()
      local res, err, info = s:request{url = "/slow?delay=1",
                                       timeout = 0.2, retries = 2}
      assert.is_nil(res)
      assert.equal(3, info.attempts)
      assert.equal(2, #info.waits)
      assert.matches("%(2 retries, waited [%d.]+ s %+ [%d.]+ s%)", err)
      assert.equal(3, srv:stats().hits["/slow"])
    end)

    it("retries a refused connection for any method", function()
      local res, err, info = s:request{method = "POST",
                                       url = REFUSED .. "/api/x",
                                       retries = 2}
      assert.is_nil(res)
      assert.equal("connect", info.kind)
      assert.is_false(info.sent)
      assert.equal(3, info.attempts)
      assert.matches("^POST http://127.0.0.1:9/api/x: ", err)
      assert.not_matches("may have reached", err)
    end)

    it("waits as Retry-After says, then returns the 200", function()
      local res = s:request{url = "/status",
                            query = {key = "r", retry_after = 1}}
      assert.equal(200, res.status)
      assert.equal(2, res.attempts)
      assert.is_true(res.waits[1] >= 0.99 and res.waits[1] <= 1.01)
      assert.is_true(res.elapsed >= 0.99)
    end)

    it("reads Retry-After as an HTTP date and caps it", function()
      local date = os.date("!%a, %d %b %Y %H:%M:%S GMT", os.time() + 1)
      local res = s:request{url = "/status",
                            query = {key = "d", retry_after = date}}
      assert.equal(200, res.status)
      assert.is_true(res.waits[1] <= 2)
      res = s:request{url = "/status", retry_max_wait = 0.1,
                      query = {key = "c", retry_after = 100}}
      assert.equal(200, res.status)
      assert.equal(0.1, res.waits[1])
    end)

    it("does not retry a 503 for a POST", function()
      local res = s:request{method = "POST", url = "/status?key=p"}
      assert.equal(503, res.status)
      assert.equal(1, res.attempts)
      res = s:request{method = "POST", url = "/status?key=p2",
                      idempotent = true}
      assert.equal(200, res.status)
    end)

    it("returns the last response when retries run out", function()
      local res = s:request{url = "/status?key=e&times=9&code=502",
                            retries = 2}
      assert.equal(502, res.status)
      assert.equal(3, res.attempts)
      assert.equal(2, #res.waits)
      res = s:request{url = "/status?key=b&times=9&code=429",
                      retry_budget = 0.5, query = {retry_after = 1}}
      assert.equal(429, res.status)
      assert.equal(1, res.attempts)
    end)
  end)

  describe("a kept-alive connection closed without an answer", function()
    -- /drop answers the first request on a connection; on a reused
    -- one it reads the request and closes without a byte back.
    it("never lets curl re-send a POST on a fresh connection",
       function()
      echo{url = "/echo"}
      local res, err, info = s:request{method = "POST", url = "/drop",
                                       body = "task", retries = 0,
                                       idempotent = false}
      assert.is_nil(res)
      assert.equal("recv", info.kind)
      assert.is_true(info.sent)
      assert.equal(1, info.attempts)
      assert.matches("may have reached the server", err)
      assert.equal(1, srv:stats().hits["/drop"])
    end)

    it("does not re-send a POST even with retries left", function()
      echo{url = "/echo"}
      local res, _, info = s:request{method = "POST", url = "/drop",
                                     body = "task", retries = 3}
      assert.is_nil(res)
      assert.is_true(info.sent)
      assert.equal(1, info.attempts)
      assert.equal(1, srv:stats().hits["/drop"])
    end)

    it("re-sends an idempotent GET only as its retries allow",
       function()
      echo{url = "/echo"}
      local res, err, info = s:request{url = "/drop", retries = 0}
      assert.is_nil(res)
      assert.equal("recv", info.kind)
      assert.is_true(info.sent)
      assert.equal(1, info.attempts)
      assert.not_matches("may have reached", err)
      assert.equal(1, srv:stats().hits["/drop"])
      echo{url = "/echo"}
      res = s:request{url = "/drop", retries = 1}
      assert.equal(200, res.status)
      assert.equal(2, res.attempts)
      assert.equal(1, #res.waits)
      assert.equal(3, srv:stats().hits["/drop"])
    end)
  end)

  describe("broken transfers", function()
    it("reports a truncated body as an error", function()
      local res, err, info = s:request{url = "/truncated", retries = 0}
      assert.is_nil(res)
      assert.equal("recv", info.kind)
      assert.matches("GET " .. srv.url .. "/truncated: ", err, 1, true)
    end)

    it("reports a reset connection as an error", function()
      local res, _, info = s:request{url = "/reset", retries = 0}
      assert.is_nil(res)
      assert.equal("recv", info.kind)
      assert.is_true(info.sent)
    end)
  end)

  describe("redaction", function()
    local secrets = {"s3cret-pw", "AUTHSECRET", "PROXYSECRET",
                     "COOKIESECRET", "SETCOOKIESECRET", "APIKEYSECRET",
                     "SIGSECRET", "CREDSECRET", "STSSECRET", "AZSIG",
                     "ATSECRET", "AKSECRET"}

    it("keeps every secret out of errors and info", function()
      local url = "http://alice:s3cret-pw@127.0.0.1:9/api/x"
                  .. "?X-Amz-Signature=SIGSECRET"
                  .. "&X-Amz-Credential=CREDSECRET"
                  .. "&X-Amz-Security-Token=STSSECRET&sig=AZSIG"
                  .. "&access_token=ATSECRET&keep=1"
      local p = http.session{base_url = url, retry_base = 0.01,
        headers = {Authorization = "Token AUTHSECRET",
                   ["Proxy-Authorization"] = "Basic PROXYSECRET",
                   Cookie = "sid=COOKIESECRET"}}
      local res, err, info = p:request{url = "", retries = 1,
        query = {api_key = "AKSECRET"},
        headers = {["Set-Cookie"] = "a=SETCOOKIESECRET",
                   ["X-API-Key"] = "APIKEYSECRET"}}
      local shown = tostring(p)
      p:close()
      assert.is_nil(res)
      local text = table.concat({err, info.url, shown}, "\n")
      for _, secret in ipairs(secrets) do
        assert.is_nil(text:find(secret, 1, true), secret)
      end
      assert.matches("127.0.0.1:9/api/x", err, 1, true)
      assert.matches("keep=1", err, 1, true)
      assert.matches("1 retry", err, 1, true)
    end)

    it("sends no secret header to another host on a redirect",
       function()
      local other = "http://localhost:" .. srv.port .. "/echo"
      local res, err = redirected(other)
      assert.is_table(res, err)
      assert.equal(302, res.status)
      assert.equal(other, res.headers["location"])
      assert.matches("^http://127%.0%.0%.1:%d+/$", res.url)
      assert.is_nil(srv:stats().hits["/echo"])
    end)

    it("redacts user:password and signatures from urls", function()
      assert.equal("https://***@h/p?a=1&Signature=REDACTED#x",
                   http.redact_url("https://u:p@h/p?a=1&Signature=zz#x"))
      assert.equal("http://h/?token=REDACTED&sig=REDACTED",
                   http.redact_url("http://h/?token=1&sig=2"))
    end)
  end)

  describe("misuse", function()
    local cases = {
      {"a non-table request", function() s:request("x") end},
      {"a url that is not a string", function() s:request{url = 1} end},
      {"both body and json", function()
        s:request{url = "/", body = "x", json = {}}
      end},
      {"a method that is not a string", function()
        s:request{url = "/", method = 5}
      end},
      {"an unknown request field", function()
        s:request{url = "/", tiemout = 1}
      end},
      {"a timeout that is not a number", function()
        http.session{timeout = "1"}
      end},
      {"verify that is not a boolean", function()
        http.session{verify = 0}
      end},
      {"a relative url without base_url", function()
        http.session():request{url = "/x"}
      end},
      {"a header with a line break", function()
        s:request{url = "/", headers = {X = "a\r\nB: c"}}
      end},
      {"a header value with a NUL byte", function()
        s:request{url = "/", headers = {X = "a\0b"}}
      end},
      {"a header name with a NUL byte", function()
        s:request{url = "/", headers = {["X\0Y"] = "a"}}
      end},
      {"a map as a query value", function()
        s:request{url = "/", query = {a = {b = 1}}}
      end},
      {"NaN as a query value", function()
        s:request{url = "/", query = {a = 0 / 0}}
      end},
      {"infinity as a query value", function()
        s:request{url = "/", query = {a = math.huge}}
      end},
      {"pairs and names in one query", function()
        s:request{url = "/", query = {{"a", 1}, extra = 2}}
      end, "a list of pairs or a map, not both"},
      {"retries beyond what an int holds", function()
        http.session{retries = 1e10}
      end, "'retries' is too large"},
      {"an infinite timeout", function()
        s:request{url = "/", timeout = math.huge}
      end, "'timeout' is too large"},
    }
    for _, c in ipairs(cases) do
      it("raises for " .. c[1], function()
        local ok, err = pcall(c[2])
        assert.is_false(ok)
        if c[3] then assert.truthy(err:find(c[3], 1, true), err) end
      end)
    end

    it("closes once and refuses use after close", function()
      local p = http.session()
      assert.matches("^lsrun.http.Session", tostring(p))
      p:close()
      p:close()
      assert.equal("lsrun.http.Session (closed)", tostring(p))
      assert.has_error(function() p:request{url = "http://x/"} end,
        "calling 'request' on bad self (session is closed)")
      do
        local q <close> = http.session()
      end
    end)
  end)
end)


describe("lsrun.http over TLS", function()
  local srv, ca

  setup(function()
    ca = httpd.make_ca()
    srv = httpd.start{tls = ca}
  end)

  teardown(function()
    srv:stop()
  end)

  it("verifies the server against the given CA", function()
    local s = http.session{base_url = srv.url, ca_file = ca.ca}
    local res = s:request{url = "/echo"}
    s:close()
    assert.equal(200, res.status)
  end)

  it("refuses an unknown CA and does not retry it", function()
    local s = http.session{base_url = srv.url}
    local res, err, info = s:request{url = "/echo"}
    s:close()
    assert.is_nil(res)
    assert.equal("tls", info.kind)
    assert.equal(1, info.attempts)
    assert.is_false(info.sent)
    assert.matches("certificate", err)
  end)

  it("holds a redirect to https on another port of the same host",
     function()
    srv:reset()
    local res, err = redirected(srv.url .. "/echo", {verify = false})
    assert.is_table(res, err)
    assert.equal(302, res.status)
    assert.is_nil(srv:stats().hits["/echo"])
  end)

  it("skips verification only with verify = false", function()
    local s = http.session{base_url = srv.url, verify = false}
    local res = s:request{url = "/echo"}
    assert.equal(200, res.status)
    res = s:request{url = "/echo", verify = true, retries = 0}
    assert.is_nil(res)
    s:close()
  end)
end)
