"""The course machinery around the network: what a lesson shows and checks, not what it computes.

    quiz/       the question bank (quizzes/*.yaml, or the packed copy), quiz widgets, progress
    exercises/  checkers for the hands-on exercises, lesson by lesson
    widgets/    the gradient explorer (lessons 04, 07) and the temperature control (lesson 08)
    figures/    the lessons' figures, in one course style
    report/     the instructor's class report (python -m rnn_edu.course.report)
    env_check   lesson 00's check of the installed packages

May import the network, rnn_edu.lm and rnn_edu.studies; none of them imports from here.
"""
