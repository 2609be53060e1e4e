def test_parse_id_takes_ascii_digits_within_a_64_bit_id_only():
    from verksam.core.bounds import MAX_ID, parse_id, parse_size

    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for odd in (None, "", "0", "-1", "²", "٣", "4 2", "1e3", str(MAX_ID + 1), "9" * 40):
        assert parse_id(odd) is None, odd
    assert parse_size("0") == 0 and parse_size("²") is None and parse_size("12a") is None
