"""Synthetic reports in the genre's shapes (fixed seeds), for the tests and the benches: whole
city reports with their labelled facts (`reports`) and news pages (`news`)."""
