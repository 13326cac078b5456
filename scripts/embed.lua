-- Writes a C file holding the SDK's Lua files, for src/linit.c, as
-- precompiled chunks: the host loads them without parsing, which
-- halves the SDK's load time. Debug information stays, so tracebacks
-- name the real files and lines. Run with the Lua of the liblua the
-- host links (Debian's lua5.4): the chunk format is checked at load.
-- usage: lua5.4 scripts/embed.lua out.c lua/labelstudio/a.lua ...

local out_path = assert(arg[1], "usage: embed.lua out.c files...")

local function module_name(path)
  local name = path:gsub("^lua/", ""):gsub("%.lua$", "")
  name = name:gsub("/init$", "")
  return (name:gsub("/", "."))
end

local function c_bytes(text)
  local parts = {}
  for i = 1, #text, 16 do
    local row = {}
    for j = i, math.min(i + 15, #text) do
      row[#row + 1] = string.format("%d,", text:byte(j))
    end
    parts[#parts + 1] = "  " .. table.concat(row)
  end
  return table.concat(parts, "\n")
end

local out = {'#include "lsrun.h"', ""}
local entries = {}
for i = 2, #arg do
  local path = arg[i]
  local f = assert(io.open(path, "rb"))
  local source = f:read("a")
  f:close()
  local text = string.dump(assert(load(source, "@" .. path, "t")))
  out[#out + 1] = string.format("static const char src%d[] = {\n%s\n0};",
                                i, c_bytes(text))
  entries[#entries + 1] = string.format('  {"%s", "@%s", src%d, %d},',
                                        module_name(path), path, i, #text)
end
out[#out + 1] = "\nconst lsrun_chunk lsrun_chunks[] = {"
for _, e in ipairs(entries) do out[#out + 1] = e end
out[#out + 1] = "  {NULL, NULL, NULL, 0}\n};\n"

local f = assert(io.open(out_path, "wb"))
f:write(table.concat(out, "\n"))
f:close()
