import pytest

from bekasi_field.domain.names import normalize_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Rizky", "Mohamad  Rizky"),
        ("Hj. Siti Aminah", "SITI AMINAH"),
        ("Drs. H. Achmad Yani, S.Pd.", "Ahmad Yani"),
        ("Moch. Fauzi", "Muhammad Fauzi"),
    ],
)
def test_variants_fold_together(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)
