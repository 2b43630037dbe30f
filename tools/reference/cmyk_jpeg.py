"""A 16x16 CMYK JPEG (Adobe APP14, as Photoshop and Pillow write them) for the worker's hostile-input table.

Left half pure cyan (C=255, M=Y=K=0), right half pure black ink (K=255). Prints the file as base64; the worker tests
carry that text as a literal (tests/MetaQap.Worker.Tests/Sources/HostileInputs.cs).

    /usr/bin/python3 tools/reference/cmyk_jpeg.py
"""
import base64
import io

from PIL import Image

image = Image.new("CMYK", (16, 16))
for y in range(16):
    for x in range(16):
        image.putpixel((x, y), (255, 0, 0, 0) if x < 8 else (0, 0, 0, 255))
buffer = io.BytesIO()
image.save(buffer, format="JPEG", quality=95)
print(base64.b64encode(buffer.getvalue()).decode("ascii"))
