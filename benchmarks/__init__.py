"""The benchmark: synthetic graphs of the dataset's shape (``generate``) and one command that
measures the stores, the endpoint and their peers on them (``run``)."""
