"""The character language model of lesson 08 (08_capstone_char_lm.ipynb): the corpus, minibatches of
windows, training with validation and early stopping, evaluation (nats/char, perplexity), sampling,
and the model trained by `make capstone` that ships in rnn_edu/assets/.

    corpus      tiny Shakespeare, its vocabulary and its train/validation/test split
    batching    sequential and random partitioning into (T, B, V) windows
    training    train_lm: the shared update step (rnn_edu.training.update) over those windows
    evaluation  loss per character over a whole part, perplexity
    sampling    next-character probabilities at a temperature, generated text
    capstone    loading the shipped weights and their training record

Built on the network at the top of rnn_edu/; nothing at the top imports from here.
"""
