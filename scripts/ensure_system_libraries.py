"""Make sure WeasyPrint's system libraries are there, or say exactly what to install.

Run by `make run` and `make test`. On Debian as root it installs what is missing; anywhere
else it names the packages and stops, instead of letting WeasyPrint fail obscurely later.
"""

import ctypes.util
import os
import shutil
import subprocess
import sys

# library name for ctypes -> Debian package that provides it
NEEDED = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "fontconfig": "libfontconfig1",
}
FONT_PACKAGE = "fonts-dejavu-core"
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def missing_packages() -> list[str]:
    missing = [package for lib, package in NEEDED.items() if ctypes.util.find_library(lib) is None]
    if sys.platform.startswith("linux") and not os.path.exists(FONT_FILE):
        missing.append(FONT_PACKAGE)
    return missing


def main() -> int:
    missing = missing_packages()
    if not missing:
        return 0
    names = " ".join(missing)
    is_debian = os.path.exists("/etc/debian_version") and shutil.which("apt-get")
    if is_debian and os.geteuid() == 0:
        print(f"Installing the system libraries WeasyPrint needs: {names}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
        still = missing_packages()
        if not still:
            return 0
        names = " ".join(still)
    print(
        "WeasyPrint (PDF reports) needs system libraries that are missing here.\n"
        f"On Debian or Ubuntu install them with:\n\n    sudo apt-get install {names}\n",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
