"""Decode QR codes in image files with zxing-cpp, the reference decoder of the QR benchmark.

Usage: python3 zxing_scan.py FILE...
Prints, for each file, a line `FILE<TAB>SECONDS` (time to open, decode and scan the image),
then one line `<TAB>PAYLOAD` per code found.
"""

import sys
import time

import zxingcpp
from PIL import Image


def main() -> None:
    for path in sys.argv[1:]:
        start = time.perf_counter()
        image = Image.open(path)
        image.load()
        results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        elapsed = time.perf_counter() - start
        print(f"{path}\t{elapsed:.6f}")
        for result in results:
            print(f"\t{result.text}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
