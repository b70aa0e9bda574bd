"""Reading delivered files in every encoding, delimiter and header spelling of SPEC §8."""

import pytest

from pipeline.sources.extracts.reader import UnreadableFileError, read_extract
from pipeline.sources.extracts.spec import FILES_BY_NAME

MEASURES = FILES_BY_NAME["measures"]
CHILDREN = FILES_BY_NAME["children"]

ENGLISH_HEADER = (
    "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider"
)
ROW = (
    "M1;010115-4001;SEL § 52, stk. 3, nr. 7;Socialpædagogisk opholdssted;01-02-2020;;;0;1;EXTERNAL"
)


def _write(tmp_path, text, encoding="utf-8", name="measures.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_danish_letters_survive_every_encoding(tmp_path, encoding):
    raw = read_extract(_write(tmp_path, f"{ENGLISH_HEADER}\n{ROW}\n", encoding), MEASURES)
    assert raw.frame.loc[0, "placement_type"] == "Socialpædagogisk opholdssted"
    assert raw.frame.loc[0, "measure_id"] == "M1"  # the BOM does not stick to the first header


def test_comma_delimiter_with_quoted_commas(tmp_path):
    header = ENGLISH_HEADER.replace(";", ",")
    row = 'M1,010115-4001,"SEL § 52, stk. 3, nr. 7",døgninstitution,2020-02-01,,,0,1,EXTERNAL'
    raw = read_extract(_write(tmp_path, f"{header}\n{row}\n"), MEASURES)
    assert raw.delimiter == ","
    assert raw.frame.loc[0, "legal_reference"] == "SEL § 52, stk. 3, nr. 7"


def test_danish_aliases_in_any_case_and_spelled_with_or_without_aeoeaa(tmp_path):
    header = (
        "INDSATS_ID;CPR_NR;Paragraf;Anbringelsessted;Startdato;Slutdato;Ophørsårsag;"
        "funktionsnedsaettelse;Myndighedsbevilget;Leverandør;Sags_id"
    )
    raw = read_extract(_write(tmp_path, f"{header}\n{ROW};S9\n"), MEASURES)
    assert raw.frame.loc[0, "start_date"] == "01-02-2020"
    assert raw.frame.loc[0, "case_id"] == "S9"
    assert raw.unknown_columns == ()


def test_unknown_columns_are_reported_not_fatal(tmp_path):
    raw = read_extract(_write(tmp_path, f"{ENGLISH_HEADER};kommentar\n{ROW};hej\n"), MEASURES)
    assert raw.unknown_columns == ("kommentar",)
    assert "kommentar" not in raw.frame.columns


def test_an_optional_column_may_be_absent(tmp_path):
    raw = read_extract(_write(tmp_path, f"{ENGLISH_HEADER}\n{ROW}\n"), MEASURES)
    assert raw.frame.loc[0, "case_id"] == ""


def test_a_missing_contract_column_rejects_the_file_with_the_accepted_names(tmp_path):
    header = ENGLISH_HEADER.replace(";start_date", "")
    row = ROW.replace(";01-02-2020", "")
    with pytest.raises(
        UnreadableFileError, match="'start_date' \\(accepted headers: start_date, startdato\\)"
    ):
        read_extract(_write(tmp_path, f"{header}\n{row}\n"), MEASURES)


def test_two_columns_meaning_the_same_reject_the_file(tmp_path):
    with pytest.raises(UnreadableFileError, match="both mean 'cpr'"):
        read_extract(
            _write(tmp_path, "cpr;cpr_nr;unaccompanied_refugee\n", name="children.csv"), CHILDREN
        )


def test_rows_with_the_wrong_number_of_fields_are_skipped_and_located(tmp_path):
    text = (
        "cpr;unaccompanied_refugee\n"
        "010115-4001;0\n"  # line 2
        "010115-4002;0;extra\n"  # line 3: malformed
        '"010115-4003";"nej\n'  # lines 4-5: a quoted line break
        'nej"\n'
        "010115-4004\n"  # line 6: malformed
        "010115-4005;1\n"  # line 7
    )
    raw = read_extract(_write(tmp_path, text, name="children.csv"), CHILDREN)
    assert raw.frame["cpr"].tolist() == ["010115-4001", "010115-4003", "010115-4005"]
    assert raw.malformed_lines == (3, 6)
    assert raw.line_numbers.tolist() == [2, 4, 7]


def test_an_empty_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFileError, match="empty"):
        read_extract(_write(tmp_path, "  \n", name="children.csv"), CHILDREN)


def test_undecodable_bytes_are_unreadable(tmp_path):
    path = tmp_path / "children.csv"
    path.write_bytes(b"cpr;unaccompanied_refugee\n\x81\x8d\x8f;0\n")
    with pytest.raises(UnreadableFileError, match="neither UTF-8 nor Windows-1252") as refused:
        read_extract(path, CHILDREN)
    assert "a byte on line 2" in str(refused.value)


@pytest.mark.parametrize(
    "cell",
    [
        "010115-4001",  # a CPR number: a data row that lost the line break before it
        "0101154001",
        "x" * 41,  # longer than a column name can be
        "kommentar: Jens Hansen, tlf. 12345678",
    ],
)
def test_a_header_cell_that_may_be_data_is_reported_by_position_only(tmp_path, cell):
    raw = read_extract(_write(tmp_path, f"{ENGLISH_HEADER};{cell}\n{ROW};a\n"), MEASURES)
    expected_position = len(ENGLISH_HEADER.split(";")) + 1
    assert raw.unknown_columns == (f"an unrecognised column at position {expected_position}",)


