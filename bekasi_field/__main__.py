import multiprocessing

from bekasi_field.cli import main

if __name__ == "__main__":
    # In a PyInstaller build the roster import's writer process (multiprocessing "spawn") is
    # this same executable; freeze_support() runs it as that process and exits.
    multiprocessing.freeze_support()
    raise SystemExit(main())
