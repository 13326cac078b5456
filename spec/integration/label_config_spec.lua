-- The template corpus against the real server: every labeling template
-- the server offers (GET /api/templates) and the configs of
-- spec/fixtures/label_configs, validated offline and by the server;
-- for each template with a control, a sample task and a prediction
-- built from simple values, imported into a real project. Where the
-- server does not validate predictions (its prediction-validation flag
-- is off by default), the predictions are compared with the installed
-- Python SDK's LabelInterface.validate_prediction.

local lc = require "labelstudio.label_config"
local ls = require "labelstudio"
local json = require "labelstudio.json"

local URL = os.getenv("LABEL_STUDIO_URL")
local KEY = os.getenv("LABEL_STUDIO_API_KEY")
local CASES = dofile("spec/fixtures/label_configs/cases.lua")

local PY_CHECK = [[
import json, sys
from label_studio_sdk.label_interface import LabelInterface
out = []
for case in json.load(open(sys.argv[1])):
    li = LabelInterface(case["config"])
    out.append(li.validate_prediction(case["prediction"],
                                      return_errors=True) or [])
json.dump(out, open(sys.argv[2], "w"))
]]


local function venv_python()
  local cache = os.getenv("LSRUN_CACHE") or ((os.getenv("XDG_CACHE_HOME")
    or (os.getenv("HOME") .. "/.cache")) .. "/lsrun")
  local version = os.getenv("LSRUN_LS_VERSION") or "1.23.2"
  return cache .. "/ls-" .. version .. "/bin/python"
end


local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end


--- Errors of the Python SDK's validate_prediction for each case.
local function python_verdicts(cases)
  local dir = os.tmpname()
  write(dir .. ".py", PY_CHECK)
  write(dir .. ".in", json.encode(cases))
  local cmd = string.format("%q %q %q %q 2>/dev/null", venv_python(),
                            dir .. ".py", dir .. ".in", dir .. ".out")
  assert(os.execute(cmd), "the Python SDK check did not run")
  local f = assert(io.open(dir .. ".out"))
  local out = json.decode(f:read("a"))
  f:close()
  for _, ext in ipairs{"", ".py", ".in", ".out"} do os.remove(dir .. ext) end
  return out
end


