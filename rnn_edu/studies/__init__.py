"""The studies behind single lessons: experiments a lesson runs or whose stored records it reads.

    cliff        lesson 05: the one-unit loss cliff, and clipping's rescue of a diverging run
    longterm     lesson 06: the cue task over growing gaps (records in rnn_edu/assets/longterm_sweep_*.json)
    gated_sweep  lesson 07: the same sweep for the LSTM and the GRU beside the plain RNN
    gated_clipping  lesson 07: lesson 05's diverging run with the gated cells, clipped and not
    cost         lesson 07: time and parameters of an update for each cell
    lm_trap      lesson 08: the LSTM's validation jump, a state it falls into from zeros at a blank line
    heldout_shift  lesson 08: why the test part is harder (a new play; a 5-gram counting model beside the GRU)

Built on the network at the top of rnn_edu/; nothing at the top imports from here.
"""
