#!/usr/bin/python3
"""Makes the small image fixtures for tests/NotebookStyle.Tests/Imaging (Debian 12 python3-pil 9.4).

Run from the repository root:  /usr/bin/python3 tests/reference/make_imaging_fixtures.py
Writes into tests/NotebookStyle.Tests/Fixtures/Imaging/ and prints what Pillow itself decodes.

- cmyk.jpg: a 16x16 CMYK JPEG (Adobe APP14 marker, inverted CMYK as Photoshop and Pillow write it),
  four 8x8 quadrants, one JPEG block each, so the decoded colours are near-exact:
    top-left     CMYK (0, 255, 255, 0)    -> RGB (255, 0, 0)      red
    top-right    CMYK (255, 0, 255, 0)    -> RGB (0, 255, 0)      green
    bottom-left  CMYK (255, 127, 0, 0)    -> RGB (0, 128, 255)    azure
    bottom-right CMYK (0, 0, 0, 128)      -> RGB (127, 127, 127)  half black (K only)
- animated.webp: an 8x8 two-frame animated WebP (red then blue), which the loader must refuse.
- shared_images.tsv: for each JPEG in the shared test images (../shared/images beside the repository, found by
  walking up from the current folder as the tests do; not copied into the repository), its size and the mean
  R, G, B that libjpeg (through Pillow) decodes, so the tests can check ImageSharp decodes the same picture.
"""
import glob
import os
from PIL import Image, ImageStat

OUT = os.path.join("tests", "NotebookStyle.Tests", "Fixtures", "Imaging")
os.makedirs(OUT, exist_ok=True)

QUADRANTS = [((0, 0), (0, 255, 255, 0)), ((8, 0), (255, 0, 255, 0)),
             ((0, 8), (255, 127, 0, 0)), ((8, 8), (0, 0, 0, 128))]

cmyk = Image.new("CMYK", (16, 16))
for (x0, y0), colour in QUADRANTS:
    cmyk.paste(colour, (x0, y0, x0 + 8, y0 + 8))
path = os.path.join(OUT, "cmyk.jpg")
cmyk.save(path, "JPEG", quality=100, subsampling=0)
back = Image.open(path)
print(path, back.mode, back.size, os.path.getsize(path), "bytes; APP14 Adobe:", "adobe" in back.info)
rgb = back.convert("RGB")
for (x0, y0), colour in QUADRANTS:
    print("  CMYK", colour, "-> Pillow RGB", rgb.getpixel((x0 + 4, y0 + 4)))

frames = [Image.new("RGB", (8, 8), (255, 0, 0)), Image.new("RGB", (8, 8), (0, 0, 255))]
path = os.path.join(OUT, "animated.webp")
frames[0].save(path, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0, lossless=True)
anim = Image.open(path)
print(path, anim.size, getattr(anim, "n_frames", 1), "frames,", os.path.getsize(path), "bytes")

here = os.path.abspath(os.getcwd())
while not os.path.isdir(os.path.join(here, "shared", "images")):
    parent = os.path.dirname(here)
    if parent == here:
        raise SystemExit("no shared/images folder above " + os.getcwd())
    here = parent
shared = os.path.join(here, "shared", "images")
path = os.path.join(OUT, "shared_images.tsv")
with open(path, "w") as f:
    f.write("file\twidth\theight\tmean_r\tmean_g\tmean_b\n")
    for image_path in sorted(glob.glob(os.path.join(shared, "*.jpg"))):
        im = Image.open(image_path)
        mean = ImageStat.Stat(im.convert("RGB")).mean
        f.write("%s\t%d\t%d\t%.3f\t%.3f\t%.3f\n" % ((os.path.basename(image_path),) + im.size + tuple(mean)))
print(path)
print(open(path).read())
