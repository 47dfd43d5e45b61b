"""The KTP reader: the NIK and the name off synthetic KTP-el photos; never a wrong NIK."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from bekasi_field.domain.identifiers import is_valid_nik
from bekasi_field.scan import ktp
from bekasi_field.scan.ktp import KtpRead, KtpReader, KtpStabilizer, nik_from_text
from bekasi_field.scan.synthetic_ktp import (
    KTP_CONDITIONS,
    card_image,
    ktp_photo,
    make_person,
)


@pytest.fixture(scope="module")
def reader() -> KtpReader:
    return KtpReader()


def test_generated_people_have_valid_bekasi_niks() -> None:
    rng = random.Random(5)
    people = [make_person(rng) for _ in range(300)]
    assert all(is_valid_nik(p.nik) and p.nik.startswith("3275") for p in people)
    women = [p for p in people if p.sex == "P"]
    assert women and all(int(p.nik[6:8]) == p.birth_date.day + 40 for p in women)


def test_photos_are_deterministic() -> None:
    a, b = ktp_photo("glare", 3), ktp_photo("glare", 3)
    assert a.person == b.person and np.array_equal(a.image, b.image)
    assert ktp_photo("glare", 4).person != a.person


@pytest.mark.parametrize(("text", "nik"), [
    ("NIK : 3275021911721932", "3275021911721932"),
    ("\uff1a3275021911721932", "3275021911721932"),
    ("3275 0219 1172 1932", "3275021911721932"),
    (":327502I9ll72l932", "3275021911721932"),  # I and l read as 1
    (":3275O2191172193Z", "3275021911721932"),  # O as 0, Z as 2
])
def test_nik_from_text_reads_the_token(text: str, nik: str) -> None:
    assert nik_from_text(text) == nik


@pytest.mark.parametrize("text", [
    "327502191172193",  # 15 digits
    "32750219117219321",  # 17 digits
    "9975021911721932",  # no such province
    "3275023213721932",  # month 13
    "3275021911720000",  # serial 0000
    "3275021911721932 3275021911721933",  # two NIKs in one line
    "NAMA : FADLI SYAHRIAL",
    "",
])
def test_nik_from_text_refuses_what_is_not_one_valid_nik(text: str) -> None:
    assert nik_from_text(text) is None


def test_find_card_on_a_plain_frame_and_none_without_a_card() -> None:
    photo = ktp_photo("rotated", 1)
    corners = ktp.find_card(photo.image)
    assert corners is not None
    top = np.linalg.norm(corners[1] - corners[0])
    side = np.linalg.norm(corners[3] - corners[0])
    assert 1.3 < top / side < 1.9  # the long side on top, as the card is read
    empty_desk = ktp_photo("no_card", 1).image.copy()
    empty_desk[:] = empty_desk[:40].mean(axis=(0, 1))
    assert ktp.find_card(empty_desk) is None


@pytest.mark.parametrize("condition", ["clean", "upside_down", "perspective", "glare", "dim",
                                       "jpeg", "finger", "motion_blur"])
def test_reader_reads_the_nik_and_the_name(reader: KtpReader, condition: str) -> None:
    photo = ktp_photo(condition, 11)
    assert photo.person is not None
    got = reader.read(photo.image)
    assert got is not None, condition
    assert got.nik == photo.person.nik
    # The name is for the officer to compare by eye; OCR may drop a space or a letter.
    assert got.name.replace(" ", "")[:4] == photo.person.name.replace(" ", "")[:4]


def test_reader_reads_at_640x480(reader: KtpReader) -> None:
    photo = ktp_photo("clean", 12, size=(640, 480))
    got = reader.read(photo.image)
    assert photo.person is not None and got is not None and got.nik == photo.person.nik


def test_no_card_no_nik(reader: KtpReader) -> None:
    for seed in range(4):
        assert reader.read(ktp_photo("no_card", seed).image) is None


def test_a_card_whose_nik_is_not_valid_gives_nothing(reader: KtpReader) -> None:
    """A card (or a forgery) with a NIK of no Indonesian province: nothing is accepted, though
    the line reads cleanly."""
    person = make_person(random.Random(3))
    fake = person.__class__(**{**person.__dict__, "nik": "99" + person.nik[2:]})
    frame = np.full((720, 1280, 3), (60, 90, 130), np.uint8)
    card = cv2.resize(card_image(fake), (800, 505))
    frame[100:605, 240:1040] = card
    assert reader.read(frame) is None
    frame[100:605, 240:1040] = cv2.resize(card_image(person), (800, 505))
    got = reader.read(frame)
    assert got is not None and got.nik == person.nik  # the same picture with a valid NIK reads


def test_read_photo_needs_two_agreeing_reads(reader: KtpReader) -> None:
    photo = ktp_photo("clean", 13)
    got = reader.read_photo(photo.image)
    assert photo.person is not None and got is not None and got.nik == photo.person.nik


class _ScriptedEngine:
    """An OCR engine that reads what it is told: for the stabiliser's and the guards' rules."""

    def __init__(self, lines: list[tuple[str, float]]) -> None:
        self._lines = lines

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        w = image.shape[1]
        boxes = []
        for i in range(len(self._lines)):
            y = 30 + 26 * i
            boxes.append(np.float32([[10, y], [w - 10, y], [w - 10, y + 22], [10, y + 22]]))
        return boxes

    def recognise(self, image: np.ndarray, boxes: list[np.ndarray]) -> list[tuple[str, float]]:
        return [self._lines[(int(b[0][1]) - 30) // 26] for b in boxes]


def test_an_unsure_nik_line_is_refused() -> None:
    card = np.full((ktp.WARP_H, ktp.WARP_W, 3), 220, np.uint8)
    sure = _ScriptedEngine([(":3275021911721932", 0.97), ("FADLI SYAHRIAL", 0.95)])
    unsure = _ScriptedEngine([(":3275021911721932", 0.55), ("FADLI SYAHRIAL", 0.95)])
    got = ktp.read_card(card, sure)
    assert got is not None and got[0] == "3275021911721932" and got[1] == "FADLI SYAHRIAL"
    assert ktp.read_card(card, unsure) is None


def test_two_different_niks_on_one_card_are_refused() -> None:
    card = np.full((ktp.WARP_H, ktp.WARP_W, 3), 220, np.uint8)
    two = _ScriptedEngine([(":3275021911721932", 0.97), (":3275021911721933", 0.97)])
    assert ktp.read_card(card, two) is None


def _read(nik: str) -> KtpRead:
    return KtpRead(nik=nik, name="X", score=0.99, corners=())


def test_stabilizer_accepts_two_agreeing_frames_once() -> None:
    s = KtpStabilizer()
    assert s.feed(_read("3275021911721932")) is None  # one frame is not enough
    assert s.feed(_read("3275021911721932")) is not None
    assert s.feed(_read("3275021911721932")) is None  # the same card held up: not again
    for _ in range(3):
        assert s.feed(None) is None  # the card is taken away
    assert s.feed(_read("3275021911721932")) is None
    assert s.feed(_read("3275021911721932")) is not None  # shown again: a new reading


def test_stabilizer_never_accepts_disagreeing_frames() -> None:
    s = KtpStabilizer()
    assert s.feed(_read("3275021911721932")) is None
    assert s.feed(_read("3275021911721938")) is None
    assert s.feed(None) is None
    assert s.feed(_read("3275021911721935")) is None


def test_every_condition_is_generated() -> None:
    for name in KTP_CONDITIONS:
        photo = ktp_photo(name, 0, size=(640, 480))
        assert photo.image.shape == (480, 640, 3)
        assert (photo.person is None) == (name == "no_card")
