-- Debian's nginx on loopback serving the test Label Studio under a
-- path prefix (/ls/), for the prefix specs. Everything it writes stays
-- in a temporary folder; stop() ends only the nginx started here, by
-- the pid in its pid file.

local M = {}

local NGINX = "/usr/sbin/nginx"


local function _free_port()
  local p = assert(io.popen("/usr/bin/python3 -c 'import socket\n"
    .. "s = socket.socket()\ns.bind((\"127.0.0.1\", 0))\n"
    .. "print(s.getsockname()[1])'"))
  local port = tonumber(p:read("l"))
  p:close()
  return assert(port, "no free port")
end


local function _config(dir, port, upstream)
  local temp = {"body", "proxy", "fastcgi", "uwsgi", "scgi"}
  local lines = {
    "worker_processes 1;",
    ("error_log %s/error.log;"):format(dir),
    ("pid %s/nginx.pid;"):format(dir),
    "events { worker_connections 64; }",
    "http {",
    ("  access_log %s/access.log;"):format(dir),
  }
  for _, t in ipairs(temp) do
    lines[#lines + 1] = ("  %s_temp_path %s/%s;"):format(
      t == "body" and "client_body" or t, dir, t)
  end
  for _, l in ipairs{
    "  client_max_body_size 100m;",
    "  server {",
    ("    listen 127.0.0.1:%d;"):format(port),
    "    location /ls/ {",
    ("      proxy_pass %s/;"):format(upstream),
    "      proxy_set_header Host $host:$server_port;",
    "      proxy_read_timeout 300s;",
    "    }",
    "    location / { return 404; }",
    "  }",
    "}",
  } do
    lines[#lines + 1] = l
  end
  return table.concat(lines, "\n") .. "\n"
end


--- Starts nginx proxying /ls/ to `upstream`; returns the prefixed URL.
function M.start(upstream)
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir))
  M.dir = dir
  local port = _free_port()
  local f = assert(io.open(dir .. "/nginx.conf", "w"))
  f:write(_config(dir, port, upstream))
  f:close()
  local ok = os.execute(("%s -q -p %s -c %s/nginx.conf 2>>%s/start.log")
                        :format(NGINX, dir, dir, dir))
  assert(ok, "nginx did not start; see " .. dir .. "/start.log")
  M.url = ("http://127.0.0.1:%d/ls"):format(port)
  return M.url
end


--- The request lines nginx logged.
function M.access_log()
  local f = io.open(M.dir .. "/access.log")
  if f == nil then return "" end
  local text = f:read("a")
  f:close()
  return text
end


--- Stops the nginx that start() ran.
function M.stop()
  if M.dir == nil then return end
  local f = io.open(M.dir .. "/nginx.pid")
  local pid = f and tonumber(f:read("l"))
  if f then f:close() end
  if pid then os.execute(("kill -QUIT %d"):format(pid)) end
  M.dir = nil
end

return M
