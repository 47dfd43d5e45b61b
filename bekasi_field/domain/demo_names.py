"""Name and address pools for synthetic households: what a Kota Bekasi roster looks like.

Bekasi is a mix of Betawi, Sundanese and Javanese families with many migrants (Batak, Minang,
Bugis). Names are picked by the household's background and each member's sex.
"""

from __future__ import annotations

# background -> (male given names, female given names, second names (male), second names (female))
POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "sunda": (
        ("Asep", "Ujang", "Dede", "Cecep", "Dadang", "Yayan", "Iwan", "Ade", "Engkos", "Jajang",
         "Dudi", "Endang", "Aep", "Encep", "Ruslan", "Rahmat", "Deden", "Agus", "Yusuf", "Ilham"),
        ("Euis", "Neneng", "Imas", "Lilis", "Yuyun", "Enok", "Cucu", "Iis", "Nining", "Tati",
         "Entin", "Yeni", "Elis", "Dewi", "Rina", "Siti", "Nurul", "Wida", "Ai",
         "Popon"),
        ("Saepudin", "Suryana", "Sukmana", "Permana", "Hermawan", "Ruhiyat", "Sopian", "Nurjaman",
         "Kurnia", "Hidayat", "Sudrajat", "Mulyana", "Gunawan", "Supriatna", "Setiawan"),
        ("Marlina", "Rohaeti", "Kurniasih", "Nurhayati", "Komalasari", "Yulianti", "Rosita",
         "Sumiati", "Rahayu", "Hasanah", "Sulastri", "Nurjanah"),
    ),
    "jawa": (
        ("Budi", "Slamet", "Joko", "Bambang", "Sugeng", "Wahyu", "Heru", "Teguh", "Suparman",
         "Sutrisno", "Bagus", "Eko", "Dwi", "Tri", "Agung", "Suyanto", "Rudi", "Hadi", "Wawan",
         "Puji"),
        ("Sri", "Sumarni", "Suryani", "Wati", "Tuti", "Endah", "Ratna", "Yanti", "Sulastri",
         "Sumini", "Ani", "Lestari", "Sukarti", "Tri", "Dwi", "Nanik", "Rini", "Wulan", "Kasmi",
         "Tumini"),
        ("Santoso", "Wijaya", "Setiawan", "Kurniawan", "Nugroho", "Prasetyo", "Susanto", "Purnomo",
         "Saputra", "Hartono", "Wibowo", "Utomo", "Raharjo", "Sudarsono", "Haryanto"),
        ("Rahayu", "Lestari", "Wulandari", "Handayani", "Susanti", "Astuti", "Rahmawati",
         "Purwanti", "Sulistyowati", "Hartati", "Ningsih", "Widayati"),
    ),
    "betawi": (
        ("Rojali", "Mamat", "Udin", "Ahmad", "Muhammad", "Mohamad", "Abdul Rahman", "Sanusi",
         "Zainal", "Jaelani", "Mursid", "Saiful", "Rizky", "Fajar", "Syamsudin", "Muhamad",
         "Nurdin", "Sarmili", "Bahrudin", "Salim"),
        ("Siti", "Aisyah", "Fatimah", "Mardiyah", "Rohmah", "Hasanah", "Zubaedah", "Nur",
         "Maemunah", "Khodijah", "Romlah", "Masitoh", "Rumiyati", "Fitri", "Nuraini", "Saodah",
         "Mulyani", "Nurlela", "Halimah", "Juleha"),
        ("Bin Sanusi", "Hidayat", "Ridwan", "Syahputra", "Maulana", "Ramadhan", "Firdaus",
         "Kurniawan", "Hakim", "Rahman", "Effendi", "Fauzi"),
        ("Aminah", "Nurhasanah", "Zahra", "Rahmawati", "Nurlaela", "Maryam", "Sholihah",
         "Nurjanah", "Fauziah", "Hasanah"),
    ),
    "batak": (
        ("Sahat", "Parlindungan", "Togar", "Binsar", "Hotman", "Marulam", "Tigor", "Janter",
         "Poltak", "Ronald", "Daniel", "Jonathan", "Samuel", "Hendrik", "Martin"),
        ("Rosdiana", "Lamtiur", "Tiurma", "Rotua", "Dame", "Hotnida", "Ruth", "Maria", "Debora",
         "Nurhayati", "Intan", "Lusiana", "Sondang", "Friska", "Melati"),
        ("Siregar", "Simanjuntak", "Nainggolan", "Sinaga", "Hutapea", "Pardede", "Sitompul",
         "Manurung", "Situmorang", "Simatupang", "Panjaitan", "Hutagalung"),
        ("Siregar", "Simanjuntak", "Nainggolan", "Sinaga", "Hutapea", "Pardede", "Sitompul",
         "Manurung", "Situmorang", "Simatupang", "Panjaitan", "Hutagalung"),
    ),
    "minang": (
        ("Rizal", "Afrizal", "Yulizar", "Hendra", "Zulkifli", "Syafri", "Irwan", "Fadli",
         "Andika", "Yusrizal"),
        ("Yusnidar", "Rosmawati", "Desmawati", "Yeni", "Nelly", "Elvi", "Fitria", "Rahmi",
         "Yulia", "Syafrida"),
        ("Chaniago", "Piliang", "Tanjung", "Koto", "Sikumbang", "Caniago", "Jambak", "Syahrial"),
        ("Yanti", "Wati", "Erni", "Marni", "Susanti", "Yusnita"),
    ),
}
BACKGROUND_WEIGHTS = (("sunda", 33), ("jawa", 33), ("betawi", 20), ("batak", 8), ("minang", 6))

