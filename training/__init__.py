"""Training: annotations of ../shared/train, the scripts that check them and fit the shipped models (never imported
by the runtime)."""
