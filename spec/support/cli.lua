-- Runs lsrun as a process for the CLI specs: exit code, stdout, stderr.

local M = {}

M.bin = os.getenv("LSRUN_BIN") or "./lsrun"


--- Quote a string for /bin/sh.
function M.quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end


local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local text = f:read("a")
  f:close()
  os.remove(path)
  return text
end


--- The shell words that run the binary with args and opts.env.
local function command(args, opts)
  local parts = {}
  for k, v in pairs(opts.env or {}) do
    parts[#parts + 1] = k .. "=" .. M.quote(v)
  end
  parts[#parts + 1] = M.quote(opts.bin or M.bin)
  for _, a in ipairs(args) do parts[#parts + 1] = M.quote(a) end
  return table.concat(parts, " ")
end


--- Run the binary with args (a list); opts.stdin is fed to it,
-- opts.env is a table of variables to set, opts.prefix a shell
-- prefix. Returns {code, stdout, stderr}.
function M.run(args, opts)
  opts = opts or {}
  local out, err = os.tmpname(), os.tmpname()
  local input = "/dev/null"
  if opts.stdin then
    input = os.tmpname()
    local f = assert(io.open(input, "wb"))
    f:write(opts.stdin)
    f:close()
  end
  local cmd = string.format("%s >%s 2>%s <%s", command(args, opts),
                            out, err, input)
  local _, _, code = os.execute(cmd)
  if opts.stdin then os.remove(input) end
  return {code = code, stdout = slurp(out), stderr = slurp(err)}
end


--- Run the binary under a pseudo-terminal (util-linux `script`), so
-- that its standard output and error are a terminal; opts.env as for
-- `run`, and opts.stderr_file = true sends standard error to a file
-- instead. Returns {code, output (what the terminal showed, both
-- streams), stderr (from the file, or "")}.
function M.run_tty(args, opts)
  opts = opts or {}
  local out, err = os.tmpname(), os.tmpname()
  local cmd = command(args, opts)
  if opts.stderr_file then cmd = cmd .. " 2>" .. err end
  local _, _, code = os.execute(("script -qec %s /dev/null </dev/null"
                                 .. " >%s 2>&1"):format(M.quote(cmd), out))
  return {code = code, output = slurp(out), stderr = slurp(err)}
end


--- Write text to a new temporary file; returns its path.
function M.write_temp(text, suffix)
  local path = os.tmpname() .. (suffix or ".lua")
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

return M