STREETS_BY_KELURAHAN: dict[str, tuple[str, ...]] = {
    "Kota Baru": ("Jl. Kemakmuran", "Jl. Ir. H. Juanda", "Jl. Kartini", "Jl. Sersan Aswan",
                  "Jl. Pramuka", "Jl. Kota Baru Raya", "Jl. Mawar", "Jl. Melati"),
    "Kranji": ("Jl. Kranji Raya", "Jl. Bintara Raya", "Jl. Delima", "Jl. Mangga",
               "Jl. Sultan Agung", "Jl. Rawa Bebek"),
    "Bintara": ("Jl. Bintara Raya", "Jl. Bintara VIII", "Jl. Masjid Al-Ikhlas", "Jl. Pulo Sirih"),
    "Bintara Jaya": ("Jl. Bintara Jaya Raya", "Jl. Swadaya", "Jl. Cipinang Indah"),
}
DEFAULT_STREETS = ("Jl. Raya", "Jl. Swadaya", "Jl. Masjid", "Jl. Pendidikan", "Jl. H. Naim")
ALLEYS = ("Gg. Masjid", "Gg. H. Naim", "Gg. Swadaya", "Gg. Anggrek", "Gg. Kenanga", "Gg. Haji Usman",
          "Gg. Mushola", "Gg. Damai", "Gg. Rukun", "Gg. Sawo")

# Kemendagri kecamatan codes of Kota Bekasi (32.75.xx): the region part of a local NIK / No. KK.
KECAMATAN_CODES: dict[str, str] = {
    "Bekasi Timur": "327501", "Bekasi Barat": "327502", "Bekasi Utara": "327503",
    "Bekasi Selatan": "327504", "Rawalumbu": "327505", "Medan Satria": "327506",
    "Bantar Gebang": "327507", "Pondok Gede": "327508", "Jatiasih": "327509",
    "Jatisampurna": "327510", "Mustika Jaya": "327511", "Pondok Melati": "327512",
}
# Where migrants' NIKs were issued before they moved: Kab. Bekasi, Bogor, Bandung, Jakarta
# Timur, Brebes, Semarang, Medan, Padang.
MIGRANT_REGIONS = ("321601", "320102", "327301", "317204", "332901", "337401", "127101", "137101")
