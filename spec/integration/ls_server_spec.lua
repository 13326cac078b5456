-- scripts/ls-server, the local Label Studio the specs run against.

local STATE = os.getenv("LSRUN_SERVER_DIR") or "build/ls-server"


local function read(cmd)
  local h = assert(io.popen(cmd))
  local text = h:read("a")
  h:close()
  return text
end


describe("scripts/ls-server #integration", function()
  it("keeps the API key out of every process's command line", function()
    local key = assert(os.getenv("LABEL_STUDIO_API_KEY"))
    local pid = read("cat " .. STATE .. "/pid"):match("%d+")
    assert.is_string(pid)
    local group = read("ps -e -o pid=,pgid= | awk '$2 == " .. pid
                       .. " {print $1}'")
    local seen = 0
    for p in group:gmatch("%d+") do
      local f = io.open("/proc/" .. p .. "/cmdline", "rb")
      if f then
        local args = f:read("a")
        f:close()
        seen = seen + 1
        assert.is_nil(args:find(key, 1, true))
      end
    end
    assert.is_true(seen > 0)
  end)

  it("prints the running server's env lines again with 'env'", function()
    local lines = read("LSRUN_SERVER_DIR=" .. STATE
                       .. " scripts/ls-server env")
    assert.matches("export LABEL_STUDIO_URL=" .. os.getenv("LABEL_STUDIO_URL")
                   :gsub("%p", "%%%0"), lines)
    assert.matches("export LABEL_STUDIO_API_KEY=%x+", lines)
  end)
end)
