"""`python -m bench`: prepare the benchmark database, run every registered scenario, write the results."""

from bench.runner import main

if __name__ == "__main__":
    main()
