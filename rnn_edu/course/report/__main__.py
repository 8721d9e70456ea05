"""`python -m rnn_edu.report PATH...`: see rnn_edu.report."""
import sys

from . import main

sys.exit(main())
