"""nbgrader configuration of the livepmo course (loaded from this folder: run nbgrader here)."""

from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by traitlets

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "livepmo"
c.CourseDirectory.root = str(HERE)
# One machine, no server: the gradebook is a SQLite file in the course folder.
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"
# The gate notebooks' deliverables are the learner's work: never overwrite them with
# anything from source/ when autograding.
c.Autograde.exclude_overwriting = {
    gate: ["deliverables/*"]
    for gate in ("00-orientation", "01-initiation", "02-planning", "03-execution", "04-closure")
}
# A cell that loops forever is interrupted after this many seconds; the rest of the
# submission is still graded.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# Each plotly FigureWidget would store its JavaScript bundle in the autograded notebook
# (16 MB a gate notebook); neither nbgrader's views nor the feedback use widget state.
c.Execute.store_widget_state = False
c.NbGrader.logfile = str(HERE / "nbgrader.log")
# Feedback shows the decision memo and the scores, never hidden test source or tracebacks.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "livepmo.autograder.feedback.WithoutTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.ClearHiddenTests.enabled = True
