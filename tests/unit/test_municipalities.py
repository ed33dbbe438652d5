"""Unit tests of the municipality register: the shipped data, the rules, the file checks and
finding a municipality by name."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from marshmallow import Schema, ValidationError, fields

from shared.municipalities import (
    BANDS,
    PROVINCES,
    REGIONS,
    TARGET_GROUP_THRESHOLD,
    Municipality,
    Problem,
    Register,
    RegisterError,
    UnknownMunicipality,
    band_for,
    check_file,
    default_register_path,
    load_register,
    region_for,
)
from shared.municipalities.register import CANDIDATES
from shared.web.fields import MunicipalityField

HEADER = "code,name,province,non_western_pct"


def write_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def municipality(code: str, name: str, pct: float = 1.0, province: str = "Utrecht") -> Municipality:
    return Municipality(code, name, province, pct, region_for(province))


# --- the shipped register ---------------------------------------------------------


def test_shipped_file_has_no_problems() -> None:
    assert check_file(default_register_path()) == []


def test_shipped_register_has_the_415_municipalities_of_2012() -> None:
    register = load_register()
    assert len(register) == 415
    assert len({m.code for m in register}) == 415
    assert {m.province for m in register} == set(PROVINCES)
    per_province = Counter(m.province for m in register)
    assert per_province == {
        "Groningen": 23,
        "Fryslân": 27,
        "Drenthe": 12,
        "Overijssel": 25,
        "Flevoland": 6,
        "Gelderland": 56,
        "Utrecht": 26,
        "Noord-Holland": 55,
        "Zuid-Holland": 72,
        "Zeeland": 13,
        "Noord-Brabant": 67,
        "Limburg": 33,
    }


@pytest.mark.parametrize(
    ("code", "name", "province"),
    [
        ("GM0363", "Amsterdam", "Noord-Holland"),
        ("GM0599", "Rotterdam", "Zuid-Holland"),
        ("GM0518", "'s-Gravenhage", "Zuid-Holland"),
        ("GM0344", "Utrecht", "Utrecht"),
        ("GM1911", "Hollands Kroon", "Noord-Holland"),
    ],
)
def test_shipped_register_known_municipalities(code: str, name: str, province: str) -> None:
    found = load_register().get(code)
    assert found is not None
    assert (found.name, found.province) == (name, province)


def test_municipalities_merged_into_hollands_kroon_are_gone() -> None:
    register = load_register()
    for code in ("GM0366", "GM0412", "GM0462", "GM0463"):
        assert code not in register


def test_shipped_target_group_contains_the_big_four() -> None:
    target = {m.code for m in load_register().target_group}
    assert {"GM0363", "GM0599", "GM0518", "GM0344"} <= target


def test_the_target_group_is_the_44_at_12_5_percent_or_more_by_cbs() -> None:
    register = load_register()
    assert len(register.target_group) == 44
    per_region = Counter(m.region for m in register.target_group)
    assert per_region == {
        "Zuid-Holland": 17,
        "Noord-Holland": 10,
        "Flevoland-Utrecht": 6,
        "Oosten": 6,
        "Noord-Brabant": 4,
        "Limburg": 1,
    }
    assert Counter(m.band for m in register) == {
        "0-5": 245,
        "5-7.5": 71,
        "7.5-10": 29,
        "10-12.5": 26,
        "12.5+": 44,
    }
    names = {m.name for m in register.target_group}
    # The official shares put these in, where the old estimates had them out, and back.
    assert {"Zeist", "Hoorn", "Roosendaal", "Roermond", "Bergen op Zoom"} <= names
    assert not {"Breda", "Helmond", "Hilversum", "Wageningen"} & names


@pytest.mark.parametrize(
    ("code", "pct"),
    [("GM0363", 35), ("GM0599", 37), ("GM0518", 34), ("GM0184", 2), ("GM0183", 1)],
)
def test_shipped_shares_are_the_cbs_figures(code: str, pct: float) -> None:
    assert load_register().get(code).non_western_pct == pct  # type: ignore[union-attr]


def test_shipped_register_has_the_population_of_every_municipality() -> None:
    register = load_register()
    assert all(m.population for m in register)
    assert register.get("GM0363").population == 790110  # type: ignore[union-attr]
    per_province = Counter[str]()
    for m in register:
        per_province[m.province] += m.population or 0
    # Within 13 of the CBS province totals of 2012: CBS rounds each municipality to 5.
    assert per_province["Zuid-Holland"] == 3552400
    assert per_province["Flevoland"] == 395525
    assert sum(per_province.values()) == 16730345


def test_default_register_is_parsed_once() -> None:
    assert load_register() is load_register()


def test_register_iterates_in_code_order() -> None:
    codes = [m.code for m in load_register()]
    assert codes == sorted(codes)


# --- regions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "region"),
    [
        ("Groningen", "Noorden"),
        ("Fryslân", "Noorden"),
        ("Drenthe", "Noorden"),
        ("Gelderland", "Oosten"),
        ("Overijssel", "Oosten"),
        ("Flevoland", "Flevoland-Utrecht"),
        ("Utrecht", "Flevoland-Utrecht"),
        ("Noord-Brabant", "Noord-Brabant"),
        ("Noord-Holland", "Noord-Holland"),
        ("Zuid-Holland", "Zuid-Holland"),
        ("Limburg", "Limburg"),
        ("Zeeland", "Zeeland"),
        ("Friesland", "Noorden"),
    ],
)
def test_region_for(province: str, region: str) -> None:
    assert region_for(province) == region


def test_region_for_unknown_province() -> None:
    with pytest.raises(KeyError):
        region_for("Vlaanderen")


def test_regions_are_ordered() -> None:
    assert REGIONS == (
        "Noorden",
        "Oosten",
        "Flevoland-Utrecht",
        "Noord-Brabant",
        "Noord-Holland",
        "Zuid-Holland",
        "Limburg",
        "Zeeland",
    )


def test_by_region_of_the_shipped_register() -> None:
    grouped = load_register().by_region()
    assert list(grouped) == list(REGIONS)
    sizes = {region: len(members) for region, members in grouped.items()}
    # Table 4 of the evaluation (2011) less the four Noord-Holland municipalities
    # merged into Hollands Kroon on 1 January 2012, plus Zeeland.
    assert sizes == {
        "Noorden": 62,
        "Oosten": 81,
        "Flevoland-Utrecht": 32,
        "Noord-Brabant": 67,
        "Noord-Holland": 55,
        "Zuid-Holland": 72,
        "Limburg": 33,
        "Zeeland": 13,
    }


def test_region_column_overrides_the_province(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        f"{HEADER},region",
        "GM0654,Borsele,Zeeland,1.9,",
        "GM0718,Vlissingen,Zeeland,10.5,Zuid-Holland",
    )
    register = Register.load(path)
    assert register.get("GM0654").region == "Zeeland"  # type: ignore[union-attr]
    assert register.get("GM0718").region == "Zuid-Holland"  # type: ignore[union-attr]
    grouped = register.by_region()
    assert [m.code for m in grouped["Zuid-Holland"]] == ["GM0718"]
    assert grouped["Limburg"] == []


def test_friesland_is_read_as_fryslan(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER, "GM0080,Leeuwarden,Friesland,9.5")
    assert check_file(path) == []
    leeuwarden = Register.load(path).get("GM0080")
    assert leeuwarden is not None
    assert (leeuwarden.province, leeuwarden.region) == ("Fryslân", "Noorden")


# --- bands and the target group ----------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "slug"),
    [
        (0.0, "0-5"),
        (4.99, "0-5"),
        (5.0, "5-7.5"),
        (7.49, "5-7.5"),
        (7.5, "7.5-10"),
        (10.0, "10-12.5"),
        (12.49, "10-12.5"),
        (12.5, "12.5+"),
        (100.0, "12.5+"),
    ],
)
def test_band_for(pct: float, slug: str) -> None:
    assert band_for(pct) == slug


@pytest.mark.parametrize("pct", [-0.1, 100.1, float("nan")])
def test_band_for_rejects_non_percentages(pct: float) -> None:
    with pytest.raises(ValueError):
        band_for(pct)


def test_band_slugs() -> None:
    assert [band.slug for band in BANDS] == ["0-5", "5-7.5", "7.5-10", "10-12.5", "12.5+"]


def test_target_group_threshold() -> None:
    assert TARGET_GROUP_THRESHOLD == 12.5
    assert municipality("GM0001", "A", 12.5).in_target_group
    assert not municipality("GM0002", "B", 12.49).in_target_group
    assert municipality("GM0003", "C", 12.49).band == "10-12.5"


def test_register_target_group() -> None:
    register = Register(
        [
            municipality("GM0002", "Hoog", 30.0),
            municipality("GM0001", "Grens", 12.5),
            municipality("GM0003", "Laag", 3.0),
        ]
    )
    assert [m.code for m in register.target_group] == ["GM0001", "GM0002"]


def test_register_refuses_duplicate_codes() -> None:
    with pytest.raises(ValueError, match="GM0001"):
        Register([municipality("GM0001", "A"), municipality("GM0001", "B")])


# --- lookups and search ---------------------------------------------------------------


def test_get_and_contains() -> None:
    register = load_register()
    assert register.get("gm0363") == register.get("GM0363")
    assert register.get("GM9999") is None
    assert "GM0363" in register
    assert "GM9999" not in register
    assert 363 not in register


def test_search_by_name_prefix_substring_and_code() -> None:
    register = load_register()
    assert [m.code for m in register.search("amsterdam")] == ["GM0363"]
    names = [m.name for m in register.search("AMST")]
    assert names == ["Amstelveen", "Amsterdam", "Ouder-Amstel"]
    # a name prefix comes before a name that merely contains the text
    found = [m.name for m in register.search("ede", limit=100)]
    assert found[0] == "Ede"
    assert "Neder-Betuwe" in found[1:]
    assert all("ede" in name.lower() for name in found)
    assert [m.code for m in register.search("gm0599")] == ["GM0599"]
    assert [m.code for m in register.search("GM036")] == [
        "GM0361",
        "GM0362",
        "GM0363",
        "GM0365",
    ]


def test_search_ignores_accents_and_case() -> None:
    register = load_register()
    assert [m.name for m in register.search("fryslan")] == ["Súdwest-Fryslân"]
    assert [m.name for m in register.search("'S-GRAVEN")] == ["'s-Gravenhage"]


def test_search_limits_and_empty_text() -> None:
    register = load_register()
    assert len(register.search("e", limit=5)) == 5
    assert register.search("") == []
    assert register.search("   ") == []
    assert register.search("xyzzy") == []


# --- resolving a name ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GM0363", "GM0363"),
        (" gm 0599 ", "GM0599"),
        ("Amsterdam", "GM0363"),
        ("AMSTERDAM", "GM0363"),
        ("'s-Gravenhage", "GM0518"),
        ("s gravenhage", "GM0518"),
        ("Gravenhage", "GM0518"),
        ("Den Haag", "GM0518"),
        ("den  haag", "GM0518"),
        ("The Hague", "GM0518"),
        ("Den Bosch", "GM0796"),
        ("den bosch", "GM0796"),
        ("'s-Hertogenbosch", "GM0796"),
        ("Súdwest-Fryslân", "GM1900"),
        ("Súdwest Fryslân", "GM1900"),
        ("Sudwest Fryslan", "GM1900"),
        ("sudwest-fryslan", "GM1900"),
        ("Nuenen, Gerwen en Nederwetten", "GM0820"),
        ("Nuenen", "GM0820"),
        ("Tietjerksteradeel", "GM0737"),
        ("Bergen op Zoom", "GM0748"),
        ("Utrecht", "GM0344"),
        ("Leeuwarden (Friesland)", "GM0080"),
    ],
)
def test_resolve_by_code_name_or_common_name(text: str, code: str) -> None:
    assert load_register().resolve(text).code == code


@pytest.mark.parametrize(
    "text", ["Bergen (NH.)", "Bergen (NH)", "Bergen NH", "bergen nh", "Bergen (Noord-Holland)"]
)
def test_bergen_in_noord_holland(text: str) -> None:
    assert load_register().resolve(text).code == "GM0373"


@pytest.mark.parametrize("text", ["Bergen (L.)", "Bergen (L)", "Bergen L", "Bergen (Limburg)"])
def test_bergen_in_limburg(text: str) -> None:
    assert load_register().resolve(text).code == "GM0893"


def test_plain_bergen_is_ambiguous_offering_both() -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        load_register().resolve("Bergen")
    assert caught.value.ambiguous
    assert [m.code for m in caught.value.candidates[:2]] == ["GM0373", "GM0893"]
    assert str(caught.value) == (
        "'Bergen' is the name of more than one municipality. "
        "Did you mean: Bergen (NH.), Bergen (L.), Bergen op Zoom, Haaksbergen, Steenbergen?"
    )


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Gouwda", "Gouda"),
        ("Amsterdm", "Amsterdam"),
        ("Roterdam", "Rotterdam"),
        ("Den", "Den Helder"),
    ],
)
def test_an_unknown_name_offers_the_closest_names(text: str, first: str) -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        load_register().resolve(text)
    assert not caught.value.ambiguous
    assert 1 <= len(caught.value.candidates) <= CANDIDATES
    assert caught.value.candidates[0].name == first
    assert str(caught.value).startswith(f"Unknown municipality {text!r}. Did you mean: {first}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("xyzzy", "Unknown municipality 'xyzzy'. Give its name or its CBS code (like GM0363)."),
        ("GM9999", "Unknown municipality code 'GM9999'."),
        ("", "Give a municipality: its name or its CBS code (like GM0363)."),
        (" - ", "Give a municipality: its name or its CBS code (like GM0363)."),
    ],
)
def test_text_naming_nothing_offers_nothing(text: str, message: str) -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        load_register().resolve(text)
    assert caught.value.candidates == ()
    assert str(caught.value) == message


def test_very_long_text_is_not_compared() -> None:
    with pytest.raises(UnknownMunicipality) as caught:
        load_register().resolve("Amsterdam" * 50)
    assert caught.value.candidates == ()


def test_common_names_apply_to_another_register_that_has_the_code(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER,
        "GM0518,'s-Gravenhage,Zuid-Holland,34",
        "GM0373,Bergen (NH.),Noord-Holland,3",
        "GM0999,Bergen,Utrecht,5",
    )
    register = Register.load(path)
    assert register.resolve("Den Haag").code == "GM0518"
    assert register.resolve("Bergen Utrecht").code == "GM0999"
    assert register.resolve("Bergen NH").code == "GM0373"
    with pytest.raises(UnknownMunicipality, match="Den Bosch"):
        register.resolve("Den Bosch")


# --- the field every schema reads municipalities with ----------------------------------


class Taking(Schema):
    municipality_code = MunicipalityField(register=load_register(), load_default=None)
    municipality_codes = fields.List(MunicipalityField(register=load_register()))


def test_the_field_loads_a_name_as_its_code_and_dumps_the_code() -> None:
    loaded = Taking().load(
        {"municipality_code": "Den Haag", "municipality_codes": ["den bosch", "GM0363"]}
    )
    assert loaded == {"municipality_code": "GM0518", "municipality_codes": ["GM0796", "GM0363"]}
    assert Taking().dump(loaded) == loaded
    assert Taking().load({}) == {"municipality_code": None}


def test_the_field_refuses_with_the_candidates() -> None:
    with pytest.raises(ValidationError) as caught:
        Taking().load({"municipality_code": "Gouwda", "municipality_codes": ["Bergen", 7]})
    assert caught.value.messages == {
        "municipality_code": ["Unknown municipality 'Gouwda'. Did you mean: Gouda?"],
        "municipality_codes": {
            0: [
                "'Bergen' is the name of more than one municipality. Did you mean: "
                "Bergen (NH.), Bergen (L.), Bergen op Zoom, Haaksbergen, Steenbergen?"
            ],
            1: ["Not a valid string."],
        },
    }


# --- check_file ------------------------------------------------------------------------


def test_valid_file_with_optional_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "code,name,province,non_western_pct,population,region",
        'GM0820,"Nuenen, Gerwen en Nederwetten",Noord-Brabant,3.7,22718,',
        "GM0363,Amsterdam,Noord-Holland,35.1,,",
    )
    assert check_file(path) == []
    register = Register.load(path)
    nuenen = register.get("GM0820")
    assert nuenen is not None
    assert nuenen.name == "Nuenen, Gerwen en Nederwetten"
    assert nuenen.population == 22718
    assert register.get("GM0363").population is None  # type: ignore[union-attr]


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "code,name,provincie,non_western_pct", "GM0363,Amsterdam,NH,35")
    assert check_file(path) == [
        Problem(1, "province", "missing column"),
        Problem(1, "provincie", "unknown column"),
    ]


def test_duplicate_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{HEADER},name", "GM0363,Amsterdam,Noord-Holland,35,Amsterdam")
    assert check_file(path) == [Problem(1, "name", "column appears more than once")]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    [problem] = check_file(path)
    assert problem.row is None
    assert "empty" in problem.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER}\nGM0051,Skarsterl\xe2n,Frysl\xe2n,2.3\n".encode("latin-1"))
    [problem] = check_file(path)
    assert "UTF-8" in problem.message


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        ("GM363,Amsterdam,Noord-Holland,35", "code", "not a CBS code"),
        ("0363,Amsterdam,Noord-Holland,35", "code", "not a CBS code"),
        ("GM0363,,Noord-Holland,35", "name", "name is empty"),
        ("GM0363,Amsterdam,Holland,35", "province", "unknown province 'Holland'"),
        ("GM0363,Amsterdam,Noord-Holland,veel", "non_western_pct", "not a number"),
        ('GM0363,Amsterdam,Noord-Holland,"35,1"', "non_western_pct", "not a number"),
        ("GM0363,Amsterdam,Noord-Holland,", "non_western_pct", "not a number"),
        ("GM0363,Amsterdam,Noord-Holland,100.5", "non_western_pct", "between 0 and 100"),
        ("GM0363,Amsterdam,Noord-Holland,-1", "non_western_pct", "between 0 and 100"),
        ("GM0363,Amsterdam,Noord-Holland,nan", "non_western_pct", "between 0 and 100"),
    ],
)
def test_each_problem_in_a_row(tmp_path: Path, line: str, column: str, fragment: str) -> None:
    path = write_csv(tmp_path, HEADER, "GM0344,Utrecht,Utrecht,21.6", line)
    [problem] = check_file(path)
    assert (problem.row, problem.column) == (3, column)
    assert fragment in problem.message


@pytest.mark.parametrize("population", ["-5", "1.5", "veel", "12 000"])
def test_bad_population(tmp_path: Path, population: str) -> None:
    path = write_csv(
        tmp_path, f"{HEADER},population", f"GM0363,Amsterdam,Noord-Holland,35,{population}"
    )
    [problem] = check_file(path)
    assert (problem.row, problem.column) == (2, "population")
    assert "non-negative whole number" in problem.message


def test_unknown_region(tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{HEADER},region", "GM0718,Vlissingen,Zeeland,10.5,Zuiden")
    [problem] = check_file(path)
    assert (problem.row, problem.column) == (2, "region")
    assert "unknown region 'Zuiden'" in problem.message


def test_duplicate_code_names_both_rows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER,
        "GM0363,Amsterdam,Noord-Holland,35",
        "GM0344,Utrecht,Utrecht,21.6",
        "GM0363,Amsterdam-bis,Noord-Holland,35",
    )
    assert check_file(path) == [
        Problem(4, "code", "duplicate code GM0363 (first on row 2)"),
    ]


def test_too_many_values(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER, "GM0363,Amsterdam,Noord-Holland,35,extra")
    assert check_file(path) == [Problem(2, None, "5 values but only 4 columns")]


def test_all_problems_are_reported_with_spreadsheet_rows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        HEADER,
        "GM0363,Amsterdam,Noord-Holland,35",
        "",
        "XX0001,,Atlantis,200",
        "GM0344,Utrecht,Utrecht,21.6",
    )
    problems = check_file(path)
    assert [(p.row, p.column) for p in problems] == [
        (4, "code"),
        (4, "name"),
        (4, "province"),
        (4, "non_western_pct"),
    ]


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER, "GM0363,,Noord-Holland,35", "GM0344,Utrecht,Utrecht,x")
    with pytest.raises(RegisterError) as caught:
        Register.load(path)
    assert caught.value.problems == check_file(path)
    message = str(caught.value)
    assert "row 2, column 'name'" in message
    assert "row 3, column 'non_western_pct'" in message


def test_load_register_with_a_path(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER, "GM0363,Amsterdam,Noord-Holland,35")
    register = load_register(path)
    assert len(register) == 1
    assert load_register(str(path)) is not register


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(f"{HEADER}\nGM0363,Amsterdam,Noord-Holland,35\n".encode("utf-8-sig"))
    assert check_file(path) == []


def test_the_name_shown_spells_out_the_province_of_namesakes_and_reads_back() -> None:
    register = load_register()
    labels = {register.label(municipality): municipality.code for municipality in register}
    assert len(labels) == len(register)  # no two shown alike
    assert labels["Bergen (Noord-Holland)"] == "GM0373"
    assert labels["Bergen (Limburg)"] == "GM0893"
    assert labels["'s-Gravenhage"] == "GM0518" and "Bergen (NH.)" not in labels
    assert all(register.resolve(label).code == code for label, code in labels.items())
