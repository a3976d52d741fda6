"""The scenario library: every scenario loads, validates, varies per learner, and hides what
the simulation keeps secret."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from livepmo.cli import main
from livepmo.scenarios import (
    LIBRARY,
    ScenarioError,
    brief,
    load_scenario,
    read_scenario,
    scenario_ids,
    seed_for,
)

IDS = scenario_ids()
EXPECTED = {"erp-distributor", "wms-rollout", "win11-migration", "crm-erp-integration",
            "zero-trust-soc"}


def test_the_library_holds_the_five_practice_projects() -> None:
    assert set(IDS) == EXPECTED


@pytest.mark.parametrize("sid", IDS)
def test_each_scenario_is_rich_enough_to_practise_on(sid: str) -> None:
    s = load_scenario(sid)
    assert len(s.stakeholders) >= 10
    assert len(s.activities) >= 35
    assert len(s.risks) >= 12
    assert len(s.events) >= 12
    kinds = {e.kind for e in s.events}
    assert {"vendor_delay", "staff_loss", "scope_push", "defects", "opportunity"} <= kinds
    assert {r.type for r in s.risks} == {"threat", "opportunity"}
    assert s.sources, "figures from public practice name their source"


@pytest.mark.parametrize("sid", IDS)
def test_a_variant_is_the_same_for_the_same_seed(sid: str) -> None:
    assert load_scenario(sid, 7) == load_scenario(sid, 7)


@pytest.mark.parametrize("sid", IDS)
def test_different_seeds_meet_visibly_different_shocks(sid: str) -> None:
    def shocks(seed: int) -> frozenset[tuple[str, int]]:
        s = load_scenario(sid, seed)
        return frozenset(
            (e.id, s.draws[e.id].week) for e in s.events if s.draws[e.id].u < e.trigger.probability
        )

    outcomes = {shocks(seed) for seed in range(1, 9)}
    assert len(outcomes) >= 6  # eight learners, (nearly) eight different sets of shocks


@pytest.mark.parametrize("sid", IDS)
def test_a_variant_perturbs_estimates_and_costs_but_keeps_them_valid(sid: str) -> None:
    base, variant = load_scenario(sid), load_scenario(sid, 3)
    assert variant.seed == 3 and base.seed is None and not base.draws
    changed = [a.id for a, b in zip(base.activities, variant.activities, strict=True)
               if (a.most_likely, a.cost) != (b.most_likely, b.cost)]
    assert len(changed) > len(base.activities) // 2
    for a in variant.activities:
        assert a.optimistic <= a.most_likely <= a.pessimistic


def test_a_learner_keeps_one_seed_and_neighbours_differ() -> None:
    assert seed_for("alice", "wms-rollout") == seed_for("alice", "wms-rollout")
    assert seed_for("alice", "wms-rollout") != seed_for("bob", "wms-rollout")


@pytest.mark.parametrize("sid", IDS)
def test_the_brief_shows_the_situation_but_never_the_hidden_risks_and_events(sid: str) -> None:
    s = load_scenario(sid)
    text = brief(s)
    assert s.organisation.name in text and s.sponsor.name in text
    assert all(p.name in text for p in s.stakeholders)
    for event in s.events:
        assert event.message not in text
    for risk in s.risks:
        assert risk.early_signs not in text


def test_the_cli_lists_every_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert all(sid in out for sid in EXPECTED)


def test_the_cli_shows_a_learners_variant(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "show", "wms-rollout", "--learner", "alice"]) == 0
    assert f"seed {seed_for('alice', 'wms-rollout')}" in capsys.readouterr().out


def test_an_unknown_scenario_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "show", "no-such-project"]) == 2
    assert "known: crm-erp-integration" in capsys.readouterr().err


# ---- bad scenario files: the error names the file, the line and the key path ----------


@pytest.fixture
def library(tmp_path: Path) -> Path:
    shutil.copy(LIBRARY / "wms-rollout.yaml", tmp_path / "wms-rollout.yaml")
    return tmp_path


def _rewrite(library: Path, change: object) -> Path:
    path = library / "wms-rollout.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    return caught.value


def test_an_unknown_predecessor_is_named_with_its_line(library: Path) -> None:
    path = _rewrite(library, lambda d: d["activities"][5]["predecessors"].append(
        {"activity": "NO-SUCH"}))
    err = _error(path)
    problem = err.problems[0]
    assert problem.path.startswith("activities[5].predecessors[")
    assert "unknown activity 'NO-SUCH'" in problem.message
    line = err.lines[0]
    assert line is not None
    assert "NO-SUCH" in path.read_text().splitlines()[line - 1]
    assert f"{path}:{line}: activities[5]" in str(err)


def test_a_missing_key_names_the_key_path(library: Path) -> None:
    path = _rewrite(library, lambda d: d["events"][2].pop("default_option"))
    err = _error(path)
    assert [p.path for p in err.problems] == ["events[2].default_option"]
    assert "missing" in err.problems[0].message


def test_a_probability_out_of_range_is_reported(library: Path) -> None:
    path = _rewrite(library, lambda d: d["risks"][0].__setitem__("probability", 1.5))
    assert _error(path).problems[0].path == "risks[0].probability"


def test_a_precondition_on_an_unknown_risk_is_reported(library: Path) -> None:
    def change(d: dict) -> None:
        d["events"][0]["trigger"]["requires"] = [{"risk_not_mitigated": "R99"}]

    err = _error(_rewrite(library, change))
    assert err.problems[0].path == "events[0].trigger.requires[0].risk_not_mitigated"
    assert "unknown risk 'R99'" in err.problems[0].message


def test_too_few_activities_is_reported(library: Path) -> None:
    path = _rewrite(library, lambda d: d.__setitem__("activities", d["activities"][:3]))
    assert any(p.path == "activities" and "35" in p.message for p in _error(path).problems)


def test_broken_yaml_names_the_line(library: Path) -> None:
    path = library / "wms-rollout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(10, "  : : [unclosed")
    path.write_text("\n".join(lines), encoding="utf-8")
    err = _error(path)
    assert "not valid YAML" in err.problems[0].message
    assert err.lines[0] is not None and 9 <= err.lines[0] <= 12


def test_an_author_may_not_write_the_computed_variant_fields(library: Path) -> None:
    path = _rewrite(library, lambda d: d.__setitem__("seed", 4))
    assert _error(path).problems[0].path == "seed"


def test_the_id_must_match_the_file_name(library: Path) -> None:
    path = _rewrite(library, lambda d: d.__setitem__("id", "other-name"))
    assert _error(path).problems[0].path == "id"


def test_check_exits_1_on_a_bad_scenario(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _rewrite(library, lambda d: d["risks"][0].__setitem__("probability", 1.5))
    assert main(["scenarios", "check", str(path)]) == 1
    assert "risks[0].probability" in capsys.readouterr().err
