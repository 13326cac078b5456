-- labelstudio.ml against the real server: the model versions of an ML
-- backend, played by the loopback service (loopback_service.py). The
-- other ML backend calls are in sdk_part1_spec.lua.

local ls = require "labelstudio"
local srv = require "ls_server"


local function catch(fn, ...)
  local ok, e = pcall(fn, ...)
  assert.is_false(ok)
  return e
end


describe("labelstudio.ml #integration", function()
  local client, svc, backend

  setup(function()
    client = srv.client()
    svc = require("loopback_service").start()
    local p = srv.project(client, "ml versions", srv.TEXT_CONFIG)
    backend = p:create_ml_backend(svc.url, {title = "versions"})
  end)
  teardown(function()
    srv.project_cleanup()
    svc:stop()
  end)

  it("gives the model versions the backend reports", function()
    svc:clear()
    local v = client:get_ml_backend_versions(backend.id)
    assert.same({"loopback-1", "loopback-0"}, v.versions)
    local asked = svc:wait(function(r)
      return r.method == "GET" and r.path == "/versions"
    end)
    assert.equal(1, #asked)
    assert.same(v, client:get_ml_backend_versions{id = backend.id})
  end)

  it("raises an ApiError (404) for a backend that is not there", function()
    local e = catch(client.get_ml_backend_versions, client, 987654)
    assert.is_true(ls.errors.is(e))
    assert.equal(404, e.status)
    assert.matches("/api/ml/987654/versions", e.url, 1, true)
  end)

  it("refuses a wrong id at the caller's line", function()
    local e = catch(client.get_ml_backend_versions, client, "1")
    assert.matches("ml_spec.lua:%d+: ml_backend_id", e)
  end)
end)
