-- Mandelbrot set: a tight float loop (points inside the set are counted
-- instead of writing a bitmap, so no bitwise operators are needed).
local size = tonumber(arg and arg[1]) or 800
local iterations = 50

local inside = 0
local checksum = 0
for y = 0, size - 1 do
  local ci = 2.0 * y / size - 1.0
  for x = 0, size - 1 do
    local cr = 2.0 * x / size - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local escaped = false
    for i = 1, iterations do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      if zr2 + zi2 > 4.0 then
        escaped = true
        checksum = checksum + i
        break
      end
    end
    if not escaped then inside = inside + 1 end
  end
end
print(string.format("%dx%d: %d points inside, checksum %d", size, size, inside, checksum))
