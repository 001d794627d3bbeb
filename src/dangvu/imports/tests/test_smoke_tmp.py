from dangvu.imports import samples
from dangvu.imports.services import import_workbook


def test_smoke(db, tmp_path):
    good, bad = samples.write_samples(tmp_path)
    r = import_workbook(good, dry_run=False)
    for e in r.errors: print("E", e)
    for w in r.warnings: print("W", w)
    print(r.counts)
    r2 = import_workbook(good, dry_run=False)
    for e in r2.errors: print("E2", e)
    print(r2.counts)
    r3 = import_workbook(bad, dry_run=True)
    for e in r3.errors: print("E3", e)
    for w in r3.warnings: print("W3", w)
    assert 0
