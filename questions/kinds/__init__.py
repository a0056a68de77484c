"""The question kinds, one module each; every module here is imported by ``questions.core`` on first use."""
