"""The benchmark (bench/run.py is its entry point): settings, the workers' steps (one process each), the
orchestrator, the tables. Nothing here is part of the application."""
