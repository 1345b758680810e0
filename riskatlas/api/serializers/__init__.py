"""What the API sends and accepts, one module per kind of object."""
