"""The ``livepmo`` command: parses arguments and calls one function of the right part."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from livepmo import __version__
from livepmo.deliverables import KINDS, json_schema
from livepmo.storage import check_files

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status.

    Usage errors exit through argparse (``SystemExit(2)``), as do ``--help`` and ``--version``.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    status: int = args.run(args)
    return status


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK


def _missing(command: str, paths: list[Path]) -> bool:
    """Report paths that do not exist (a usage error, not an invalid file)."""
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"livepmo {command}: {p}: no such file or folder", file=sys.stderr)
    return bool(missing)


def _check(args: argparse.Namespace) -> int:
    if _missing("check", args.paths):
        return EXIT_USAGE
    checked = invalid = 0
    for result in check_files(args.paths):
        checked += 1
        if result.problems:
            invalid += 1
            for problem in result.problems:
                print(problem.render(result.path))
        elif result.deliverable is not None and not args.quiet:
            print(f"{result.path}: ok ({result.deliverable.TITLE.lower()})")
    if not args.quiet or invalid:
        print(f"{checked} file(s) checked, {invalid} invalid", file=sys.stderr)
    return EXIT_INVALID if invalid else EXIT_OK


def _show(args: argparse.Namespace) -> int:
    if _missing("show", args.paths):
        return EXIT_USAGE
    status = EXIT_OK
    for result in check_files(args.paths):
        if result.deliverable is None:
            status = EXIT_INVALID
            print(f"{result.path}: invalid, see `livepmo check {result.path}`")
            continue
        print(f"{result.deliverable.TITLE} — {result.path}")
        for name, value in result.deliverable.key_figures().items():
            print(f"  {name:<22} {value}")
    return status


def _scenarios(args: argparse.Namespace) -> int:
    # Imported here: the deliverable commands need no scenario data.
    from livepmo.scenarios import (
        ScenarioError,
        brief,
        list_scenarios,
        load_scenario,
        read_scenario,
        scenario_ids,
        seed_for,
    )

    if args.action == "show" and args.id not in scenario_ids():
        known = ", ".join(scenario_ids()) or "none"
        print(f"livepmo scenarios show: no scenario {args.id!r} (known: {known})", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.action == "show":
            seed = seed_for(args.learner, args.id) if args.learner else args.seed
            print(brief(load_scenario(args.id, seed)), end="")
        elif args.action == "check":
            for path in args.paths:
                scenario = read_scenario(path)
                print(f"{path}: ok ({len(scenario.activities)} activities, "
                      f"{len(scenario.risks)} risks, {len(scenario.events)} events)")
        else:
            for info in list_scenarios():
                print(f"{info.id:<22} {info.title}\n{'':<22} {info.industry}; "
                      f"{info.budget}; {info.window}")
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    # Imported here: reviewing needs the whole review engine, the other commands do not.
    from livepmo.autograder import GATES, RubricError, memo_html, memo_markdown
    from livepmo.autograder.selfcheck import self_check
    from livepmo.scenarios import ScenarioError, load_scenario, scenario_ids, seed_for

    if args.gate not in GATES:
        print(f"livepmo review: no gate {args.gate!r} (gates: {', '.join(GATES)})",
              file=sys.stderr)
        return EXIT_USAGE
    if not args.folder.is_dir():
        print(f"livepmo review: {args.folder}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    if args.scenario is not None and args.scenario not in scenario_ids():
        print(f"livepmo review: no scenario {args.scenario!r} "
              f"(known: {', '.join(scenario_ids())})", file=sys.stderr)
        return EXIT_USAGE
    if args.ledger is not None and args.learner is None:
        print("livepmo review: --ledger needs --learner", file=sys.stderr)
        return EXIT_USAGE
    try:
        scenario = None
        if args.scenario is not None:
            seed = args.seed
            if seed is None and args.learner is not None:
                seed = seed_for(args.learner, args.scenario)
            scenario = load_scenario(args.scenario, seed)
        result = self_check(args.gate, args.folder, scenario, learner=args.learner,
                            ledger=args.ledger)
    except (ScenarioError, RubricError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    if args.format == "json":
        print(json.dumps(result.review.to_json(), indent=2, ensure_ascii=False, default=str))
    elif args.format == "html":
        print(memo_html(result.review, result.changes), end="")
    else:
        print(memo_markdown(result.review, result.changes), end="")
    return EXIT_OK if result.review.decision.startswith("approved") else EXIT_INVALID


def _course(args: argparse.Namespace) -> int:
    from livepmo.autograder.course import (
        COURSE,
        CourseError,
        build,
        check_submissions,
        workspace,
        write_sources,
    )

    folder = args.course if args.course is not None else COURSE
    if args.action == "check":
        if args.target is None:
            print("livepmo course check: give the gate, e.g. `livepmo course check "
                  "01-initiation`", file=sys.stderr)
            return EXIT_USAGE
        checks = check_submissions(str(args.target), folder)
        for c in checks:
            if c.unreadable:
                print(f"{c.learner}: the notebook cannot be read: {c.unreadable}")
            for cell in c.missing:
                print(f"{c.learner}: the {cell.role} cell {cell.grade_id!r} "
                      f"({cell.points:g} points) was deleted or its nbgrader metadata "
                      "removed; nbgrader scores it 0 without a word")
        bad = sum(not c.ok for c in checks)
        print(f"{len(checks)} submission(s) checked, {bad} with problems", file=sys.stderr)
        return EXIT_INVALID if bad else EXIT_OK
    if args.action == "notebooks":
        for path in write_sources(folder):
            print(path)
        return EXIT_OK
    if args.action == "workspace":
        if args.target is None:
            print("livepmo course workspace: give the folder, e.g. `livepmo course workspace "
                  "workspace`", file=sys.stderr)
            return EXIT_USAGE
        try:
            copied = workspace(args.target, folder)
        except CourseError as exc:
            print(f"livepmo course workspace: {exc}", file=sys.stderr)
            return EXIT_INVALID
        print(f"{args.target}: " + (", ".join(copied) + " added" if copied
                                    else "up to date (your work is left as it is)"))
        return EXIT_OK
    print(f"Generating the release versions in {folder / 'release'} (nbgrader "
          "generate_assignment)…", file=sys.stderr)
    try:
        outcome = build(folder)
    except CourseError as exc:
        print(f"livepmo course build: {exc}", file=sys.stderr)
        return EXIT_INVALID
    for assignment, result in outcome.items():
        print(f"{assignment}: {result}")
    return EXIT_OK


def _grade(args: argparse.Namespace) -> int:
    from livepmo.autograder.course import COURSE
    from livepmo.autograder.grading import main as grade_main

    return grade_main(gate=args.gate, course=args.course or COURSE, workers=args.workers,
                      timeout=args.timeout, force=args.force, ledger=args.ledger)


def _demo(args: argparse.Namespace) -> int:
    from livepmo.autograder.demo import main as demo_main

    return demo_main(out=args.out, learners=args.learners, workers=args.workers)


def _validate(args: argparse.Namespace) -> int:
    from livepmo.autograder.validate import main as validate_main

    return validate_main(scenarios=args.scenarios, gates=args.gates, workers=args.workers,
                         junit=args.junit, keep=args.keep, timeout=args.timeout)


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="livepmo",
        description="livepmo: a live Project Management Office in JupyterLab.",
        formatter_class=fmt,
        epilog="examples:\n"
        "  livepmo check examples/erp-rollout/deliverables\n"
        "  livepmo show examples/erp-rollout/deliverables\n"
        "  livepmo schema schedule > schedule.schema.json",
    )
    parser.add_argument("--version", action="version", version=f"livepmo {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a deliverable kind",
        description="Print the JSON Schema of a deliverable kind's current version.",
        formatter_class=fmt,
        epilog="kinds: " + ", ".join(KINDS) + "\n\nexamples:\n"
        "  livepmo schema charter\n"
        "  livepmo schema risk_register > risk_register.schema.json",
    )
    schema.add_argument("kind", choices=list(KINDS), metavar="KIND", help="deliverable kind")
    schema.set_defaults(run=_schema)

    check = commands.add_parser(
        "check",
        help="validate deliverable files or folders",
        description="Validate deliverable files, and every *.json below folders. Each "
        "problem is printed as `file: field.path: message (how to fix)`.\n"
        "Exit status: 0 all valid, 1 some file invalid, 2 usage error.",
        formatter_class=fmt,
        epilog="examples:\n"
        "  livepmo check deliverables/charter.json\n"
        "  livepmo check examples/erp-rollout/deliverables\n"
        "  livepmo check -q submitted/*/deliverables",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    check.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    check.set_defaults(run=_check)

    show = commands.add_parser(
        "show",
        help="print the key figures of deliverables",
        description="Print the key figures of each valid deliverable under the paths.",
        formatter_class=fmt,
        epilog="examples:\n  livepmo show examples/erp-rollout/deliverables",
    )
    show.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    show.set_defaults(run=_show)

    scenarios = commands.add_parser(
        "scenarios",
        help="list the practice projects, show one's brief, or check scenario files",
        description="List the scenarios (each is validated), print one's brief, or check "
        "scenario YAML files while writing them. Problems name the file, the line and the "
        "key path.",
        formatter_class=fmt,
        epilog="examples:\n"
        "  livepmo scenarios\n"
        "  livepmo scenarios show wms-rollout\n"
        "  livepmo scenarios show wms-rollout --learner alice   # alice's variant\n"
        "  livepmo scenarios check scenarios/library/wms-rollout.yaml",
    )
    scenarios.set_defaults(run=_scenarios, action="list")

    review = commands.add_parser(
        "review",
        help="run the PMO review of a gate and print the decision memo",
        description="Review the deliverables in a folder at a gate, as the PMO does: every "
        "criterion of the gate's rubric, the decision, the findings with their evidence and "
        "fix, and the board's questions. Exit status: 0 approved (with or without "
        "conditions), 1 rework or stop, 2 usage error.",
        formatter_class=fmt,
        epilog="gates: 01-initiation, 02-planning, 03-execution, 04-closure\n\nexamples:\n"
        "  livepmo review 02-planning deliverables --scenario wms-rollout --learner alice\n"
        "  livepmo review 03-execution deliverables --scenario wms-rollout --seed 7 "
        "--format html > memo.html\n"
        "  livepmo review 01-initiation deliverables --scenario wms-rollout --learner alice "
        "--ledger reviews.sqlite",
    )
    review.add_argument("gate", metavar="GATE", help="the gate, e.g. 02-planning")
    review.add_argument("folder", type=Path, metavar="DELIVERABLES_DIR")
    review.add_argument("--scenario", metavar="ID", help="the scenario the project runs on")
    review.add_argument("--seed", type=int, help="the learner's variant of the scenario")
    review.add_argument("--learner", help="the learner id (gives the variant's seed)")
    review.add_argument("--format", choices=("md", "html", "json"), default="md")
    review.add_argument("--ledger", type=Path, metavar="PATH",
                        help="record the review as the learner's next attempt (SQLite)")
    review.set_defaults(run=_review)
    course = commands.add_parser(
        "course", help="build the nbgrader course (instructors)", formatter_class=fmt,
        description="notebooks: write the source notebooks of the orientation and the four "
        "gates from their description. build: write them, then generate the release "
        "versions of every assignment with nbgrader (generate_assignment). workspace: copy "
        "the release versions into a learner's folder, never over work already there. "
        "check: find the graded cells each submission of a gate lost (nbgrader scores a "
        "deleted test cell 0 without a word); exit 1 when any did.",
        epilog="examples:\n  livepmo course build\n  livepmo course notebooks\n"
        "  livepmo course workspace workspace\n  livepmo course check 01-initiation",
    )
    course.add_argument("action", choices=("build", "notebooks", "workspace", "check"))
    course.add_argument("target", nargs="?", type=Path, metavar="DIR|GATE",
                        help="workspace: the learner's folder; check: the gate")
    course.add_argument("--course", type=Path, metavar="DIR",
                        help="the course folder (default: the repository's course/)")
    course.set_defaults(run=_course)
    validate = commands.add_parser(
        "validate", formatter_class=fmt,
        help="run every gate notebook headless over the scenarios' references and flaws",
        description="Run the course's gate notebooks with papermill for every scenario × "
        "gate × (reference solution and every mutation of that gate) in parallel worker "
        "processes, and check each PMO review against its expected decision and findings. "
        "Prints a table; keeps the executed notebooks of failing cases.\n"
        "Exit status: 0 every case as expected, 1 any mismatch or failed notebook, "
        "2 usage error.",
        epilog="examples:\n  livepmo validate\n"
        "  livepmo validate erp-distributor --junit build/validate.xml\n"
        "  livepmo validate wms-rollout --gate 02-planning -j 1",
    )
    validate.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                          help="scenario ids (default: all)")
    validate.add_argument("--gate", action="append", default=[], dest="gates", metavar="GATE",
                          help="only this gate (repeatable; default: all gates)")
    validate.add_argument("-j", "--workers", type=int, default=None,
                          help="worker processes (default: the CPU count)")
    validate.add_argument("--junit", type=Path, default=None, metavar="PATH",
                          help="write JUnit XML, one testcase per case")
    validate.add_argument("--keep", type=Path, default=Path("validation-failures"),
                          metavar="DIR", help="where failing cases' executed notebooks are "
                          "kept (default: validation-failures/)")
    validate.add_argument("--timeout", type=float, default=300,
                          help="seconds a notebook cell may run (default: 300)")
    validate.set_defaults(run=_validate)
    grade = commands.add_parser(
        "grade", formatter_class=fmt,
        help="autograde every collected submission of a gate in parallel (instructors)",
        description="Autograde every collected submission of a gate (course/submitted/*/"
        "GATE) in parallel worker processes, each with a private copy of nbgrader's "
        "gradebook, merged into the course gradebook one at a time (SQLite is not safe for "
        "concurrent writers). Scores are nbgrader's own. A bad submission (kernel death, "
        "timeout, corrupt notebook, missing files) is recorded with its reason and the "
        "batch goes on. Prints a summary table and writes course/grading/GATE.json.\n"
        "Exit status: 0 every submission graded, 1 any bad submission, 2 usage error.",
        epilog="examples:\n  livepmo grade 01-initiation\n"
        "  livepmo grade 02-planning --workers 4 --timeout 120 --ledger reviews.sqlite",
    )
    grade.add_argument("gate", metavar="GATE", help="the gate, e.g. 01-initiation")
    grade.add_argument("--course", type=Path, metavar="DIR",
                       help="the nbgrader course folder (default: the repository's course/)")
    grade.add_argument("-j", "--workers", type=int, default=None,
                       help="worker processes (default: one per CPU)")
    grade.add_argument("--timeout", type=float, default=300,
                       help="seconds one submission may take before its worker is stopped")
    grade.add_argument("--force", action="store_true",
                       help="regrade submissions that are already autograded")
    grade.add_argument("--ledger", type=Path, metavar="PATH",
                       help="record each graded submission's PMO review in this ledger")
    grade.set_defaults(run=_grade)

    demo = commands.add_parser(
        "demo", formatter_class=fmt,
        help="the whole PMO on a simulated cohort (course, grading, feedback, dashboard)",
        description="Build the course, let a simulated cohort hand in every gate (some "
        "sent back for rework, then resubmitting), grade each gate in parallel, write "
        "the feedback and the cohort dashboard, and print a summary and where the files "
        "are. Everything goes into OUT (replaced).",
        epilog="examples:\n  livepmo demo\n  livepmo demo --learners 5 --out /tmp/pmo",
    )
    demo.add_argument("--out", type=Path, default=Path("demo"), metavar="OUT",
                      help="the folder to write (default: demo/)")
    demo.add_argument("--learners", type=int, default=12, help="cohort size (default: 12)")
    demo.add_argument("-j", "--workers", type=int, default=None,
                      help="worker processes (default: the CPU count)")
    demo.set_defaults(run=_demo)
    actions = scenarios.add_subparsers(title="actions", metavar="ACTION")
    show_one = actions.add_parser(
        "show", help="print a scenario's brief", formatter_class=fmt,
        description="Print the brief a learner starts from (never the hidden risks and events).",
        epilog="examples:\n  livepmo scenarios show erp-distributor\n"
        "  livepmo scenarios show erp-distributor --seed 7",
    )
    show_one.add_argument("id", metavar="ID", help="scenario id (see `livepmo scenarios`)")
    variant = show_one.add_mutually_exclusive_group()
    variant.add_argument("--seed", type=int, help="the variant with this seed")
    variant.add_argument("--learner", help="the variant of this learner id")
    show_one.set_defaults(action="show")
    check_files_ = actions.add_parser(
        "check", help="validate scenario YAML files", formatter_class=fmt,
        description="Validate scenario files; exit 0 valid, 1 invalid.",
        epilog="examples:\n  livepmo scenarios check scenarios/library/*.yaml",
    )
    check_files_.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check_files_.set_defaults(action="check")
    return parser
