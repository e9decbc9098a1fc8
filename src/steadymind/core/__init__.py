"""Configuration, errors, clock, logs: the bottom layer; imports nothing else of ours."""
