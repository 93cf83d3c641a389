"""Benchmarks and the synthetic report generator they run on."""
