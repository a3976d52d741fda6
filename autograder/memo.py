"""The decision memo: what the PMO decided, why, and what to change — in two minutes."""

from __future__ import annotations

import html

import mistune

from livepmo.autograder.findings import Finding
from livepmo.autograder.ledger import Changes
from livepmo.autograder.review import Review

_HEADLINE = {
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "rework": "Rework: resubmit",
    "stop": "Stop: the project should not go on",
}
_MEANING = {
    "approved": "The gate is passed.",
    "approved_with_conditions": "The gate is passed, on the conditions below; meet them "
    "before the next gate.",
    "rework": "The gate is not passed. Fix the blocking and major findings below and "
    "resubmit.",
    "stop": "The business case no longer holds. Prepare a closure (or a re-plan) for the "
    "sponsor.",
}


def memo_markdown(review: Review, changes: Changes | None = None) -> str:
    """The memo as markdown."""
    r = review
    lines = [
        f"# {r.title}: {_HEADLINE[r.decision]}",
        "",
        f"**Score {r.score:g} / {r.total_points:g}** (rework below {r.rework_below:g})"
        + (f" · scenario {r.scenario}" if r.scenario else "")
        + (f", variant {r.seed}" if r.seed is not None else ""),
        "",
        _MEANING[r.decision]
        + (" The minor findings below are worth a look." if r.open_findings
           and r.decision == "approved" else ""),
        "",
    ]
    if changes is not None:
        lines += [f"## Since attempt {changes.previous_attempt}", ""]
        lines += [f"- Resolved: {', '.join(changes.resolved) or 'none'}",
                  f"- New: {', '.join(changes.new) or 'none'}",
                  f"- Still open: {', '.join(changes.still_open) or 'none'}", ""]
    open_ = r.open_findings
    if open_:
        lines += ["## What to change next", ""]
        lines += [f"{i}. **{f.criterion}** {f.fix}" for i, f in enumerate(open_[:5], 1)]
        lines.append("")
    if r.conditions:
        lines += ["## Conditions", "", *[f"- {c}" for c in r.conditions], ""]
    for severity in ("blocking", "major", "minor"):
        group = [f for f in open_ if f.severity == severity]
        if group:
            lines += [f"## {severity.capitalize()} findings", ""]
            lines += [_finding(f) for f in group]
    lines += ["## Board questions", "",
              "Prepare an answer to each for the gate presentation.", ""]
    lines += [f"{i}. {q.question}  \n   *Prompted by {q.criterion}: {q.prompted_by}*"
              for i, q in enumerate(r.questions, 1)]
    lines += ["", "## Score by criterion", "", "| criterion | severity | points | |",
              "|---|---|---|---|"]
    lines += [f"| {f.criterion} {f.title} | {f.severity} | {f.score:g} / {f.points:g} | "
              f"{'met' if f.met else 'open'} |" for f in r.findings]
    return "\n".join(lines) + "\n"


def memo_html(review: Review, changes: Changes | None = None) -> str:
    """The memo as a self-contained HTML page."""
    body = mistune.html(memo_markdown(review, changes))
    title = html.escape(f"{review.title}: {_HEADLINE[review.decision]}")
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><style>{_CSS}</style></head>"
        f"<body class=\"{review.decision}\">{body}</body></html>\n"
    )


def _finding(f: Finding, shown: int = 8) -> str:
    lines = [f"- **{f.criterion} {f.title}** ({f.score:g} / {f.points:g}): {f.message}  ",
             f"  Fix: {f.fix}  "]
    if f.evidence:
        lines.append("  Evidence:")
        lines += [f"  - `{e.render()}`" for e in f.evidence[:shown]]
        if len(f.evidence) > shown:
            lines.append(f"  - and {len(f.evidence) - shown} more")
    return "\n".join(lines) + "\n"


# Readable in light and dark viewers alike; the decision colours the top border.
_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
color:#1b1f24;background:#fff;border-top:.5rem solid #888}
body.approved{border-color:#1a7f37}body.approved_with_conditions{border-color:#9a6700}
body.rework{border-color:#cf222e}body.stop{border-color:#6e40c9}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25rem .5rem}
code{background:#f3f4f6;padding:0 .2rem}
@media (prefers-color-scheme: dark){body{color:#e6edf3;background:#0d1117}
code{background:#262c36}td,th{border-color:#3d444d}}
"""
