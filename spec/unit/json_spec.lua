-- Pins every property of DESIGN.md decision 3 for labelstudio.json.
local json = require("labelstudio.json")

local function bits(x)
  return string.pack("<d", x)
end

local function raises(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

describe("labelstudio.json", function()
  it("decodes integers as Lua integers and keeps 64-bit values exact", function()
    local cases = {
      {"0", 0}, {"-0", 0}, {"42", 42}, {"-17", -17},
      {"9007199254740993", 9007199254740993},      -- 2^53 + 1
      {"9223372036854775807", math.maxinteger},    -- 2^63 - 1
      {"-9223372036854775808", math.mininteger},   -- -2^63
    }
    for _, c in ipairs(cases) do
      local v = json.decode(c[1])
      assert.are.equal("integer", math.type(v), c[1])
      assert.are.equal(c[2], v, c[1])
      assert.are.equal(c[1]:gsub("^%-0$", "0"), json.encode(v))
    end
  end)

  it("decodes integers beyond 64 bits as floats", function()
    local cases = {
      {"9223372036854775808", 2^63},
      {"-9223372036854775809", -2^63},
      {"18446744073709551616", 2^64},
      {"123456789012345678901234567890", 1.2345678901234568e29},
    }
    for _, c in ipairs(cases) do
      local v = json.decode(c[1])
      assert.are.equal("float", math.type(v), c[1])
      assert.are.equal(c[2], v, c[1])
    end
  end)

  it("round-trips floats bit for bit in their shortest form", function()
    local cases = {
      {0.1 + 0.2, "0.30000000000000004"},
      {10.458911419423693, "10.458911419423693"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {0.1, "0.1"}, {-2.5, "-2.5"}, {1e21, "1e+21"}, {1e-7, "1e-07"},
      {123.456, "123.456"}, {1/3, "0.3333333333333333"},
    }
    for _, c in ipairs(cases) do
      local text = json.encode(c[1])
      assert.are.equal(c[2], text)
      local back = json.decode(text)
      assert.are.equal("float", math.type(back), text)
      assert.are.equal(bits(c[1]), bits(back), text)
    end
  end)

  it("decodes floats to the nearest double, fast path or not", function()
    -- tonumber is strtod, the reference. Cases sit at the edges of
    -- the fast paths: 2^53 mantissas, 10^22 and 10^19 scales, 19
    -- significant digits, exact ties, -0.0 and subnormals.
    local cases = {
      "9007199254740992.0", "9007199254740993.0", "9007199254740995.0",
      "9007199254740993e-22", "9007199254740992e-22", "1e22", "1e23",
      "1.5e22", "123456789e22", "9007199254740993e22",
      "0.1", "0.30000000000000004", "2.5622987838855122",
      "85.44559257839192", "1.0000000000000002", "0.9999999999999999",
      "1.00000000000000011102230246251565", "9999999999999999999.0",
      "0.9999999999999999999", "0.1000000000000000055511151231257827",
      "1.2345678901234567e-19", "12345678901234567e-19",
      "1234567890123456789e-19", "1234567890123456789e-20",
      "4.9406564584124654e-324", "2.2250738585072011e-308",
      "-0.0", "0.0e5", "-0.000", "1E+2", "1e-0", "0.000001234567",
      "123456.789e3", "-7.0e-3", "1.7976931348623157e308",
      -- a hair above a tie: only the division's remainder says so
      "94245.03413267667202", "65.20320447224384708",
      "0.8684455894196375092", "6.179265670368963459",
    }
    math.randomseed(20241203)
    for _ = 1, 3000 do
      local digits = tostring(math.random(1, 99999999)) ..
        ("%09d"):format(math.random(0, 999999999)) ..
        ("%02d"):format(math.random(0, 99))
      local n = math.random(1, #digits)
      local int = digits:sub(1, math.random(1, n))
      local text = int .. "." .. digits:sub(#int + 1, n) .. "1"
      if math.random(2) == 1 then
        text = text .. "e" .. math.random(-30, 25)
      end
      cases[#cases + 1] = text
    end
    for _, text in ipairs(cases) do
      local v = json.decode(text)
      assert.are.equal("float", math.type(v), text)
      assert.are.equal(bits(tonumber(text)), bits(v), text)
    end
  end)

  it("keeps integral floats as floats, written with .0", function()
    local cases = {
      {"1.0", "1.0"}, {"-0.0", "-0.0"}, {"2.50", "2.5"},
      {"1e2", "100.0"}, {"1E+2", "100.0"}, {"0.0", "0.0"},
      {"1e16", "1e+16"},
    }
    for _, c in ipairs(cases) do
      local v = json.decode(c[1])
      assert.are.equal("float", math.type(v), c[1])
      assert.are.equal(c[2], json.encode(v), c[1])
    end
    assert.are.equal(bits(-0.0), bits(json.decode("-0.0")))
  end)

  it("keeps empty arrays and objects apart through decode then encode", function()
    local cases = {
      "[]", "{}", "[[]]", "[{}]", '{"a":[]}', '{"a":{}}',
      '[[],{},[[{}]]]', '{"a":{"b":{"c":[]}}}',
    }
    for _, text in ipairs(cases) do
      assert.are.equal(text, json.encode(json.decode(text)))
    end
  end)

  it("marks decoded tables and lets scripts mark their own", function()
    local cases = {
      {json.decode("[]"), json.array_mt, "[]"},
      {json.decode("{}"), json.object_mt, "{}"},
      {json.array(), json.array_mt, "[]"},
      {json.object(), json.object_mt, "{}"},
      {json.array({1, 2}), json.array_mt, "[1,2]"},
      {json.object({a = 1}), json.object_mt, '{"a":1}'},
      {json.object(json.array()), json.object_mt, "{}"},
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], getmetatable(c[1]))
      assert.are.equal(c[3], json.encode(c[1]))
    end
    assert.has_error(function() json.array(setmetatable({}, {})) end)
  end)

  it("encodes unmarked tables by their keys and an empty one as {}", function()
    local cases = {
      {{}, "{}"}, {{1, 2, 3}, "[1,2,3]"}, {{a = true}, '{"a":true}'},
      {{{}, {1}}, "[{},[1]]"}, {{"x", false}, '["x",false]'},
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], json.encode(c[1]))
    end
  end)

  it("tells arrays from objects", function()
    local cases = {
      {json.decode("[]"), true}, {json.decode("{}"), false},
      {{1, 2}, true}, {{}, false}, {{a = 1}, false}, {"x", false},
      {json.array({}), true}, {json.object({1}), false},
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], json.is_array(c[1]))
      if type(c[1]) == "table" then
        assert.are.equal(not c[2], json.is_object(c[1]))
      end
    end
  end)

  it("keeps null in arrays and objects", function()
    local cases = {
      "null", "[null]", "[1,null,3]", "[null,null]", '{"a":null}',
      '{"a":[null,{"b":null}]}',
    }
    for _, text in ipairs(cases) do
      assert.are.equal(text, json.encode(json.decode(text)))
    end
    assert.are.equal(json.null, json.decode("[1,null]")[2])
    assert.is_true(json.is_null(json.decode("null")))
    assert.are.equal(2, #json.decode("[null,null]"))
  end)

  it("decodes strings, escapes and surrogate pairs to UTF-8", function()
    local cases = {
      {[["plain"]], "plain"},
      {[["a\"b\\c\/d"]], 'a"b\\c/d'},
      {[["\b\f\n\r\t"]], "\b\f\n\r\t"},
      {[["\u0041\u00e9\u20AC"]], "Aé€"},
      {[["\u0000"]], "\0"},
      {[["\ud83d\ude00"]], "😀"},
      {[["\uD834\uDD1E!"]], "𝄞!"},
      {'"é😀 raw"', "é😀 raw"},
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], json.decode(c[1]), c[1])
    end
  end)

  it("keeps lone surrogate escapes exact through decode then encode", function()
    local cases = {
      {[["\ud800"]], "\xed\xa0\x80"},
      {[["\udfff"]], "\xed\xbf\xbf"},
      {[["a\ud83dx"]], "a\xed\xa0\xbdx"},
      {[["\ude00\ud83d"]], "\xed\xb8\x80\xed\xa0\xbd"},
    }
    for _, c in ipairs(cases) do
      local v = json.decode(c[1])
      assert.are.equal(c[2], v, c[1])
      assert.are.equal(c[1], json.encode(v))
    end
  end)

  it("escapes control characters on encode but not the slash", function()
    local cases = {
      {"a/b", '"a/b"'}, {'q"b\\', '"q\\"b\\\\"'},
      {"\n\r\t\b\f", '"\\n\\r\\t\\b\\f"'},
      {"\0\1\31", '"\\u0000\\u0001\\u001f"'},
      {"\127é", '"\127é"'},
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], json.encode(c[1]))
      assert.are.equal(c[1], json.decode(c[2]))
    end
  end)

  it("finds a byte that needs care at any place in a long run", function()
    -- The codec skips plain text 8 bytes at a time; put each kind of
    -- byte at every offset of strings that span several such words.
    local cases = {
      {'"', '\\"'}, {"\\", "\\\\"}, {"\n", "\\n"},
      {"\1", "\\u0001"}, {"\31", "\\u001f"}, {"\127", "\127"},
      {" ", " "}, {"\195\169", "\195\169"},
      {"\226\130\172", "\226\130\172"},
    }
    for len = 0, 24 do
      for pos = 0, len do
        for _, c in ipairs(cases) do
          local s = ("a"):rep(pos) .. c[1] .. ("b"):rep(len - pos)
          local want = '"' .. ("a"):rep(pos) .. c[2]
                       .. ("b"):rep(len - pos) .. '"'
          assert.equal(want, json.encode(s))
          assert.equal(s, json.decode(want))
        end
        local bad = ("a"):rep(pos) .. "\255" .. ("b"):rep(len - pos)
        assert.is_false((pcall(json.encode, bad)))
        assert.is_false((pcall(json.decode, '"' .. bad .. '"')))
        local ctl = ("a"):rep(pos) .. "\10" .. ("b"):rep(len - pos)
        assert.is_false((pcall(json.decode, '"' .. ctl .. '"')))
        assert.is_false((pcall(json.decode, '"' .. ("a"):rep(pos))))
      end
    end
  end)

  it("refuses invalid UTF-8 on encode, naming the key path", function()
    local cases = {
      {{data = {text = {"a", "b", "abcd\xff"}}},
       "invalid UTF-8 in string at $.data.text[3] (byte 5)"},
      {"\xc3", "invalid UTF-8 in string at $ (byte 1)"},
      {{"\xed\xa0\x80\xed\xb0\x80"}, "CESU-8 surrogate pair in string at $[1]"},
      {{["a b"] = {"\xe0\x80\x80"}}, 'at $["a b"][1] (byte 1)'},
      {{x = {["k\xff"] = 1}}, "invalid UTF-8 in key at $.x (byte 2)"},
    }
    for _, c in ipairs(cases) do
      local err = raises(json.encode, c[1])
      assert.truthy(err:find(c[2], 1, true), err)
    end
  end)

  it("refuses values JSON cannot hold, naming the key path", function()
    local cases = {
      {0/0, "cannot encode NaN at $"},
      {{a = {math.huge}}, "cannot encode infinity at $.a[1]"},
      {{-math.huge}, "cannot encode infinity at $[1]"},
      {{f = print}, "cannot encode a function at $.f"},
      {{1, nil, 3}, "array with holes at $"},
      {{1, a = 2}, "table mixing string and integer keys at $"},
      {{[true] = 1}, "neither a string nor an index at $"},
      {{[1.5] = 1}, "neither a string nor an index at $"},
      {json.object({1}), "number key in an object at $"},
      {json.array({a = 1}), "string key in a table marked as an array"},
    }
    for _, c in ipairs(cases) do
      local err = raises(json.encode, c[1])
      assert.truthy(err:find(c[2], 1, true), err)
    end
  end)

  it("refuses NaN and Infinity literals on decode", function()
    local cases = {"NaN", "Infinity", "-Infinity", "[1,NaN]", "1e999"}
    for _, text in ipairs(cases) do
      local err = raises(json.decode, text)
      assert.truthy(err:find("NaN and Infinity") or
                    err:find("out of range"), err)
    end
  end)

  it("limits nesting to 1000 levels on decode and encode", function()
    local ok = string.rep("[", 1000) .. string.rep("]", 1000)
    assert.are.equal(ok, json.encode(json.decode(ok)))
    local deep = string.rep("[", 1001) .. string.rep("]", 1001)
    local err = raises(json.decode, deep)
    assert.truthy(err:find("nesting deeper than 1000 levels at byte 1001"),
                  err)
    local t = {}
    t[1] = t
    err = raises(json.encode, t)
    assert.truthy(err:find("nesting deeper than 1000 levels"), err)
  end)

  it("reports malformed input with the byte offset, line and column", function()
    local cases = {
      {"", "expected a value but found end of input at byte 1"},
      {"[1,\n 2,,3]", "found ',' at byte 8 (line 2, column 4)"},
      {'{"a" 1}', "expected ':' but found '1' at byte 6"},
      {'{"a":1,}', "expected a string key but found '}' at byte 8"},
      {"[1 2]", "expected ',' or ']' but found '2' at byte 4"},
      {"[1] x", "expected end of input but found 'x' at byte 5"},
      {"01", "leading zero at byte 1"},
      {"-", "expected a digit but found end of input at byte 2"},
      {"1.", "expected a digit but found end of input at byte 3"},
      {"1.5e", "expected a digit"},
      {"tru", "expected a value but found 't' at byte 1"},
      {'"abc', "unterminated string at byte 5"},
      {'"a\tb"', "unescaped control character in string at byte 3"},
      {'"\\x"', "invalid escape in string at byte 2"},
      {'"\\u12G4"', "invalid \\u escape at byte 2"},
      {'"\xff"', "invalid UTF-8 in string at byte 2"},
      {'"\xed\xa0\x80"', "invalid UTF-8 in string at byte 2"},
      {"\xef\xbb\xbf[]", "byte 0xEF at byte 1"},
      {"[1]\0", "byte 0x00 at byte 4"},
      {"{'a':1}", "expected a string key but found ''' at byte 2"},
    }
    for _, c in ipairs(cases) do
      local err = raises(json.decode, c[1])
      assert.truthy(err:find(c[2], 1, true), err)
    end
  end)

  it("writes compact output in table order, or sorted and indented", function()
    local v = json.decode('{"b":[1,{}],"a":{"y":null,"x":[]},"c":"s"}')
    local cases = {
      {{sort_keys = true},
       '{"a":{"x":[],"y":null},"b":[1,{}],"c":"s"}'},
      {{sort_keys = true, indent = true}, table.concat({
        '{', '  "a": {', '    "x": [],', '    "y": null', '  },',
        '  "b": [', '    1,', '    {}', '  ],', '  "c": "s"', '}'}, "\n")},
      {{sort_keys = true, indent = 1},
       '{\n "a": {\n  "x": [],\n  "y": null\n },\n "b": [\n  1,\n' ..
       '  {}\n ],\n "c": "s"\n}'},
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], json.encode(v, c[1]))
    end
    local text = json.encode(v)
    assert.are.equal(json.encode(v, {sort_keys = true}),
                     json.encode(json.decode(text), {sort_keys = true}))
  end)

  it("encodes scalars and keeps the last of repeated keys", function()
    local cases = {
      {true, "true"}, {false, "false"}, {nil, "null"}, {json.null, "null"},
      {"", '""'}, {-1, "-1"}, {math.mininteger, "-9223372036854775808"},
    }
    for _, c in ipairs(cases) do
      assert.are.equal(c[2], json.encode(c[1]))
    end
    assert.are.equal(2, json.decode('{"a":1,"a":2}').a)
    local many = {}
    for i = 1, 100 do many[#many + 1] = ('"k%d":%d'):format(i % 40, i) end
    local t = json.decode("{" .. table.concat(many, ",") .. "}")
    assert.are.equal(80, t.k0)
    assert.are.equal(99, t.k19)
  end)

  it("decodes long arrays and objects in order", function()
    local items, members = {}, {}
    for i = 1, 1000 do
      items[i] = i
      members[i] = ('"%d":%d'):format(i, i)
    end
    local a = json.decode(json.encode(items))
    assert.are.same(items, a)
    assert.are.equal(1000, #a)
    local o = json.decode("{" .. table.concat(members, ",") .. "}")
    for i = 1, 1000 do assert.are.equal(i, o[tostring(i)]) end
  end)

  it("tells apart keys that share length and first, middle and last bytes",
     function()
    -- the key cache hashes only those; the rest must still count
    local text = '[{"axxa":1,"ayxa":2,"a\\u0078xa":3},' ..
                 '{"ayxa":4,"axxa":5,":":6,":":7},{"' .. ("k"):rep(65) ..
                 '":8,"ab\\"":9,"ab\\"":10}]'
    local v = json.decode(text)
    assert.are.same({axxa = 3, ayxa = 2}, v[1])
    assert.are.same({ayxa = 4, axxa = 5, [":"] = 7}, v[2])
    assert.are.same({[("k"):rep(65)] = 8, ['ab"'] = 10}, v[3])
    local many = {}
    for i = 1, 2000 do many[i] = ('{"k%d":%d}'):format(i % 700, i) end
    v = json.decode("[" .. table.concat(many, ",") .. "]")
    for i = 1, 2000 do
      assert.are.equal(i, v[i]["k" .. i % 700], i)
      assert.are.equal(1, #json.encode(v[i]):gsub("[^:]", ""))
    end
  end)
end)

describe("labelstudio.json reader", function()
  local path = os.tmpname()

  local function write(text)
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
  end

  local function read_all(source)
    local out = {}
    for v in json.reader(source) do out[#out + 1] = json.encode(v) end
    return out
  end

  teardown(function() os.remove(path) end)

  it("yields each element of a top-level array in order", function()
    local cases = {
      {"[]", {}},
      {" [ ] \n", {}},
      {"[1]", {"1"}},
      {'[1, "a,]", null, true, [], {}, -1.5e3, 2.0]',
       {"1", '"a,]"', "null", "true", "[]", "{}", "-1500.0", "2.0"}},
      {'[{"a":[1,{"b":"x]}\\"y"}]},[[[]]]]',
       {'{"a":[1,{"b":"x]}\\"y"}]}', "[[[]]]"}},
    }
    for _, c in ipairs(cases) do
      write(c[1])
      assert.are.same(c[2], read_all(path), c[1])
    end
  end)

  it("keeps keys apart from one element to the next", function()
    local many = {}
    for i = 1, 3000 do many[i] = ('{"k%d":%d,"x":[]}'):format(i % 900, i) end
    write("[" .. table.concat(many, ",") .. "]")
    local i = 0
    for v in json.reader(path) do
      i = i + 1
      assert.are.same({["k" .. i % 900] = i, x = {}}, v, i)
    end
    assert.are.equal(3000, i)
  end)

  it("reads elements that straddle chunk boundaries exactly", function()
    local items, parts = {}, {}
    for i = 1, 3000 do
      local v = {id = i, x = i / 7, s = ("é\\u00e9\"%d"):rep(i % 9)}
      if i % 500 == 0 then v.long = ("y"):rep(200000) end
      items[i] = v
      parts[i] = json.encode(v, {sort_keys = true})
    end
    write("[" .. table.concat(parts, ",\n") .. "]")
    local i = 0
    for v in json.reader(path) do
      i = i + 1
      assert.are.equal(parts[i], json.encode(v, {sort_keys = true}))
    end
    assert.are.equal(3000, i)
  end)

  it("reads from an open file handle and leaves it open", function()
    write("[1,2,3]")
    local f = assert(io.open(path, "rb"))
    assert.are.same({"1", "2", "3"}, read_all(f))
    assert.are.equal("file", io.type(f))
    f:close()
  end)

  it("keeps memory flat however long the file is", function()
    local row = json.encode({id = 1, text = ("z"):rep(1000)})
    local f = assert(io.open(path, "wb"))
    f:write("[", row)
    for _ = 2, 8000 do f:write(",", row) end
    f:write("]")
    f:close()
    collectgarbage()
    local before, peak, n = collectgarbage("count"), 0, 0
    for v in json.reader(path) do
      n = n + 1
      assert.are.equal(1000, #v.text)
      if n % 500 == 0 then  -- what the reader holds, not garbage
        v = nil
        collectgarbage()
        peak = math.max(peak, collectgarbage("count") - before)
      end
    end
    assert.are.equal(8000, n)
    -- the file is 8 MB; the reader holds a buffer and one value
    assert.is_true(peak < 512, ("holds %.0f KB"):format(peak))
  end)

  it("raises with the byte offset in the file on malformed input", function()
    local cases = {
      {"", "expected '[' (an array) but found end of input at byte 1"},
      {"  {}", "expected '[' (an array) but found '{' at byte 3"},
      {"[1,2", "expected ',' or ']' but found end of input at byte 5"},
      {"[1,]", "expected a value but found ']' at byte 4"},
      {"[1 2]", "expected ',' or ']' but found '2' at byte 4"},
      {"[1,{\"a\":}]", "expected a value but found '}' at byte 9"},
      {"[1] 2", "expected end of input but found '2' at byte 5"},
      {"[1,[2,", "found end of input at byte 7"},
      {"[\"abc", "unterminated string at byte 6"},
      {"[" .. ("1,"):rep(50000) .. "x]", "found 'x' at byte 100002"},
    }
    for _, c in ipairs(cases) do
      write(c[1])
      local err = raises(read_all, path)
      assert.truthy(err:find("json.reader: " .. path, 1, true), err)
      assert.truthy(err:find(c[2], 1, true), err)
    end
  end)

  it("stops after an error, a break or a closed handle", function()
    write("[1,x,3]")
    local next_item = json.reader(path)
    assert.are.equal(1, next_item())
    assert.has_error(next_item)
    local err = raises(next_item)
    assert.truthy(err:find("cannot go on"), err)
    write("[1,2,3]")
    local f = assert(io.open(path, "rb"))
    next_item = json.reader(f)
    assert.are.equal(1, next_item())
    f:close()
    err = raises(next_item)
    assert.truthy(err:find("cannot go on"), err)
    local closing
    for v, _ in json.reader(path) do
      closing = v
      break
    end
    assert.are.equal(1, closing)
    assert.has_error(function() json.reader("/nonexistent/x.json") end)
  end)

  it("names a missing argument as missing", function()
    local err = raises(json.reader)
    assert.truthy(err:find("bad argument #1", 1, true), err)
    assert.falsy(err:find("Reader", 1, true), err)
    err = raises(json.reader, 1, 2)
    assert.truthy(err:find("No such file", 1, true), err)
  end)
end)
