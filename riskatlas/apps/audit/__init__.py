"""The audit log: who changed what in an assessment, when, with the values before and after."""
