"""The assets, one concern per module, in the order the data flows: landing → raw → dbt → quality
→ serving."""