describe("labelstudio.label_config #integration", function()
  local client, templates

  setup(function()
    assert(URL and KEY, "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY")
    client = ls.Client{url = URL, api_key = KEY}
    templates = client:make_request("GET", "/api/templates").json.templates
  end)

  local function server_accepts(xml)
    local res = client:make_request("POST", "/api/projects/validate/", {
      json = {label_config = xml}, raise_exceptions = false})
    return res.status == 204, res.status, res.body
  end

  it("gets every template the server offers", function()
    assert.is_true(#templates >= 60)
  end)

  it("gives the server's verdict offline for every template", function()
    local disagree = {}
    for _, t in ipairs(templates) do
      local ok = lc.validate(t.config)
      local sok, status = server_accepts(t.config)
      if ok ~= sok then
        disagree[#disagree + 1] = t.title .. " (server " .. status .. ")"
      end
    end
    assert.same({}, disagree)
  end)

  it("gives the server's verdict offline for the written configs",
     function()
    local disagree = {}
    for _, case in ipairs(CASES) do
      if not case.offline_only then
        local ok = lc.validate(case.xml)
        local sok, status, body = server_accepts(case.xml)
        if ok ~= sok or ok ~= case.valid then
          disagree[#disagree + 1] = case.name .. ": server " .. status
            .. " " .. tostring(body)
        end
      end
    end
    assert.same({}, disagree)
  end)

  it("has sample tasks and predictions accepted by the server and by "
     .. "the Python SDK's label interface", function()
    local cases, projects = {}, {}
    for _, t in ipairs(templates) do
      local cfg = lc.parse(t.config)
      local prediction = cfg:sample_prediction()
      if #prediction.result > 0 then
        assert.is_true((cfg:check(prediction.result)), t.title)
        cases[#cases + 1] = {config = t.config, prediction = prediction,
                             title = t.title}
      end
    end
    assert.is_true(#cases >= 50)

    for _, case in ipairs(cases) do
      local cfg = lc.parse(case.config)
      local project = client:start_project{title = "lc corpus",
                                           label_config = case.config}
      projects[#projects + 1] = project.id
      local ids = project:import_tasks({{data = cfg:sample_task()}})
      assert.equal(1, #ids, case.title)
      local p = project:create_prediction(ids[1], case.prediction.result,
                                          0.5, "sample")
      assert.is_table(p.result, case.title)
      assert.equal(#case.prediction.result, #p.result, case.title)
    end

    local verdicts = python_verdicts(cases)
    local rejected = {}
    for i, errs in ipairs(verdicts) do
      if #errs > 0 then
        rejected[#rejected + 1] = cases[i].title .. ": "
          .. tostring(errs[1])
      end
    end
    for _, id in ipairs(projects) do client:delete_project(id) end
    assert.same({}, rejected)
  end)

  it("judges broken predictions as the Python SDK's label interface "
     .. "does", function()
    local LABEL_KEYS = {"choices", "labels", "rectanglelabels",
      "polygonlabels", "keypointlabels", "ellipselabels", "brushlabels",
      "taxonomy"}
    local breaks = {
      {"unknown control", function(r) r.from_name = "no_such_control" end},
      {"unknown object", function(r) r.to_name = "no_such_object" end},
      {"unknown type", function(r) r.type = "no_such_type" end},
      {"unknown label", function(r)
        for _, k in ipairs(LABEL_KEYS) do
          if r.value[k] then r.value[k] = {"NoSuchLabel"} return true end
        end
        return false
      end},
    }
    local cases, ours = {}, {}
    for _, t in ipairs(templates) do
      local cfg = lc.parse(t.config)
      local sample = cfg:sample_prediction()
      for _, b in ipairs(#sample.result > 0 and breaks or {}) do
        local p = json.decode(json.encode(sample))
        if b[2](p.result[1]) ~= false then
          cases[#cases + 1] = {config = t.config, prediction = p,
                               title = t.title .. ": " .. b[1]}
          ours[#cases] = (cfg:check(p.result))
        end
      end
    end
    local disagree, refused = {}, 0
    for i, errs in ipairs(python_verdicts(cases)) do
      local theirs = #errs == 0
      if ours[i] ~= theirs then
        disagree[#disagree + 1] = ("%s: lsrun %s, Python %s"):format(
          cases[i].title, ours[i] and "accepts" or "refuses",
          theirs and "accepts" or "refuses")
      end
      if not theirs then refused = refused + 1 end
    end
    assert.same({}, disagree)
    -- Dynamic and user-extensible labels take any value; nearly every
    -- other break is refused.
    assert.is_true(refused >= 200, refused .. " refused")
  end)

  it("turns the tutorial's simple values into predictions the server "
     .. "stores", function()
    local xml = [[<View><Image name="image" value="$image"/>
      <RectangleLabels name="label" toName="image">
        <Label value="Dog"/><Label value="Cat"/></RectangleLabels>
      <Choices name="pet" toName="image">
        <Choice value="Dog"/><Choice value="Cat"/></Choices></View>]]
    local project = client:start_project{title = "lc simple values",
                                         label_config = xml}
    local ids = project:import_tasks({{data = {
      image = "https://example.invalid/pet.jpg"}}})
    local cfg = lc.parse(xml)
    local values = {
      {x = 10, y = 20, width = 30, height = 40, label = {"Dog"}},
    }
    local region = cfg:result_from(values[1])
    local p = project:create_prediction(ids[1], region, 0.9, "simple")
    client:delete_project(project.id)
    assert.equal("rectanglelabels", p.result[1].type)
    assert.same({"Dog"}, p.result[1].value.rectanglelabels)
    local verdict = python_verdicts({{config = xml,
                                      prediction = {result = region}}})
    assert.same({}, verdict[1])
  end)
end)
