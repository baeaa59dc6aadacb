#!/usr/bin/python3
"""The region map of images/coffee.png: three flat colours, same size as the photo (600 x 400).

    /usr/bin/python3 images/masks/coffee-regions.py [OUTPUT]     (default: coffee-regions.png beside this script)

Regions, each a union of ellipses fitted by eye to the photo (centre x, y and semi-axes a, b in pixels; a rotated
ellipse also has an angle in degrees, clockwise in image coordinates):
    0000ff  the wooden table: everything not below
    ff0000  the cup, the saucer and the spoon's handle
    00ff00  the coffee's surface inside the cup (drawn last, over the cup)
A pixel (x, y) (column, row; 0-based) belongs to an ellipse when ((x - cx)/a)^2 + ((y - cy)/b)^2 <= 1 in the
ellipse's own axes. Membership is computed with plain arithmetic, not a rasteriser, so the map is the same on every
Pillow version; Pillow only writes the PNG (RGB, no anti-aliasing, no metadata).
"""
import math
import os
import sys

from PIL import Image

WIDTH, HEIGHT = 600, 400
TABLE, TABLEWARE, COFFEE = (0, 0, 255), (255, 0, 0), (0, 255, 0)

# (colour, [(cx, cy, a, b, angle)]) in drawing order: later regions are drawn over earlier ones.
REGIONS = [
    (TABLEWARE, [
        (277, 230, 201, 155, 0),     # the saucer
        (290, 110, 118, 95, 0),      # the cup's rim and body
        (411, 95, 12, 36, -12),      # the spoon's handle above the saucer's rim
    ]),
    (COFFEE, [
        (287, 143, 83, 50, 0),       # the coffee's surface
    ]),
]


def inside(x, y, ellipse):
    cx, cy, a, b, angle = ellipse
    t = math.radians(angle)
    dx, dy = x - cx, y - cy
    u = dx * math.cos(t) + dy * math.sin(t)
    v = -dx * math.sin(t) + dy * math.cos(t)
    return (u / a) ** 2 + (v / b) ** 2 <= 1.0


def region_map():
    pixels = []
    for y in range(HEIGHT):
        for x in range(WIDTH):
            colour = TABLE
            for region_colour, ellipses in REGIONS:
                if any(inside(x, y, e) for e in ellipses):
                    colour = region_colour
            pixels.append(colour)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    image.putdata(pixels)
    return image


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "coffee-regions.png")
    region_map().save(out, "PNG")
    print(out)
