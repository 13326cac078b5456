-- The pure rules of labelstudio.bulk and labelstudio.progress: how
-- lists are cut into requests, how a stopped call sorts its items into
-- three states, and what the progress line says.

local bulk = require "labelstudio.bulk"
local progress = require "labelstudio.progress"


local function texts(sizes)
  local t = {}
  for i, n in ipairs(sizes) do t[i] = ("x"):rep(n) end
  return t
end


local function bounds(chunks)
  local out = {}
  for i, c in ipairs(chunks) do out[i] = {c.first, c.last} end
  return out
end


describe("labelstudio.bulk", function()
  describe("split", function()
    local cases = {
      {"no items, no chunk", {}, 10, 100, {}},
      {"one chunk when all fits", {1, 1, 1}, 10, 100, {{1, 3}}},
      {"cuts by count", {1, 1, 1, 1, 1}, 2, 100, {{1, 2}, {3, 4}, {5, 5}}},
      -- "[aaaa,bbbb]" is 11 bytes: 2 brackets, 8 bytes, 1 comma
      {"the array with commas fits exactly", {4, 4}, 10, 11, {{1, 2}}},
      {"one byte over starts a new chunk", {4, 4}, 10, 10, {{1}, {2}}},
      {"cuts by bytes", {30, 30, 30}, 10, 70, {{1, 2}, {3, 3}}},
      {"count and bytes together", {5, 5, 5, 50, 5}, 2, 55,
       {{1, 2}, {3, 3}, {4, 4}, {5, 5}}},
    }
    for _, c in ipairs(cases) do
      it(c[1], function()
        local want = {}
        for i, b in ipairs(c[5]) do want[i] = {b[1], b[2] or b[1]} end
        assert.same(want, bounds(bulk.split(texts(c[2]), c[3], c[4])))
      end)
    end

    it("keeps every chunk within both limits", function()
      local sizes = {}
      for i = 1, 500 do sizes[i] = (i * 37) % 90 + 1 end
      local chunks = bulk.split(texts(sizes), 17, 400)
      local covered = 0
      for _, ch in ipairs(chunks) do
        assert.is_true(ch.last - ch.first + 1 <= 17)
        local body = "[" .. table.concat(texts(sizes), ",", ch.first,
                                         ch.last) .. "]"
        assert.equal(#body, ch.bytes)
        assert.is_true(ch.bytes <= 400)
        assert.equal(covered + 1, ch.first)
        covered = ch.last
      end
      assert.equal(500, covered)
    end)

    it("refuses an item larger than the byte limit alone", function()
      assert.has_error(function() bulk.split(texts{3, 20}, 10, 10) end,
                       "item 2 is 20 bytes, more than chunk_bytes (10)")
    end)
  end)

  describe("chunk_options", function()
    it("fills the defaults, which stay below the server's limits", function()
      local o = bulk.chunk_options{}
      assert.equal(bulk.DEFAULTS.chunk_size, o.chunk_size)
      assert.equal(1, o.max_in_flight)
      assert.is_true(o.chunk_size <= bulk.LIMITS.chunk_size)
      assert.is_true(o.chunk_bytes <= bulk.LIMITS.chunk_bytes)
    end)

    it("refuses sizes above the server's limits", function()
      assert.has_error(function()
        bulk.chunk_options{chunk_size = 250001}
      end, "chunk_size must be from 1 to 250000")
      assert.has_error(function()
        bulk.chunk_options{chunk_bytes = 0}
      end, "chunk_bytes must be from 1 to 200000000")
    end)
  end)

  describe("encode_items", function()
    it("names the item that cannot be encoded", function()
      assert.has_error(function()
        bulk.encode_items({{a = 1}, {b = 0 / 0}}, "task")
      end)
      local ok, msg = pcall(bulk.encode_items, {{a = 1}, 5}, "task")
      assert.is_false(ok)
      assert.matches("task 2 must be a table, not a number", msg)
    end)

    it("refuses a list with a hole instead of cutting it short",
       function()
      local ok, msg = pcall(bulk.encode_items, {{a = 1}, nil, {a = 3}},
                            "task")
      assert.is_false(ok)
      assert.matches("tasks: list has a hole at 2", msg, 1, true)
    end)
  end)

  describe("error_from", function()
    local ls = require "labelstudio"
    local client = ls.Client{url = "http://127.0.0.1:1", retries = 0,
      api_key = "0123456789abcdef0123456789abcdef01234567"}
    local req = {method = "POST", url = "/api/projects/7/import"}
    local html = {status = 500, headers = {["Content-Type"] = "text/html"},
                  body = "<html><head><title>Server Error (500)</title>"
                         .. "</head><body>boom</body></html>"}

    it("keeps the title of an HTML error page, as a single call does",
       function()
      local e = bulk.error_from(client, req, html)
      assert.equal(500, e.status)
      assert.equal("Server Error (500)", e.detail)
      local single = require("labelstudio.client")._status_error(
        client, req.method, req.url, html, nil)
      assert.equal(single.detail, e.detail)
      assert.matches("HTTP 500 Internal Server Error\n  Server Error (500)",
                     tostring(e), 1, true)
    end)

    it("keeps the server's JSON detail and validation errors", function()
      local e = bulk.error_from(client, req, {status = 400,
        headers = {["Content-Type"] = "application/json"},
        body = '{"detail": "Validation error",'
               .. ' "validation_errors": {"data": ["bad"]}}'})
      assert.equal("Validation error", e.detail)
      assert.same({data = {"bad"}}, e.validation_errors)
    end)

    it("says a 500 is an answer whose chunk may still have landed",
       function()
      local items = {{n = 1}, {n = 2}}
      local failed = {index = 1, first = 1, last = 2, state = "unknown",
                      err = bulk.error_from(client, req, html)}
      local text = bulk.describe("import", bulk.report(items, {failed}),
                                 failed)
      assert.matches("items 1-2: answered HTTP 500, which does not mean"
                     .. " nothing was stored", text, 1, true)
      assert.matches("unknown (sent, may have landed): 1-2", text, 1, true)
      assert.falsy(text:find("no answer", 1, true))
    end)
  end)

  describe("report", function()
    local items = {}
    for i = 1, 7 do items[i] = {n = i} end
    local chunks = {
      {first = 1, last = 2, state = "landed", ids = {11, 12}},
      {first = 3, last = 4, state = "landed", ids = {13, 14}},
      {first = 5, last = 5, state = "unknown"},
      {first = 6, last = 7},
    }

    it("sorts the items into landed, unknown and not sent", function()
      local r = bulk.report(items, chunks)
      assert.same({1, 2, 3, 4}, r.landed_index)
      assert.same({11, 12, 13, 14}, r.landed_ids)
      assert.same({5}, r.unknown_index)
      assert.same({6, 7}, r.not_sent_index)
      assert.equal(items[6], r.not_sent[1])
    end)

    it("counts a refused chunk as not stored, so safe to send again",
       function()
      local c = {{first = 1, last = 2, state = "landed", ids = {1, 2}},
                 {first = 3, last = 4, state = "refused"},
                 {first = 5, last = 7}}
      local r = bulk.report(items, c)
      assert.same({3, 4, 5, 6, 7}, r.not_sent_index)
      assert.same({}, r.unknown_index)
    end)

    it("says it in ranges", function()
      local r = bulk.report(items, chunks)
      local text = bulk.describe("import", r, {index = 3, first = 5,
                                 last = 5, state = "unknown"})
      assert.matches("stopped at chunk 3 of 4", text, 1, true)
      assert.matches("landed: 1-4", text, 1, true)
      assert.matches("unknown (sent, may have landed): 5", text, 1, true)
      assert.matches("not sent: 6-7", text, 1, true)
    end)
  end)
end)


describe("labelstudio.progress", function()
  it("draws a bar with count, rate and ETA", function()
    local line = progress.line{what = "import", done = 50, total = 100,
                               unit = "tasks", rate = 25, eta = 2}
    assert.equal("lsrun: import [############            ] 50/100"
                 .. " 25 tasks/s ETA 00:02", line)
  end)

  it("calls the callback after each step and at the end", function()
    local seen = {}
    local p = progress.new{what = "x", total = 3,
                           progress = function(s) seen[#seen + 1] = s end}
    p:add(1)
    p:add(2)
    p:finish()
    assert.equal(3, #seen)
    assert.equal(3, seen[3].done)
    assert.is_true(seen[3].finished)
    assert.is_false(seen[1].finished)
  end)

  -- Whether a bar is allowed (stderr a terminal, no -q) is checked on
  -- a pseudo-terminal in spec/cli/progress_spec.lua; here it is stubbed.
  it("draws the bar where allowed unless progress is false or a function",
     function()
    local allowed = progress.bar_allowed
    progress.bar_allowed = function() return true end
    local default = progress.new{what = "x", total = 1}
    local off = progress.new{what = "x", total = 1, progress = false}
    local fn = progress.new{what = "x", total = 1, progress = print}
    progress.bar_allowed = function() return false end
    local refused = progress.new{what = "x", total = 1}
    progress.bar_allowed = allowed
    assert.is_true(default.bar)
    assert.is_nil(off.bar)
    assert.is_nil(fn.bar)
    assert.equal(print, fn.callback)
    assert.is_nil(refused.bar)
  end)
end)
