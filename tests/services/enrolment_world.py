"""A small generated registry for enrolment and graduation tests: NIKs built from birth dates
(women's day + 40), KKs from Kota Bekasi (3275) or elsewhere, occupations as DTSEN spells them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, text

from bekasi_field.domain.names import normalize_name

START = dt.date(2026, 7, 1)


def nik_for(born: dt.date, sex: str, serial: int, region: str = "327502") -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


@dataclass
class Person:
    key: str
    born: dt.date
    sex: str = "L"
    occupation: str = "Ojek Online"
    region: str = "327502"
    name: str = ""
    nik: str = ""


@dataclass
class Home:
    id: str
    people: list[Person]
    kelurahan: str = "Kota Baru"
    desil: int | None = 1
    status: str = "active"
    kk_region: str = "327502"
    programs: str = "BPJSTK,PKH"
    kk: str = field(default="")


def seed(engine: Engine, homes: list[Home]) -> dict[str, Person]:
    """Insert the households and members; returns the people by key with their NIKs."""
    out: dict[str, Person] = {}
    serial = 1
    with engine.begin() as conn:
        for n, h in enumerate(homes, start=1):
            h.kk = h.kk or f"{h.kk_region}0101{20 + n % 10:02d}{n:04d}"
            conn.execute(text(
                "INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, "
                "programs, status, content_hash, version) VALUES (:id, :kk, :addr, '001', '002', "
                ":kel, 'Bekasi Barat', :desil, :p, :s, '', 0)"),
                {"id": h.id, "kk": h.kk, "addr": f"Jl. Contoh No. {n}", "kel": h.kelurahan,
                 "desil": h.desil, "p": h.programs, "s": h.status})
            for i, p in enumerate(h.people):
                p.nik = p.nik or nik_for(p.born, p.sex, serial, p.region)
                serial += 1
                p.name = p.name or f"Warga {p.key.upper()}"
                conn.execute(text(
                    "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
                    "birth_date, is_recipient, content_hash, version, occupation) VALUES (:nik, "
                    ":hid, :name, :norm, :rel, :sex, :born, :rec, '', 0, :occ)"),
                    {"nik": p.nik, "hid": h.id, "name": p.name, "norm": normalize_name(p.name),
                     "rel": "Kepala Keluarga" if i == 0 else "Anak", "sex": p.sex,
                     "born": p.born, "rec": i == 0, "occ": p.occupation})
                out[p.key] = p
    return out


def boundary_homes() -> list[Home]:
    """Ages at the edges of 15-60 on START from NIK dates, women's +40, non-residents,
    formal workers, people without work and a household no longer active."""
    return [
        Home("HH01", [Person("just15", dt.date(2011, 7, 1)),
                      Person("almost15", dt.date(2011, 7, 2))]),
        Home("HH02", [Person("woman60", dt.date(1965, 7, 2), sex="P", occupation="PKL"),
                      Person("woman61", dt.date(1965, 7, 1), sex="P", occupation="PKL")]),
        Home("HH03", [Person("outsider", dt.date(1990, 1, 1))], kk_region="320101"),
        Home("HH04", [Person("pns", dt.date(1980, 3, 3), occupation="PNS"),
                      Person("student", dt.date(2005, 5, 5), occupation="Pelajar/Mahasiswa")],
             desil=2),
        Home("HH05", [Person("inactive", dt.date(1985, 4, 4))], status="deceased"),
        Home("HH06", [Person("vendor", dt.date(1975, 6, 6), occupation="Pedagang Kaki Lima")],
             desil=3),
        Home("HH07", [Person("casual", dt.date(1975, 6, 6), occupation="Buruh Harian Lepas")],
             desil=1, kelurahan="Kranji"),
    ]
