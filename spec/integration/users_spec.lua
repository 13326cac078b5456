-- labelstudio.users against the real server: removing a user from the
-- organization. The other user and organization calls are in
-- sdk_part1_spec.lua.

local ls = require "labelstudio"
local srv = require "ls_server"


local function catch(fn, ...)
  local ok, e = pcall(fn, ...)
  assert.is_false(ok)
  return e
end


local function new_user(client, tag)
  return client:create_user{
    email = ("%s%d@example.invalid"):format(tag, os.time()),
    first_name = "Ann"}
end


describe("labelstudio.users #integration", function()
  local client

  setup(function() client = srv.client() end)

  describe("delete_membership", function()
    it("removes a user, whom the server then shows as deleted",
       function()
      local u = new_user(client, "leaving")
      assert.equal(u.email, client:get_user(u.id).email)
      assert.is_nil(client:delete_membership(u.id))
      local after = client:get_user(u.id)
      assert.equal("Deleted", after.email)
      assert.equal("Deleted", after.first_name)
      local listed
      for _, m in ipairs(client:get_memberships()) do
        if (m.user.id or m.user) == u.id then listed = m end
      end
      assert.equal("Deleted", listed.user.email)
    end)

    it("raises a 404 ApiError for a membership already removed",
       function()
      local u = new_user(client, "twice")
      client:delete_membership(u.id, client:get_organization().id)
      local e = catch(client.delete_membership, client, u.id)
      assert.is_true(ls.errors.is(e))
      assert.equal(404, e.status)
      assert.equal("Member not found", e.detail)
    end)

    it("raises a 405 ApiError for the caller's own membership", function()
      local me = client:get_current_user()
      local e = catch(client.delete_membership, client, me.id)
      assert.equal(405, e.status)
      assert.equal("User cannot soft delete self", e.detail)
      assert.equal(me.email, client:get_user(me.id).email)
    end)

    it("refuses a wrong user id at the caller's line", function()
      local e = catch(client.delete_membership, client, "3")
      assert.matches("users_spec.lua:%d+: user_id", e)
    end)
  end)
end)
