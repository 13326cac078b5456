-- labelstudio.client against the real server.

local ls = require "labelstudio"
local srv = require "ls_server"

describe("labelstudio.client #integration", function()
  local client

  setup(function() client = srv.client() end)
  teardown(srv.project_cleanup)

  it("checks the connection and names the current user", function()
    local r = client:check_connection()
    assert.equal("UP", r.status)
    assert.equal("admin@example.com", r.user.email)
  end)

  it("reads LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY by default", function()
    local c = ls.Client()
    assert.equal(srv.url, c.url)
    assert.equal("UP", c:check_connection().status)
  end)

  it("takes url and api_key positionally too", function()
    local c = ls.Client(srv.url, srv.key, {timeout = 30})
    assert.equal("UP", c:check_connection().status)
  end)

  it("makes any request with make_request", function()
    local r = client:make_request("GET", "/api/version")
    assert.equal(200, r.status)
    assert.equal("1.23.2", r.json.release)
  end)

  it("gives the server's versions and keeps them on the client", function()
    local c = srv.client()
    assert.is_nil(c.versions)
    local v = c:get_versions()
    assert.equal("1.23.2", v.release)
    assert.equal("Community", v.edition)
    assert.equal(v, c.versions)
    assert.is_false(require("labelstudio.enterprise").is_enterprise(c))
  end)

  it("builds URLs on the server with get_url, keeping a sub-path",
     function()
    assert.equal(srv.url .. "/api/version", client:get_url("/api/version"))
    assert.equal(srv.url .. "/api/version", client:get_url("api/version"))
    local r = client:make_request("GET", client:get_url("api/version"))
    assert.equal("1.23.2", r.json.release)
    local sub = ls.Client{url = "http://127.0.0.1:9/ls/", api_key = "k"}
    assert.equal("http://127.0.0.1:9/ls/projects/1",
                 sub:get_url("//projects/1"))
    assert.equal("http://127.0.0.1:9/ls/", sub:get_url())
  end)

  it("lists projects with list_projects, Python's other name", function()
    local title = ("listed %d"):format(os.time())
    local made = srv.project(client, title)
    local got = client:list_projects{title = title}
    assert.equal(1, #got)
    assert.equal(made.id, got[1].id)
    assert.equal(title, got[1].params.title)
    assert.equal(("labelstudio.Project(%d)"):format(made.id),
                 tostring(got[1]))
    local ids = {}
    for _, p in ipairs(client:list_projects()) do ids[p.id] = true end
    assert.is_true(ids[made.id])
  end)

  it("sends the key to its own server only, not to another origin",
     function()
    local c = srv.client()
    local whoami = "/api/current-user/whoami"
    local own = c:make_request("GET", srv.url .. whoami)
    assert.equal(200, own.status)
    local other = srv.url:gsub("127%.0%.0%.1", "localhost")
    local r = c:make_request("GET", other .. whoami,
                             {raise_exceptions = false})
    assert.equal(401, r.status)
  end)

  it("returns a failing status from make_request when asked", function()
    local r = client:make_request("GET", "/api/projects/999999/",
                                  {raise_exceptions = false})
    assert.equal(404, r.status)
  end)

  it("sends extra headers on every request", function()
    local c = srv.client{extra_headers = {["X-Lsrun-Spec"] = "yes"}}
    assert.equal(200, c:make_request("GET", "/api/version").status)
  end)

  it("keeps the key out of tostring(client)", function()
    assert.falsy(tostring(client):find(srv.key, 1, true))
  end)

  it("refuses a missing key", function()
    local ok, err = pcall(ls.Client, {url = srv.url, api_key = nil,
                                      timeout = 5})
    if os.getenv("LABEL_STUDIO_API_KEY") then
      assert.is_true(ok)
    else
      assert.is_false(ok)
      assert.matches("API key", err)
    end
  end)

  it("refuses an unknown option at the caller's line", function()
    local ok, err = pcall(ls.Client, {url = srv.url, api_key = "k",
                                      colour = "red"})
    assert.is_false(ok)
    assert.matches("unknown option 'colour'", err)
  end)

  it("lists, gets and deletes projects, across pages", function()
    local ids = {}
    for i = 1, 5 do
      ids[i] = srv.project(client, "paging " .. i).id
    end
    local found = srv.set((function()
      local out = {}
      for _, p in ipairs(client:get_projects{page_size = 2}) do
        out[#out + 1] = p.id
      end
      return out
    end)())
    for _, id in ipairs(ids) do assert.equal(1, found[id]) end
    local p = client:get_project(ids[1])
    assert.equal("paging 1", p.params.title)
    client:delete_project(ids[1])
    local ok, err = pcall(client.get_project, client, ids[1])
    assert.is_false(ok)
    assert.equal(404, err.status)
  end)

  it("gives only the page that page names, and nothing past the end",
     function()
    local title = ("only page %d"):format(os.time())
    local ids = {}
    for i = 1, 3 do ids[i] = srv.project(client, title .. " " .. i).id end
    local seen = {}
    for page = 1, 3 do
      local got = client:get_projects{title = title, page = page,
                                      page_size = 1}
      assert.equal(1, #got)
      seen[#seen + 1] = got[1].id
    end
    assert.same(srv.set(ids), srv.set(seen))
    assert.same({}, client:get_projects{title = title, page = 4,
                                        page_size = 1})
    assert.equal(3, #client:get_projects{title = title, page_size = 1})
  end)

  it("sends nothing for a call refused for a misspelt key", function()
    local before = #client:get_projects()
    local calls = {
      function() client:make_request("POST", "/api/projects/",
                                     {jsn = {title = "typo"}}) end,
      function() client:start_project{titel = "typo"} end,
      function() client:start_project{title = "typo", labelconfig = ""} end,
    }
    for _, call in ipairs(calls) do
      local ok, err = pcall(call)
      assert.is_false(ok)
      assert.matches("client_spec%.lua:%d+: .*unknown", err)
    end
    assert.equal(before, #client:get_projects())
  end)
end)
