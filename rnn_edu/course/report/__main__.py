"""`python -m rnn_edu.course.report PATH...`: see rnn_edu.course.report."""
import sys

from . import main

sys.exit(main())
