"""The zoo's models, one module per family; every module here is imported by ``zoo.registry`` on first use."""
