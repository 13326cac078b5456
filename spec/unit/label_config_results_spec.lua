local lc = require "labelstudio.label_config"

local ALL = [[
<View>
  <Image name="img" value="$image"/>
  <Text name="txt" value="$text"/>
  <HyperText name="html" value="$html"/>
  <Audio name="audio" value="$audio"/>
  <TimeSeries name="ts" value="$ts" valueType="json" timeColumn="t">
    <Channel column="v"/>
  </TimeSeries>
  <Video name="video" value="$video"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
  <KeyPointLabels name="kp" toName="img"><Label value="Eye"/></KeyPointLabels>
  <EllipseLabels name="ell" toName="img"><Label value="Ball"/></EllipseLabels>
  <BrushLabels name="brush" toName="img"><Label value="Sky"/></BrushLabels>
  <Labels name="ner" toName="txt"><Label value="PER"/></Labels>
  <HyperTextLabels name="hner" toName="html"><Label value="ORG"/></HyperTextLabels>
  <Labels name="seg" toName="audio"><Label value="Speech"/></Labels>
  <TimeSeriesLabels name="tsl" toName="ts"><Label value="Peak"/></TimeSeriesLabels>
  <TimelineLabels name="tl" toName="video"><Label value="Run"/></TimelineLabels>
  <Choices name="cls" toName="txt" choice="multiple">
    <Choice value="A"/><Choice value="B"/>
  </Choices>
  <Taxonomy name="tax" toName="txt">
    <Choice value="Animal"><Choice value="Dog"/></Choice>
  </Taxonomy>
  <TextArea name="note" toName="txt"/>
  <Rating name="stars" toName="txt" maxRating="10"/>
  <Number name="count" toName="txt" min="0" max="5"/>
  <DateTime name="when" toName="txt" only="date"/>
  <Choices name="dyn" toName="txt" value="$options"/>
</View>]]

local cfg = lc.parse(ALL)


