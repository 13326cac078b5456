-- What the server answers, sent back as it came, and calls with all
-- their arguments by name in one table, against the real server.

local srv = require "ls_server"


local function new_project(client, tag)
  return client:start_project{title = ("Round trip %s %d"):format(tag,
                                                                 os.time())}
end


describe("labelstudio round trips #integration", function()
  local client

  setup(function() client = srv.client() end)

  it("sends a project's params back to set_params and start_project",
     function()
    local p = new_project(client, "params")
    local params = p:get_params()
    assert.is_table(params.created_by)
    assert.equal(p.id, p:set_params(params).id)
    local clone = p:get_params()
    clone.id = nil
    local q = client:start_project(clone)
    assert.are_not.equal(p.id, q.id)
    assert.equal(params.title, q.params.title)
    client:delete_project(q.id)
    client:delete_project(p.id)
  end)

  it("sends a webhook's JSON back to update_webhook", function()
    local p = new_project(client, "webhook")
    local h = p:create_webhook("http://127.0.0.1:9/hook")
    local back = client:update_webhook(h.id, client:get_webhook(h.id))
    assert.equal(h.url, back.url)
    back.is_active = false
    assert.is_false(client:update_webhook(h.id, back).is_active)
    client:delete_webhook{webhook_id = h.id}
    client:delete_project{project_id = p.id}
  end)

  it("sends the current user's JSON back to update_user", function()
    local me = client:get_current_user()
    assert.is_not_nil(me.permissions)
    assert.equal(me.id, client:update_user(me.id, me).id)
    assert.equal(me.id, client:update_user{user_id = me.id,
                                           first_name = me.first_name}.id)
    assert.equal(me.email, client:get_user{user_id = me.id}.email)
  end)

  it("deletes tasks and exports by name in one table", function()
    local p = new_project(client, "by name")
    local ids = p:import_tasks{{text = "a"}, {text = "b"}, {text = "c"}}
    assert.equal(1, p:delete_tasks{task_ids = {ids[1]}}.processed_items)
    assert.equal(2, #p:get_tasks_ids())
    local dir = os.tmpname()
    os.remove(dir)
    local out = p:export{title = "W", output_dir = dir,
                         serialization_options_predictions = false}
    assert.equal(200, out.status)
    os.execute("rm -rf '" .. dir .. "'")
    client:delete_project{project_id = p.id}
    assert.has_error(function() client:get_project(p.id) end)
  end)
end)
