# nbgrader configuration for rnn-edu. nbgrader reads this file from the directory it runs in,
# which makes the repository the nbgrader course directory (see README, "For instructors"):
#
#   notebooks/NN_name.ipynb        the instructor edition, edited by hand (source of truth)
#   source/NN_name/NN_name.ipynb   nbgrader's source layout: one assignment per lesson, made by
#                                  `make release` as links to notebooks/ (git-ignored)
#   release/NN_name/NN_name.ipynb  the learner edition (`make release`, git-ignored)
#   gradebook.db                   nbgrader's database: assignments, cells, grades (git-ignored;
#                                  `make release` keeps it, since it holds the class's grades)
#   submitted/, autograded/, feedback/   nbgrader's usual folders when grading (git-ignored)
#
# The conventions the lessons follow are in docs/authoring.md.
c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "rnn-edu"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"

# nbgrader's defaults, spelled out because docs/authoring.md and scripts/edition.py rely on them.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# Checkers run the learner's function on small examples; lessons stay under 20 s in total.
c.ExecutePreprocessor.timeout = 120
