--- What lsrun knows about Label Studio's config tags.
--
-- One table per kind of tag: object tags (the data shown), control tags
-- (what an annotator produces), and the tags that only arrange or name
-- things. A control's entry says which key of a result's `value` holds
-- its labels or its answer (`key`) and which geometry it draws
-- (`shape`). The names and keys follow the labeling UI and the Python
-- SDK's `label_interface`.
--
-- Caveats: tags missing here are still parsed and kept; `validate`
-- reports them as warnings only, as the server accepts any tag name.
-- @module labelstudio.label_config.tags

local M = {}


--- Object tags: the data a task shows, named by `name`, fed by `value`.
M.OBJECTS = {
  Audio = true, AudioPlus = true, Chat = true, HyperText = true,
  Image = true, List = true, Markdown = true, Paragraphs = true,
  Pdf = true, Table = true, Text = true, TimeSeries = true,
  Video = true,
}


--- Control tags. `key`: the value key of the labels or answer;
-- `shape`: the region geometry; `labelled`: has Label/Choice children.
M.CONTROLS = {
  Choices = {key = "choices", shape = "choices", labelled = true},
  Taxonomy = {key = "taxonomy", shape = "taxonomy", labelled = true},
  Labels = {key = "labels", shape = "span", labelled = true},
  RectangleLabels = {key = "rectanglelabels", shape = "rectangle",
                     labelled = true},
  Rectangle = {shape = "rectangle"},
  OcrLabels = {key = "ocrlabels", shape = "rectangle", labelled = true},
  PolygonLabels = {key = "polygonlabels", shape = "polygon",
                   labelled = true},
  Polygon = {shape = "polygon"},
  KeyPointLabels = {key = "keypointlabels", shape = "keypoint",
                    labelled = true},
  KeyPoint = {shape = "keypoint"},
  EllipseLabels = {key = "ellipselabels", shape = "ellipse",
                   labelled = true},
  Ellipse = {shape = "ellipse"},
  BrushLabels = {key = "brushlabels", shape = "brush", labelled = true},
  Brush = {shape = "brush"},
  BitmaskLabels = {key = "bitmasklabels", shape = "bitmask",
                   labelled = true},
  Bitmask = {shape = "bitmask"},
  MagicWand = {shape = "brush"},
  VectorLabels = {key = "vectorlabels", shape = "vector", labelled = true},
  Vector = {shape = "vector"},
  HyperTextLabels = {key = "hypertextlabels", shape = "span",
                     labelled = true},
  ParagraphLabels = {key = "paragraphlabels", shape = "span",
                     labelled = true},
  TimeSeriesLabels = {key = "timeserieslabels", shape = "span",
                      labelled = true},
  TimelineLabels = {key = "timelinelabels", shape = "timeline",
                    labelled = true},
  VideoRectangle = {key = "labels", shape = "video"},
  TextArea = {key = "text", shape = "text"},
  Rating = {key = "rating", shape = "rating"},
  Number = {key = "number", shape = "number"},
  DateTime = {key = "datetime", shape = "datetime"},
  Ranker = {key = "ranker", shape = "ranker"},
  Pairwise = {key = "selected", shape = "pairwise"},
  Relations = {shape = "relations", labelled = true},
  ChatMessage = {shape = "chatmessage"},
  ReactCode = {key = "reactcode", shape = "reactcode"},
}


--- Tags that arrange, style or name things and produce no result.
M.OTHERS = {
  View = true, Header = true, Style = true, Filter = true,
  Collapse = true, Panel = true, Label = true, Choice = true,
  Relation = true, Channel = true, MultiChannel = true, Shortcut = true,
  Repeater = true, Item = true, Dialog = true, Markdown = true,
}


--- Tags that carry one label or choice of their control.
M.LABEL_TAGS = {Label = true, Choice = true, Relation = true}


--- Shapes whose tool tags may pair with a `Labels` control on the same
-- object (split format: one geometry result and one labels result with
-- the same id).
M.PAIRED_SHAPES = {
  rectangle = "Rectangle", polygon = "Polygon", keypoint = "KeyPoint",
  ellipse = "Ellipse", brush = "Brush", bitmask = "Bitmask",
  vector = "Vector",
}


--- Geometry keys of a region table, in the order they are looked for.
M.GEOMETRY = {
  {shape = "rectangle", keys = {"x", "y", "width", "height"}},
  {shape = "ellipse", keys = {"x", "y", "radiusX", "radiusY"}},
  {shape = "polygon", keys = {"points"}},
  {shape = "brush", keys = {"rle"}},
  {shape = "timeline", keys = {"ranges"}},
  {shape = "span", keys = {"start", "end"}},
  {shape = "keypoint", keys = {"x", "y"}},
}


return M
