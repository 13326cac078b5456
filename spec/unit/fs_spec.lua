-- labelstudio.fs: the folders that calls writing files make first.

local fs = require "labelstudio.fs"

describe("labelstudio.fs", function()
  local parents = {
    {"/tmp/x/sub/a.csv", "/tmp/x/sub"},
    {"sub/a.csv", "sub"},
    {"a//b.json", "a"},
    {"/a.csv", "/"},
    {"a.csv", nil},
  }
  for _, c in ipairs(parents) do
    it(("gives %s as the folder of %s"):format(tostring(c[2]), c[1]),
       function()
      assert.equal(c[2], fs.parent(c[1]))
    end)
  end

  it("makes a folder and the missing ones above it", function()
    local base = os.tmpname()
    os.remove(base)
    local dir = base .. "/it's/deep"
    fs.mkdir(dir)
    local f = assert(io.open(dir .. "/x", "w"))
    f:close()
    os.remove(dir .. "/x")
    os.execute(("rm -r -- '%s'"):format(base))
  end)

  it("does nothing for no folder or the current one", function()
    fs.mkdir(nil)
    fs.mkdir("")
    fs.mkdir(".")
  end)

  it("names the call when it cannot make the folder", function()
    -- A regular file where a folder would have to be.
    local file = os.tmpname()
    local ok, err = pcall(fs.mkdir, file .. "/sub", "export_tasks")
    os.remove(file)
    assert.is_false(ok)
    assert.matches("export_tasks: cannot make the folder " .. file
                   .. "/sub", err, 1, true)
  end)
end)
