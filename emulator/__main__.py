"""python -m emulator [--scenario seed|empty] [--mode yarn|standalone] [--port N] [--sessions N]"""

from .endpoint import main

main()
