"""The SQLCipher binding is the one we pinned, linked with SQLCipher itself."""

from importlib import metadata

import sqlcipher3


def test_exactly_one_sqlcipher3_distribution_is_installed():
    names = sorted(
        {
            d.metadata["Name"].lower()
            for d in metadata.distributions()
            if d.metadata["Name"].lower().startswith("sqlcipher3")
        }
    )
    assert names == ["sqlcipher3"]
    assert tuple(int(p) for p in metadata.version("sqlcipher3").split(".")[:3]) >= (0, 6, 4)


def test_the_binding_really_is_sqlcipher_4():
    conn = sqlcipher3.connect(":memory:")
    (version,) = conn.execute("PRAGMA cipher_version").fetchone()
    assert int(version.split(".")[0]) == 4
    features = {row[0] for row in conn.execute("PRAGMA compile_options")}
    assert "ENABLE_FTS5" in features
