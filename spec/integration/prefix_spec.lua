-- A base URL with a path prefix keeps it, token refresh included:
-- Label Studio behind Debian's nginx on loopback, under /ls/.

local ls = require "labelstudio"
local nginx = require "ls_nginx"
local srv = require "ls_server"

describe("labelstudio.client under a path prefix #integration", function()
  local url, pat

  setup(function()
    url = nginx.start(srv.url)
    pat = srv.pat(srv.client())
  end)
  teardown(function()
    srv.project_cleanup()
    nginx.stop()
  end)

  it("works with a legacy token", function()
    local c = ls.Client{url = url, api_key = srv.key}
    assert.equal("UP", c:check_connection().status)
    local project = srv.project(c, "behind nginx")
    local ids = project:import_tasks(srv.image_tasks(120))
    assert.equal(120, #project:get_tasks_ids())
    project:create_prediction(ids[1], "Dog", 0.5)
    assert.equal(1, #project:get_task(ids[1]).predictions)
    local found = false
    for _, p in ipairs(c:get_projects()) do
      found = found or p.id == project.id
    end
    assert.is_true(found)
  end)

  it("refreshes a personal access token under the prefix", function()
    local c = ls.Client{url = url .. "/", api_key = pat}
    assert.equal("admin@example.com", c:check_connection().user.email)
    local log = nginx.access_log()
    assert.matches("POST /ls/api/token/refresh/ ", log)
    assert.matches("GET /ls/api/current%-user/whoami ", log)
    assert.falsy(log:find('"[A-Z]+ /api/', 1))
  end)
end)
