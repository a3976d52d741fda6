"""Feedback a learner can read: errors as one line, never a traceback of the grading code."""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool


class WithoutTracebacks(Preprocessor):
    """Replace each error output by one line naming the error (no traceback, no source).

    A traceback of an autograded cell would show the grading code's internals and, for a
    hidden test, its source. The learner needs only what went wrong; the grader keeps the
    full traceback in the autograded notebook.
    """

    # nbconvert runs a preprocessor only when enabled; this one is always wanted.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if cell.cell_type != "code":
            return cell, resources
        for i, output in enumerate(cell.get("outputs", [])):
            if output.get("output_type") == "error":
                line = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
                cell.outputs[i] = NotebookNode(
                    output_type="stream", name="stderr",
                    text=f"This cell stopped with an error — {line}\n",
                )
        return cell, resources
