-- The README's Lua code runs as printed, on the real server: the
-- tutorial block with the server's URL and key put in for the
-- tutorial's placeholders.

local cli = require "cli"
local srv = require "ls_server"


--- The Lua code blocks of the README, in order.
local function lua_blocks()
  local f = assert(io.open("README.md"))
  local text = f:read("a")
  f:close()
  local blocks = {}
  for code in text:gmatch("```lua\n(.-)\n```") do blocks[#blocks + 1] = code end
  return blocks
end


local function plain(s)
  return (s:gsub("[%p]", "%%%0"))
end


describe("README.md #integration", function()
  it("holds a tutorial block that runs and prints the filter count", function()
    local code = lua_blocks()[1]
    assert.matches("start_project", code, 1, true)
    code = code:gsub(plain('"http://localhost:8080"'), ("%q"):format(srv.url))
      :gsub(plain('"d6f8a2622d39e9d89ff0dfef1a80ad877f4ee9e3"'),
            ("%q"):format(srv.key))
    local path = cli.write_temp(code)
    local r = cli.run({path})
    os.remove(path)
    assert.equal(0, r.code, r.stderr)
    assert.matches("^%d+\n$", r.stdout)
  end)

  it("shows label config short forms that build full results", function()
    local code
    for _, block in ipairs(lua_blocks()) do
      if block:find("label_config", 1, true) then code = block end
    end
    assert.is_string(code)
    local prelude = [[
local xml = [=[
<View>
  <Image name="image" value="$image"/>
  <Choices name="pet" toName="image"><Choice value="Dog"/><Choice value="Cat"/></Choices>
  <RectangleLabels name="box" toName="image"><Label value="Dog"/></RectangleLabels>
  <PolygonLabels name="outline" toName="image"><Label value="Road"/></PolygonLabels>
  <KeyPointLabels name="point" toName="image"><Label value="Eye"/></KeyPointLabels>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="Person"/></Labels>
  <TextArea name="summary" toName="text"/>
  <Rating name="stars" toName="text"/>
  <Number name="count" toName="text"/>
  <Taxonomy name="topic" toName="text">
    <Choice value="Animals"><Choice value="Mammals"/></Choice>
  </Taxonomy>
</View>]=]
local results = {}
]]
    local path = cli.write_temp(prelude .. code .. "\nprint('ok')\n")
    local r = cli.run({path})
    os.remove(path)
    assert.equal(0, r.code, r.stderr)
    assert.equal("ok\n", r.stdout)
  end)
end)
