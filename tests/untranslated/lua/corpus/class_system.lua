-- A class system with inheritance, metamethods, properties and mixins.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  c.new = function(...)
    local obj = setmetatable({}, c)
    if obj.init then obj:init(...) end
    return obj
  end
  c.super = parent
  return c
end

local Shape = class()
function Shape:init(name) self.name = name end
function Shape:area() return 0 end
function Shape:describe() return string.format("%s with area %.2f", self.name, self:area()) end
Shape.__tostring = function(s) return "Shape<" .. s.name .. ">" end
Shape.__lt = function(a, b) return a:area() < b:area() end
Shape.__le = function(a, b) return a:area() <= b:area() end
Shape.__eq = function(a, b) return a:area() == b:area() end

local Circle = class(Shape)
Circle.__tostring = Shape.__tostring
Circle.__lt, Circle.__le, Circle.__eq = Shape.__lt, Shape.__le, Shape.__eq
function Circle:init(r) Shape.init(self, "circle") self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end

local Rect = class(Shape)
Rect.__tostring = Shape.__tostring
Rect.__lt, Rect.__le, Rect.__eq = Shape.__lt, Shape.__le, Shape.__eq
function Rect:init(w, h) Shape.init(self, "rect") self.w, self.h = w, h end
function Rect:area() return self.w * self.h end

local Square = class(Rect)
Square.__tostring = function(s) return "Square(" .. s.w .. ")" end
Square.__lt, Square.__le, Square.__eq = Shape.__lt, Shape.__le, Shape.__eq
function Square:init(side) Rect.init(self, side, side) self.name = "square" end

local shapes = { Circle.new(1), Rect.new(2, 3), Square.new(2), Circle.new(0.5), Rect.new(1, 4) }
table.sort(shapes, function(a, b) return a < b end)
for i, s in ipairs(shapes) do print(i, tostring(s), s:describe()) end
print(Square.new(2) == Rect.new(1, 4), Square.new(2) <= Circle.new(1), Rect.new(1, 1) < Square.new(1))
print(getmetatable(Square.new(1)) == Square, Square.super == Rect, Rect.super == Shape)

-- a vector type with the full set of arithmetic metamethods
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
Vec.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
Vec.__div = function(a, s) return vec(a.x / s, a.y / s) end
Vec.__idiv = function(a, s) return vec(a.x // s, a.y // s) end
Vec.__mod = function(a, s) return vec(a.x % s, a.y % s) end
Vec.__pow = function(a, n) return vec(a.x ^ n, a.y ^ n) end
Vec.__unm = function(a) return vec(-a.x, -a.y) end
Vec.__len = function(a) return math.sqrt(a.x * a.x + a.y * a.y) end
Vec.__band = function(a, b) return vec(a.x & b.x, a.y & b.y) end
Vec.__bor = function(a, b) return vec(a.x | b.x, a.y | b.y) end
Vec.__bxor = function(a, b) return vec(a.x ~ b.x, a.y ~ b.y) end
Vec.__shl = function(a, n) return vec(a.x << n, a.y << n) end
Vec.__shr = function(a, n) return vec(a.x >> n, a.y >> n) end
Vec.__bnot = function(a) return vec(~a.x, ~a.y) end
Vec.__concat = function(a, b)
  local function s(v) return type(v) == "table" and "(" .. v.x .. "," .. v.y .. ")" or tostring(v) end
  return s(a) .. s(b)
end
Vec.__call = function(self, k) return self[k] end
Vec.__tostring = function(v) return "(" .. v.x .. ", " .. v.y .. ")" end
local a, b = vec(3, 4), vec(1, 2)
print(tostring(a + b), tostring(a - b), a * b, tostring(2 * a), tostring(a * 2), tostring(a / 2))
print(tostring(a // 2), tostring(a % 2), tostring(a ^ 2), tostring(-a), #a, a("x"))
print(tostring(a & b), tostring(a | b), tostring(a ~ b), tostring(a << 1), tostring(a >> 1), tostring(~a))
print(a .. b, a .. "!", "v=" .. a)

-- __index/__newindex based properties and read-only tables
local function readonly(t)
  return setmetatable({}, {__index = t, __newindex = function(_, k) error("attempt to modify read-only field " .. k, 2) end,
                           __len = function() return #t end, __pairs = function() return pairs(t) end})
end
local ro = readonly({1, 2, 3, x = 10})
print(ro[2], ro.x, #ro, pcall(function() ro.y = 1 end))
local count = 0
for k, v in pairs(ro) do count = count + 1 end
print("pairs through __pairs:", count)

-- mixins by copying
local Comparable = { max = function(self, other) if self < other then return other end return self end }
for k, v in pairs(Comparable) do Circle[k] = v end
print(tostring(Circle.new(1):max(Circle.new(2))))