describe("labelstudio.label_config results", function()
  local cases = {
    {"box", {x = 1, y = 2, width = 3, height = 4, label = "Car"},
     "rectanglelabels", {x = 1, y = 2, width = 3, height = 4,
                         rotation = 0, rectanglelabels = {"Car"}}},
    {"poly", {points = {{1, 2}, {3, 4}, {5, 1}}, label = "Road"},
     "polygonlabels", {points = {{1, 2}, {3, 4}, {5, 1}},
                       polygonlabels = {"Road"}}},
    {"kp", {x = 5, y = 6, label = "Eye"}, "keypointlabels",
     {x = 5, y = 6, keypointlabels = {"Eye"}}},
    {"ell", {x = 5, y = 6, radiusX = 2, radiusY = 3, label = "Ball"},
     "ellipselabels", {x = 5, y = 6, radiusX = 2, radiusY = 3,
                       rotation = 0, ellipselabels = {"Ball"}}},
    {"brush", {rle = {1, 2, 3}, label = "Sky"}, "brushlabels",
     {format = "rle", rle = {1, 2, 3}, brushlabels = {"Sky"}}},
    {"ner", {start = 0, ["end"] = 4, text = "Anna", label = "PER"},
     "labels", {start = 0, ["end"] = 4, text = "Anna", labels = {"PER"}}},
    {"hner", {start = "/p[1]", ["end"] = "/p[1]", startOffset = 0,
              endOffset = 3, label = "ORG"}, "hypertextlabels",
     {start = "/p[1]", ["end"] = "/p[1]", startOffset = 0, endOffset = 3,
      hypertextlabels = {"ORG"}}},
    {"seg", {start = 1.5, ["end"] = 2.5, label = "Speech"}, "labels",
     {start = 1.5, ["end"] = 2.5, labels = {"Speech"}}},
    {"tsl", {start = 1, ["end"] = 3, label = "Peak"}, "timeserieslabels",
     {start = 1, ["end"] = 3, instant = false,
      timeserieslabels = {"Peak"}}},
    {"tl", {ranges = {{start = 1, ["end"] = 9}}, label = "Run"},
     "timelinelabels", {ranges = {{start = 1, ["end"] = 9}},
                        timelinelabels = {"Run"}}},
    {"cls", {"A", "B"}, "choices", {choices = {"A", "B"}}},
    {"tax", "Dog", "taxonomy", {taxonomy = {{"Animal", "Dog"}}}},
    {"tax", {{"Animal"}}, "taxonomy", {taxonomy = {{"Animal"}}}},
    {"note", "hello", "textarea", {text = {"hello"}}},
    {"stars", 7, "rating", {rating = 7}},
    {"count", 2.5, "number", {number = 2.5}},
    {"when", "2024-05-01", "datetime", {datetime = "2024-05-01"}},
    {"dyn", "anything", "choices", {choices = {"anything"}}},
  }
  for _, case in ipairs(cases) do
    it(("builds a %s result for control %s"):format(case[3], case[1]),
       function()
      local out = cfg:result(case[1], case[2])
      assert.equal(1, #out)
      assert.same({case[1], case[3]}, {out[1].from_name, out[1].type})
      assert.same(case[4], out[1].value)
      assert.is_true((cfg:check(out)))
    end)
  end

  local misuse = {
    {"an unknown label, naming the valid ones", "box",
     {x = 1, y = 2, width = 3, height = 4, label = "Bus"},
     'control "box" (RectangleLabels) has no label "Bus"; valid labels: '
       .. '"Car"'},
    {"a rating over maxRating", "stars", 11, "integer 0..10"},
    {"a number out of range", "count", 9, "in 0..5"},
    {"a polygon of two points", "poly",
     {points = {{1, 2}, {3, 4}}, label = "Road"}, "at least 3"},
    {"an unknown control", "nope", "A", 'no control named "nope"'},
    {"an unknown taxonomy choice", "tax", "Cat", "valid choices"},
  }
  for _, case in ipairs(misuse) do
    it("raises on " .. case[1], function()
      local ok, err = pcall(cfg.result, cfg, case[2], case[3])
      assert.is_false(ok)
      assert.matches(case[4], err, 1, true)
    end)
  end

  it("builds many controls at once, in config order", function()
    local out = cfg:results{note = "hi", cls = "A",
                            box = {{x = 1, y = 1, width = 2, height = 2,
                                    label = "Car"},
                                   {x = 5, y = 5, width = 2, height = 2,
                                    label = "Car"}}}
    local names = {}
    for i, item in ipairs(out) do names[i] = item.from_name end
    assert.same({"box", "box", "cls", "note"}, names)
    assert.is_true((cfg:check(out)))
  end)

  it("keeps the Python SDK's name create_regions", function()
    assert.equal(cfg.results, cfg.create_regions)
  end)

  it("makes an empty table an empty result list, encoded as []",
     function()
    local json = require "labelstudio.json"
    assert.equal("[]", json.encode(cfg:result_from({})))
    assert.equal("[]", json.encode(cfg:result_from(json.array{})))
  end)
end)


describe("labelstudio.label_config check", function()
  local function item(from, to, typ, value)
    return {id = "a", from_name = from, to_name = to, type = typ,
            value = value}
  end
  local cases = {
    {"an unknown control", item("zzz", "img", "choices", {}),
     'unknown control "zzz"'},
    {"a wrong to_name", item("cls", "img", "choices", {choices = {"A"}}),
     'to_name "img" is not a toName of control "cls"'},
    {"a wrong type", item("cls", "txt", "labels", {choices = {"A"}}),
     'type "labels" does not fit control "cls"'},
    {"an unknown label", item("cls", "txt", "choices", {choices = {"Z"}}),
     'has no label "Z"'},
    {"a box past the right edge",
     item("box", "img", "rectanglelabels", {x = 90, y = 0, width = 20,
          height = 5, rectanglelabels = {"Car"}}), "reaches past 100%"},
    {"a negative x", item("kp", "img", "keypointlabels",
     {x = -1, y = 0, keypointlabels = {"Eye"}}), "within 0..100"},
    {"a zero width", item("box", "img", "rectanglelabels",
     {x = 1, y = 1, width = 0, height = 5, rectanglelabels = {"Car"}}),
     "must be > 0"},
    {"a rating out of range", item("stars", "txt", "rating",
     {rating = 12}), "integer 0..10"},
    {"an item that is not a table", "x", "must be a table"},
  }
  for _, case in ipairs(cases) do
    it("finds " .. case[1], function()
      local ok, problems = cfg:check({case[2]})
      assert.is_false(ok)
      assert.equal(1, problems[1].index)
      assert.matches(case[3], problems[1].message, 1, true)
    end)
  end

  it("lets a rotated box reach past the edge", function()
    assert.is_true((cfg:check{item("box", "img", "rectanglelabels",
      {x = 90, y = 0, width = 20, height = 5, rotation = 30,
       rectanglelabels = {"Car"}})}))
  end)

  it("accepts new labels for a control with a dynamic value", function()
    assert.is_true((cfg:check{item("dyn", "txt", "choices",
                                   {choices = {"new"}})}))
  end)
end)


describe("labelstudio.label_config samples", function()
  it("gives a value for every variable, shaped for its tag", function()
    local data = cfg:sample_task()
    assert.matches("%.invalid/", data.image)
    assert.is_string(data.text)
    assert.same({0, 1, 2, 3}, data.ts.t)
    assert.is_table(data.ts.v)
    assert.equal("Option A", data.options[1].value)
  end)

  it("gives a prediction that passes its own check", function()
    local p = cfg:sample_prediction()
    assert.is_true(#p.result >= 15)
    assert.is_true((cfg:check(p.result)))
  end)
end)


describe("labelstudio.label_config result_from", function()
  local pets = lc.parse([[
<View>
  <Image name="image" value="$image"/>
  <Choices name="pet" toName="image">
    <Choice value="Dog"/><Choice value="Cat"/>
  </Choices>
  <Choices name="mood" toName="image">
    <Choice value="Happy"/><Choice value="Dog"/>
  </Choices>
  <RectangleLabels name="box" toName="image">
    <Label value="Dog"/><Label value="Cat"/>
  </RectangleLabels>
</View>]])

  local function message(...)
    local ok, err = pcall(pets.result_from, pets, ...)
    assert.is_false(ok)
    return err
  end

  it("hints at a table keyed by control name for an ambiguous label",
     function()
    assert.matches('label "Dog" fits several controls: "pet", "mood";'
                   .. ' use a table keyed by control name, such as'
                   .. ' {pet = "Dog"}', message("Dog"), 1, true)
  end)

  it("takes that table: every key a control name", function()
    local out = pets:result_from{pet = "Dog"}
    assert.equal(1, #out)
    assert.equal("pet", out[1].from_name)
    assert.same({"Dog"}, out[1].value.choices)
    out = pets:result_from{mood = "Dog", box = {x = 1, y = 2, width = 3,
                                                height = 4, label = "Cat"}}
    local names = {}
    for i, item in ipairs(out) do names[i] = item.from_name end
    assert.same({"mood", "box"}, names)
  end)

  it("still refuses a table mixing control names and other keys",
     function()
    assert.matches("cannot make a result from this table",
                   message{pet = "Dog", colour = "brown"}, 1, true)
  end)

  local typos = {
    {"a misspelt width, not read as a keypoint",
     {x = 1, y = 2, width = 3, widht = 3, label = "Dog"},
     'unknown region key "widht" (did you mean "width"?)'},
    {"a misspelt label", {x = 1, y = 2, width = 3, height = 4,
                          lable = "Dog"},
     'unknown region key "lable" (did you mean "label"?)'},
    {"a misspelt key under a control name",
     {box = {x = 1, y = 2, width = 3, heigth = 4, label = "Dog"}},
     'control "box" (RectangleLabels): unknown region key "heigth"'
     .. ' (did you mean "height"?)'},
    {"a key like no region key", {x = 1, y = 2, colour = "red"},
     'unknown region key "colour"'},
  }
  for _, c in ipairs(typos) do
    it("names the unknown key for " .. c[1], function()
      assert.matches(c[3], message(c[2]), 1, true)
    end)
  end

  describe("a value payload, as the Python SDK documents it", function()
    local one = lc.parse([[
<View>
  <Image name="image" value="$image"/>
  <Choices name="pet" toName="image">
    <Choice value="Dog"/><Choice value="Cat"/>
  </Choices>
  <RectangleLabels name="box" toName="image">
    <Label value="Dog"/><Label value="Cat"/>
  </RectangleLabels>
  <Text name="txt" value="$text"/>
  <Labels name="ner" toName="txt"><Label value="PER"/></Labels>
  <TextArea name="note" toName="txt"/>
  <Rating name="stars" toName="txt"/>
</View>]])

    local cases = {
      {"choices", {choices = {"Cat"}}, "pet", "choices",
       {choices = {"Cat"}}},
      {"rectanglelabels with a box",
       {rectanglelabels = {"Dog"}, x = 10, y = 20, width = 30,
        height = 40},
       "box", "rectanglelabels",
       {rectanglelabels = {"Dog"}, x = 10, y = 20, width = 30,
        height = 40, rotation = 0}},
      {"text", {text = {"hello"}}, "note", "textarea",
       {text = {"hello"}}},
      {"labels with a span", {labels = {"PER"}, start = 0,
                              ["end"] = 3, text = "Bob"},
       "ner", "labels",
       {labels = {"PER"}, start = 0, ["end"] = 3, text = "Bob"}},
      {"rating", {rating = 4}, "stars", "rating", {rating = 4}},
    }
    for _, c in ipairs(cases) do
      it("makes a " .. c[1] .. " payload that control's result",
         function()
        local out = one:result_from(c[2])
        assert.equal(1, #out)
        assert.equal(c[3], out[1].from_name)
        assert.equal(c[4], out[1].type)
        assert.same(c[5], out[1].value)
        assert.is_string(out[1].id)
      end)
    end

    it("refuses it when several controls have that value key", function()
      assert.matches('a value with key "choices" fits several controls:'
                     .. ' "pet", "mood"; use a table keyed by control'
                     .. ' name, such as {pet = {...}}',
                     message{choices = {"Cat"}}, 1, true)
    end)

    it("checks its labels and keys like the other short forms",
       function()
      local function fails(v)
        local ok, err = pcall(one.result_from, one, v)
        assert.is_false(ok)
        return err
      end
      assert.matches('control "pet" (Choices) has no label "Cow"',
                     fails{choices = {"Cow"}}, 1, true)
      assert.matches('control "pet" (Choices): unknown key "colour"',
                     fails{choices = {"Cat"}, colour = "red"}, 1, true)
      assert.matches('unknown region key "heigth"',
                     fails{rectanglelabels = {"Dog"}, x = 1, y = 2,
                           width = 3, heigth = 4}, 1, true)
    end)

    it("reads a table of control names as such, not as a payload",
       function()
      local out = one:result_from{pet = "Dog", stars = 3}
      assert.equal(2, #out)
    end)
  end)

  it("keeps taking the keys a region may hold", function()
    local out = pets:result_from{x = 1, y = 2, width = 3, height = 4,
                                 rotation = 5, label = {"Cat"},
                                 id = "r1", score = 0.5}
    assert.equal("box", out[1].from_name)
    assert.equal("r1", out[1].id)
    out = pets:result_from{box = {x = 1, y = 2, width = 3, height = 4,
                                  rectanglelabels = {"Cat"}}}
    assert.same({"Cat"}, out[1].value.rectanglelabels)
  end)
end)
