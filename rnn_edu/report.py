"""`python -m rnn_edu.report PATH... --out DIR`: the instructor's class report.

It lives in rnn_edu/course/report/ (course machinery); this forwarder keeps the older command
working for `make report` and existing instructions.
"""
from rnn_edu.course.report import main

if __name__ == "__main__":
    raise SystemExit(main())
