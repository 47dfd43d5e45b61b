"""A distinct short sound for yes / no / look again / saved.

PySide6-Essentials has no QtMultimedia, so: QSoundEffect when a full PySide6 is installed,
winsound on Windows, `paplay`/`aplay` on Linux desktops, else the system beep. The offscreen
test platform plays nothing (and the tests read `played`)."""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
import sys
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from bekasi_field.paths import resource_path

log = logging.getLogger(__name__)

SOUNDS = ("yes", "no", "again", "saved")


class SoundPlayer:
    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.played: list[str] = []
        self._effects: dict[str, Any] = {}
        self._backend = self._pick_backend() if enabled else "none"
        log.info("sound backend: %s", self._backend)

    @staticmethod
    def _pick_backend() -> str:
        if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
            return "none"
        try:
            importlib.import_module("PySide6.QtMultimedia")
            return "qt"
        except ImportError:
            pass
        if sys.platform == "win32":
            return "winsound"
        for player in ("paplay", "aplay"):
            if shutil.which(player):
                return player
        return "beep"

    def play(self, name: str) -> None:
        self.played.append(name)
        if not self.enabled or self._backend == "none":
            return
        path = resource_path("sounds", f"{name}.wav")
        try:
            if self._backend == "qt":
                self._play_qt(name, path)
            elif self._backend == "winsound" and sys.platform == "win32":
                import winsound

                winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
            elif self._backend in ("paplay", "aplay"):
                args = [self._backend, str(path)] if self._backend == "paplay" else [
                    "aplay", "-q", str(path)]
                subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            else:
                QApplication.beep()
        except OSError:
            log.info("sound %s could not be played; falling back to the beep", name)
            self._backend = "beep"
            QApplication.beep()

    def _play_qt(self, name: str, path: Any) -> None:
        effect = self._effects.get(name)
        if effect is None:
            multimedia = importlib.import_module("PySide6.QtMultimedia")
            effect = multimedia.QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[name] = effect
        effect.play()
