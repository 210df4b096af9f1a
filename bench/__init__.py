"""The benchmark (`make bench`): the product timed at district, city and province scale, beside an
independent pandas reference and a floor. It sits above the product and imports it; the product never
imports it."""
