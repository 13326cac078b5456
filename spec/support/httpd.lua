-- Spec helper: starts the loopback test server (httpd.py) and makes a
-- throwaway certificate authority for the HTTPS one.
--   local httpd = require "httpd"
--   local srv = httpd.start()   -- or httpd.start{tls = httpd.make_ca()}
--   srv.url, srv:stats(), srv:reset(), srv:stop()

local http = require "lsrun.http"
local cjson = require "cjson"
local pyserver = require "pyserver"

local M = {}
local Server = {}
Server.__index = Server



local function sh(cmd)
  local ok = os.execute(cmd)
  assert(ok, "command failed: " .. cmd)
end


--- Make a temporary folder; returns its path.
function M.tempdir()
  local path = os.tmpname()
  os.remove(path)
  sh("mkdir -m 700 " .. path)
  return path
end


--- A throwaway CA and a server certificate for 127.0.0.1 signed by
-- it, made with openssl in a temporary folder.
-- @return {dir, ca, cert, key}
function M.make_ca()
  local d = M.tempdir()
  local key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
  sh(("cd %s && openssl req -x509 %s -keyout ca.key -out ca.pem "
      .. "-days 2 -subj /CN=lsrun-test-ca "
      .. "-addext basicConstraints=critical,CA:TRUE "
      .. "-addext keyUsage=critical,keyCertSign,cRLSign "
      .. ">/dev/null 2>&1"):format(d, key))
  sh(("cd %s && openssl req %s -keyout srv.key -out srv.csr "
      .. "-subj /CN=127.0.0.1 >/dev/null 2>&1"):format(d, key))
  local ext = assert(io.open(d .. "/ext.cnf", "w"))
  ext:write("subjectAltName=IP:127.0.0.1,DNS:localhost\n",
            "basicConstraints=CA:FALSE\n",
            "extendedKeyUsage=serverAuth\n")
  ext:close()
  sh(("cd %s && openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key "
      .. "-CAcreateserial -out srv.pem -days 2 -extfile ext.cnf "
      .. ">/dev/null 2>&1"):format(d))
  return {dir = d, ca = d .. "/ca.pem", cert = d .. "/srv.pem",
          key = d .. "/srv.key"}
end


--- Start a server; opts.tls = the table from make_ca for HTTPS.
function M.start(opts)
  opts = opts or {}
  local proc = opts.tls
    and pyserver.start("httpd.py", opts.tls.cert, opts.tls.key)
    or pyserver.start("httpd.py")
  local scheme = opts.tls and "https" or "http"
  local srv = setmetatable({
    proc = proc, port = proc.port,
    url = scheme .. "://127.0.0.1:" .. proc.port,
    blackhole = "http://127.0.0.1:" .. proc.ports[2],
    tls = opts.tls,
  }, Server)
  srv.control = http.session{base_url = srv.url, ca_file =
                             opts.tls and opts.tls.ca, retries = 0}
  return srv
end


function Server:get(path)
  local res, err = self.control:request{url = path}
  assert(res, err)
  return cjson.decode(res.body)
end


--- The server's counters: connections, requests, max_in_flight,
-- hits (by path).
function Server:stats()
  local s = self:get("/_stats")
  -- leave out the control request and its connection
  s.requests = s.requests - 1
  s.connections = s.connections - 1
  s.hits["/_stats"] = nil
  return s
end


--- Clear the counters; the control session then opens one fresh
-- connection, which stats() leaves out.
function Server:reset()
  self:get("/_reset")
  self.control:close()
  self.control = http.session{base_url = self.url, ca_file =
                              self.tls and self.tls.ca, retries = 0}
end


function Server:stop()
  self.control:close()
  self.proc:stop()
  if self.tls then os.execute("rm -rf " .. self.tls.dir) end
end


return M
