"""`swaggertools lint`: checks over the same load, index, match and validate stages as clean."""