def test_a_header_cell_shaped_like_a_column_name_is_named(tmp_path):
    raw = read_extract(_write(tmp_path, f"{ENGLISH_HEADER};Sagsbehandler 2\n{ROW};x\n"), MEASURES)
    assert raw.unknown_columns == ("Sagsbehandler 2",)


FOLLOW_UPS = FILES_BY_NAME["follow_ups"]
FOLLOW_UP_HEADER = "follow_up_id;measure_id;completed_date\n"
FOLLOW_UP_ROWS = [f"F{i};M{i};2021-01-0{i}\n" for i in range(1, 8)]  # lines 2-8


def _follow_ups(tmp_path, rows, header=FOLLOW_UP_HEADER):
    return _write(tmp_path, header + "".join(rows), name="follow_ups.csv")


def _with(row: int, text: str) -> list[str]:
    """The follow-up rows with row `row` (its line is row + 1) replaced by `text`."""
    return [text if i == row else line for i, line in enumerate(FOLLOW_UP_ROWS, start=1)]


@pytest.mark.parametrize(
    ("broken_row", "text"),
    [
        (6, 'F6;"M6;2021-01-06\n'),  # near the end: the rest of the file became one record
        (2, 'F2;"M2;2021-01-02\n'),  # early on
        (6, 'F6;M6;"2021-01-06\n'),  # in the last column: the lines below became its value
    ],
)
def test_an_unbalanced_quote_is_refused_at_its_line_never_read_as_one_record(
    tmp_path, broken_row, text
):
    """Issue 14: 32 measures vanished behind an unbalanced quote and the run said OK."""
    path = _follow_ups(tmp_path, _with(broken_row, text))
    with pytest.raises(UnreadableFileError, match=rf"^line {broken_row + 1}: a quoted value"):
        read_extract(path, FOLLOW_UPS)


def test_two_unbalanced_quotes_that_pair_up_across_rows_are_refused(tmp_path):
    rows = _with(2, 'F2;"M2;2021-01-02\n')
    rows[4] = 'F5;M5";2021-01-05\n'
    with pytest.raises(UnreadableFileError, match=r"^line 3: a quoted value"):
        read_extract(_follow_ups(tmp_path, rows), FOLLOW_UPS)


def test_a_value_with_line_breaks_in_a_comment_column_is_kept_and_lines_still_count(tmp_path):
    header = FOLLOW_UP_HEADER.replace("\n", ";kommentar\n")
    rows = [line.replace("\n", ";\n") for line in FOLLOW_UP_ROWS]
    rows[1] = 'F2;M2;2021-01-02;"ringede,\n\nkommer igen"\n'  # lines 3-5, one of them blank
    raw = read_extract(_follow_ups(tmp_path, rows, header), FOLLOW_UPS)
    assert len(raw.frame) == 7
    assert raw.line_numbers.tolist() == [2, 3, 6, 7, 8, 9, 10]


def test_blank_lines_between_rows_do_not_shift_line_numbers(tmp_path):
    rows = [*FOLLOW_UP_ROWS[:3], "\n", "\r\n", *FOLLOW_UP_ROWS[3:]]
    raw = read_extract(_follow_ups(tmp_path, rows), FOLLOW_UPS)
    assert raw.line_numbers.tolist() == [2, 3, 4, 7, 8, 9, 10]


def test_a_truncated_last_line_is_a_malformed_record_with_its_line(tmp_path):
    raw = read_extract(_follow_ups(tmp_path, [*FOLLOW_UP_ROWS, "F8;M8"]), FOLLOW_UPS)
    assert len(raw.frame) == 7
    assert raw.malformed_lines == (9,)


def test_a_nul_byte_refuses_the_file_naming_its_line(tmp_path):
    path = tmp_path / "follow_ups.csv"
    path.write_bytes((FOLLOW_UP_HEADER + "".join(_with(3, "F3;M\x003;2021-01-03\n"))).encode())
    with pytest.raises(
        UnreadableFileError, match=r"NUL bytes .* on 1 line\(s\), the first on line 4"
    ):
        read_extract(path, FOLLOW_UPS)


def test_utf16_without_byte_order_mark_is_refused_not_a_traceback(tmp_path):
    path = tmp_path / "measures.csv"
    path.write_bytes(f"{ENGLISH_HEADER}\n{ROW}\n".encode("utf-16-le"))
    with pytest.raises(UnreadableFileError, match="UTF-16 without a byte order mark"):
        read_extract(path, MEASURES)


def test_utf16_with_byte_order_mark_is_read(tmp_path):
    raw = read_extract(_write(tmp_path, f"{ENGLISH_HEADER}\n{ROW}\n", "utf-16"), MEASURES)
    assert raw.encoding == "utf-16"
    assert raw.frame.loc[0, "placement_type"] == "Socialpædagogisk opholdssted"


def test_a_lost_line_break_after_the_header_says_so_and_echoes_no_value(tmp_path):
    children = FILES_BY_NAME["children"]
    path = _write(tmp_path, "cpr;uledsaget_flygtning010115-4001;nej\n020215-4001;ja\n")
    with pytest.raises(UnreadableFileError) as refused:
        read_extract(path, children)
    message = str(refused.value)
    assert "is the line break after the header missing?" in message
    assert "4001" not in message
